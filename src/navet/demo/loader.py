"""Demo data: two real networks of Swedish municipalities, with fictional people.

Networks, members, groups and dates come from two public reports (see ``data/README.md``).
Every person is invented: names are drawn from the lists below with a fixed seed, so each load
gives the same people. The surnames were chosen so that none occurs in the source reports,
which name real officials who must not reappear here.

Networks, members, people and contacts are written through the network services (as the
system, ``actor=None``), so they obey the same rules as real use and leave an audit trail. The
2022 meetings, evaluations and survey (``year2022.py``) are historical records written directly.
"""

import datetime
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from navet.accounts.models import User
from navet.demo.budget import load_demo_budget
from navet.demo.documents import load_demo_documents
from navet.demo.fees import load_demo_fees
from navet.demo.hours import load_demo_hours
from navet.demo.indicators import load_demo_indicators
from navet.demo.live import load_live
from navet.demo.year2022 import load_year_2022
from navet.networks import services
from navet.networks.models import (
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)
from navet.networks.selectors import OrganisationIndex
from navet.search.indexing import rebuild as rebuild_search_index

DATA_DIR = Path(__file__).resolve().parent / "data"
KOMMUNNATVERKET_FILE = DATA_DIR / "kommunnatverket-2022.json"
UTHALLIG_KOMMUN_FILE = DATA_DIR / "uthallig-kommun.json"

DEMO_PASSWORD = "navet-demo"  # noqa: S105 -- the published password of the demo logins
ADMIN_EMAIL = "admin@navet.example"
COORDINATOR_EMAIL = "samordnare@navet.example"
GROUP_COORDINATOR_EMAIL = "grupp@navet.example"
MEMBER_EMAIL = "medlem@navet.example"
PARTNER_EMAIL = "partner@navet.example"
DEMO_LOGINS: list[tuple[str, str]] = [
    (ADMIN_EMAIL, "Plattformsadministratör (ingen person kopplad)"),
    (
        COORDINATOR_EMAIL,
        "Nätverkssamordnare för Kommunnätverket för hållbar utveckling (Energikontor Väst)",
    ),
    (GROUP_COORDINATOR_EMAIL, "Gruppsamordnare för Naturvårdsgruppen (kommunekolog i Lerum)"),
    (MEMBER_EMAIL, "Medlem (miljöstrateg i Borås)"),
    (
        PARTNER_EMAIL,
        "Partner (gäst i Naturvårdsgruppen, Länsstyrelsen i Västra Götalands län)",
    ),
]

SEED = 2022
FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Lena", "Kerstin", "Elin", "Johanna",
    "Ida", "Linnea", "Malin", "Camilla", "Hanna", "Frida", "Sofia", "Jenny", "Cecilia", "Ulrika",
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Peter", "Fredrik", "Daniel",
    "Jonas", "Magnus", "Henrik", "Mats", "Niklas", "Oskar", "Gustav", "Viktor", "Stefan", "Patrik",
)  # fmt: skip
# None of these surnames occurs in the source reports, so no demo person can share a name
# with a real person named there.
LAST_NAMES = (
    "Eriksson", "Svensson", "Jonsson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
    "Magnusson", "Olofsson", "Lindström", "Bergström", "Lundgren", "Lundqvist", "Berglund",
    "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson",
    "Lundin", "Håkansson", "Björk", "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Fransson",
    "Bergqvist", "Nyström", "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson",
    "Mårtensson", "Viklund", "Björklund",
)  # fmt: skip

# Kommunnätverket för hållbar utveckling (Energikontor Väst), from the 2022 annual report.
KOMMUNNATVERKET_SLUG = "kommunnatverket"
ENERGIKONTOR_VAST = "Energikontor Väst"
DALSLAND_ASSOCIATION = "Dalslands miljö- och energiförbund"
VASTRA_GOTALAND = "14"
MEMBER_SINCE = datetime.date(2009, 1, 1)
AUTUMN_2022_NOTE = "Anslöt hösten 2022 (exakt datum saknas i källan)"
# Members that did not join on MEMBER_SINCE, by reference name: (start, note).
LATER_MEMBERS: dict[str, tuple[datetime.date, str]] = {
    # FSEK's cluster report: Lerum joined the network during the project, 2009–2011.
    "Lerum": (
        datetime.date(2010, 1, 1),
        "Anslöt under 2009–2011 (exakt datum saknas i källan)",
    ),
    "Partille": (datetime.date(2022, 9, 1), AUTUMN_2022_NOTE),
    "Bollebygd": (datetime.date(2022, 10, 1), AUTUMN_2022_NOTE),
}
# The people (and their group participation) go back to 2019, not to the network's start.
PEOPLE_SINCE = datetime.date(2019, 1, 1)
ECOLOGIST_SHARE = 0.75
# Fictional: which members have a Fairtrade coordinator (the Dalsland association has one too).
FAIRTRADE_MEMBERS = frozenset(
    {
        "Alingsås", "Borås", "Göteborg", "Kungälv", "Lerum", "Lidköping", "Mölndal", "Skövde",
        "Trollhättan", "Uddevalla", "Vänersborg",
    }
)  # fmt: skip
# Fictional: members whose contact person was replaced, and on which day.
CONTACT_CHANGES: dict[str, datetime.date] = {
    "Ale": datetime.date(2022, 3, 1),
    "Falköping": datetime.date(2022, 8, 15),
    "Kungälv": datetime.date(2022, 11, 1),
    "Mark": datetime.date(2023, 1, 9),
    "Tanum": datetime.date(2023, 4, 1),
    "Vara": datetime.date(2023, 9, 1),
}
MEMBER_LOGIN_AT = "Borås"
GROUP_COORDINATOR_AT = "Lerum"

# Uthållig kommun – klustersamordning (FSEK), from FSEK's final report.
FSEK = "FSEK – Föreningen Sveriges Energikontor"

ONE_DAY = datetime.timedelta(days=1)


class DemoDataError(Exception):
    """The demo data do not fit the database, e.g. a name that finds no organisation."""


@transaction.atomic
def load_demo() -> bool:
    """Load both demo networks, their people and the demo logins, all or nothing.

    Returns False, and changes nothing, if the demo data are already there.
    """
    source_text = KOMMUNNATVERKET_FILE.read_text(encoding="utf-8")
    kommunnatverket: dict[str, Any] = json.loads(source_text)
    uthallig = _read_json(UTHALLIG_KOMMUN_FILE)
    slugs = [KOMMUNNATVERKET_SLUG, uthallig["network"]["slug"]]
    if Network.objects.filter(slug__in=slugs).exists():
        # A database loaded before the indicators (or fees, hours, budgets) existed gets them
        # now; each loader is idempotent.
        load_demo_indicators()
        _load_demo_finance()
        load_demo_documents()
        return False
    taken = [email for email, _role in DEMO_LOGINS if User.objects.filter(email=email).exists()]
    if taken:
        raise DemoDataError(f"Demo logins already exist: {', '.join(taken)}")

    demo = _Demo(index=OrganisationIndex(), people=_People(random.Random(SEED), source_text))
    _load_kommunnatverket(demo, kommunnatverket)
    _load_uthallig_kommun(demo, uthallig)
    _create_logins(demo)
    # The network's year 2022 (meetings, participants, evaluations, survey, quotes, plan).
    load_year_2022(Network.objects.get(slug=KOMMUNNATVERKET_SLUG), kommunnatverket)
    # The last weeks and the coming three months, relative to today (live.py).
    load_live(Network.objects.get(slug=KOMMUNNATVERKET_SLUG))
    load_demo_indicators()
    _load_demo_finance()
    load_demo_documents()
    # Rows made with bulk_create send no signals: index everything loaded once, at the end.
    rebuild_search_index()
    return True


def _load_demo_finance() -> None:
    """Fees, coordinator hours and budgets with status reports (which read the first two)."""
    load_demo_fees()
    load_demo_hours()
    load_demo_budget()


@dataclass
class _Demo:
    index: OrganisationIndex
    people: "_People"
    logins: dict[str, Person] = field(default_factory=dict)

    def municipality(self, name: str) -> Organisation:
        organisation = self.index.find(name)
        if organisation is None or organisation.kind != Organisation.Kind.MUNICIPALITY:
            raise DemoDataError(f"No municipality is called {name!r}.")
        return organisation


class _People:
    """Invents people: a name not used before and a unique ``first.last@organisation.example``."""

    def __init__(self, rng: random.Random, real_names_in: str) -> None:
        self.rng = rng
        # A safeguard on top of the surname lists: never a name that the source text mentions.
        self.real_names_in = real_names_in
        self.names: set[str] = set()
        self.emails = {
            email.lower()
            for email in Person.objects.exclude(email="").values_list("email", flat=True)
        }

    def create(
        self, organisation: Organisation, role_category: str, title: str, email: str = ""
    ) -> Person:
        first_name, last_name = self._name()
        email = email or self._email(first_name, last_name, organisation)
        self.emails.add(email.lower())
        return services.person_create(
            actor=None,
            first_name=first_name,
            last_name=last_name,
            email=email,
            title=title,
            role_category=role_category,
            organisation=organisation,
        )

    def _name(self) -> tuple[str, str]:
        while True:
            first_name = self.rng.choice(FIRST_NAMES)
            last_name = self.rng.choice(LAST_NAMES)
            full_name = f"{first_name} {last_name}"
            if full_name not in self.names and full_name not in self.real_names_in:
                self.names.add(full_name)
                return first_name, last_name

    def _email(self, first_name: str, last_name: str, organisation: Organisation) -> str:
        local = f"{_ascii(first_name)}.{_ascii(last_name)}"
        domain = f"{_ascii(organisation.name)}.example"
        email, number = f"{local}@{domain}", 2
        while email in self.emails:
            email, number = f"{local}{number}@{domain}", number + 1
        return email


def _ascii(text: str) -> str:
    """'Borås Stad' -> 'boras-stad': å, ä -> a, ö -> o, é -> e, spaces -> hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return slugify(folded)


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _other_organisation(name: str, kind: str, county_code: str = "") -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name=name, kind=kind, defaults={"county_code": county_code}
    )
    return organisation


def _join(
    group: Group,
    person: Person,
    start_date: datetime.date,
    role: str = GroupMembership.Role.PARTICIPANT,
) -> GroupMembership:
    return services.group_membership_add(
        actor=None, group=group, person=person, start_date=start_date, role=role
    )


def _load_kommunnatverket(demo: _Demo, data: dict[str, Any]) -> None:
    about = data["network"]
    energikontor = _other_organisation(
        about["coordinator_organisation"], "company", VASTRA_GOTALAND
    )
    dalsland = _other_organisation(DALSLAND_ASSOCIATION, "association", VASTRA_GOTALAND)
    goals = "\n".join(f"- {goal}" for goal in about["goals"])
    network = Network.objects.create(
        name=about["name"],
        slug=KOMMUNNATVERKET_SLUG,
        purpose=f"{about['purpose']}\n\nFöljande mål har styrt verksamheten under 2022:\n\n{goals}",
        # The opening sentence of the 2022 annual report (seeds/000).
        description=(
            "Kommunnätverket för hållbar utveckling ger samverkan, erfarenhetsutbyte och driv till "
            "kommunernas arbete inom hållbar utveckling, med fokus på Agenda 2030, Klimat 2030 "
            "och Utmaningar för ett hållbart Västra Götaland."
        ),
        coordinating_organisation=energikontor,
    )
    groups = {
        row["key"]: Group.objects.create(
            network=network,
            name=row["name"],
            slug=row["key"],
            kind=Group.Kind.FOCUS_GROUP,
            description=row["description"],
        )
        for row in data["groups"]
    }
    strategy, nature, fair_trade = (
        groups["miljostrategi"],
        groups["naturvard"],
        groups["rattvis-handel"],
    )

    # Energikontor Väst coordinates the network; each coordinator also runs one group.
    people = demo.people
    coordinators = [
        people.create(
            energikontor,
            Person.RoleCategory.COORDINATOR,
            "Projektledare, Kommunnätverket för hållbar utveckling",
            email=COORDINATOR_EMAIL,
        ),
        people.create(energikontor, Person.RoleCategory.COORDINATOR, "Samordnare, naturvård"),
        people.create(energikontor, Person.RoleCategory.COORDINATOR, "Samordnare, rättvis handel"),
    ]
    network.coordinators.add(*coordinators)
    for group, coordinator in zip(groups.values(), coordinators, strict=True):
        group.coordinators.add(coordinator)
    demo.logins[COORDINATOR_EMAIL] = coordinators[0]

    # Members, in the report's order; the Dalsland four take part through their association.
    members: list[tuple[Organisation, Membership]] = []
    for row in data["municipalities"]:
        organisation = demo.municipality(row["name"])
        start_date, note = LATER_MEMBERS.get(organisation.name, (MEMBER_SINCE, ""))
        if row["joined_2022"] and start_date.year != 2022:
            raise DemoDataError(f"{organisation.name} joined in 2022 but has no 2022 start date.")
        via = None
        if row["via"] is not None:
            if row["via"] != dalsland.name:
                raise DemoDataError(f"Unexpected 'via' organisation {row['via']!r}.")
            via = dalsland
        membership = services.membership_add(
            actor=None,
            network=network,
            organisation=organisation,
            start_date=start_date,
            via=via,
            note=note,
        )
        members.append((organisation, membership))
    member_names = {organisation.name for organisation, _membership in members}
    named = set(LATER_MEMBERS) | FAIRTRADE_MEMBERS | set(CONTACT_CHANGES)
    named |= {MEMBER_LOGIN_AT, GROUP_COORDINATOR_AT}
    if named - member_names:
        raise DemoDataError(
            f"Not members of the network: {', '.join(sorted(named - member_names))}"
        )

    # One strategist of the association is the network contact for all four Dalsland members.
    dalsland_strategist = people.create(
        dalsland, Person.RoleCategory.ENVIRONMENTAL_STRATEGIST, "Miljöstrateg"
    )
    _join(strategy, dalsland_strategist, PEOPLE_SINCE)
    _join(
        fair_trade,
        people.create(dalsland, Person.RoleCategory.FAIRTRADE_COORDINATOR, "Fairtrade-samordnare"),
        PEOPLE_SINCE,
    )

    for organisation, membership in members:
        since = max(membership.start_date, PEOPLE_SINCE)
        if membership.via_id is not None:
            services.contact_assign(
                actor=None,
                network=network,
                organisation=organisation,
                person=dalsland_strategist,
                start_date=since,
            )
        else:
            _municipal_strategist(demo, network, strategy, organisation, since)
        if organisation.name == GROUP_COORDINATOR_AT or people.rng.random() < ECOLOGIST_SHARE:
            login = GROUP_COORDINATOR_EMAIL if organisation.name == GROUP_COORDINATOR_AT else ""
            ecologist = people.create(
                organisation, Person.RoleCategory.ECOLOGIST, "Kommunekolog", email=login
            )
            _join(nature, ecologist, since)
            if login:
                nature.coordinators.add(ecologist)
                demo.logins[login] = ecologist
        if organisation.name in FAIRTRADE_MEMBERS:
            fair_trade_coordinator = people.create(
                organisation, Person.RoleCategory.FAIRTRADE_COORDINATOR, "Fairtrade-samordnare"
            )
            _join(fair_trade, fair_trade_coordinator, since)

    # Partners from outside the network take part in a group as guests.
    county_board = Organisation.objects.get(
        kind=Organisation.Kind.COUNTY_BOARD, county_code=VASTRA_GOTALAND
    )
    region = Organisation.objects.get(kind=Organisation.Kind.REGION, county_code=VASTRA_GOTALAND)
    county_guest = people.create(
        county_board, Person.RoleCategory.OTHER, "Handläggare, naturvård", email=PARTNER_EMAIL
    )
    _join(nature, county_guest, PEOPLE_SINCE, role=GroupMembership.Role.GUEST)
    demo.logins[PARTNER_EMAIL] = county_guest
    region_guest = people.create(
        region, Person.RoleCategory.SUSTAINABILITY_STRATEGIST, "Hållbarhetsstrateg"
    )
    _join(strategy, region_guest, PEOPLE_SINCE, role=GroupMembership.Role.GUEST)


def _municipal_strategist(
    demo: _Demo,
    network: Network,
    strategy: Group,
    organisation: Organisation,
    since: datetime.date,
) -> None:
    """The municipality's environmental strategist, who is its contact person in the network.

    Where the contact changed, the predecessor was contact (and in the group) from ``since``
    until the day before the successor took over.
    """
    people = demo.people
    change = CONTACT_CHANGES.get(organisation.name)
    if change is not None:
        predecessor = people.create(
            organisation, Person.RoleCategory.ENVIRONMENTAL_STRATEGIST, "Miljöstrateg"
        )
        participation = _join(strategy, predecessor, since)
        services.contact_assign(
            actor=None,
            network=network,
            organisation=organisation,
            person=predecessor,
            start_date=since,
        )
        services.group_membership_end(
            actor=None, group_membership=participation, end_date=change - ONE_DAY
        )
        since = change
    login = MEMBER_EMAIL if organisation.name == MEMBER_LOGIN_AT else ""
    strategist = people.create(
        organisation, Person.RoleCategory.ENVIRONMENTAL_STRATEGIST, "Miljöstrateg", email=login
    )
    _join(strategy, strategist, since)
    services.contact_assign(
        actor=None, network=network, organisation=organisation, person=strategist, start_date=since
    )
    if login:
        demo.logins[login] = strategist


def _load_uthallig_kommun(demo: _Demo, data: dict[str, Any]) -> None:
    """FSEK's cluster coordination, 2009 – mid-2011: ended memberships, one contact per cluster."""
    about = data["network"]
    start, end = _day(about["start_date"]), _day(about["end_date"])
    fsek = _other_organisation(about["coordinating_organisation"], "association")
    network = Network.objects.create(
        name=about["name"],
        slug=about["slug"],
        description=about["description"],
        purpose=about["purpose"],
        coordinating_organisation=fsek,
    )
    network.coordinators.add(
        demo.people.create(
            fsek, Person.RoleCategory.COORDINATOR, "Projektsamordnare, Uthållig kommun"
        )
    )

    clusters: list[tuple[Group, datetime.date, list[Organisation]]] = []
    for row in data["clusters"]:
        cluster_start = _day(row["start_date"])
        organisations = [demo.municipality(name) for name in row["municipalities"]]
        description = (
            f"Kommuner: {', '.join(row['municipalities'])}. "
            f"Klustersamordnaren kom från {row['energy_agency']}."
        )
        if cluster_start != start:
            description += (
                f" Klustret ingick i FSEK:s samordning från {_swedish_date(cluster_start)}."
            )
        group = Group.objects.create(
            network=network,
            name=row["name"],
            slug=row["slug"],
            kind=Group.Kind.CLUSTER,
            description=description,
        )
        clusters.append((group, cluster_start, organisations))

    # A municipality is a member from the start of its first cluster (Storstad came later).
    member_since: dict[int, tuple[Organisation, datetime.date]] = {}
    for _group, cluster_start, organisations in clusters:
        for organisation in organisations:
            known = member_since.get(organisation.pk)
            if known is None or cluster_start < known[1]:
                member_since[organisation.pk] = (organisation, cluster_start)
    memberships = [
        services.membership_add(
            actor=None, network=network, organisation=organisation, start_date=since
        )
        for organisation, since in member_since.values()
    ]

    # Each municipality's contact person, the same one in each of its clusters.
    contacts: dict[int, Person] = {}
    participations: list[GroupMembership] = []
    for group, cluster_start, organisations in clusters:
        for organisation in organisations:
            if organisation.pk not in contacts:
                contacts[organisation.pk] = demo.people.create(
                    organisation, Person.RoleCategory.ENERGY_ADVISOR, "Energi- och klimatstrateg"
                )
            person = contacts[organisation.pk]
            participations.append(_join(group, person, cluster_start))
            services.contact_assign(
                actor=None,
                network=network,
                organisation=organisation,
                person=person,
                start_date=cluster_start,
                group=group,
            )

    # The programme period ended on 30 June 2011; ending a membership ends its contacts.
    for membership in memberships:
        services.membership_end(actor=None, membership=membership, end_date=end)
    for participation in participations:
        services.group_membership_end(actor=None, group_membership=participation, end_date=end)


def _create_logins(demo: _Demo) -> None:
    User.objects.create_superuser(email=ADMIN_EMAIL, password=DEMO_PASSWORD)
    for email, _role in DEMO_LOGINS:
        if email == ADMIN_EMAIL:
            continue
        person = demo.logins[email]
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=person.first_name,
            last_name=person.last_name,
        )
        services.person_update(actor=None, person=person, user=user)


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


SWEDISH_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def _swedish_date(day: datetime.date) -> str:
    return f"den {day.day} {SWEDISH_MONTHS[day.month - 1]} {day.year}"
