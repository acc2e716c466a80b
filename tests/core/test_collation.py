"""Swedish order on SQLite and on PostgreSQL (run the file with DATABASE_URL for the latter):
… Vårgårda, Vänersborg, Åmål, Ängelholm, Öckerö; é sorts as e (Eda, Émile, Enköping)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from navet.core.collation import by_name, swedish_key, swedish_sorted
from navet.networks.models import Network, Organisation, Person
from navet.reports.selectors import annual_report
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

SWEDISH_ORDER = [
    "Eda",
    "Émile",
    "Enköping",
    "Vara",
    "Vårgårda",
    "Vänersborg",
    "Åmål",
    "Ängelholm",
    "Öckerö",
]
MUNICIPALITIES = {
    "Eda",
    "Enköping",
    "Vara",
    "Vårgårda",
    "Vänersborg",
    "Åmål",
    "Ängelholm",
    "Öckerö",
}


def test_the_sort_key_is_swedish() -> None:
    shuffled = list(reversed(SWEDISH_ORDER))
    assert swedish_sorted(shuffled) == SWEDISH_ORDER
    # Plain Python (code points) gets it wrong: É after every ASCII letter, Å before Ä.
    assert sorted(shuffled) != SWEDISH_ORDER
    # æ sorts as ä, ø as ö, ü as y; case decides only between otherwise equal names.
    assert swedish_sorted(["Øre", "Ære", "Ö", "Ä", "Åre"]) == ["Åre", "Ä", "Ære", "Ö", "Øre"]
    assert swedish_sorted(["Müller", "Myr", "Mz"]) == ["Müller", "Myr", "Mz"]
    assert swedish_sorted(["eda", "Eda", "Éda"]) == ["eda", "Eda", "Éda"]
    assert swedish_key("Dals-Ed") < swedish_key("Dalsland")


@pytest.fixture
def sorted_network(db: None) -> Network:
    network = Network.objects.create(name="Sorteringsnätverket", slug="sortering")
    OrganisationFactory(name="Émile", kind=Organisation.Kind.OTHER)
    for name in reversed(SWEDISH_ORDER):
        org = Organisation.objects.get(name=name)
        MembershipFactory(network=network, organisation=org, start_date=datetime.date(2020, 1, 1))
    return network


def test_the_database_orders_names_the_swedish_way(sorted_network: Network) -> None:
    names = list(
        Organisation.objects.filter(name__in=SWEDISH_ORDER)
        .order_by("name")
        .values_list("name", flat=True)
    )
    assert names == SWEDISH_ORDER, connection.vendor
    for first, last in [
        ("Åsa", "Öberg"),
        ("Émile", "Ek"),
        ("Eva", "Åberg"),
        ("Ärla", "Zetterlund"),
    ]:
        PersonFactory(
            first_name=first, last_name=last, organisation=Organisation.objects.get(name="Eda")
        )
    people = [
        p.full_name
        for p in Person.objects.filter(organisation__name="Eda").order_by("last_name", "first_name")
    ]
    assert people == ["Émile Ek", "Ärla Zetterlund", "Eva Åberg", "Åsa Öberg"]
    # Python and the database agree, on every reference organisation.
    every = list(Organisation.objects.values_list("name", flat=True))
    assert every == swedish_sorted(every)


def test_member_list_page(sorted_network: Network) -> None:
    html = (
        Client().get(reverse("networks:member_list", args=[sorted_network.slug])).content.decode()
    )
    positions = [html.index(f">{name}<") for name in SWEDISH_ORDER]
    assert positions == sorted(positions)


def test_picker(sorted_network: Network, admin_user: object) -> None:
    client = Client()
    client.force_login(admin_user)  # type: ignore[arg-type]
    response = client.get(
        reverse("networks:picker_organisations", args=[sorted_network.slug]), {"q": "e"}
    )
    labels = [row["label"] for row in response.json()["results"]]
    starting = [label for label in labels if label in SWEDISH_ORDER]
    assert starting == ["Eda", "Enköping"]  # names that begin with "e" first
    assert _picked(client, sorted_network, "émile") == ["Émile"]
    labels = _picked(client, sorted_network, "v")
    assert labels.index("Vårgårda") + 1 == labels.index("Vänersborg")
    assert labels == swedish_sorted(labels)
    labels = _picked(client, sorted_network, "ö")
    first = [label for label in labels if label.casefold().startswith("ö")]
    assert first[:2] == ["Öckerö", "Ödeshög"]
    assert labels[: len(first)] == swedish_sorted(first)


def _picked(client: Client, network: Network, q: str) -> list[str]:
    response = client.get(reverse("networks:picker_organisations", args=[network.slug]), {"q": q})
    return [row["label"] for row in response.json()["results"]]


def test_export(sorted_network: Network, admin_user: object) -> None:
    client = Client()
    client.force_login(admin_user)  # type: ignore[arg-type]
    response = client.get(reverse("networks:member_export", args=[sorted_network.slug, "csv"]))
    content = response.content.decode("utf-8-sig")
    delimiter = ";" if content.splitlines()[0].count(";") else ","
    rows = list(csv.reader(io.StringIO(content), delimiter=delimiter))
    assert [row[0] for row in rows[1:]] == SWEDISH_ORDER


def test_annual_reports_member_list(sorted_network: Network) -> None:
    report = annual_report(network=sorted_network, year=2022)
    members = [row.membership.organisation for row in report.members]
    assert [o.name for o in members] == SWEDISH_ORDER
    assert sorted(members, key=by_name) == members
    # The report names members by their official names.
    assert [o.formal_name for o in members][:3] == ["Eda kommun", "Émile", "Enköpings kommun"]


@pytest.fixture
def admin_user(db: None) -> object:
    from tests.factories import UserFactory

    return UserFactory(email="admin-sort@navet.test", is_superuser=True, is_staff=True)


def test_official_names_in_the_report(sorted_network: Network, admin_user: object) -> None:
    boras = Organisation.objects.get(name="Borås")
    MembershipFactory(
        network=sorted_network, organisation=boras, start_date=datetime.date(2020, 1, 1)
    )
    assert boras.official_name == "Borås Stad"
    assert Organisation.objects.get(name="Göteborg").official_name == "Göteborgs Stad"
    assert Organisation.objects.get(name="Dals-Ed").official_name == "Dals-Eds kommun"
    assert Organisation.objects.get(name="Falun").official_name == "Falu kommun"
    assert Organisation.objects.get(scb_code="14").official_name == "Västra Götalandsregionen"
    report = Client()
    report.force_login(admin_user)  # type: ignore[arg-type]
    html = report.get(reverse("reports:annual_report", args=[sorted_network.slug, 2022]))
    assert "Borås Stad" in html.content.decode()
    # Lists use the short name.
    listing = Client().get(reverse("networks:member_list", args=[sorted_network.slug]))
    assert ">Borås<" in listing.content.decode()
    assert "Borås Stad" not in listing.content.decode()
