"""The demo data tell the true story of both networks, with fictional people only."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from navet.accounts.models import User
from navet.core.models import AuditEntry
from navet.demo.loader import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    KOMMUNNATVERKET_FILE,
    LAST_NAMES,
    load_demo,
)
from navet.networks import permissions, selectors
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

DALSLAND = {"Bengtsfors", "Dals-Ed", "Färgelanda", "Mellerud"}
# Real people named in the source reports (contact tables, meeting descriptions).
REAL_NAMES = [
    "Martin Bertilsson",
    "Maj-Liz Hedendahl",
    "Catharina Pettersson",
    "Micaela Holmberg",
    "Karin Meyer",
    "Susanne Arneborg",
    "Emma Andersson",
    "Kristina Haglund",
    "Eva Larsson",
    "Ann Olsson",
    "Jan Nyman",
]


@pytest.fixture
def demo(db: None) -> None:
    assert load_demo() is True


@pytest.fixture
def kommunnatverket(demo: None) -> Network:
    return Network.objects.get(slug="kommunnatverket")


@pytest.fixture
def uthallig(demo: None) -> Network:
    return Network.objects.get(slug="uthallig-kommun")


def municipality(name: str) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY, name=name)


def test_kommunnatverket_has_38_members_at_the_end_of_2022_and_36_before_the_autumn(
    kommunnatverket: Network,
) -> None:
    assert (
        selectors.members_on(network=kommunnatverket, day=datetime.date(2022, 12, 31)).count() == 38
    )
    assert (
        selectors.members_on(network=kommunnatverket, day=datetime.date(2022, 6, 30)).count() == 36
    )
    autumn = Membership.objects.filter(network=kommunnatverket, start_date__year=2022)
    assert {m.organisation.name for m in autumn} == {"Partille", "Bollebygd"}
    assert all("hösten 2022" in m.note for m in autumn)
    assert kommunnatverket.coordinating_organisation is not None
    assert kommunnatverket.coordinating_organisation.name == "Energikontor Väst"
    assert kommunnatverket.purpose.startswith("Det övergripande syftet")
    assert kommunnatverket.purpose.count("\n- ") == 5  # the five goals of 2022
    assert "Agenda 2030" in kommunnatverket.description


def test_the_dalsland_members_take_part_through_their_association(
    kommunnatverket: Network,
) -> None:
    via = Membership.objects.filter(network=kommunnatverket, via__isnull=False)
    assert {m.organisation.name for m in via} == DALSLAND
    assert {m.via.name for m in via if m.via} == {"Dalslands miljö- och energiförbund"}
    contacts = selectors.contacts_on(network=kommunnatverket, day=datetime.date(2022, 12, 31))
    dalsland_contacts = {c.person for c in contacts if c.organisation.name in DALSLAND}
    assert len(dalsland_contacts) == 1
    assert dalsland_contacts.pop().organisation.name == "Dalslands miljö- och energiförbund"


@pytest.mark.parametrize("name", ["Borås", "Alingsås", "Lerum"])
def test_some_municipalities_are_members_of_both_networks(demo: None, name: str) -> None:
    networks = {
        m.network.slug
        for m in selectors.memberships_of_organisation(organisation=municipality(name))
    }
    assert networks == {"kommunnatverket", "uthallig-kommun"}


def test_uthallig_kommun_had_seven_clusters_and_has_no_members_today(uthallig: Network) -> None:
    clusters = uthallig.groups.all()
    assert clusters.count() == 7
    assert {group.kind for group in clusters} == {Group.Kind.CLUSTER}
    assert selectors.members_on(network=uthallig, day=timezone.localdate()).count() == 0
    assert selectors.members_on(network=uthallig, day=datetime.date(2010, 1, 1)).count() == 43
    assert selectors.members_on(network=uthallig, day=datetime.date(2011, 6, 30)).count() == 54
    assert not uthallig.contact_assignments.filter(end_date__isnull=True).exists()

    storstad = uthallig.groups.get(slug="storstad")
    vastra_gotaland = uthallig.groups.get(slug="vastra-gotaland")
    assert storstad.group_memberships.count() == 12
    assert vastra_gotaland.group_memberships.count() == 9
    # Borås is in two clusters, with the same contact person in both.
    boras_contacts = ContactAssignment.objects.filter(
        network=uthallig, organisation=municipality("Borås")
    )
    assert {c.group for c in boras_contacts} == {storstad, vastra_gotaland}
    assert len({c.person_id for c in boras_contacts}) == 1


def test_contact_turnover_finds_six_changes_in_2022_and_2023(kommunnatverket: Network) -> None:
    changes = selectors.contact_turnover(
        network=kommunnatverket, start=datetime.date(2022, 1, 1), end=datetime.date(2023, 12, 31)
    )
    assert len(changes) == 6
    for change in changes:
        assert change.previous is not None
        assert change.previous.end_date == change.current.start_date - datetime.timedelta(days=1)
        assert change.previous.person.organisation == change.organisation
        assert change.previous.person != change.current.person


def test_groups_coordinators_and_partners(kommunnatverket: Network) -> None:
    groups = {group.slug: group for group in kommunnatverket.groups.all()}
    assert set(groups) == {"miljostrategi", "naturvard", "rattvis-handel"}
    coordinators = set(kommunnatverket.coordinators.all())
    assert len(coordinators) == 3
    assert {p.organisation.name for p in coordinators} == {"Energikontor Väst"}
    for group in groups.values():
        assert len(set(group.coordinators.all()) & coordinators) == 1
    guests = GroupMembership.objects.filter(
        group__network=kommunnatverket, role=GroupMembership.Role.GUEST
    )
    assert {(g.group.slug, g.person.organisation.name) for g in guests} == {
        ("naturvard", "Länsstyrelsen i Västra Götalands län"),
        ("miljostrategi", "Västra Götalandsregionen"),
    }
    fairtrade = groups["rattvis-handel"].group_memberships.filter(
        person__role_category=Person.RoleCategory.FAIRTRADE_COORDINATOR
    )
    assert 10 <= fairtrade.count() <= 14


def test_demo_logins_have_their_roles(kommunnatverket: Network) -> None:
    users = {}
    for email, _role in DEMO_LOGINS:
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None, email
        users[email.split("@")[0]] = user
    nature = kommunnatverket.groups.get(slug="naturvard")
    assert permissions.is_platform_admin(users["admin"])
    assert permissions.person_of(users["admin"]) is None
    assert permissions.can_manage_network(users["samordnare"], kommunnatverket)
    assert not permissions.can_manage_network(users["grupp"], kommunnatverket)
    assert permissions.can_manage_group(users["grupp"], nature)
    assert permissions.is_member(users["medlem"], kommunnatverket)
    assert not permissions.coordinates_any_group(users["medlem"], kommunnatverket)
    assert permissions.is_partner(users["partner"], kommunnatverket, nature)
    assert not permissions.is_member(users["partner"], kommunnatverket)

    medlem = permissions.person_of(users["medlem"])
    assert medlem is not None
    assert (medlem.organisation.name, medlem.role_category) == ("Borås", "miljostrateg")


def test_people_are_fictional(demo: None) -> None:
    names = {person.full_name for person in Person.objects.all()}
    for real_name in REAL_NAMES:
        assert real_name not in names
    source_text = KOMMUNNATVERKET_FILE.read_text(encoding="utf-8")
    for last_name in LAST_NAMES:
        assert last_name not in source_text
    emails = list(Person.objects.values_list("email", flat=True))
    assert all(email.isascii() and email.endswith(".example") for email in emails)
    assert len(set(emails)) == len(emails)


def test_loading_twice_changes_nothing(demo: None) -> None:
    tables: list[type[models.Model]] = [
        Organisation,
        Person,
        Network,
        Group,
        Membership,
        GroupMembership,
        ContactAssignment,
        User,
        AuditEntry,
    ]
    before = {model: model._default_manager.count() for model in tables}
    assert load_demo() is False
    assert {model: model._default_manager.count() for model in tables} == before


def test_the_command_says_when_it_was_already_loaded(db: None) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data loaded." in out.getvalue()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert all(email in out.getvalue() for email, _role in DEMO_LOGINS)
    assert Network.objects.count() == 2
