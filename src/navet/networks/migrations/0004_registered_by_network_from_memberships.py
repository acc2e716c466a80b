"""People registered before networks had to be joined explicitly: a person who takes part in
nothing yet, in an organisation that is a member of exactly one network, is that network's."""

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    Person = apps.get_model("networks", "Person")
    Membership = apps.get_model("networks", "Membership")
    unlinked = Person.objects.filter(
        registered_by_network__isnull=True,
        group_memberships__isnull=True,
        contact_assignments__isnull=True,
        coordinated_networks__isnull=True,
        coordinated_groups__isnull=True,
    )
    for person in unlinked.iterator():
        network_ids = set(
            Membership.objects.filter(
                Q(organisation_id=person.organisation_id) | Q(via_id=person.organisation_id)
            ).values_list("network_id", flat=True)
        )
        if len(network_ids) == 1:
            person.registered_by_network_id = network_ids.pop()
            person.save(update_fields=["registered_by_network"])


class Migration(migrations.Migration):
    dependencies = [("networks", "0003_person_registered_by_network")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
