# Meeting attachments live in the archive now (documents.0002 moved them there).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_alter_meetingdocument_meeting"),
        ("documents", "0002_meeting_documents"),
    ]

    operations = [migrations.DeleteModel(name="MeetingDocument")]
