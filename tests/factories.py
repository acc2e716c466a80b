"""factory_boy factories for Navet's models, shared by every test package.

The reference organisations (290 municipalities, 21 regions, 21 county boards and Riket) are
loaded by a data migration, so they exist in every test database. Fetch them with
:func:`organisation` (``organisation("1490")`` is Borås) or :func:`county_board` rather than
creating look-alikes; :class:`OrganisationFactory` is for the other kinds (associations,
companies) that are not reference data.

Defaults are chosen so that a bare ``SomethingFactory()`` is valid:

* people and memberships belong to Borås (SCB code 1490) unless told otherwise, so pass
  ``organisation=...`` when a test needs several memberships in one network (overlapping
  memberships of one organisation are refused by the services, not by the database);
* periods start on 2020-01-01 and are open-ended, so they are active "today";
* every user can log in with the password :data:`PASSWORD`.

The factories write rows directly and bypass the services' rules and audit entries; use
``navet.networks.services`` in a test when the rules or the audit trail are what it checks.
"""

import datetime

import factory
from django.utils.text import slugify

from navet.accounts.models import Invitation, User
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

PASSWORD = "pw"
DEFAULT_START = datetime.date(2020, 1, 1)
BORAS = "1490"


def organisation(scb_code: str) -> Organisation:
    """A reference organisation by SCB code: "1490" Borås, "14" Västra Götalandsregionen,
    "0000" Riket."""
    return Organisation.objects.get(scb_code=scb_code)


def county_board(county_code: str) -> Organisation:
    """The county administrative board (Länsstyrelsen) of a county, e.g. "14" for Västra
    Götalands län. County boards have no SCB code of their own."""
    return Organisation.objects.get(kind=Organisation.Kind.COUNTY_BOARD, county_code=county_code)


class UserFactory(factory.django.DjangoModelFactory):
    """A login (email is the username) with the password :data:`PASSWORD`.

    ``UserFactory(is_superuser=True, is_staff=True)`` makes a platform admin.
    """

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@navet.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation that is not reference data, by default an association of
    municipalities (e.g. a Dalsland association that municipalities take part 'via')."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Kommunalförbund {n}")
    kind = Organisation.Kind.ASSOCIATION
    county_code = "14"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Nätverk {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Grupp {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Group.Kind.FOCUS_GROUP


class PersonFactory(factory.django.DjangoModelFactory):
    """A person working for Borås unless ``organisation`` is given; no user account unless
    ``user`` is given (e.g. ``PersonFactory(user=UserFactory())``)."""

    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = factory.Sequence(lambda n: f"Efternamn{n}")
    email = factory.Sequence(lambda n: f"person{n}@kommun.test")
    title = "Miljöstrateg"
    role_category = Person.RoleCategory.ENVIRONMENTAL_STRATEGIST
    organisation = factory.LazyFunction(lambda: organisation(BORAS))
    user = None


class MembershipFactory(factory.django.DjangoModelFactory):
    """Borås as a member since 2020-01-01, open-ended, unless told otherwise."""

    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.LazyFunction(lambda: organisation(BORAS))
    start_date = DEFAULT_START
    end_date = None
    via = None


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    """A participant since 2020-01-01; pass ``role=GroupMembership.Role.GUEST`` for a partner."""

    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    start_date = DEFAULT_START
    end_date = None
    role = GroupMembership.Role.PARTICIPANT


class ContactAssignmentFactory(factory.django.DjangoModelFactory):
    """The person as network-wide contact (no group) for their own organisation."""

    class Meta:
        model = ContactAssignment

    network = factory.SubFactory(NetworkFactory)
    group = None
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    start_date = DEFAULT_START
    end_date = None


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    person = factory.SubFactory(PersonFactory)
    invited_by = None
