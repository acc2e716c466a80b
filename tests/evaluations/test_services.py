"""Evaluation and survey services: the rules, the copies, the links and the audit trail."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from navet.core.models import AuditEntry
from navet.evaluations import services
from navet.evaluations.models import Invitation, Question, Questionnaire, Quote
from navet.evaluations.services import AggregateFigure, QuestionData
from navet.meetings.models import Meeting, Registration
from navet.networks.models import Network
from tests.evaluations.helpers import answer_all, attend, make_meeting, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(roles: dict):
    return roles["network_coordinator"]


def test_template_is_created_on_first_use_with_the_three_swedish_defaults(
    network: Network, coordinator
) -> None:
    template = services.template_get_or_create(actor=coordinator, network=network)
    questions = list(template.questions.order_by("order"))
    assert [(q.text, q.kind, q.key) for q in questions] == [
        ("Hur nöjd är du med träffen?", "scale", "satisfaction"),
        ("Kommer träffen att vara till nytta för dig i ditt arbete?", "scale", "usefulness"),
        ("Vad tar du med dig?", "text", "takeaway"),
    ]
    assert template.kind == Questionnaire.Kind.TEMPLATE
    again = services.template_get_or_create(actor=coordinator, network=network)
    assert again.pk == template.pk
    assert Questionnaire.objects.filter(network=network, kind="template").count() == 1


def test_template_questions_can_be_reordered_changed_added_and_removed(
    network: Network, coordinator
) -> None:
    template = services.template_get_or_create(actor=coordinator, network=network)
    satisfaction, usefulness, takeaway = template.questions.order_by("order")
    services.questions_save(
        actor=coordinator,
        questionnaire=template,
        questions=[
            QuestionData(pk=usefulness.pk, text=usefulness.text, kind="scale", key="usefulness"),
            QuestionData(pk=satisfaction.pk, text="Helhetsbetyg", kind="scale", key="overall"),
            QuestionData(text="Vad saknade du?", kind="text", key="missing"),
        ],
    )
    rows = list(template.questions.order_by("order").values_list("pk", "text", "key"))
    assert rows[0] == (usefulness.pk, usefulness.text, "usefulness")
    assert rows[1] == (satisfaction.pk, "Helhetsbetyg", "overall")
    assert rows[2][1:] == ("Vad saknade du?", "missing")
    assert not Question.objects.filter(pk=takeaway.pk).exists()
    assert AuditEntry.objects.filter(action="questionnaire.questions_saved").count() == 1


@pytest.mark.parametrize(
    "questions",
    [
        [],
        [QuestionData(text="A", kind="scale", key="same"), QuestionData("B", "scale", "same")],
        [QuestionData(text="A", kind="scale", key="")],
        [QuestionData(text="A", kind="smiley", key="a")],
    ],
)
def test_bad_question_lists_are_refused_and_nothing_changes(
    network: Network, coordinator, questions: list
) -> None:
    template = services.template_get_or_create(actor=coordinator, network=network)
    with pytest.raises(ValidationError) as refused:
        services.questions_save(actor=coordinator, questionnaire=template, questions=questions)
    assert "questions" in refused.value.error_dict
    assert template.questions.count() == 3


def test_opening_copies_the_template_and_invites_everyone_who_came(
    network: Network, coordinator, django_capture_on_commit_callbacks
) -> None:
    meeting = make_meeting(network)
    came = attend(meeting, 3)
    register(meeting, 2)  # registered but the attendance list is what counts
    services.template_get_or_create(actor=coordinator, network=network)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    assert evaluation.kind == Questionnaire.Kind.EVALUATION
    assert evaluation.meeting == meeting and evaluation.opened_at is not None
    assert [q.key for q in evaluation.questions.order_by("order")] == [
        "satisfaction",
        "usefulness",
        "takeaway",
    ]
    invited = set(
        Invitation.objects.filter(questionnaire=evaluation).values_list("person", flat=True)
    )
    assert invited == {p.pk for p in came}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in came)
    tokens = set(evaluation.invitations.values_list("token", flat=True))
    for message in mail.outbox:
        assert any(f"/answer/{token}/" in message.body for token in tokens)
    assert len({m.body for m in mail.outbox}) == 3  # a personal link each
    assert AuditEntry.objects.filter(action="evaluation.opened").count() == 1


def test_emails_are_sent_only_after_the_commit(
    network: Network, coordinator, django_capture_on_commit_callbacks
) -> None:
    meeting = make_meeting(network)
    attend(meeting, 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.evaluation_open(actor=coordinator, meeting=meeting)
    assert mail.outbox == []
    assert len(callbacks) == 2


def test_without_attendance_the_registered_are_invited(network: Network, coordinator) -> None:
    meeting = make_meeting(network)
    registered = register(meeting, 2)
    register(meeting, 1, status=Registration.Status.CANCELLED)
    register(meeting, 1, status=Registration.Status.WAITING)
    evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    assert set(evaluation.invitations.values_list("person", flat=True)) == {
        p.pk for p in registered
    }


def test_people_without_email_get_no_link(network: Network, coordinator) -> None:
    meeting = make_meeting(network)
    attend(meeting, 2)
    attend(meeting, 1, email="")
    evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    assert evaluation.invitations.count() == 2


@pytest.mark.parametrize("status", [Meeting.Status.PLANNED, Meeting.Status.CANCELLED])
def test_only_a_held_meeting_can_be_evaluated(network: Network, coordinator, status) -> None:
    meeting = make_meeting(network, status=status)
    attend(meeting, 2)
    with pytest.raises(ValidationError) as refused:
        services.evaluation_open(actor=coordinator, meeting=meeting)
    assert "meeting" in refused.value.error_dict
    assert not Questionnaire.objects.filter(meeting=meeting).exists()
    assert not Invitation.objects.exists()


def test_opening_twice_is_refused_and_sends_nothing_more(
    network: Network, coordinator, django_capture_on_commit_callbacks
) -> None:
    meeting = make_meeting(network)
    attend(meeting, 2)
    services.evaluation_open(actor=coordinator, meeting=meeting)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.evaluation_open(actor=coordinator, meeting=meeting)
    assert refused.value.messages == [gettext("This meeting already has an evaluation.")]
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 0


def test_opening_without_anyone_to_ask_is_refused(network: Network, coordinator) -> None:
    meeting = make_meeting(network)
    with pytest.raises(ValidationError):
        services.evaluation_open(actor=coordinator, meeting=meeting)
    assert not Questionnaire.objects.filter(meeting=meeting).exists()


def test_closing(network: Network, coordinator) -> None:
    meeting = make_meeting(network)
    attend(meeting, 1)
    evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    closed = services.evaluation_close(actor=coordinator, questionnaire=evaluation)
    assert closed.closed_at is not None
    with pytest.raises(ValidationError):
        services.evaluation_close(actor=coordinator, questionnaire=evaluation)
    assert AuditEntry.objects.filter(action="questionnaire.closed").count() == 1


def test_aggregates_for_a_held_meeting_without_answers(network: Network, coordinator) -> None:
    meeting = make_meeting(network, title="Nätverksträff 2022")
    evaluation = services.evaluation_aggregates_enter(
        actor=coordinator,
        meeting=meeting,
        figures=[AggregateFigure(14, Decimal("5.2")), AggregateFigure(13, Decimal("4.9"))],
    )
    assert evaluation.aggregates_only and evaluation.respondents == 14
    scale = list(evaluation.questions.filter(kind="scale").order_by("order"))
    assert [(q.key, q.aggregate_n, q.aggregate_mean) for q in scale] == [
        ("satisfaction", 14, Decimal("5.2")),
        ("usefulness", 13, Decimal("4.9")),
    ]
    # Entering again corrects the figures instead of making a second evaluation.
    services.evaluation_aggregates_enter(
        actor=coordinator,
        meeting=meeting,
        figures=[AggregateFigure(15, Decimal("5.3")), AggregateFigure(None, None)],
    )
    assert Questionnaire.objects.filter(meeting=meeting).count() == 1


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ([AggregateFigure(10, Decimal("6.1")), AggregateFigure(None, None)], "mean_0"),
        ([AggregateFigure(10, None), AggregateFigure(None, None)], "mean_0"),
        ([AggregateFigure(None, Decimal("5.0")), AggregateFigure(None, None)], "n_0"),
        ([AggregateFigure(None, None), AggregateFigure(None, None)], "questionnaire"),
        ([AggregateFigure(10, Decimal("5.0"))], "questionnaire"),
    ],
)
def test_bad_aggregates_are_refused_and_nothing_is_saved(
    network: Network, coordinator, figures, field
) -> None:
    meeting = make_meeting(network)
    with pytest.raises(ValidationError) as refused:
        services.evaluation_aggregates_enter(actor=coordinator, meeting=meeting, figures=figures)
    assert field in refused.value.error_dict
    assert not Questionnaire.objects.filter(meeting=meeting).exists()


def test_aggregates_are_refused_once_there_are_answers(network: Network, coordinator) -> None:
    meeting = make_meeting(network)
    attend(meeting, 2)
    evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    answer_all(evaluation, [5])
    with pytest.raises(ValidationError):
        services.evaluation_aggregates_enter(
            actor=coordinator,
            meeting=meeting,
            figures=[AggregateFigure(2, Decimal("5.0")), AggregateFigure(2, Decimal("5.0"))],
        )
    assert not Questionnaire.objects.get(pk=evaluation.pk).aggregates_only


def test_aggregates_for_a_planned_meeting_are_refused(network: Network, coordinator) -> None:
    meeting = make_meeting(network, status=Meeting.Status.PLANNED)
    with pytest.raises(ValidationError):
        services.evaluation_aggregates_enter(
            actor=coordinator,
            meeting=meeting,
            figures=[AggregateFigure(2, Decimal("5.0")), AggregateFigure(None, None)],
        )


SURVEY_QUESTIONS = [
    QuestionData(text="Hur nöjd är du med nätverket?", kind="scale", key="overall"),
    QuestionData(text="Vad vill du att nätverket gör nästa år?", kind="text", key="wishes"),
]


def test_survey_create_and_send_to_the_networks_people(
    network: Network, roles: dict, coordinator, django_capture_on_commit_callbacks
) -> None:
    survey = services.survey_create(
        actor=coordinator, network=network, year=2024, questions=SURVEY_QUESTIONS
    )
    assert survey.title == "Medlemsenkät 2024" and survey.survey_year == 2024
    with django_capture_on_commit_callbacks(execute=True):
        invitations = services.survey_send(actor=coordinator, survey=survey)
    # The network's people (the network core's rule): the Borås member and the Länsstyrelsen
    # guest of Klimat, the group's coordinator and the network's coordinator.
    invited = {i.person.user for i in invitations}
    assert invited == {
        roles["member"],
        roles["partner"],
        roles["group_coordinator"],
        roles["network_coordinator"],
    }
    assert len(mail.outbox) == 4
    assert "2024" in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        services.survey_send(actor=coordinator, survey=survey)
    assert Invitation.objects.filter(questionnaire=survey).count() == 4


def test_one_survey_per_year(network: Network, coordinator) -> None:
    services.survey_create(
        actor=coordinator, network=network, year=2023, questions=SURVEY_QUESTIONS
    )
    with pytest.raises(ValidationError) as refused:
        services.survey_create(
            actor=coordinator, network=network, year=2023, questions=SURVEY_QUESTIONS
        )
    assert "year" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.survey_create(
            actor=coordinator, network=network, year=1999, questions=SURVEY_QUESTIONS
        )
    assert "year" in refused.value.error_dict


def test_survey_aggregates_and_no_sending_afterwards(network: Network, coordinator) -> None:
    survey = services.survey_create(
        actor=coordinator, network=network, year=2021, questions=SURVEY_QUESTIONS
    )
    services.survey_aggregates_enter(
        actor=coordinator, survey=survey, respondents=23, means=[Decimal("5.6")]
    )
    survey.refresh_from_db()
    assert survey.aggregates_only and survey.respondents == 23
    question = survey.questions.get(key="overall")
    assert (question.aggregate_n, question.aggregate_mean) == (23, Decimal("5.6"))
    with pytest.raises(ValidationError):
        services.survey_send(actor=coordinator, survey=survey)
    with pytest.raises(ValidationError) as refused:
        services.survey_aggregates_enter(
            actor=coordinator, survey=survey, respondents=0, means=[Decimal("5.6")]
        )
    assert "respondents" in refused.value.error_dict


def test_survey_questions_are_locked_once_sent(network: Network, coordinator) -> None:
    survey = services.survey_create(
        actor=coordinator, network=network, year=2024, questions=SURVEY_QUESTIONS
    )
    services.survey_send(actor=coordinator, survey=survey)
    with pytest.raises(ValidationError):
        services.questions_save(actor=coordinator, questionnaire=survey, questions=SURVEY_QUESTIONS)


def test_picking_and_removing_a_quote(network: Network, group_klimat, coordinator) -> None:
    meeting = make_meeting(network, title="Klimatträff i Borås")
    meeting.groups.add(group_klimat)
    attend(meeting, 2)
    evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    answer_all(evaluation, [6], text="  Att vi inte är ensamma om problemen.  ")
    answer = evaluation.responses.get().answers.get(question__key="takeaway")
    quote = services.quote_add(actor=coordinator, answer=answer)
    assert (quote.network, quote.year, quote.group) == (network, 2024, group_klimat)
    assert quote.text == "Att vi inte är ensamma om problemen."
    assert quote.source == "Ur utvärderingen av Klimatträff i Borås"
    with pytest.raises(ValidationError):
        services.quote_add(actor=coordinator, answer=answer)
    scale = evaluation.responses.get().answers.get(question__key="satisfaction")
    with pytest.raises(ValidationError):
        services.quote_add(actor=coordinator, answer=scale)
    services.quote_remove(actor=coordinator, quote=quote)
    assert not Quote.objects.exists()
    assert AuditEntry.objects.filter(action__in=["quote.added", "quote.removed"]).count() == 2


def test_a_quote_from_a_meeting_of_two_groups_has_no_group(
    network: Network, group_klimat, group_fairtrade, coordinator
) -> None:
    meeting = make_meeting(network)
    meeting.groups.add(group_klimat, group_fairtrade)
    attend(meeting, 1)
    evaluation = services.evaluation_open(actor=coordinator, meeting=meeting)
    answer_all(evaluation, [6], text="Bra")
    answer = evaluation.responses.get().answers.get(question__key="takeaway")
    assert services.quote_add(actor=coordinator, answer=answer).group is None
