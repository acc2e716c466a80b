"""The public answer page: one anonymous answer per link, all or nothing."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from navet.evaluations import services
from navet.evaluations.models import Answer, Invitation, Questionnaire, Response
from navet.networks.models import Network
from tests.evaluations.helpers import opened_evaluation, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(network: Network, roles: dict) -> Questionnaire:
    return opened_evaluation(network, roles["network_coordinator"], attendees=3)


def _url(token: str) -> str:
    return reverse("evaluations:answer", args=[token])


def _data(evaluation: Questionnaire, **by_key: object) -> dict[str, object]:
    return {f"q_{q.pk}": by_key[q.key] for q in evaluation.questions.all() if q.key in by_key}


def _shown(response, message: str) -> bool:
    return escape(gettext(message)) in response.content.decode()


def test_the_page_shows_the_questions_as_radio_buttons_with_end_labels(
    evaluation: Questionnaire,
) -> None:
    response = Client().get(_url(token_of(evaluation)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hur nöjd är du med träffen?" in html
    assert html.count('type="radio"') == 12
    for value in range(1, 7):
        assert f'value="{value}"' in html
    assert "<fieldset>" in html and "<legend>" in html
    assert escape(gettext("1 – not at all")) in html
    assert escape(gettext("6 – to a very high degree")) in html
    assert "<textarea" in html


def test_a_valid_answer_is_saved_and_the_link_is_used_up(evaluation: Questionnaire) -> None:
    token = token_of(evaluation)
    response = Client().post(
        _url(token), _data(evaluation, satisfaction=5, usefulness=6, takeaway="Nya kontakter")
    )
    assert response.status_code == 200
    assert _shown(response, "Thank you! Your answer was saved.")
    saved = Response.objects.get(questionnaire=evaluation)
    assert saved.submitted_on == timezone.localdate()
    answers = {a.question.key: (a.value, a.text) for a in saved.answers.select_related("question")}
    assert answers == {
        "satisfaction": (5, ""),
        "usefulness": (6, ""),
        "takeaway": (None, "Nya kontakter"),
    }
    used_at = Invitation.objects.get(token=token).used_at
    assert used_at is not None
    assert timezone.localtime(used_at).time() == datetime.time(0, 0)  # the day only


@pytest.mark.parametrize("value", ["0", "7", "-1", "fem", "5.5"])
def test_a_value_outside_1_to_6_is_refused_and_nothing_is_saved(
    evaluation: Questionnaire, value: str
) -> None:
    token = token_of(evaluation)
    response = Client().post(
        _url(token), _data(evaluation, satisfaction=value, usefulness=4, takeaway="Bra")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert escape(gettext("The answer must be from 1 to 6.")) in html
    assert re.search(r'value="4"[^>]*checked', html)  # the other answer is kept
    assert "Bra</textarea>" in html
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert Invitation.objects.get(token=token).used_at is None


def test_a_missing_scale_answer_is_refused(evaluation: Questionnaire) -> None:
    token = token_of(evaluation)
    response = Client().post(_url(token), _data(evaluation, usefulness=4, takeaway=""))
    assert response.status_code == 200
    assert _shown(response, "Choose a value from 1 to 6.")
    assert not Response.objects.exists()
    assert Invitation.objects.get(token=token).used_at is None


def test_the_text_answer_is_optional(evaluation: Questionnaire) -> None:
    response = Client().post(
        _url(token_of(evaluation)), _data(evaluation, satisfaction=3, usefulness=4)
    )
    assert _shown(response, "Thank you! Your answer was saved.")
    assert Answer.objects.count() == 2


def test_a_second_answer_through_the_same_link_is_refused_politely(
    evaluation: Questionnaire,
) -> None:
    token = token_of(evaluation)
    client = Client()
    client.post(_url(token), _data(evaluation, satisfaction=5, usefulness=5))
    again = client.post(_url(token), _data(evaluation, satisfaction=1, usefulness=1))
    assert again.status_code == 200
    assert _shown(again, "Your answer has already been received. Thank you!")
    assert Response.objects.count() == 1
    assert set(Answer.objects.values_list("value", flat=True)) == {5}
    assert _shown(client.get(_url(token)), "Your answer has already been received. Thank you!")


def test_the_service_refuses_a_used_link_without_saving(evaluation: Questionnaire) -> None:
    token = token_of(evaluation)
    answers = {q.pk: 4 for q in evaluation.questions.filter(kind="scale")}
    services.answer_submit(token=token, answers=answers)
    with pytest.raises(services.ValidationError) as refused:
        services.answer_submit(token=token, answers=answers)
    assert refused.value.code == "used"
    assert Response.objects.count() == 1


def test_a_closed_evaluation_takes_no_answers(evaluation: Questionnaire, roles: dict) -> None:
    token = token_of(evaluation)
    services.evaluation_close(actor=roles["network_coordinator"], questionnaire=evaluation)
    assert _shown(Client().get(_url(token)), "The evaluation is closed.")
    response = Client().post(_url(token), _data(evaluation, satisfaction=5, usefulness=5))
    assert response.status_code == 200
    assert _shown(response, "The evaluation is closed.")
    assert not Response.objects.exists()
    assert Invitation.objects.get(token=token).used_at is None


def test_closing_between_page_and_submit_is_caught_by_the_service(
    evaluation: Questionnaire, roles: dict
) -> None:
    token = token_of(evaluation)
    services.evaluation_close(actor=roles["network_coordinator"], questionnaire=evaluation)
    with pytest.raises(services.ValidationError) as refused:
        services.answer_submit(token=token, answers={})
    assert refused.value.code == "closed"


def test_an_unknown_token_is_404(evaluation: Questionnaire) -> None:
    assert Client().get(_url("no-such-token")).status_code == 404
    assert Client().post(_url("no-such-token"), {}).status_code == 404


def test_nothing_is_half_saved_when_saving_fails(
    evaluation: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If anything fails after the response is written, the link is not used up either."""
    token = token_of(evaluation)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Answer.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.answer_submit(token=token, answers={q.pk: 5 for q in evaluation.questions.all()})
    assert not Response.objects.exists()
    assert Invitation.objects.get(token=token).used_at is None


def test_answers_are_anonymous_by_construction() -> None:
    """A response has no way back to the link: no foreign key, and only the day is kept."""
    related = {
        field.related_model
        for model in (Response, Answer)
        for field in model._meta.get_fields()
        if field.is_relation
    }
    assert Invitation not in related
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)
    assert not isinstance(Response._meta.get_field("submitted_on"), models.DateTimeField)


def test_the_audit_trail_does_not_name_the_link(evaluation: Questionnaire) -> None:
    from navet.core.models import AuditEntry

    services.answer_submit(
        token=token_of(evaluation), answers={q.pk: 5 for q in evaluation.questions.all()}
    )
    entry = AuditEntry.objects.get(action="questionnaire.answered")
    assert entry.actor is None
    assert entry.object_type == "evaluations.questionnaire"
    assert entry.data == {}


def test_survey_answers_go_through_the_same_page(
    network: Network, roles: dict, client_for: Callable[[str], Client]
) -> None:
    coordinator = roles["network_coordinator"]
    survey = services.survey_create(
        actor=coordinator,
        network=network,
        year=2024,
        questions=[services.QuestionData("Hur nöjd är du med nätverket?", "scale", "overall")],
    )
    services.survey_send(actor=coordinator, survey=survey)
    token = token_of(survey)
    question = survey.questions.get()
    response = client_for("member").post(_url(token), {f"q_{question.pk}": "6"})
    assert _shown(response, "Thank you! Your answer was saved.")
    services.evaluation_close(actor=coordinator, questionnaire=survey)
    other = token_of(survey)
    assert _shown(Client().get(_url(other)), "The survey is closed.")


@pytest.mark.parametrize("bad", [7, 0, None, "x"])
def test_the_service_itself_refuses_bad_scale_values(evaluation: Questionnaire, bad) -> None:
    token = token_of(evaluation)
    satisfaction = evaluation.questions.get(key="satisfaction")
    usefulness = evaluation.questions.get(key="usefulness")
    with pytest.raises(services.ValidationError) as refused:
        services.answer_submit(token=token, answers={satisfaction.pk: bad, usefulness.pk: 5})
    assert set(refused.value.error_dict) == {f"q_{satisfaction.pk}"}
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert Invitation.objects.get(token=token).used_at is None
