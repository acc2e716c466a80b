"""The network selectors: who is a member or contact on a day, and in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from navet.accounts.models import User
from navet.networks import services
from navet.networks.models import GroupMembership, Network, Organisation
from navet.networks.selectors import (
    OrganisationIndex,
    contact_turnover,
    members_on,
    membership_list,
    memberships_of_organisation,
    organisation_find,
    people_directory,
)
from tests.factories import (
    ContactAssignmentFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    county_board,
    organisation,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def net() -> Network:
    return NetworkFactory(name="Klimatnätverket", slug="klimat")


# members_on -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "is_member"),
    [
        (D(2022, 2, 28), False),  # before the start
        (D(2022, 3, 1), True),  # the first day
        (D(2023, 6, 30), True),  # the last day is included
        (D(2023, 7, 1), False),  # after the end
    ],
)
def test_members_on_a_day(net: Network, day: datetime.date, is_member: bool) -> None:
    membership = MembershipFactory(network=net, start_date=D(2022, 3, 1), end_date=D(2023, 6, 30))
    MembershipFactory(organisation=organisation("1490"))  # another network
    assert list(members_on(network=net, day=day)) == ([membership] if is_member else [])


def test_members_on_includes_open_ended_memberships_and_orders_by_name(net: Network) -> None:
    boras = MembershipFactory(network=net, organisation=organisation("1490"))
    ale = MembershipFactory(
        network=net, organisation=organisation("1440"), start_date=D(2021, 1, 1)
    )
    MembershipFactory(network=net, organisation=organisation("1441"), start_date=D(2099, 1, 1))
    assert list(members_on(network=net, day=D(2050, 1, 1))) == [ale, boras]


# memberships_of_organisation ------------------------------------------------------------------


def test_memberships_of_organisation_includes_those_it_carries_as_via(net: Network) -> None:
    association = OrganisationFactory(name="Dalslands kommunalförbund")
    other = NetworkFactory(name="Annat nätverk")
    dals_ed = MembershipFactory(network=net, organisation=organisation("1438"), via=association)
    bengtsfors = MembershipFactory(
        network=other, organisation=organisation("1460"), via=association
    )
    own = MembershipFactory(network=net, organisation=association, start_date=D(2019, 1, 1))
    MembershipFactory(network=net, organisation=organisation("1490"))

    assert set(memberships_of_organisation(organisation=association)) == {dals_ed, bengtsfors, own}
    assert list(memberships_of_organisation(organisation=organisation("1438"))) == [dals_ed]


# contact_turnover -----------------------------------------------------------------------------


def _assign(
    actor: User, net: Network, org: Organisation, start: datetime.date, **kwargs: object
) -> None:
    services.contact_assign(
        actor=actor,
        network=net,
        organisation=org,
        person=PersonFactory(organisation=org),
        start_date=start,
        **kwargs,  # type: ignore[arg-type]
    )


def test_contact_turnover_counts_changes_in_the_period_only(net: Network) -> None:
    actor = UserFactory()
    boras, lerum, ale, alingsas = (organisation(c) for c in ("1490", "1441", "1440", "1489"))
    # Borås: a first contact long ago, changed inside the period (on its first day)
    _assign(actor, net, boras, D(2020, 1, 1))
    _assign(actor, net, boras, D(2023, 1, 1))
    # Lerum: its first-ever contact starts in the period: not turnover
    _assign(actor, net, lerum, D(2023, 5, 1))
    # Ale: changed before the period and after it
    _assign(actor, net, ale, D(2020, 1, 1))
    _assign(actor, net, ale, D(2022, 12, 31))
    _assign(actor, net, ale, D(2024, 1, 1))
    # Alingsås: changed twice in the period, the last day included
    _assign(actor, net, alingsas, D(2021, 1, 1))
    _assign(actor, net, alingsas, D(2023, 6, 1))
    _assign(actor, net, alingsas, D(2023, 12, 31))
    # another network's changes do not count
    other = NetworkFactory()
    _assign(actor, other, boras, D(2020, 1, 1))
    _assign(actor, other, boras, D(2023, 3, 1))

    changes = contact_turnover(network=net, start=D(2023, 1, 1), end=D(2023, 12, 31))

    assert [(c.organisation.name, c.current.start_date) for c in changes] == [
        ("Borås", D(2023, 1, 1)),
        ("Alingsås", D(2023, 6, 1)),
        ("Alingsås", D(2023, 12, 31)),
    ]
    first, second, third = changes
    assert first.previous is not None and first.previous.start_date == D(2020, 1, 1)
    assert second.previous is not None and second.previous.start_date == D(2021, 1, 1)
    assert third.previous == second.current
    assert all(c.group is None for c in changes)


def test_contact_turnover_keeps_groups_apart(net: Network) -> None:
    actor = UserFactory()
    boras = organisation("1490")
    group = GroupFactory(network=net)
    _assign(actor, net, boras, D(2020, 1, 1))
    # the first group contact is not a change of the network contact
    _assign(actor, net, boras, D(2023, 2, 1), group=group)
    assert contact_turnover(network=net, start=D(2023, 1, 1), end=D(2023, 12, 31)) == []
    _assign(actor, net, boras, D(2023, 3, 1), group=group)
    changes = contact_turnover(network=net, start=D(2023, 1, 1), end=D(2023, 12, 31))
    assert [(c.group, c.current.start_date) for c in changes] == [(group, D(2023, 3, 1))]


# people_directory -----------------------------------------------------------------------------


def test_people_directory_lists_those_who_take_part_not_whole_member_organisations(
    net: Network,
) -> None:
    """Joining is consented: a member organisation's people are the network's only once they
    take part (a group, a contact assignment, coordination) or the network registered them."""
    boras, dals_ed = organisation("1490"), organisation("1438")
    association = OrganisationFactory(name="Dalslands kommunalförbund")
    group = GroupFactory(network=net, name="Klimat")
    MembershipFactory(network=net, organisation=boras)
    MembershipFactory(network=net, organisation=dals_ed, via=association)

    registered = PersonFactory(organisation=boras, last_name="Andersson", registered_by_network=net)
    contact = PersonFactory(organisation=dals_ed, last_name="Berg")
    ContactAssignmentFactory(network=net, organisation=dals_ed, person=contact)
    participant = PersonFactory(organisation=association, last_name="Carlsson")
    GroupMembershipFactory(group=group, person=participant)
    guest = PersonFactory(organisation=county_board("14"), last_name="Dahl")
    GroupMembershipFactory(group=group, person=guest, role=GroupMembership.Role.GUEST)
    coordinator = PersonFactory(organisation=organisation("14"), last_name="Ek")
    net.coordinators.add(coordinator)
    group_coordinator = PersonFactory(organisation=organisation("1441"), last_name="Falk")
    group.coordinators.add(group_coordinator)

    not_taking_part = PersonFactory(organisation=boras, last_name="Fors")  # member org only
    ended_guest = PersonFactory(organisation=organisation("1480"), last_name="Gran")
    GroupMembershipFactory(
        group=group, person=ended_guest, start_date=D(2020, 1, 1), end_date=D(2023, 12, 31)
    )
    PersonFactory(organisation=organisation("0180"), last_name="Holm")  # no relation
    other_coordinator = PersonFactory(organisation=organisation("1480"), last_name="Ivarsson")
    NetworkFactory().coordinators.add(other_coordinator)

    people = list(people_directory(network=net, day=D(2024, 6, 1)))

    assert people == [registered, contact, participant, guest, coordinator, group_coordinator]
    assert not_taking_part not in people
    by_pk = {p.pk: p for p in people}
    assert [gm.group for gm in by_pk[guest.pk].current_group_memberships] == [group]
    assert by_pk[registered.pk].current_group_memberships == []

    # on a day when the ended guest still took part
    earlier = list(people_directory(network=net, day=D(2023, 6, 1)))
    assert ended_guest in earlier
    assert not_taking_part not in earlier


def test_people_directory_coordinator_who_is_also_a_member_is_listed_once(net: Network) -> None:
    boras = organisation("1490")
    MembershipFactory(network=net, organisation=boras)
    person = PersonFactory(organisation=boras)
    net.coordinators.add(person)
    GroupMembershipFactory(group=GroupFactory(network=net), person=person)
    assert list(people_directory(network=net, day=D(2024, 6, 1))) == [person]


def test_people_directory_search_matches_every_word(net: Network) -> None:
    boras, lerum = organisation("1490"), organisation("1441")
    MembershipFactory(network=net, organisation=boras)
    MembershipFactory(network=net, organisation=lerum)
    anna = PersonFactory(
        organisation=boras,
        first_name="Anna",
        last_name="Ek",
        title="Miljöstrateg",
        registered_by_network=net,
    )
    PersonFactory(
        organisation=lerum,
        first_name="Anna",
        last_name="Berg",
        title="Energirådgivare",
        registered_by_network=net,
    )
    PersonFactory(
        organisation=boras,
        first_name="Bo",
        last_name="Ek",
        title="Kommunekolog",
        registered_by_network=net,
    )

    day = D(2024, 6, 1)
    assert list(people_directory(network=net, day=day, search="anna borås")) == [anna]
    assert list(people_directory(network=net, day=day, search="  MILJOSTRATEG  ")) == []
    assert list(people_directory(network=net, day=day, search="  MILJ  ")) == [anna]
    assert len(people_directory(network=net, day=day, search="anna")) == 2


def test_people_directory_search_ignores_case_of_swedish_letters(net: Network) -> None:
    orebro = organisation("1880")
    MembershipFactory(network=net, organisation=orebro)
    person = PersonFactory(
        organisation=orebro, first_name="Åsa", last_name="Öberg", registered_by_network=net
    )
    day = D(2024, 6, 1)
    assert list(people_directory(network=net, day=day, search="Örebro")) == [person]
    assert list(people_directory(network=net, day=day, search="örebro")) == [person]
    assert list(people_directory(network=net, day=day, search="åsa öberg")) == [person]


# a fixed number of queries, whatever the size ------------------------------------------------

MUNICIPALITIES_IN_VG = ["1440", "1441", "1438", "1460", "1461", "1480", "1489", "1490", "1492"]


def _populate(net: Network, size: int) -> None:
    """``size`` member organisations, each with a person in a group, plus a via and a guest."""
    group = GroupFactory(network=net)
    association = OrganisationFactory()
    codes = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .order_by("scb_code")
        .values_list("scb_code", flat=True)[:size]
    )
    for code in codes:
        org = organisation(code)
        MembershipFactory(network=net, organisation=org, via=association)
        GroupMembershipFactory(group=group, person=PersonFactory(organisation=org))
    GroupMembershipFactory(
        group=group,
        person=PersonFactory(organisation=county_board("14")),
        role=GroupMembership.Role.GUEST,
    )
    net.coordinators.add(PersonFactory(organisation=organisation("14")))


def _directory_queries(net: Network) -> int:
    with CaptureQueriesContext(connection) as captured:
        for person in people_directory(network=net, day=D(2024, 6, 1)):
            _ = person.organisation.name
            _ = [gm.group.name for gm in person.current_group_memberships]
    return len(captured.captured_queries)


def _membership_list_queries(net: Network) -> int:
    with CaptureQueriesContext(connection) as captured:
        for membership in membership_list(network=net):
            _ = membership.organisation.name
            _ = membership.via.name if membership.via else ""
    return len(captured.captured_queries)


@pytest.mark.parametrize("size", [3, 40])
def test_people_directory_query_count_is_capped(
    net: Network, size: int, django_assert_max_num_queries: object
) -> None:
    _populate(net, size)
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        people = list(people_directory(network=net, day=D(2024, 6, 1)))
        for person in people:
            _ = person.organisation.name
            _ = [gm.group.name for gm in person.current_group_memberships]
    assert len(people) == size + 2


@pytest.mark.parametrize("size", [3, 40])
def test_membership_list_query_count_is_capped(
    net: Network, size: int, django_assert_max_num_queries: object
) -> None:
    _populate(net, size)
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        memberships = list(membership_list(network=net))
        names = [(m.organisation.name, m.via.name if m.via else "") for m in memberships]
    assert len(names) == size


def test_query_counts_do_not_depend_on_size() -> None:
    small, large = NetworkFactory(), NetworkFactory()
    _populate(small, 2)
    _populate(large, 30)
    assert _directory_queries(small) == _directory_queries(large)
    assert _membership_list_queries(small) == _membership_list_queries(large)


# OrganisationIndex ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Borås", "Borås"),
        ("Borås Stad", "Borås"),
        ("borås stad", "Borås"),
        ("  Borås  ", "Borås"),
        ("Lerums kommun", "Lerum"),
        ("Lerum", "Lerum"),
        ("Dals Eds kommun", "Dals-Ed"),
        ("Dals-Ed", "Dals-Ed"),
        ("Göteborgs Stad", "Göteborg"),
        ("1490", "Borås"),
        ("180", "Stockholm"),
        ("0180", "Stockholm"),
        ("0000", "Riket"),
        ("14", "Västra Götalandsregionen"),
        ("Västra Götalandsregionen", "Västra Götalandsregionen"),
        ("Länsstyrelsen i Västra Götalands län", "Länsstyrelsen i Västra Götalands län"),
    ],
)
def test_organisation_index_finds(text: str, expected: str) -> None:
    found = OrganisationIndex().find(text)
    assert found is not None
    assert found.name == expected


def test_organisation_index_finds_falu_kommun() -> None:
    found = OrganisationIndex().find("Falu kommun")
    assert found is not None and found.scb_code == "2080"


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Atlantis kommun", "9999", "99"])
def test_organisation_index_unknown_is_none(text: str) -> None:
    assert OrganisationIndex().find(text) is None


def test_organisation_index_is_built_in_one_query(django_assert_num_queries: object) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        index = OrganisationIndex()
        for text in ("Borås", "1441", "Dals Eds kommun", "okänd"):
            index.find(text)


def test_organisation_find() -> None:
    found = organisation_find("Borås Stad")
    assert found is not None and found.scb_code == "1490"
