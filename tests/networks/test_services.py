"""The network services: each rule is enforced, writes are atomic and audited."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from navet.accounts.models import User
from navet.core.models import AuditEntry
from navet.networks import services
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Person,
)
from tests.factories import (
    ContactAssignmentFactory,
    GroupFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    organisation,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def actor() -> User:
    return UserFactory(email="samordnare@navet.test")


@pytest.fixture
def net() -> Network:
    return NetworkFactory(name="Klimatnätverket", slug="klimat")


def error_fields(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


# membership_add -------------------------------------------------------------------------------


def test_membership_add_creates_membership_and_audit_entry(actor: User, net: Network) -> None:
    boras, via = organisation("1490"), OrganisationFactory(name="Sjuhärads kommunalförbund")
    membership = services.membership_add(
        actor=actor,
        network=net,
        organisation=boras,
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
        via=via,
        note="Via förbundet",
    )
    membership.refresh_from_db()
    assert (membership.network, membership.organisation, membership.via) == (net, boras, via)
    assert (membership.start_date, membership.end_date) == (D(2024, 1, 1), D(2024, 12, 31))
    assert membership.note == "Via förbundet"

    entry = AuditEntry.objects.get(action="membership.added")
    assert entry.actor == actor
    assert (entry.object_type, entry.object_id) == ("networks.membership", str(membership.pk))
    assert entry.data["network"] == "klimat"
    assert entry.data["organisation"] == {"id": boras.pk, "str": "Borås"}
    assert entry.data["start_date"] == "2024-01-01"
    assert entry.data["end_date"] == "2024-12-31"
    assert entry.data["via"] == {"id": via.pk, "str": "Sjuhärads kommunalförbund"}


def test_anonymous_actor_is_audited_without_user(net: Network) -> None:
    services.membership_add(
        actor=AnonymousUser(),
        network=net,
        organisation=organisation("1490"),
        start_date=D(2024, 1, 1),
    )
    assert AuditEntry.objects.get(action="membership.added").actor is None


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # an open-ended membership overlaps everything after its start
        ((D(2020, 1, 1), None), (D(2024, 1, 1), None)),
        ((D(2020, 1, 1), None), (D(2024, 1, 1), D(2024, 6, 30))),
        # a new open-ended one overlaps a later closed one
        ((D(2024, 1, 1), D(2024, 12, 31)), (D(2020, 1, 1), None)),
        # sharing the last day is an overlap: end_date is included
        ((D(2020, 1, 1), D(2021, 12, 31)), (D(2021, 12, 31), None)),
        ((D(2022, 1, 1), None), (D(2020, 1, 1), D(2022, 1, 1))),
        # same period
        ((D(2020, 1, 1), D(2020, 12, 31)), (D(2020, 1, 1), D(2020, 12, 31))),
    ],
)
def test_membership_add_refuses_overlapping_periods(
    actor: User,
    net: Network,
    existing: tuple[datetime.date, datetime.date | None],
    new: tuple[datetime.date, datetime.date | None],
) -> None:
    boras = organisation("1490")
    MembershipFactory(network=net, organisation=boras, start_date=existing[0], end_date=existing[1])
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            actor=actor, network=net, organisation=boras, start_date=new[0], end_date=new[1]
        )
    assert error_fields(excinfo) == {"start_date"}
    assert "Borås" in excinfo.value.message_dict["start_date"][0]
    assert Membership.objects.filter(network=net).count() == 1
    assert not AuditEntry.objects.filter(action="membership.added").exists()


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # adjacent periods do not overlap
        ((D(2020, 1, 1), D(2021, 12, 31)), (D(2022, 1, 1), None)),
        ((D(2022, 1, 1), None), (D(2020, 1, 1), D(2021, 12, 31))),
    ],
)
def test_membership_add_accepts_a_new_period_after_a_gap(
    actor: User,
    net: Network,
    existing: tuple[datetime.date, datetime.date | None],
    new: tuple[datetime.date, datetime.date | None],
) -> None:
    boras = organisation("1490")
    MembershipFactory(network=net, organisation=boras, start_date=existing[0], end_date=existing[1])
    services.membership_add(
        actor=actor, network=net, organisation=boras, start_date=new[0], end_date=new[1]
    )
    assert Membership.objects.filter(network=net, organisation=boras).count() == 2


def test_membership_add_allows_same_organisation_in_another_network(
    actor: User, net: Network
) -> None:
    boras = organisation("1490")
    MembershipFactory(organisation=boras)  # in another network
    services.membership_add(actor=actor, network=net, organisation=boras, start_date=D(2020, 1, 1))
    assert Membership.objects.filter(organisation=boras).count() == 2


def test_membership_add_refuses_end_before_start(actor: User, net: Network) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            actor=actor,
            network=net,
            organisation=organisation("1490"),
            start_date=D(2024, 1, 2),
            end_date=D(2024, 1, 1),
        )
    assert error_fields(excinfo) == {"end_date"}
    assert not Membership.objects.exists()


def test_membership_add_accepts_a_one_day_membership(actor: User, net: Network) -> None:
    membership = services.membership_add(
        actor=actor,
        network=net,
        organisation=organisation("1490"),
        start_date=D(2024, 1, 1),
        end_date=D(2024, 1, 1),
    )
    assert membership.is_active_on(D(2024, 1, 1))


def test_membership_add_refuses_via_itself(actor: User, net: Network) -> None:
    boras = organisation("1490")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            actor=actor, network=net, organisation=boras, start_date=D(2024, 1, 1), via=boras
        )
    assert error_fields(excinfo) == {"via"}
    assert not Membership.objects.exists()


# membership_update ----------------------------------------------------------------------------


def test_membership_update_may_change_its_own_period(actor: User, net: Network) -> None:
    membership = MembershipFactory(network=net, start_date=D(2020, 1, 1))
    services.membership_update(
        actor=actor, membership=membership, start_date=D(2019, 6, 1), end_date=None, via=None
    )
    membership.refresh_from_db()
    assert membership.start_date == D(2019, 6, 1)
    assert AuditEntry.objects.filter(action="membership.changed").count() == 1


def test_membership_update_refuses_overlap_with_another_period(actor: User, net: Network) -> None:
    boras = organisation("1490")
    MembershipFactory(
        network=net, organisation=boras, start_date=D(2018, 1, 1), end_date=D(2018, 12, 31)
    )
    later = MembershipFactory(network=net, organisation=boras, start_date=D(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_update(
            actor=actor, membership=later, start_date=D(2018, 6, 1), end_date=None, via=None
        )
    assert error_fields(excinfo) == {"start_date"}
    later.refresh_from_db()
    assert later.start_date == D(2020, 1, 1)


# membership_end -------------------------------------------------------------------------------


def test_membership_end_sets_end_and_closes_open_contact_assignments(
    actor: User, net: Network
) -> None:
    boras, lerum = organisation("1490"), organisation("1441")
    group = GroupFactory(network=net)
    membership = MembershipFactory(network=net, organisation=boras, start_date=D(2020, 1, 1))
    MembershipFactory(network=net, organisation=lerum, start_date=D(2020, 1, 1))
    boras_person = PersonFactory(organisation=boras)
    old = ContactAssignmentFactory(
        network=net, person=boras_person, start_date=D(2020, 1, 1), end_date=D(2021, 12, 31)
    )
    current = ContactAssignmentFactory(network=net, person=boras_person, start_date=D(2022, 1, 1))
    in_group = ContactAssignmentFactory(
        network=net, group=group, person=PersonFactory(organisation=boras), start_date=D(2022, 1, 1)
    )
    lerum_contact = ContactAssignmentFactory(network=net, person=PersonFactory(organisation=lerum))
    elsewhere = ContactAssignmentFactory(person=boras_person)  # another network

    services.membership_end(actor=actor, membership=membership, end_date=D(2024, 6, 30))

    membership.refresh_from_db()
    assert membership.end_date == D(2024, 6, 30)
    for assignment in (old, current, in_group, lerum_contact, elsewhere):
        assignment.refresh_from_db()
    assert old.end_date == D(2021, 12, 31)  # history is untouched
    assert current.end_date == D(2024, 6, 30)
    assert in_group.end_date == D(2024, 6, 30)
    assert lerum_contact.end_date is None
    assert elsewhere.end_date is None

    entry = AuditEntry.objects.get(action="membership.ended")
    assert entry.actor == actor
    assert entry.object_id == str(membership.pk)
    assert entry.data == {"end_date": "2024-06-30"}


def test_membership_end_refuses_an_ended_membership(actor: User, net: Network) -> None:
    membership = MembershipFactory(network=net, end_date=D(2023, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(actor=actor, membership=membership, end_date=D(2024, 6, 30))
    assert error_fields(excinfo) == {"end_date"}
    membership.refresh_from_db()
    assert membership.end_date == D(2023, 12, 31)


def test_membership_end_refuses_end_before_start(actor: User, net: Network) -> None:
    membership = MembershipFactory(network=net, start_date=D(2024, 1, 1))
    contact = ContactAssignmentFactory(network=net, start_date=D(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(actor=actor, membership=membership, end_date=D(2023, 12, 31))
    assert error_fields(excinfo) == {"end_date"}
    membership.refresh_from_db()
    contact.refresh_from_db()
    assert membership.end_date is None
    assert contact.end_date is None
    assert not AuditEntry.objects.exists()


# contact_assign -------------------------------------------------------------------------------


def test_contact_assign_first_contact(actor: User, net: Network) -> None:
    boras = organisation("1490")
    anna = PersonFactory(organisation=boras, first_name="Anna", last_name="Ek")
    assignment = services.contact_assign(
        actor=actor, network=net, organisation=boras, person=anna, start_date=D(2024, 1, 1)
    )
    assert (assignment.person, assignment.organisation, assignment.group) == (anna, boras, None)
    assert (assignment.start_date, assignment.end_date) == (D(2024, 1, 1), None)
    entry = AuditEntry.objects.get(action="contact.assigned")
    assert entry.actor == actor
    assert entry.data["person"] == {"id": anna.pk, "str": "Anna Ek"}
    assert entry.data["previous"] is None


def test_contact_assign_ends_previous_the_day_before_and_keeps_history(
    actor: User, net: Network
) -> None:
    boras = organisation("1490")
    anna = PersonFactory(organisation=boras, first_name="Anna", last_name="Ek")
    bo = PersonFactory(organisation=boras, first_name="Bo", last_name="Ek")
    first = services.contact_assign(
        actor=actor, network=net, organisation=boras, person=anna, start_date=D(2022, 1, 1)
    )
    second = services.contact_assign(
        actor=actor, network=net, organisation=boras, person=bo, start_date=D(2024, 3, 1)
    )
    first.refresh_from_db()
    assert first.end_date == D(2024, 2, 29)  # the day before, leap year included
    assert second.end_date is None
    history = ContactAssignment.objects.filter(network=net, organisation=boras).order_by(
        "start_date"
    )
    assert [(a.person, a.start_date, a.end_date) for a in history] == [
        (anna, D(2022, 1, 1), D(2024, 2, 29)),
        (bo, D(2024, 3, 1), None),
    ]
    entries = AuditEntry.objects.filter(action="contact.assigned").order_by("id")
    assert [e.data["previous"] for e in entries] == [None, {"id": anna.pk, "str": "Anna Ek"}]


@pytest.mark.parametrize("start", [D(2024, 1, 1), D(2023, 12, 31)])
def test_contact_assign_refuses_start_not_after_current(
    actor: User, net: Network, start: datetime.date
) -> None:
    boras = organisation("1490")
    current = ContactAssignmentFactory(
        network=net, person=PersonFactory(organisation=boras), start_date=D(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.contact_assign(
            actor=actor,
            network=net,
            organisation=boras,
            person=PersonFactory(organisation=boras),
            start_date=start,
        )
    assert error_fields(excinfo) == {"start_date"}
    current.refresh_from_db()
    assert current.end_date is None
    assert ContactAssignment.objects.count() == 1


def test_contact_assign_never_overlaps_a_closed_assignment(actor: User, net: Network) -> None:
    boras = organisation("1490")
    membership = MembershipFactory(network=net, organisation=boras, start_date=D(2020, 1, 1))
    services.contact_assign(
        actor=actor,
        network=net,
        organisation=boras,
        person=PersonFactory(organisation=boras),
        start_date=D(2020, 1, 1),
    )
    services.membership_end(actor=actor, membership=membership, end_date=D(2024, 6, 30))
    with pytest.raises(ValidationError):
        services.contact_assign(
            actor=actor,
            network=net,
            organisation=boras,
            person=PersonFactory(organisation=boras),
            start_date=D(2024, 3, 1),  # inside the closed assignment 2020-01-01 – 2024-06-30
        )


def test_contact_assign_refuses_the_current_contact_again(actor: User, net: Network) -> None:
    boras = organisation("1490")
    current = ContactAssignmentFactory(network=net, person=PersonFactory(organisation=boras))
    with pytest.raises(ValidationError) as excinfo:
        services.contact_assign(
            actor=actor,
            network=net,
            organisation=boras,
            person=current.person,
            start_date=D(2024, 1, 1),
        )
    assert error_fields(excinfo) == {"person"}
    assert ContactAssignment.objects.count() == 1


def test_contact_assign_refuses_person_of_another_organisation(actor: User, net: Network) -> None:
    boras = organisation("1490")
    MembershipFactory(network=net, organisation=boras)
    lerum_person = PersonFactory(organisation=organisation("1441"))
    with pytest.raises(ValidationError) as excinfo:
        services.contact_assign(
            actor=actor,
            network=net,
            organisation=boras,
            person=lerum_person,
            start_date=D(2024, 1, 1),
        )
    assert error_fields(excinfo) == {"person"}
    assert not ContactAssignment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_contact_assign_accepts_person_of_the_via_organisation(actor: User, net: Network) -> None:
    dals_ed = organisation("1438")
    association = OrganisationFactory(name="Dalslands kommunalförbund")
    MembershipFactory(network=net, organisation=dals_ed, via=association)
    person = PersonFactory(organisation=association)
    assignment = services.contact_assign(
        actor=actor, network=net, organisation=dals_ed, person=person, start_date=D(2024, 1, 1)
    )
    assert (assignment.organisation, assignment.person) == (dals_ed, person)


def test_contact_assign_via_in_another_network_does_not_count(actor: User, net: Network) -> None:
    dals_ed = organisation("1438")
    association = OrganisationFactory(name="Dalslands kommunalförbund")
    MembershipFactory(network=net, organisation=dals_ed)
    MembershipFactory(organisation=dals_ed, via=association)  # another network
    with pytest.raises(ValidationError) as excinfo:
        services.contact_assign(
            actor=actor,
            network=net,
            organisation=dals_ed,
            person=PersonFactory(organisation=association),
            start_date=D(2024, 1, 1),
        )
    assert error_fields(excinfo) == {"person"}


def test_group_contact_is_separate_from_the_network_contact(actor: User, net: Network) -> None:
    boras = organisation("1490")
    group = GroupFactory(network=net)
    network_contact = ContactAssignmentFactory(
        network=net, person=PersonFactory(organisation=boras)
    )
    group_contact = services.contact_assign(
        actor=actor,
        network=net,
        organisation=boras,
        person=PersonFactory(organisation=boras),
        start_date=D(2024, 1, 1),
        group=group,
    )
    network_contact.refresh_from_db()
    assert network_contact.end_date is None
    assert group_contact.group == group


def test_contact_assign_refuses_a_group_of_another_network(actor: User, net: Network) -> None:
    boras = organisation("1490")
    with pytest.raises(ValidationError) as excinfo:
        services.contact_assign(
            actor=actor,
            network=net,
            organisation=boras,
            person=PersonFactory(organisation=boras),
            start_date=D(2024, 1, 1),
            group=GroupFactory(),
        )
    assert error_fields(excinfo) == {"group"}


# group memberships and people -----------------------------------------------------------------


def test_group_membership_add_and_end(actor: User, net: Network) -> None:
    group: Group = GroupFactory(network=net)
    person = PersonFactory()
    group_membership = services.group_membership_add(
        actor=actor, group=group, person=person, start_date=D(2024, 1, 1), role="guest"
    )
    assert group_membership.role == GroupMembership.Role.GUEST
    with pytest.raises(ValidationError) as excinfo:
        services.group_membership_add(
            actor=actor, group=group, person=person, start_date=D(2025, 1, 1)
        )
    assert error_fields(excinfo) == {"person"}

    services.group_membership_end(
        actor=actor, group_membership=group_membership, end_date=D(2024, 12, 31)
    )
    group_membership.refresh_from_db()
    assert group_membership.end_date == D(2024, 12, 31)
    with pytest.raises(ValidationError):
        services.group_membership_end(
            actor=actor, group_membership=group_membership, end_date=D(2025, 1, 1)
        )
    # after the end, the person may take part again
    services.group_membership_add(actor=actor, group=group, person=person, start_date=D(2025, 1, 1))
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "group_membership.added",
        "group_membership.ended",
        "group_membership.added",
    ]


def test_person_create_refuses_an_email_in_use_whatever_its_case(actor: User) -> None:
    PersonFactory(email="anna.ek@boras.se")
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=actor,
            first_name="Anna",
            last_name="Ek",
            email="Anna.Ek@Boras.se",
            organisation=organisation("1490"),
        )
    assert error_fields(excinfo) == {"email"}
    assert Person.objects.count() == 1


def test_person_create_and_update_are_audited(actor: User) -> None:
    person = services.person_create(
        actor=actor, first_name="Anna", last_name="Ek", organisation=organisation("1490")
    )
    services.person_update(actor=actor, person=person, title="Klimatstrateg")
    person.refresh_from_db()
    assert person.title == "Klimatstrateg"
    changed = AuditEntry.objects.get(action="person.changed")
    assert changed.data == {"fields": ["title"]}
    assert AuditEntry.objects.get(action="person.created").object_id == str(person.pk)
