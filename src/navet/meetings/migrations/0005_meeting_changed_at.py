from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_delete_meetingdocument")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="changed_at",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
