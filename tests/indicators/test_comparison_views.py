"""The comparison pages and their downloads: content, formats, 404s and bounded queries."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from navet.indicators.models import Indicator, IndicatorSet, IndicatorSetEntry, Target
from navet.networks.models import Network, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, county_board, organisation
from tests.indicators.authz_comparison import make_indicator, store

pytestmark = pytest.mark.django_db

BORAS, GOTEBORG, GRUMS, STOCKHOLM = "1490", "1480", "1764", "0180"


@pytest.fixture
def waste() -> Indicator:
    """Food waste, lower is better, with values for every municipality in 2021 and 2022."""
    indicator = make_indicator(
        code="DEMO01",
        title="Måltidssvinn i skolan",
        unit="g/portion",
        is_demo=True,
        description="Svinn per serverad portion.",
    )
    codes = Organisation.objects.filter(kind="municipality").values_list("scb_code", flat=True)
    values: dict[str, dict[int, float | None]] = {
        code: {2021: 40.0 + i % 30, 2022: 30.0 + i % 40} for i, code in enumerate(sorted(codes))
    }
    values[GRUMS] = {2021: 58.0, 2022: 52.25}
    values[BORAS] = {2020: 50.0, 2021: 45.5, 2022: 41.75}
    values["0000"] = {2021: 48.0, 2022: 47.5}
    store(indicator, values)
    return indicator


def sv(text: str) -> str:
    """A UI text as the Swedish page shows it (the English msgid until it is translated)."""
    with translation.override("sv"):
        return translation.gettext(text)


def of_290() -> str:
    """The end of "<rank> of 290" as the Swedish page shows it."""
    return sv("%(rank)s of %(total)s").replace("%(rank)s", "").replace("%(total)s", "290")


def html(response: object) -> str:
    content: bytes = response.content  # type: ignore[attr-defined]
    return content.decode()


class TestIndicatorDetail:
    def test_everything_for_the_latest_year(self, client: Client, waste: Indicator) -> None:
        response = client.get(reverse("indicators:indicator_detail", args=[waste.code]))
        assert response.status_code == 200
        page = html(response)
        assert "Måltidssvinn i skolan" in page and "Svinn per serverad portion." in page
        assert sv("Demo data") in page
        assert 'class="demo-label"' in page
        assert '<option value="2022" selected>' in page
        # Swedish decimal comma, the indicator's one decimal.
        assert "52,3" in page  # Grums 52.25, rounded half up
        assert "41,8" in page  # Borås
        assert "47,5" in page  # Riket, the reference line and the lead
        # The bars: 290 bars and Riket's dashed line.
        assert page.count('stroke-dasharray="6 4"') == 1
        # The map: 290 municipality paths, each with a quartile class and a title.
        map_svg = page[page.index('<svg class="map"') :]
        map_svg = map_svg[: map_svg.index("</svg>")]
        paths = re.findall(
            r'<path d="[^"]+" fill="[^"]+" class="(q[1-4])" data-code="(\d{4})">'
            r"<title>([^<]+)</title>",
            map_svg,
        )
        assert len(paths) == 290
        assert {cls for cls, _code, _title in paths} == {"q1", "q2", "q3", "q4"}
        grums = next(title for _cls, code, title in paths if code == GRUMS)
        assert grums.startswith("Grums: 52,3")
        assert "okfse/sweden-geojson" in page
        # The ranking table, with a link to each municipality's trend.
        boras = organisation(BORAS)
        assert reverse("indicators:organisation_indicator", args=[boras.pk, waste.code]) in page
        assert page.count("<tr>") >= 291
        assert reverse("indicators:ranking_download", args=[waste.code, 2022, "xlsx"]) in page

    def test_an_earlier_year(self, client: Client, waste: Indicator) -> None:
        page = html(
            client.get(reverse("indicators:indicator_detail", args=[waste.code]), {"year": 2021})
        )
        assert '<option value="2021" selected>' in page
        assert "58,0" in page  # Grums 2021

    def test_a_year_without_values_falls_back_to_the_latest(
        self, client: Client, waste: Indicator
    ) -> None:
        for year in ("1999", "abc"):
            page = html(
                client.get(
                    reverse("indicators:indicator_detail", args=[waste.code]), {"year": year}
                )
            )
            assert '<option value="2022" selected>' in page

    def test_no_values_yet(self, client: Client) -> None:
        indicator = make_indicator(code="NOVAL")
        response = client.get(reverse("indicators:indicator_detail", args=[indicator.code]))
        assert response.status_code == 200
        assert sv("There are no values for this indicator yet.") in html(response)

    def test_unknown_code(self, client: Client) -> None:
        response = client.get(reverse("indicators:indicator_detail", args=["NOPE"]))
        assert response.status_code == 404

    def test_english_page_uses_a_decimal_point(self, client: Client, waste: Indicator) -> None:
        client.cookies["django_language"] = "en"
        page = html(client.get(reverse("indicators:indicator_detail", args=[waste.code])))
        assert "41.8" in page and "41,8" not in page

    def test_no_direction_is_said(self, client: Client) -> None:
        indicator = make_indicator(code="NODIR", direction=Indicator.Direction.NONE)
        store(indicator, {BORAS: {2022: 1.0}, GOTEBORG: {2022: 2.0}})
        page = html(client.get(reverse("indicators:indicator_detail", args=[indicator.code])))
        assert sv("highest quarter").capitalize() in page
        assert sv("best quarter").capitalize() not in page

    def test_queries_do_not_grow_with_municipalities(
        self, client: Client, waste: Indicator, django_assert_max_num_queries: object
    ) -> None:
        with django_assert_max_num_queries(8):  # type: ignore[operator]
            client.get(reverse("indicators:indicator_detail", args=[waste.code]))


class TestRankingDownload:
    def test_xlsx(self, client: Client, waste: Indicator) -> None:
        response = client.get(
            reverse("indicators:ranking_download", args=[waste.code, 2022, "xlsx"])
        )
        assert response.status_code == 200
        assert "rangordning-DEMO01-2022.xlsx" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == (sv("Rank"), sv("Of"), sv("Municipality"))
        assert len(rows) == 291
        grums = next(row for row in rows if row[2] == "Grums")
        assert grums[3] == GRUMS and grums[4] == "Värmlands län"
        assert grums[5] == 52.25  # a number, not text
        assert isinstance(grums[0], int) and grums[1] == 290
        assert rows[1][0] == 1

    def test_csv_for_swedish_excel(self, client: Client, waste: Indicator) -> None:
        response = client.get(
            reverse("indicators:ranking_download", args=[waste.code, 2022, "csv"])
        )
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        grums = next(row for row in rows if row[2] == "Grums")
        assert grums[5] == "52,25"
        assert len(rows) == 291

    def test_unknown_format_and_code(self, client: Client, waste: Indicator) -> None:
        assert client.get(f"/indicators/{waste.code}/2022/ranking.pdf").status_code == 404
        assert client.get("/indicators/NOPE/2022/ranking.csv").status_code == 404


@pytest.fixture
def network_set(network: Network, waste: Indicator) -> IndicatorSet:
    """The network's own set: the waste indicator and one without values; Borås (a member
    since the ``roles`` fixture) and Grums are members."""
    MembershipFactory(network=network, organisation=organisation(GRUMS))
    MembershipFactory(network=network, organisation=organisation(BORAS))
    indicator_set = IndicatorSet.objects.create(
        name="Hållbart Västs nyckeltal", slug="hv", kind="network", network=network
    )
    empty = make_indicator(code="EMPTY1", title="Inga värden än")
    IndicatorSetEntry.objects.create(indicator_set=indicator_set, indicator=waste, position=1)
    IndicatorSetEntry.objects.create(indicator_set=indicator_set, indicator=empty, position=2)
    return indicator_set


class TestOrganisationIndicators:
    def test_comparison_table(self, client: Client, network_set: IndicatorSet) -> None:
        grums = organisation(GRUMS)
        Target.objects.create(
            organisation=grums,
            indicator=Indicator.objects.get(code="DEMO01"),
            baseline_year=2021,
            target_year=2030,
            target_value=30.0,
        )
        response = client.get(reverse("indicators:organisation_indicators", args=[grums.pk]))
        assert response.status_code == 200
        page = html(response)
        assert "Hållbart Västs nyckeltal" in page  # the network's set is the default
        assert "Riket" in page and "Värmlands län" in page
        assert "52,3" in page  # Grums 2022
        assert "47,5" in page  # Riket 2022
        assert sv("%(network)s (mean)") % {"network": "Hållbart Väst"} in page
        assert sv("municipality groups not synced from Kolada yet") in page
        # 58 → 52.25 in a year against 30 by 2030: -9.9 % a year where -6.3 % is needed.
        assert sv("Substantial progress") in page
        assert "Inga värden än" in page
        trend = reverse("indicators:organisation_indicator", args=[grums.pk, "DEMO01"])
        assert f"{trend}?network=hallbart-vast" in page
        assert of_290() in page

    def test_chosen_set_and_network(self, client: Client, network_set: IndicatorSet) -> None:
        url = reverse("indicators:organisation_indicators", args=[organisation(STOCKHOLM).pk])
        page = html(client.get(url, {"set": "hv", "network": "hallbart-vast"}))
        assert "Stockholms län" in page
        assert sv("%(network)s (mean)") % {"network": "Hållbart Väst"} in page
        assert client.get(url, {"set": "nope"}).status_code == 404
        assert client.get(url, {"network": "nope"}).status_code == 404

    def test_fallback_to_indicators_with_values(self, client: Client, waste: Indicator) -> None:
        IndicatorSet.objects.all().delete()
        page = html(
            client.get(reverse("indicators:organisation_indicators", args=[organisation(GRUMS).pk]))
        )
        assert "Måltidssvinn i skolan" in page
        assert sv("Indicators with values") in page

    def test_region_and_riket(self, client: Client, network_set: IndicatorSet) -> None:
        for code in ("17", "0000"):
            response = client.get(
                reverse("indicators:organisation_indicators", args=[organisation(code).pk]),
                {"set": "hv"},
            )
            assert response.status_code == 200
            assert sv("Quarter (relative to all municipalities)") not in html(response)

    def test_only_municipalities_regions_and_riket(self, client: Client) -> None:
        for other in (county_board("14"), OrganisationFactory()):
            for name, args in (
                ("indicators:organisation_indicators", [other.pk]),
                ("indicators:organisation_indicators_download", [other.pk, "csv"]),
                ("indicators:organisation_indicator", [other.pk, "X"]),
                ("indicators:trend_download", [other.pk, "X", "csv"]),
            ):
                assert client.get(reverse(name, args=args)).status_code == 404

    def test_queries_do_not_grow_with_indicators(
        self, client: Client, network_set: IndicatorSet, django_assert_max_num_queries: object
    ) -> None:
        url = reverse("indicators:organisation_indicators", args=[organisation(GRUMS).pk])
        for i in range(15):
            indicator = make_indicator(code=f"MORE{i:02}")
            store(indicator, {GRUMS: {2022: float(i)}, BORAS: {2022: 1.0}, "0000": {2022: 2.0}})
            IndicatorSetEntry.objects.create(
                indicator_set=network_set, indicator=indicator, position=10 + i
            )
        with django_assert_max_num_queries(8):  # type: ignore[operator]
            response = client.get(url)
        assert "Indikator MORE14" in html(response)

    def test_downloads(self, client: Client, network_set: IndicatorSet) -> None:
        grums = organisation(GRUMS)
        url = reverse("indicators:organisation_indicators_download", args=[grums.pk, "xlsx"])
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert header[:6] == (sv("Code"), sv("Indicator"), sv("Unit"), sv("Year"), "Grums", "Riket")
        assert header[6] == "Värmlands län"
        assert header[9] == sv("%(network)s (mean)") % {"network": "Hållbart Väst"}
        waste_row = next(row for row in rows if row[0] == "DEMO01")
        assert waste_row[3] == 2022 and waste_row[4] == 52.25 and waste_row[5] == 47.5
        assert waste_row[11] == 290
        csv_response = client.get(
            reverse("indicators:organisation_indicators_download", args=[grums.pk, "csv"])
        )
        rows_csv = list(csv.reader(io.StringIO(csv_response.content.decode()[1:]), delimiter=";"))
        assert next(row for row in rows_csv if row[0] == "DEMO01")[4] == "52,25"
        assert (
            client.get(
                reverse("indicators:organisation_indicators_download", args=[grums.pk, "json"])
            ).status_code
            == 404
        )


class TestOrganisationIndicator:
    def test_trend_table_and_ranks(self, client: Client, network_set: IndicatorSet) -> None:
        boras = organisation(BORAS)
        response = client.get(
            reverse("indicators:organisation_indicator", args=[boras.pk, "DEMO01"])
        )
        assert response.status_code == 200
        page = html(response)
        assert '<svg class="chart"' in page
        assert 'stroke-dasharray="7 5"' in page  # Riket, the reference line
        for year in ("2020", "2021", "2022"):
            assert f'<th scope="row">{year}</th>' in page
        assert "45,5" in page and "48,0" in page  # Borås and Riket 2021
        assert "Västra Götalands län" in page
        assert sv("%(network)s (mean of members)") % {"network": "Hållbart Väst"} in page
        assert sv("Median of all municipalities") in page
        assert of_290() in page  # the rank history
        assert reverse("indicators:trend_download", args=[boras.pk, "DEMO01", "xlsx"]) in page

    def test_riket_has_no_reference_line_to_itself(self, client: Client, waste: Indicator) -> None:
        riket = organisation("0000")
        page = html(
            client.get(reverse("indicators:organisation_indicator", args=[riket.pk, waste.code]))
        )
        assert 'stroke-dasharray="7 5"' not in page
        assert "47,5" in page

    def test_unknown_indicator(self, client: Client) -> None:
        url = reverse("indicators:organisation_indicator", args=[organisation(BORAS).pk, "NOPE"])
        assert client.get(url).status_code == 404

    def test_download(self, client: Client, network_set: IndicatorSet) -> None:
        boras = organisation(BORAS)
        response = client.get(
            reverse("indicators:trend_download", args=[boras.pk, "DEMO01", "xlsx"])
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert header[:4] == (sv("Year"), "Borås", "Riket", "Västra Götalands län")
        by_year = {row[0]: row for row in rows[1:]}
        assert by_year[2021][1] == 45.5 and by_year[2021][2] == 48.0
        assert by_year[2020][2] is None  # Riket has no 2020 value
        assert sv("municipality groups not synced from Kolada yet") in (by_year[2021][-1] or "")
        rank_column = header.index(sv("Rank"))
        assert by_year[2022][rank_column + 1] == 290
        assert (
            client.get(
                reverse("indicators:trend_download", args=[boras.pk, "DEMO01", "pdf"])
            ).status_code
            == 404
        )


class TestNetworkIndicators:
    def test_members_ranked(self, client: Client, network_set: IndicatorSet) -> None:
        response = client.get(reverse("indicators:network_indicators", args=["hallbart-vast"]))
        assert response.status_code == 200
        page = html(response)
        assert '<option value="DEMO01" selected>' in page
        # Borås (41.75) before Grums (52.25): lower is better.
        assert page.index(">Borås</a>") < page.index(">Grums</a>")
        assert "41,8" in page and "47,5" in page
        assert of_290() in page
        assert '<svg class="chart"' in page

    def test_chosen_indicator_and_year(self, client: Client, network_set: IndicatorSet) -> None:
        url = reverse("indicators:network_indicators", args=["hallbart-vast"])
        page = html(client.get(url, {"indicator": "DEMO01", "year": 2021}))
        assert "58,0" in page and '<option value="2021" selected>' in page
        page = html(client.get(url, {"indicator": "EMPTY1"}))
        assert sv("There are no values for this indicator yet.") in page
        assert client.get(url, {"indicator": "NOPE"}).status_code == 404
        assert client.get("/networks/nope/indicators/").status_code == 404

    def test_members_without_value(self, client: Client, network_set: IndicatorSet) -> None:
        network = Network.objects.get(slug="hallbart-vast")
        MembershipFactory(network=network, organisation=organisation("1764"))  # again: no-op
        page = html(
            client.get(
                reverse("indicators:network_indicators", args=[network.slug]), {"year": 2020}
            )
        )
        # In 2020 only Borås has a value; Grums is listed without.
        assert "Grums" in page and sv("Members without a value this year:") in page
