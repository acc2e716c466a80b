from django.db import migrations, models


def copy_document_visibility(apps, schema_editor):
    """The index's existing document entries get their document's visibility (new entries
    get it from the indexer)."""
    SearchEntry = apps.get_model("search", "SearchEntry")
    Document = apps.get_model("documents", "Document")
    visibilities = Document.objects.values_list("visibility", flat=True).distinct()
    for visibility in list(visibilities):
        SearchEntry.objects.filter(
            kind="document",
            object_id__in=Document.objects.filter(visibility=visibility).values("pk"),
        ).update(access=visibility)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_meeting_documents"),
        ("search", "0002_title_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="access",
            field=models.CharField(blank=True, max_length=30, null=True),
        ),
        migrations.RunPython(copy_document_visibility, migrations.RunPython.noop),
    ]
