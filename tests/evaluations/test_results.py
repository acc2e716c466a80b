"""Results: n, response rate, means rounded half up with a decimal comma, distributions,
aggregates, the survey trend and the selectors the annual report uses."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from navet.evaluations import selectors, services
from navet.evaluations.models import Questionnaire
from navet.evaluations.selectors import QuestionResult, SurveyYear, format_mean, round_mean
from navet.evaluations.services import AggregateFigure, QuestionData
from navet.networks.models import Network
from tests.evaluations.helpers import STOCKHOLM, answer_all, attend, make_meeting, opened_evaluation

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


@pytest.fixture
def coordinator(roles: dict):
    return roles["network_coordinator"]


def test_round_half_up_and_decimal_comma() -> None:
    assert round_mean(21, 4) == Decimal("5.3")  # 5,25 → 5,3 (not banker's 5,2)
    assert round_mean(41, 8) == Decimal("5.1")  # 5,125
    assert round_mean(15, 3) == Decimal("5.0")
    assert round_mean(0, 0) is None
    assert format_mean(Decimal("5.2")) == "5,2"
    assert format_mean(Decimal("5")) == "5,0"
    assert format_mean(Decimal("4.95")) == "5,0"
    assert format_mean(None) == "–"


def test_questionnaire_results(network: Network, coordinator) -> None:
    evaluation = opened_evaluation(network, coordinator, attendees=6)
    answer_all(evaluation, [6, 5, 5, 5], text="Bra")  # mean 5,25 → 5,3
    results = selectors.questionnaire_results(evaluation)
    assert results == [
        QuestionResult(
            key="satisfaction",
            text="Hur nöjd är du med träffen?",
            n=4,
            mean=Decimal("5.3"),
            distribution=(0, 0, 0, 0, 3, 1),
            aggregates_only=False,
        ),
        QuestionResult(
            key="usefulness",
            text="Kommer träffen att vara till nytta för dig i ditt arbete?",
            n=4,
            mean=Decimal("5.3"),
            distribution=(0, 0, 0, 0, 3, 1),
            aggregates_only=False,
        ),
    ]


def test_results_without_answers_have_no_mean(network: Network, coordinator) -> None:
    evaluation = opened_evaluation(network, coordinator, attendees=2)
    result = selectors.questionnaire_results(evaluation)[0]
    assert (result.n, result.mean, result.distribution) == (0, None, (0,) * 6)


def test_aggregates_only_results(network: Network, coordinator) -> None:
    meeting = make_meeting(network)
    evaluation = services.evaluation_aggregates_enter(
        actor=coordinator,
        meeting=meeting,
        figures=[AggregateFigure(18, Decimal("5.2")), AggregateFigure(17, Decimal("5.6"))],
    )
    assert selectors.questionnaire_results(evaluation)[1] == QuestionResult(
        key="usefulness",
        text="Kommer träffen att vara till nytta för dig i ditt arbete?",
        n=17,
        mean=Decimal("5.6"),
        distribution=(0, 0, 0, 0, 0, 0),
        aggregates_only=True,
    )


def _meetings_with_evaluations(network: Network, coordinator, count: int) -> list:
    meetings = []
    for index in range(count):
        meeting = make_meeting(
            network,
            title=f"Träff {index}",
            start=datetime.datetime(2024, 2, 1 + index, 9, tzinfo=STOCKHOLM),
        )
        attend(meeting, 2)
        evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
        answer_all(evaluation, [4, 6], text="Bra")
        meetings.append(meeting)
    return meetings


@pytest.mark.parametrize("count", [1, 5])
def test_evaluation_results_by_meeting_in_a_fixed_number_of_queries(
    network: Network, coordinator, django_assert_max_num_queries, count: int
) -> None:
    meetings = _meetings_with_evaluations(network, coordinator, count)
    without = make_meeting(network, title="Utan utvärdering")
    with django_assert_max_num_queries(3):
        results = selectors.evaluation_results_by_meeting([*meetings, without])
    assert set(results) == {m.pk for m in meetings}
    assert all(r[0].mean == Decimal("5.0") and r[0].n == 2 for r in results.values())


def _survey(network: Network, actor, year: int, *, overall: str = "Hur nöjd är du med nätverket?"):
    return services.survey_create(
        actor=actor,
        network=network,
        year=year,
        questions=[
            QuestionData(text=overall, kind="scale", key="overall"),
            QuestionData(text="Vad kan bli bättre?", kind="text", key="better"),
        ],
    )


HISTORIC = {2019: ("4.9", 21), 2020: ("5.2", 25), 2021: ("5.6", 23), 2022: ("5.2", 19)}


def _historic_surveys(network: Network, actor) -> None:
    for year, (mean, respondents) in HISTORIC.items():
        survey = _survey(network, actor, year, overall=f"Hur nöjd var du {year}?")
        services.survey_aggregates_enter(
            actor=actor, survey=survey, respondents=respondents, means=[Decimal(mean)]
        )


def test_survey_trend_with_historic_aggregates_and_a_year_answered_in_navet(
    network: Network, coordinator
) -> None:
    _historic_surveys(network, coordinator)
    survey = _survey(network, coordinator, 2023)
    services.survey_send(actor=coordinator, survey=survey)  # three people in the directory
    answer_all(survey, [5, 6], text="")
    years, texts = selectors.survey_trend(network=network, until_year=2023)
    assert years == [
        SurveyYear(year=2019, respondents=21, means={"overall": Decimal("4.9")}),
        SurveyYear(year=2020, respondents=25, means={"overall": Decimal("5.2")}),
        SurveyYear(year=2021, respondents=23, means={"overall": Decimal("5.6")}),
        SurveyYear(year=2022, respondents=19, means={"overall": Decimal("5.2")}),
        SurveyYear(year=2023, respondents=2, means={"overall": Decimal("5.5")}),
    ]
    assert texts == {"overall": "Hur nöjd är du med nätverket?"}  # the latest wording
    earlier, _texts = selectors.survey_trend(network=network, until_year=2021)
    assert [y.year for y in earlier] == [2019, 2020, 2021]


def test_survey_trend_in_a_fixed_number_of_queries(
    network: Network, coordinator, django_assert_max_num_queries
) -> None:
    _historic_surveys(network, coordinator)
    with django_assert_max_num_queries(4):
        years, _texts = selectors.survey_trend(network=network, until_year=2030)
    assert len(years) == 4


def test_quotes_for_report(network: Network, other_network: Network, coordinator) -> None:
    evaluation = opened_evaluation(network, coordinator, attendees=2)
    answer_all(evaluation, [5, 6], text="Inspirerande")
    first, second = evaluation.responses.order_by("pk")
    q1 = services.quote_add(actor=coordinator, answer=first.answers.get(question__key="takeaway"))
    q2 = services.quote_add(actor=coordinator, answer=second.answers.get(question__key="takeaway"))
    q2.in_report = False
    q2.save()
    assert list(selectors.quotes_for_report(network=network, year=2024)) == [q1]
    assert not selectors.quotes_for_report(network=network, year=2023).exists()
    assert not selectors.quotes_for_report(network=other_network, year=2024).exists()


# Pages


def test_results_page_shows_n_rate_swedish_mean_chart_and_table(
    network: Network, coordinator, client_for: ClientFor
) -> None:
    evaluation = opened_evaluation(network, coordinator, attendees=8)
    answer_all(evaluation, [6, 5, 5, 5], text="Nya kontakter i Borås")
    url = reverse("evaluations:results", args=[network.slug, evaluation.pk])
    response = client_for("network_coordinator").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd class="mean">5,3</dd>' in html
    assert "50 %" in html  # 4 of 8 answered
    assert html.count('<svg class="chart"') == 2
    assert html.count("<caption") >= 2 and 'scope="row">6</th><td>1</td>' in html
    assert "Nya kontakter i Borås" in html


def test_results_page_marks_aggregates(
    network: Network, coordinator, client_for: ClientFor
) -> None:
    meeting = make_meeting(network)
    evaluation = services.evaluation_aggregates_enter(
        actor=coordinator,
        meeting=meeting,
        figures=[AggregateFigure(18, Decimal("5.2")), AggregateFigure(None, None)],
    )
    url = reverse("evaluations:results", args=[network.slug, evaluation.pk])
    html = client_for("admin").get(url).content.decode()
    assert escape(gettext("entered as aggregates")) in html
    assert "5,2" in html and "18" in html
    assert '<svg class="chart"' not in html


@pytest.mark.parametrize("answers", [2, 12])
def test_results_page_query_count_does_not_grow_with_answers(
    network: Network,
    coordinator,
    client_for: ClientFor,
    django_assert_max_num_queries,
    answers: int,
) -> None:
    evaluation = opened_evaluation(network, coordinator, attendees=answers)
    answer_all(evaluation, [1 + i % 6 for i in range(answers)], text="Text")
    answer = evaluation.responses.first().answers.get(question__key="takeaway")
    services.quote_add(actor=coordinator, answer=answer)
    client = client_for("network_coordinator")
    url = reverse("evaluations:results", args=[network.slug, evaluation.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("<textarea") == 0
    assert response.status_code == 200


def test_picking_a_quote_on_the_results_page(
    network: Network, coordinator, client_for: ClientFor
) -> None:
    evaluation = opened_evaluation(network, coordinator, attendees=1)
    answer_all(evaluation, [6], text="Fantastisk dag")
    answer = evaluation.responses.get().answers.get(question__key="takeaway")
    client = client_for("network_coordinator")
    response = client.post(
        reverse("evaluations:quote_add", args=[network.slug, evaluation.pk, answer.pk])
    )
    assert response.status_code == 302
    quote = network.quotes.get()
    assert quote.source == "Ur utvärderingen av Nätverksträff om klimatanpassning"
    page = client.get(reverse("evaluations:results", args=[network.slug, evaluation.pk]))
    assert (
        reverse("evaluations:quote_remove", args=[network.slug, quote.pk]) in page.content.decode()
    )
    client.post(reverse("evaluations:quote_remove", args=[network.slug, quote.pk]))
    assert not network.quotes.exists()


def test_survey_page_shows_years_side_by_side_with_a_trend_chart(
    network: Network, coordinator, client_for: ClientFor
) -> None:
    _historic_surveys(network, coordinator)
    html = (
        client_for("network_coordinator")
        .get(reverse("evaluations:survey_list", args=[network.slug]))
        .content.decode()
    )
    row = html[html.index("(overall)") :]
    row = row[: row.index("</tr>")]
    assert "<td>4,9</td><td>5,2</td><td>5,6</td><td>5,2</td>" in row
    assert "<td>21</td><td>25</td><td>23</td><td>19</td>" in html
    assert '<svg class="chart"' in html
    assert "Hur nöjd var du 2022?" in html  # the latest year's wording


def test_quote_on_another_networks_answer_is_404(
    network: Network, other_network: Network, roles: dict, client_for: ClientFor
) -> None:
    evaluation = opened_evaluation(network, roles["network_coordinator"], attendees=1)
    answer_all(evaluation, [6], text="Hemligt")
    answer = evaluation.responses.get().answers.get(question__key="takeaway")
    other_network.coordinators.add(roles["other_coordinator"].person)
    response = client_for("other_coordinator").post(
        reverse("evaluations:quote_add", args=[other_network.slug, evaluation.pk, answer.pk])
    )
    assert response.status_code == 404
    assert not Questionnaire.objects.get(pk=evaluation.pk).network.quotes.exists()


def test_a_survey_years_results_page(network: Network, coordinator, client_for: ClientFor) -> None:
    survey = _survey(network, coordinator, 2024)
    services.survey_send(actor=coordinator, survey=survey)
    answer_all(survey, [4, 5, 6], text="Fler studiebesök")
    html = (
        client_for("admin")
        .get(reverse("evaluations:results", args=[network.slug, survey.pk]))
        .content.decode()
    )
    assert '<dd class="mean">5,0</dd>' in html
    assert "75 %" in html  # three of the network's four people
    assert "Fler studiebesök" in html


def test_a_quote_from_the_survey(network: Network, coordinator) -> None:
    survey = _survey(network, coordinator, 2024)
    services.survey_send(actor=coordinator, survey=survey)
    answer_all(survey, [5], text="Mer om klimat")
    answer = survey.responses.get().answers.get(question__key="better")
    quote = services.quote_add(actor=coordinator, answer=answer)
    assert (quote.year, quote.group, quote.source) == (2024, None, "Ur medlemsenkäten 2024")
