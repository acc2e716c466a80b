"""Issue 10 for evaluations: look-ups through the policies (another network's ids are not
found) and entered figures within bounds (n from 0 to MAX_COUNT, means from 1 to 6)."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from navet.core.bounds import MAX_COUNT
from navet.evaluations import services
from navet.evaluations.models import Question, Questionnaire, Quote
from navet.evaluations.permissions import (
    answer_policy,
    evaluation_policy,
    quote_policy,
    survey_policy,
)
from navet.evaluations.services import AggregateFigure
from navet.networks.models import Network
from tests.evaluations.helpers import answer_all, make_meeting, opened_evaluation

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


def _aggregates_url(network: Network, meeting_pk: int) -> str:
    return reverse("evaluations:evaluation_aggregates", args=[network.slug, meeting_pk])


@pytest.mark.parametrize(
    ("n", "mean", "ok"),
    [
        ("1", "1,0", True),  # the lowest mean
        ("1", "6,0", True),  # the highest mean
        (str(MAX_COUNT), "5,0", True),  # exactly at the largest count
        (str(MAX_COUNT + 1), "5,0", False),
        ("-1", "5,0", False),
        ("10", "0,9", False),
        ("10", "6,1", False),
    ],
)
def test_entered_evaluation_figures_within_bounds(
    network: Network, roles: dict, client_for: ClientFor, n: str, mean: str, ok: bool
) -> None:
    meeting = make_meeting(network)
    response = client_for("network_coordinator").post(
        _aggregates_url(network, meeting.pk), {"n_0": n, "mean_0": mean, "n_1": "", "mean_1": ""}
    )
    stored = Question.objects.filter(
        questionnaire__meeting=meeting, aggregate_n__isnull=False
    ).values_list("aggregate_n", "aggregate_mean")
    if ok:
        assert response.status_code == 302
        assert list(stored) == [(int(n), Decimal(mean.replace(",", ".")))]
    else:
        assert response.status_code == 200
        assert f'value="{n}"' in response.content.decode()
        assert response.context["form"].errors
        assert not stored.exists()


def test_the_service_refuses_a_count_beyond_the_bound(network: Network, roles: dict) -> None:
    meeting = make_meeting(network)
    with pytest.raises(ValidationError) as error:
        services.evaluation_aggregates_enter(
            actor=roles["admin"],
            meeting=meeting,
            figures=[AggregateFigure(MAX_COUNT + 1, Decimal("5.0")), AggregateFigure(None, None)],
        )
    assert "n_0" in error.value.message_dict


@pytest.mark.parametrize(
    ("respondents", "ok"), [(1, True), (MAX_COUNT, True), (MAX_COUNT + 1, False)]
)
def test_survey_respondents_within_bounds(
    network: Network, roles: dict, client_for: ClientFor, respondents: int, ok: bool
) -> None:
    survey = services.survey_create(
        actor=roles["admin"],
        network=network,
        year=2019,
        questions=[services.QuestionData("Hur nöjd är du?", "scale", "overall")],
    )
    url = reverse("evaluations:survey_aggregates", args=[network.slug, survey.pk])
    response = client_for("network_coordinator").post(
        url, {"respondents": str(respondents), "mean_0": "4,9"}
    )
    survey.refresh_from_db()
    assert (response.status_code == 302) == ok
    assert survey.respondents == (respondents if ok else None)


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_survey_year_within_bounds(
    network: Network, roles: dict, client_for: ClientFor, year: str
) -> None:
    url = reverse("evaluations:survey_create", args=[network.slug])
    data = {
        "year": year,
        "title": "",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Hur nöjd är du?",
        "questions-0-kind": "scale",
        "questions-0-key": "overall",
        "questions-0-order": "0",
    }
    response = client_for("network_coordinator").post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert not Questionnaire.objects.filter(kind=Questionnaire.Kind.SURVEY).exists()


def test_another_networks_objects_are_not_found(
    network: Network, other_network: Network, roles: dict, client_for: ClientFor
) -> None:
    """The other network's coordinator, with their own slug and this network's ids."""
    evaluation = opened_evaluation(network, roles["network_coordinator"], attendees=1)
    answer_all(evaluation, [6], text="Hemligt citat")
    answer = evaluation.responses.get().answers.get(question__key="takeaway")
    quote = services.quote_add(actor=roles["admin"], answer=answer)
    survey = services.survey_create(
        actor=roles["admin"],
        network=network,
        year=2023,
        questions=[services.QuestionData("Hur nöjd är du?", "scale", "overall")],
    )
    unevaluated = make_meeting(network, title="Ny träff")
    client = client_for("other_coordinator")
    slug = other_network.slug
    gets = [
        reverse("evaluations:results", args=[slug, evaluation.pk]),
        reverse("evaluations:results", args=[slug, survey.pk]),
        reverse("evaluations:survey_questions", args=[slug, survey.pk]),
        reverse("evaluations:survey_aggregates", args=[slug, survey.pk]),
        _aggregates_url(other_network, unevaluated.pk),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Hemligt citat" not in response.content.decode()
    posts = [
        reverse("evaluations:close", args=[slug, evaluation.pk]),
        reverse("evaluations:quote_add", args=[slug, evaluation.pk, answer.pk]),
        reverse("evaluations:quote_remove", args=[slug, quote.pk]),
        reverse("evaluations:survey_send", args=[slug, survey.pk]),
        reverse("evaluations:evaluation_open", args=[slug, unevaluated.pk]),
        _aggregates_url(other_network, unevaluated.pk),
    ]
    for url in posts:
        assert client.post(url, {"n_0": "3", "mean_0": "5,0"}).status_code == 404, url
    evaluation.refresh_from_db()
    survey.refresh_from_db()
    assert evaluation.closed_at is None
    assert survey.opened_at is None
    assert Quote.objects.filter(pk=quote.pk).exists()
    assert not Questionnaire.objects.filter(meeting=unevaluated).exists()


def test_policies_answer_for_the_coordinators_networks_only(
    network: Network, other_network: Network, roles: dict
) -> None:
    evaluation = opened_evaluation(network, roles["network_coordinator"], attendees=1)
    answer_all(evaluation, [5], text="Bra")
    survey = services.survey_create(
        actor=roles["admin"],
        network=network,
        year=2023,
        questions=[services.QuestionData("Hur nöjd är du?", "scale", "overall")],
    )
    answer = evaluation.responses.get().answers.get(question__key="takeaway")
    quote = services.quote_add(actor=roles["admin"], answer=answer)
    for role, sees in (
        ("network_coordinator", True),
        ("admin", True),
        ("other_coordinator", False),
        ("group_coordinator", False),
        ("member", False),
        ("anonymous", False),
    ):
        user = roles[role]
        assert (
            evaluation in evaluation_policy.instances_user_has_permission_for(user, "view")
        ) == sees
        assert (survey in survey_policy.instances_user_has_permission_for(user, "change")) == sees
        assert (answer in answer_policy.instances_user_has_permission_for(user, "change")) == sees
        assert (quote in quote_policy.instances_user_has_permission_for(user, "change")) == sees
    # An evaluation is not a survey, and scoping by network narrows further.
    assert survey not in evaluation_policy.instances_user_has_permission_for(roles["admin"], "view")
    assert not evaluation_policy.instances_user_has_permission_for(
        roles["admin"], "view", network=other_network
    ).exists()
