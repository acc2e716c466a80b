"""The coordinator screens through HTTP: forms keep what was typed, rules show as messages."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from navet.evaluations import services
from navet.evaluations.models import Questionnaire
from navet.meetings.models import Meeting
from navet.networks.models import Network
from tests.evaluations.helpers import attend, make_meeting

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def _formset(rows: list[dict], prefix: str = "questions") -> dict[str, object]:
    data: dict[str, object] = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{index}-{field}"] = value
    return data


def test_index_lists_held_meetings(network: Network, client_for: ClientFor) -> None:
    make_meeting(network, title="Hållen träff")
    make_meeting(network, title="Planerad träff", status=Meeting.Status.PLANNED)
    html = (
        client_for("network_coordinator")
        .get(reverse("evaluations:index", args=[network.slug]))
        .content.decode()
    )
    assert "Hållen träff" in html and "Planerad träff" not in html


def test_template_page_shows_the_defaults_with_labels(
    network: Network, client_for: ClientFor
) -> None:
    response = client_for("network_coordinator").get(
        reverse("evaluations:template_edit", args=[network.slug])
    )
    html = response.content.decode()
    assert 'value="Hur nöjd är du med träffen?"' in html
    assert 'value="satisfaction"' in html
    assert html.count("<legend>") == 5  # three questions and two empty rows
    assert 'for="id_questions-0-text"' in html


def test_template_edit_reorders_and_removes(
    network: Network, roles: dict, client_for: ClientFor
) -> None:
    template = services.template_get_or_create(actor=roles["admin"], network=network)
    satisfaction, usefulness, takeaway = template.questions.order_by("order")
    rows = [
        {
            "pk": satisfaction.pk,
            "text": satisfaction.text,
            "kind": "scale",
            "key": "satisfaction",
            "order": 2,
        },
        {
            "pk": usefulness.pk,
            "text": usefulness.text,
            "kind": "scale",
            "key": "usefulness",
            "order": 1,
        },
        {
            "pk": takeaway.pk,
            "text": takeaway.text,
            "kind": "text",
            "key": "takeaway",
            "order": 3,
            "DELETE": "on",
        },
        {"text": "Vad saknade du?", "kind": "text", "key": "missing", "order": 4},
    ]
    url = reverse("evaluations:template_edit", args=[network.slug])
    response = client_for("network_coordinator").post(url, _formset(rows))
    assert response.status_code == 302
    assert list(template.questions.order_by("order").values_list("key", flat=True)) == [
        "usefulness",
        "satisfaction",
        "missing",
    ]


def test_template_edit_refuses_duplicate_keys_and_keeps_the_text(
    network: Network, roles: dict, client_for: ClientFor
) -> None:
    services.template_get_or_create(actor=roles["admin"], network=network)
    rows = [
        {"text": "Fråga ett", "kind": "scale", "key": "same", "order": 1},
        {"text": "Fråga två", "kind": "scale", "key": "same", "order": 2},
    ]
    url = reverse("evaluations:template_edit", args=[network.slug])
    response = client_for("network_coordinator").post(url, _formset(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Fråga två"' in html
    assert escape(gettext("Two questions cannot have the same key.")) in html
    template = Questionnaire.objects.get(network=network, kind="template")
    assert template.questions.count() == 3


def test_opening_through_the_page_sends_links_and_shows_results(
    network: Network, client_for: ClientFor, django_capture_on_commit_callbacks
) -> None:
    meeting = make_meeting(network)
    attend(meeting, 2)
    client = client_for("network_coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluations:evaluation_open", args=[network.slug, meeting.pk]), follow=True
        )
    assert len(mail.outbox) == 2
    assert response.redirect_chain[-1][0] == reverse(
        "evaluations:results", args=[network.slug, meeting.evaluation.pk]
    )
    again = client.post(
        reverse("evaluations:evaluation_open", args=[network.slug, meeting.pk]), follow=True
    )
    assert escape(gettext("This meeting already has an evaluation.")) in again.content.decode()


def test_opening_is_get_protected(network: Network, client_for: ClientFor) -> None:
    meeting = make_meeting(network)
    attend(meeting, 1)
    url = reverse("evaluations:evaluation_open", args=[network.slug, meeting.pk])
    assert client_for("network_coordinator").get(url).status_code == 405
    assert not Questionnaire.objects.filter(meeting=meeting).exists()


def test_another_networks_meeting_is_404(
    network: Network, other_network: Network, client_for: ClientFor
) -> None:
    meeting = make_meeting(other_network)
    url = reverse("evaluations:evaluation_aggregates", args=[network.slug, meeting.pk])
    assert client_for("network_coordinator").get(url).status_code == 404


def test_aggregates_form_takes_a_decimal_comma(network: Network, client_for: ClientFor) -> None:
    meeting = make_meeting(network, title="Nätverksträff hösten 2022")
    url = reverse("evaluations:evaluation_aggregates", args=[network.slug, meeting.pk])
    client = client_for("network_coordinator")
    assert 'for="id_n_0"' in client.get(url).content.decode()
    response = client.post(url, {"n_0": "14", "mean_0": "5,2", "n_1": "", "mean_1": ""})
    assert response.status_code == 302
    question = meeting.evaluation.questions.get(key="satisfaction")
    assert (question.aggregate_n, question.aggregate_mean) == (14, Decimal("5.2"))


def test_aggregates_form_keeps_values_on_error(network: Network, client_for: ClientFor) -> None:
    meeting = make_meeting(network)
    url = reverse("evaluations:evaluation_aggregates", args=[network.slug, meeting.pk])
    response = client_for("network_coordinator").post(
        url, {"n_0": "14", "mean_0": "", "n_1": "9", "mean_1": "4,4"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="14"' in html and 'value="4,4"' in html
    assert not Questionnaire.objects.filter(meeting=meeting).exists()


def test_survey_create_prefills_last_years_questions(
    network: Network, roles: dict, client_for: ClientFor
) -> None:
    services.survey_create(
        actor=roles["admin"],
        network=network,
        year=2022,
        questions=[services.QuestionData("Hur nöjd är du?", "scale", "overall")],
    )
    client = client_for("network_coordinator")
    url = reverse("evaluations:survey_create", args=[network.slug])
    assert 'value="overall"' in client.get(url).content.decode()
    data = {
        "year": "2023",
        "title": "",
        **_formset([{"text": "Hur nöjd är du med nätverket?", "kind": "scale", "key": "overall"}]),
    }
    assert client.post(url, data).status_code == 302
    survey = Questionnaire.objects.get(network=network, survey_year=2023)
    assert survey.questions.get().key == "overall"
    again = client.post(url, data)
    assert again.status_code == 200
    assert 'value="2023"' in again.content.decode()
    assert Questionnaire.objects.filter(network=network, kind="survey").count() == 2


def test_survey_aggregates_form(network: Network, roles: dict, client_for: ClientFor) -> None:
    survey = services.survey_create(
        actor=roles["admin"],
        network=network,
        year=2019,
        questions=[services.QuestionData("Hur nöjd är du?", "scale", "overall")],
    )
    url = reverse("evaluations:survey_aggregates", args=[network.slug, survey.pk])
    client = client_for("network_coordinator")
    bad = client.post(url, {"respondents": "21", "mean_0": "7,0"})
    assert bad.status_code == 200 and 'value="7,0"' in bad.content.decode()
    assert client.post(url, {"respondents": "21", "mean_0": "4,9"}).status_code == 302
    survey.refresh_from_db()
    assert survey.aggregates_only and survey.respondents == 21
    assert survey.questions.get().aggregate_mean == Decimal("4.9")


def test_survey_send_through_the_page(
    network: Network, roles: dict, client_for: ClientFor, django_capture_on_commit_callbacks
) -> None:
    survey = services.survey_create(
        actor=roles["admin"],
        network=network,
        year=2024,
        questions=[services.QuestionData("Hur nöjd är du?", "scale", "overall")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("network_coordinator").post(
            reverse("evaluations:survey_send", args=[network.slug, survey.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == survey.invitations.count() == 4


def test_closing_through_the_page(network: Network, roles: dict, client_for: ClientFor) -> None:
    meeting = make_meeting(network)
    attend(meeting, 1)
    evaluation = services.evaluation_open(actor=roles["admin"], meeting=meeting)
    client_for("network_coordinator").post(
        reverse("evaluations:close", args=[network.slug, evaluation.pk])
    )
    evaluation.refresh_from_db()
    assert evaluation.closed_at is not None
