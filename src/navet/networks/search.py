"""People and organisations in the search.

People hold personal data: a person is found only by those ``person_policy`` lets view them,
and the index holds only what the person's page shows them (name, title, organisation), never
an email address or phone number. Organisations are public.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Organisation, Person
from navet.networks.permissions import person_policy
from navet.search.registry import Entry, SearchProvider, register


class PersonProvider(SearchProvider):
    kind = "person"
    label = _("People")
    model = Person
    indexed_fields = frozenset({"first_name", "last_name", "title", "organisation"})

    def queryset(self) -> QuerySet[Any]:
        return Person.objects.select_related("organisation")

    def entry(self, person: Any) -> Entry:
        return Entry(
            title=person.full_name,
            body="\n".join(p for p in (person.title, person.organisation.name) if p),
            url=reverse("networks:person_detail", args=[person.pk]),
        )

    def visible(self, user: Any) -> Q:
        return Q(
            object_id__in=person_policy.instances_user_has_permission_for(user, "view").values("pk")
        )

    def related(self) -> dict[Any, Any]:
        # A renamed organisation renames what its people are found by.
        return {Organisation: lambda org: list(org.people.values_list("pk", flat=True))}


class OrganisationProvider(SearchProvider):
    kind = "organisation"
    label = _("Organisations")
    model = Organisation
    indexed_fields = frozenset({"name", "official_name"})

    def entry(self, organisation: Any) -> Entry:
        return Entry(
            title=organisation.name,
            body=organisation.official_name,
            url=reverse("networks:organisation_detail", args=[organisation.pk]),
        )

    def visible(self, user: Any) -> Q:
        return Q()


register(PersonProvider())
register(OrganisationProvider())
