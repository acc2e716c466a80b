"""The catalogue pages: the filtered list, Agenda 2030 with its indicators, one set."""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navet.indicators.models import Indicator, IndicatorSet, IndicatorSetEntry, SdgGoal

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("indicators:catalogue")
AGENDA = reverse("indicators:agenda2030")


def _codes(response: object) -> list[str]:
    return [indicator.code for indicator in response.context["indicators"]]  # type: ignore[attr-defined]


def _extra_indicators(count: int, *, prefix: str = "TEST") -> None:
    goal = SdgGoal.objects.get(number=11)
    for number in range(count):
        indicator = Indicator.objects.create(
            code=f"{prefix}-{number:03}", title=f"Testindikator {number}", source="own"
        )
        indicator.goals.add(goal)


def test_the_catalogue_lists_the_shipped_indicators_for_anyone(client: Client) -> None:
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    html = response.content.decode()
    n00401 = Indicator.objects.get(code="N00401")
    assert n00401.title in html
    assert f'href="{reverse("indicators:indicator_detail", args=["N00401"])}"' in html
    assert "ton CO2-ekv/inv" in html
    assert _codes(response) == sorted(_codes(response))
    assert reverse("indicators:set_detail", args=["sekom-12"]) in html


def test_search_text_finds_title_code_and_keyword(client: Client) -> None:
    assert _codes(client.get(CATALOGUE, {"q": "matsvinn"})) == [
        "NAVET-MALTIDSSVINN",
        "NAVET-SERVERINGSVINN",
        "NAVET-TALLRIKSSVINN",
    ]
    assert _codes(client.get(CATALOGUE, {"q": "n00401"})) == ["N00401"]
    assert "N85054" in _codes(client.get(CATALOGUE, {"q": "biodiversiteten"}))


def test_filters_by_set_goal_and_dimension(client: Client) -> None:
    in_set = _codes(client.get(CATALOGUE, {"set": "varmlandsstrategin"}))
    assert in_set == ["NAVET-MALTIDSSVINN", "NAVET-SERVERINGSVINN", "NAVET-TALLRIKSSVINN"]
    goal_15 = _codes(client.get(CATALOGUE, {"goal": "15"}))
    assert "N85054" in goal_15 and "N00401" not in goal_15
    assert all(
        15 in Indicator.objects.get(code=code).goals.values_list("number", flat=True)
        for code in goal_15
    )
    social = _codes(client.get(CATALOGUE, {"dimension": "social"}))
    assert social and set(
        Indicator.objects.filter(code__in=social).values_list("dimension", flat=True)
    ) == {"social"}
    both = _codes(client.get(CATALOGUE, {"set": "sekom-12", "goal": "15"}))
    assert both == ["N85054", "NAVET-SEKOM-SKOGSBRUK"]


def test_an_unknown_filter_value_shows_everything_with_the_form_invalid(client: Client) -> None:
    response = client.get(CATALOGUE, {"goal": "99"})
    assert response.status_code == 200
    assert not response.context["form"].is_valid()
    assert len(_codes(response)) == Indicator.objects.count()


def test_the_list_is_paginated_at_50_keeping_the_filter(client: Client) -> None:
    _extra_indicators(60)
    first = client.get(CATALOGUE, {"goal": "11"})
    assert len(_codes(first)) == 50
    total = Indicator.objects.filter(goals__number=11).count()
    html = first.content.decode()
    assert "goal=11&amp;page=2" in html
    second = client.get(CATALOGUE, {"goal": "11", "page": "2"})
    assert len(_codes(second)) == total - 50
    assert not set(_codes(first)) & set(_codes(second))


@pytest.mark.parametrize("extra", [20, 200])
def test_the_catalogue_query_count_does_not_grow_with_size(
    client: Client, extra: int, django_assert_max_num_queries: Callable[..., object]
) -> None:
    _extra_indicators(extra)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = client.get(CATALOGUE)
    assert len(_codes(response)) == 50
    assert response.context["page"].paginator.count == Indicator.objects.count()


def test_agenda2030_lists_17_goals_their_targets_and_linked_indicators(client: Client) -> None:
    response = client.get(AGENDA)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr id="target-') == 169
    for number in range(1, 18):
        assert f'id="goal-{number}"' in html
    assert "Hållbar konsumtion och produktion" in html
    assert "halvera det globala matsvinnet" in html
    meals = reverse("indicators:indicator_detail", args=["NAVET-MALTIDSSVINN"])
    row_123 = html.split('<tr id="target-12.3">')[1].split("</tr>")[0]
    assert meals in row_123


def test_agenda2030_in_english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(AGENDA).content.decode()
    assert "Responsible consumption and production" in html
    assert "halve per capita global food waste" in html
    assert "halvera det globala matsvinnet" not in html


def test_agenda2030_query_count_is_fixed(client: Client) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get(AGENDA)
    _extra_indicators(40)
    for indicator in Indicator.objects.filter(code__startswith="TEST"):
        indicator.targets.add(*SdgGoal.objects.get(number=11).targets.all())
    with CaptureQueriesContext(connection) as many:
        client.get(AGENDA)
    assert len(many) == len(few) <= 6


def test_a_set_shows_its_indicators_in_order_with_areas(client: Client) -> None:
    response = client.get(reverse("indicators:set_detail", args=["sekom-12"]))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [entry.area for entry in entries][:2] == [
        "1. Koldioxidutsläpp",
        "2. Resor med kollektivtrafik",
    ]
    assert len(entries) == 12
    html = response.content.decode()
    assert "Sveriges Ekokommuners gröna nyckeltal" in html
    assert html.index("1. Koldioxidutsläpp") < html.index("12. Miljöcertifierade skolor")
    assert reverse("indicators:indicator_detail", args=["U07409"]) in html


def test_a_network_set_without_areas_names_its_network(client: Client, network: object) -> None:
    indicator_set = IndicatorSet.objects.create(
        slug="vast", name="Västs nyckeltal", kind=IndicatorSet.Kind.NETWORK, network=network
    )
    for position, code in enumerate(["U07801", "N00401"]):
        IndicatorSetEntry.objects.create(
            indicator_set=indicator_set,
            indicator=Indicator.objects.get(code=code),
            position=position,
        )
    response = client.get(reverse("indicators:set_detail", args=["vast"]))
    assert [entry.indicator.code for entry in response.context["entries"]] == ["U07801", "N00401"]
    assert not response.context["has_areas"]
    assert "Hållbart Väst" in response.content.decode()


def test_an_unknown_set_is_404(client: Client) -> None:
    assert client.get(reverse("indicators:set_detail", args=["finns-inte"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"), [("network_coordinator", True), ("member", False), ("anonymous", False)]
)
def test_the_import_links_are_shown_to_those_who_may_import(
    client_for: Callable[[str], Client], role: str, shown: bool
) -> None:
    page = client_for(role).get(CATALOGUE).content.decode()
    assert (reverse("indicators:run_list") in page) is shown
    assert (reverse("indicators:file_import") in page) is shown
