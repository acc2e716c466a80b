"""The follow-up table (seeds/002, the Grums example): the selector, the page, PDF and XLSX."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from navet.indicators.followup import FollowUpRow, followup_rows, format_number
from navet.indicators.followup_export import xlsx_header
from navet.indicators.models import (
    ImportRun,
    Indicator,
    IndicatorSet,
    IndicatorSetEntry,
    SdgGoal,
    SdgTarget,
    Target,
)
from navet.indicators.progress import Status
from navet.indicators.runs import create_run
from navet.indicators.values import ValueRow, store_values
from navet.networks.models import Organisation
from tests.factories import county_board, organisation
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]

GRUMS, RIKET = "1764", "0000"


def store(indicator: Indicator, org: Organisation, values: dict[int, float | None]) -> None:
    """Store yearly totals the way every import does (a missing value keeps its status)."""
    run = create_run(kind=ImportRun.Kind.FILE, parameters={"file": "test.xlsx"})
    store_values(
        run=run,
        rows=[
            ValueRow(
                indicator_id=indicator.pk,
                organisation_id=org.pk,
                year=year,
                gender="T",
                value=value,
                status="" if value is not None else "Missing",
            )
            for year, value in values.items()
        ],
    )


def make_indicator(code: str = "U28532", **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "title": "Måltidssvinn",
        "unit": "g/ätande",
        "decimals": 0,
        "dimension": Indicator.Dimension.ECONOMIC,
        "keyword": "Minskat matsvinn",
        "direction": Indicator.Direction.DECREASE,
    }
    defaults.update(fields)
    return Indicator.objects.create(code=code, **defaults)


def regional_strategy(indicator: Indicator, area: str) -> None:
    strategy, _ = IndicatorSet.objects.get_or_create(
        slug="varmlandsstrategin",
        defaults={"name": "Värmlandsstrategin", "kind": IndicatorSet.Kind.REGIONAL_STRATEGY},
    )
    IndicatorSetEntry.objects.create(indicator_set=strategy, indicator=indicator, area=area)


def sdg_target(code: str = "12.3") -> SdgTarget:
    goal_number = int(code.split(".")[0])
    goal, _ = SdgGoal.objects.get_or_create(
        number=goal_number,
        defaults={"title_sv": f"Mål {goal_number}", "title_en": f"Goal {goal_number}"},
    )
    target, _ = SdgTarget.objects.get_or_create(
        code=code,
        defaults={
            "goal": goal,
            "position": 3,
            "title_sv": "Halvera matsvinnet",
            "title_en": "Halve food waste",
        },
    )
    return target


def grums_example() -> tuple[Organisation, Indicator, Target]:
    """The row of seeds/002: Grums 2021 = 58 g/ätande, rikssnitt 48 g/ätande."""
    grums = organisation(GRUMS)
    indicator = make_indicator()
    regional_strategy(indicator, "Robust samhälle")
    store(indicator, grums, {2019: 70, 2020: 63, 2021: 58})
    store(indicator, organisation(RIKET), {2019: 52, 2020: 50, 2021: 48, 2022: 47})
    target = Target.objects.create(
        organisation=grums,
        indicator=indicator,
        baseline_year=2019,
        baseline_value=70,
        target_value=40,
        desired_state="Matsvinnet i skolan har halverats.",
        current_state="Mätningar varje termin sedan 2019.",
        steering_document="Miljöprogram 2021–2030",
        steering_document_url="https://www.grums.se/miljoprogram",
    )
    return grums, indicator, target


def only_row(org: Organisation) -> FollowUpRow:
    rows = followup_rows(organisation=org)
    assert len(rows) == 1
    return rows[0]


# The selector


def test_the_grums_example_row_in_english() -> None:
    grums, _, target = grums_example()
    with translation.override("en"):
        row = only_row(grums)
        assert row.statistics == "Grums 2021 = 58 g/ätande, national average 48 g/ätande"
        assert row.dimension == "Economic"
        assert row.target_text == "40 g/ätande in 2030"
        assert row.latest_text == "58 g/ätande (2021)"
        assert row.status_label == "Substantial progress"
    assert row.target == target
    assert row.relevant_goals == []  # "—" in the example
    assert row.strategy_link == "Robust samhälle"
    assert row.keyword == "Minskat matsvinn"
    assert (row.latest.year, row.latest.value) == (2021, 58)  # type: ignore[union-attr]
    assert row.national == 48  # Riket the same year, not Riket's latest (2022)


def test_the_grums_example_row_in_swedish() -> None:
    grums, _, _ = grums_example()
    with translation.override("sv"):
        if translation.gettext("%(own)s, national average %(national)s").endswith(
            "national average %(national)s"
        ):
            pytest.skip("the Swedish catalogue does not have the follow-up texts yet")
        assert only_row(grums).statistics == "Grums 2021 = 58 g/ätande, rikssnitt 48 g/ätande"


def test_swedish_number_style_with_the_indicators_decimals() -> None:
    assert format_number(58.0, 0) == "58"
    assert format_number(48.25, 1) == "48,3"
    assert format_number(48.0, 1) == "48"
    assert format_number(12345.67, 1) == "12\u00a0345,7"
    assert format_number(-0.5, 2) == "-0,5"
    org = organisation(GRUMS)
    indicator = make_indicator(unit="%", decimals=1, direction=Indicator.Direction.INCREASE)
    store(indicator, org, {2022: 61.44})
    store(indicator, organisation(RIKET), {2022: 58.06})
    Target.objects.create(organisation=org, indicator=indicator, target_value=75.5)
    with translation.override("en"):
        row = only_row(org)
    assert row.statistics == "Grums 2022 = 61,4 %, national average 58,1 %"
    assert row.target_text == "75,5 % in 2030"


def test_statistics_without_a_national_value_or_without_any_value() -> None:
    org = organisation(GRUMS)
    with_value = make_indicator("A1")
    store(with_value, org, {2021: 58})
    store(with_value, organisation(RIKET), {2020: 50})  # not the same year
    without_value = make_indicator("A2", title="Tallrikssvinn")
    Target.objects.create(organisation=org, indicator=with_value, target_value=40, position=1)
    Target.objects.create(organisation=org, indicator=without_value, target_value=30, position=2)
    first, second = followup_rows(organisation=org)
    assert first.statistics == "Grums 2021 = 58 g/ätande"
    assert first.national is None
    assert second.statistics == "" and second.latest is None and second.latest_text == ""
    assert second.status is Status.NOT_ENOUGH_DATA


def test_the_latest_value_skips_years_kept_only_as_missing() -> None:
    org = organisation(GRUMS)
    indicator = make_indicator()
    store(indicator, org, {2020: 61, 2021: 58, 2022: None})
    Target.objects.create(organisation=org, indicator=indicator, desired_state="Mindre svinn")
    row = only_row(org)
    assert (row.latest.year, row.latest.value) == (2021, 58)  # type: ignore[union-attr]


def test_rows_follow_the_position_and_leave_other_organisations_out() -> None:
    org, other = organisation(GRUMS), organisation("1490")
    for position, code in ((2, "C"), (0, "B"), (1, "A")):
        Target.objects.create(
            organisation=org,
            indicator=make_indicator(code, title=f"Indikator {code}"),
            position=position,
            desired_state="Bättre",
        )
    Target.objects.create(
        organisation=other, indicator=Indicator.objects.get(code="A"), desired_state="Bättre"
    )
    assert [row.indicator.code for row in followup_rows(organisation=org)] == ["B", "A", "C"]
    assert [row.indicator.code for row in followup_rows(organisation=other)] == ["A"]


def test_relevant_goals_the_targets_own_then_the_indicators_targets_then_its_goals() -> None:
    org = organisation(GRUMS)
    own_choice = make_indicator("G1")
    own_choice.targets.add(sdg_target("12.5"))
    Target.objects.create(
        organisation=org, indicator=own_choice, sdg_target=sdg_target("12.3"), desired_state="x"
    )
    linked = make_indicator("G2")
    linked.targets.add(sdg_target("12.5"), sdg_target("2.1"))
    Target.objects.create(organisation=org, indicator=linked, desired_state="x", position=1)
    goal_only = make_indicator("G3")
    goal_only.goals.add(SdgGoal.objects.get(number=12))
    Target.objects.create(organisation=org, indicator=goal_only, desired_state="x", position=2)
    with translation.override("en"):
        rows = followup_rows(organisation=org)
        target_12_3 = sdg_target("12.3")
        goal_12 = SdgGoal.objects.get(number=12)
        assert rows[0].relevant_goals == [f"12.3 {target_12_3.title_en}"]
        assert rows[2].relevant_goals == [f"12. {goal_12.title_en}"]
    assert [goal.split()[0] for goal in rows[1].relevant_goals] == ["2.1", "12.5"]


def test_the_targets_own_strategy_link_wins_over_the_regional_strategy() -> None:
    org = organisation(GRUMS)
    indicator = make_indicator()
    regional_strategy(indicator, "Robust samhälle")
    Target.objects.create(
        organisation=org, indicator=indicator, strategy_link="Hållbar tillväxt", desired_state="x"
    )
    assert only_row(org).strategy_link == "Hållbar tillväxt"


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (38, Status.ACHIEVED),
        (58, Status.SUBSTANTIAL),
        (68, Status.LIMITED),
        (75, Status.DETERIORATION),
    ],
)
def test_progress_from_the_baseline_towards_the_target(latest: float, status: Status) -> None:
    org = organisation(GRUMS)
    indicator = make_indicator()  # lower is better
    store(indicator, org, {2019: 70, 2021: latest})
    Target.objects.create(
        organisation=org,
        indicator=indicator,
        baseline_year=2019,
        baseline_value=70,
        target_value=40,
    )
    row = only_row(org)
    assert row.status is status
    assert row.baseline is not None and (row.baseline.year, row.baseline.value) == (2019, 70)


def test_progress_reads_the_stored_baseline_when_the_target_has_no_baseline_value() -> None:
    org = organisation(GRUMS)
    indicator = make_indicator(direction=Indicator.Direction.INCREASE, unit="%")
    store(indicator, org, {2018: 40, 2022: 48})
    Target.objects.create(
        organisation=org, indicator=indicator, baseline_year=2018, desired_state="Fler"
    )
    row = only_row(org)
    # No target value: 4,7 % a year in the desired direction is substantial.
    assert row.baseline is not None and row.baseline.value == 40
    assert row.status is Status.SUBSTANTIAL


def test_demo_indicators_are_labelled() -> None:
    org = organisation(GRUMS)
    Target.objects.create(
        organisation=org, indicator=make_indicator(is_demo=True), desired_state="Mindre svinn"
    )
    assert only_row(org).is_demo is True


@pytest.mark.parametrize("size", [2, 12])
def test_the_selector_runs_the_same_few_queries_whatever_the_number_of_rows(
    size: int, django_assert_max_num_queries: Any
) -> None:
    org, riket = organisation(GRUMS), organisation(RIKET)
    for n in range(size):
        indicator = make_indicator(f"Q{n}", title=f"Indikator {n}")
        indicator.targets.add(sdg_target("12.3"))
        regional_strategy(indicator, "Robust samhälle")
        store(indicator, org, {2019: 70 + n, 2021: 60 + n})
        store(indicator, riket, {2021: 50})
        Target.objects.create(
            organisation=org, indicator=indicator, baseline_year=2019, target_value=40, position=n
        )
    with django_assert_max_num_queries(5):
        rows = followup_rows(organisation=org)
        assert all(row.relevant_goals and row.statistics for row in rows)
    assert len(rows) == size


# The page


def test_the_page_is_public_and_shows_the_table_with_downloads(client_for: ClientFor) -> None:
    grums, _, target = grums_example()
    response = client_for("anonymous").get(reverse("indicators:followup", args=[grums.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Grums 2021 = 58 g/ätande" in html
    assert "Robust samhälle" in html and "Minskat matsvinn" in html
    assert 'href="https://www.grums.se/miljoprogram"' in html
    assert reverse("indicators:followup_pdf", args=[grums.pk]) in html
    assert reverse("indicators:followup_xlsx", args=[grums.pk]) in html
    # Nobody signed in may change the targets: no buttons for it.
    assert reverse("indicators:target_add", args=[grums.pk]) not in html
    assert reverse("indicators:target_edit", args=[grums.pk, target.pk]) not in html
    try:
        indicator_url = reverse("indicators:organisation_indicator", args=[grums.pk, "U28532"])
    except NoReverseMatch:
        indicator_url = None  # the comparison views are not there yet
    if indicator_url is not None:
        assert f'href="{indicator_url}"' in html


def test_the_page_shows_the_progress_in_words_in_english(client_for: ClientFor) -> None:
    grums, _, _ = grums_example()
    client = client_for("anonymous")
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = client.get(reverse("indicators:followup", args=[grums.pk])).content.decode()
    assert "Progress: Substantial progress" in html
    assert "Desired state 2030" in html
    assert "national average 48 g/ätande" in html


def test_the_page_offers_the_forms_to_those_who_may_edit(
    client_for: ClientFor, roles: dict[str, Any]
) -> None:
    borås = organisation("1490")
    indicator = make_indicator(is_demo=True)
    target = Target.objects.create(organisation=borås, indicator=indicator, desired_state="x")
    html = (
        client_for("member").get(reverse("indicators:followup", args=[borås.pk])).content.decode()
    )
    assert reverse("indicators:target_add", args=[borås.pk]) in html
    assert reverse("indicators:target_edit", args=[borås.pk, target.pk]) in html
    assert reverse("indicators:target_delete", args=[borås.pk, target.pk]) in html
    assert "demo-label" in html


@pytest.mark.usefixtures("in_english")
def test_the_page_without_targets_says_so(client_for: ClientFor) -> None:
    grums = organisation(GRUMS)
    with translation.override("en"):
        response = client_for("anonymous").get(
            reverse("indicators:followup", args=[grums.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" not in html
    assert "Grums has no targets in the follow-up table yet." in html


@pytest.mark.parametrize("name", ["followup", "followup_pdf", "followup_xlsx", "target_add"])
def test_only_municipalities_and_regions_have_a_follow_up_table(
    name: str, client_for: ClientFor
) -> None:
    client = client_for("admin")
    for org in (organisation(RIKET), county_board("17")):
        assert client.get(reverse(f"indicators:{name}", args=[org.pk])).status_code == 404
    region = organisation("17")
    assert client.get(reverse(f"indicators:{name}", args=[region.pk])).status_code == 200


# PDF and XLSX


def test_the_pdf_has_the_grums_row_the_organisation_date_and_source(
    client_for: ClientFor, tmp_path: Path
) -> None:
    grums, _, _ = grums_example()
    response = client_for("anonymous").get(reverse("indicators:followup_pdf", args=[grums.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="uppfoljning-grums.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Grums 2021 = 58 g/ätande",
        "48 g/ätande",
        "Måltidssvinn",
        "Robust samhälle",
        "Minskat matsvinn",
        "Miljöprogram",
        "Kolada",
        timezone.localdate().isoformat(),
    ):
        assert expected in text, expected
    assert text.count("Grums") >= 2  # the heading and the row


@pytest.mark.usefixtures("in_english")
def test_the_pdf_labels_demo_rows(client_for: ClientFor, tmp_path: Path) -> None:
    grums = organisation(GRUMS)
    Target.objects.create(
        organisation=grums, indicator=make_indicator(is_demo=True), desired_state="Mindre svinn"
    )
    with translation.override("en"):
        response = client_for("anonymous").get(
            reverse("indicators:followup_pdf", args=[grums.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    text = pdf_text(response.content, tmp_path)
    assert "Mindre svinn" in text
    assert "DEMO DATA" in text.upper()


def test_the_xlsx_is_a_workbook_with_numbers_as_numbers(client_for: ClientFor) -> None:
    grums, _, _ = grums_example()
    response = client_for("anonymous").get(reverse("indicators:followup_xlsx", args=[grums.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="uppfoljning-grums.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    with translation.override("sv"):
        header = xlsx_header()
    assert [cell.value for cell in sheet[1]] == header
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.max_row == 2
    cells = [cell.value for cell in sheet[2]]
    assert cells[1:6] == [
        Indicator.Dimension.ECONOMIC.label.capitalize(),
        "Robust samhälle",
        "Minskat matsvinn",
        "Måltidssvinn",
        "g/ätande",
    ]
    assert str(cells[6]).startswith("Grums 2021 = 58 g/ätande, ")
    # Year, value, national average, target year and value, baseline year and value: numbers.
    figures = [cells[i] for i in (7, 8, 9, 13, 14, 16, 17)]
    assert figures == [2021, 58, 48, 2030, 40, 2019, 70]
    assert all(isinstance(figure, int | float) for figure in figures)
    assert sheet.cell(row=2, column=9).number_format == "0"  # the indicator shows no decimals
    assert cells[10:13] == [
        "Miljöprogram 2021–2030",
        "https://www.grums.se/miljoprogram",
        "Matsvinnet i skolan har halverats.",
    ]
    assert cells[18] == Status.SUBSTANTIAL.label
    assert sheet.column_dimensions["E"].width >= len("Måltidssvinn")


def test_the_xlsx_keeps_formula_like_text_as_text(client_for: ClientFor) -> None:
    grums = organisation(GRUMS)
    Target.objects.create(
        organisation=grums, indicator=make_indicator(), desired_state='=HYPERLINK("x")'
    )
    response = client_for("anonymous").get(reverse("indicators:followup_xlsx", args=[grums.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet.cell(row=2, column=13)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
