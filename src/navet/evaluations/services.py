"""Writes for evaluations and the member survey. Each service checks its rules, writes atomically
and records an audit entry in the same transaction; rule violations raise ValidationError with a
message in the user's language, keyed by the form field it concerns.

Anonymity: an answer (Response) keeps no reference to the link (Invitation) it came through.
The response stores only the day, the link's ``used_at`` is cut to the start of the day and the
audit entry names the questionnaire, not the link, so neither the time nor the order of saving
ties an answer to a person.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.core.audit import audit_log
from navet.evaluations import emails
from navet.evaluations.models import (
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    Quote,
    Response,
)
from navet.meetings.models import Attendance, Meeting, Registration
from navet.networks.models import Network, Person
from navet.networks.selectors import people_directory

# Swedish content, stored as is (not interface text): the network's default evaluation.
DEFAULT_TEMPLATE_TITLE = "Utvärdering"
DEFAULT_TEMPLATE_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("Hur nöjd är du med träffen?", QuestionKind.SCALE, "satisfaction"),
    ("Kommer träffen att vara till nytta för dig i ditt arbete?", QuestionKind.SCALE, "usefulness"),
    ("Vad tar du med dig?", QuestionKind.TEXT, "takeaway"),
)
MIN_MEAN, MAX_MEAN = Decimal("1.0"), Decimal("6.0")
FIRST_SURVEY_YEAR = 2000


@dataclass(frozen=True)
class QuestionData:
    """One question as edited in a form; ``pk`` is set for a question that already exists."""

    text: str
    kind: str
    key: str
    pk: int | None = None


@dataclass(frozen=True)
class AggregateFigure:
    """Entered figures for one scale question: number of answers and mean."""

    n: int | None
    mean: Decimal | None


def answer_field(question: Question) -> str:
    """The form field (and error key) of a question on the answer page."""
    return f"q_{question.pk}"


def _check_questions(questions: Sequence[QuestionData]) -> None:
    if not questions:
        raise ValidationError({"questions": _("Add at least one question.")})
    keys = [q.key for q in questions]
    if any(not q.text.strip() for q in questions):
        raise ValidationError({"questions": _("Every question needs a text.")})
    if any(not key for key in keys):
        raise ValidationError({"questions": _("Every question needs a key.")})
    if len(set(keys)) != len(keys):
        raise ValidationError({"questions": _("Two questions cannot have the same key.")})
    if any(q.kind not in QuestionKind.values for q in questions):
        raise ValidationError({"questions": _("Choose scale 1–6 or free text.")})


def _has_answers(questionnaire: Questionnaire) -> bool:
    return questionnaire.responses.exists()


@transaction.atomic
def template_get_or_create(*, actor: Any, network: Network) -> Questionnaire:
    """The network's evaluation template, created with the default questions on first use."""
    Network.objects.select_for_update().get(pk=network.pk)
    template = Questionnaire.objects.filter(
        network=network, kind=Questionnaire.Kind.TEMPLATE
    ).first()
    if template is not None:
        return template
    template = Questionnaire.objects.create(
        network=network, kind=Questionnaire.Kind.TEMPLATE, title=DEFAULT_TEMPLATE_TITLE
    )
    Question.objects.bulk_create(
        Question(questionnaire=template, order=order, text=text, kind=kind, key=key)
        for order, (text, kind, key) in enumerate(DEFAULT_TEMPLATE_QUESTIONS, start=1)
    )
    audit_log(actor=actor, action="evaluation_template.created", obj=template)
    return template


@transaction.atomic
def questions_save(
    *, actor: Any, questionnaire: Questionnaire, questions: Sequence[QuestionData]
) -> Questionnaire:
    """Replace the questions of a template, or of a survey not yet sent or answered, in the
    given order. Existing questions (by ``pk``) keep their entered aggregates."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.kind == Questionnaire.Kind.EVALUATION:
        raise ValidationError(
            {"questions": _("The questions of an opened evaluation cannot be changed.")}
        )
    if questionnaire.opened_at is not None or _has_answers(questionnaire):
        raise ValidationError(
            {"questions": _("The questions cannot be changed once the survey has been sent.")}
        )
    _check_questions(questions)
    existing = {q.pk: q for q in questionnaire.questions.all()}
    kept: set[int] = set()
    for order, data in enumerate(questions, start=1):
        question = existing.get(data.pk) if data.pk is not None else None
        if question is None:
            question = Question(questionnaire=questionnaire)
        else:
            kept.add(question.pk)
        question.order = order
        question.text = data.text.strip()
        question.kind = data.kind
        question.key = data.key
        if question.kind == QuestionKind.TEXT:
            question.aggregate_n = question.aggregate_mean = None
        question.save()
    questionnaire.questions.exclude(pk__in=kept).filter(pk__in=list(existing)).delete()
    audit_log(
        actor=actor,
        action="questionnaire.questions_saved",
        obj=questionnaire,
        keys=[q.key for q in questions],
    )
    return questionnaire


def invitees_of_meeting(meeting: Meeting) -> QuerySet[Person]:
    """Who came (named attendance), or, when nobody was recorded, who was registered."""
    came = Person.objects.filter(
        pk__in=Attendance.objects.filter(meeting=meeting).values("person_id")
    )
    if came.exists():
        return came
    return Person.objects.filter(
        pk__in=Registration.objects.filter(
            meeting=meeting, status=Registration.Status.REGISTERED
        ).values("person_id")
    )


def _invite(*, questionnaire: Questionnaire, people: Sequence[Person]) -> list[Invitation]:
    """One link per person with an email address; each gets an email after the commit."""
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        Invitation(questionnaire=questionnaire, person=person, sent_at=now)
        for person in people
        if person.email
    )
    for invitation in invitations:
        subject, body = emails.answer_link_message(invitation)
        transaction.on_commit(
            lambda inv=invitation, s=subject, b=body: emails.send_answer_link(  # type: ignore[misc]
                invitation=inv, subject=s, body=b
            )
        )
    return invitations


def _copy_template(*, actor: Any, meeting: Meeting, aggregates_only: bool) -> Questionnaire:
    template = template_get_or_create(actor=actor, network=meeting.network)
    questions = list(template.questions.all())
    if not questions:
        raise ValidationError(
            {"meeting": _("The evaluation template has no questions. Add some first.")}
        )
    evaluation = Questionnaire.objects.create(
        network=meeting.network,
        kind=Questionnaire.Kind.EVALUATION,
        title=meeting.title,
        meeting=meeting,
        aggregates_only=aggregates_only,
    )
    Question.objects.bulk_create(
        Question(questionnaire=evaluation, order=q.order, text=q.text, kind=q.kind, key=q.key)
        for q in questions
    )
    return evaluation


def _check_held(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError({"meeting": _("Only a meeting that has been held can be evaluated.")})


@transaction.atomic
def evaluation_open(*, actor: Any, meeting: Meeting) -> Questionnaire:
    """Copy the network's template to the meeting and email a personal link to everyone who
    came (or, without an attendance list, everyone registered)."""
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    _check_held(meeting)
    if Questionnaire.objects.filter(meeting=meeting).exists():
        raise ValidationError({"meeting": _("This meeting already has an evaluation.")})
    people = list(invitees_of_meeting(meeting).order_by("last_name", "first_name"))
    if not any(person.email for person in people):
        raise ValidationError(
            {"meeting": _("Nobody with an email address came to or registered for this meeting.")}
        )
    evaluation = _copy_template(actor=actor, meeting=meeting, aggregates_only=False)
    evaluation.opened_at = timezone.now()
    evaluation.save(update_fields=["opened_at"])
    invitations = _invite(questionnaire=evaluation, people=people)
    audit_log(
        actor=actor,
        action="evaluation.opened",
        obj=evaluation,
        meeting=meeting,
        invitations=len(invitations),
    )
    return evaluation


@transaction.atomic
def evaluation_close(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Stop taking answers (a meeting evaluation or a member survey)."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.closed_at is not None:
        raise ValidationError({"questionnaire": _("It is already closed.")})
    if questionnaire.opened_at is None:
        raise ValidationError({"questionnaire": _("It has not been opened.")})
    questionnaire.closed_at = timezone.now()
    questionnaire.save(update_fields=["closed_at"])
    audit_log(actor=actor, action="questionnaire.closed", obj=questionnaire)
    return questionnaire


def closed_message(questionnaire: Questionnaire) -> str:
    if questionnaire.kind == Questionnaire.Kind.SURVEY:
        return _("The survey is closed.")
    return _("The evaluation is closed.")


def already_answered_message() -> str:
    return _("Your answer has already been received. Thank you!")


@transaction.atomic
def answer_submit(*, token: str, answers: dict[int, int | str | None]) -> Response:
    """Save one anonymous answer through a personal link and use the link up, together.

    ``answers`` maps question id → a value 1–6 (scale) or a text. Raises
    Invitation.DoesNotExist for an unknown token; a ValidationError without fields
    (code "used" or "closed") when the link cannot be used; one keyed by ``q_<id>`` for a bad
    answer. Nothing is saved unless everything is valid.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("questionnaire").get(token=token)
    )
    questionnaire = invitation.questionnaire
    if invitation.used_at is not None:
        raise ValidationError(already_answered_message(), code="used")
    if questionnaire.closed_at is not None or questionnaire.opened_at is None:
        raise ValidationError(closed_message(questionnaire), code="closed")
    questions = list(questionnaire.questions.all())
    errors: dict[str, str] = {}
    rows: list[Answer] = []
    for question in questions:
        given = answers.get(question.pk)
        if question.kind == QuestionKind.SCALE:
            try:
                value = int(given) if given not in (None, "") else None
            except (TypeError, ValueError):
                value = 0
            if value is None:
                errors[answer_field(question)] = _("Choose a value from 1 to 6.")
            elif not 1 <= value <= 6:
                errors[answer_field(question)] = _("The answer must be from 1 to 6.")
            else:
                rows.append(Answer(question=question, value=value))
        else:
            text = str(given or "").strip()
            if text:
                rows.append(Answer(question=question, text=text))
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    response = Response.objects.create(questionnaire=questionnaire, submitted_on=today)
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    # The day only, like the response, so the two cannot be paired by time.
    invitation.used_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    invitation.save(update_fields=["used_at"])
    audit_log(actor=None, action="questionnaire.answered", obj=questionnaire)
    return response


def _check_figures(
    questions: Sequence[Question], figures: Sequence[AggregateFigure], *, need_n: bool
) -> None:
    if len(figures) != len(questions):
        raise ValidationError(
            {"questionnaire": _("The questions have changed. Please reload the page.")}
        )
    errors: dict[str, str] = {}
    for index, figure in enumerate(figures):
        if figure.n is not None and not 0 <= figure.n <= bounds.MAX_COUNT:
            errors[f"n_{index}"] = _("The number of answers must be from 0 to %(max)d.") % {
                "max": bounds.MAX_COUNT
            }
        elif figure.mean is not None and not MIN_MEAN <= figure.mean <= MAX_MEAN:
            errors[f"mean_{index}"] = _("The mean must be from 1.0 to 6.0.")
        elif need_n and (figure.n is None) != (figure.mean is None):
            errors[f"mean_{index}" if figure.mean is None else f"n_{index}"] = _(
                "Enter both the number of answers and the mean, or neither."
            )
        elif need_n and figure.n == 0 and figure.mean is not None:
            errors[f"n_{index}"] = _("A mean needs at least one answer.")
    if errors:
        raise ValidationError(errors)
    if all(f.mean is None for f in figures):
        raise ValidationError({"questionnaire": _("Enter the figures of at least one question.")})


def _save_figures(questions: Sequence[Question], figures: Sequence[AggregateFigure]) -> None:
    for question, figure in zip(questions, figures, strict=True):
        question.aggregate_n = figure.n
        question.aggregate_mean = figure.mean
    Question.objects.bulk_update(questions, ["aggregate_n", "aggregate_mean"])


def aggregate_questions(*, actor: Any, meeting: Meeting) -> list[Question]:
    """The scale questions whose figures the aggregates form asks for: the meeting's evaluation's,
    or the template's when the meeting has none yet."""
    evaluation = Questionnaire.objects.filter(meeting=meeting).first()
    source = evaluation or template_get_or_create(actor=actor, network=meeting.network)
    return list(source.questions.filter(kind=QuestionKind.SCALE).order_by("order", "pk"))


@transaction.atomic
def evaluation_aggregates_enter(
    *, actor: Any, meeting: Meeting, figures: Sequence[AggregateFigure]
) -> Questionnaire:
    """For a held meeting without answers (e.g. from before Navet): store n and mean per scale
    question, in the order of :func:`aggregate_questions`."""
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    _check_held(meeting)
    evaluation = Questionnaire.objects.filter(meeting=meeting).first()
    if evaluation is not None and _has_answers(evaluation):
        raise ValidationError(
            {"meeting": _("The evaluation has answers; figures cannot be entered by hand.")}
        )
    if evaluation is None:
        evaluation = _copy_template(actor=actor, meeting=meeting, aggregates_only=True)
    questions = list(evaluation.questions.filter(kind=QuestionKind.SCALE).order_by("order", "pk"))
    _check_figures(questions, figures, need_n=True)
    _save_figures(questions, figures)
    evaluation.aggregates_only = True
    evaluation.respondents = max((f.n or 0 for f in figures), default=0)
    evaluation.save(update_fields=["aggregates_only", "respondents"])
    audit_log(
        actor=actor,
        action="evaluation.aggregates_entered",
        obj=evaluation,
        figures=[[f.n, str(f.mean) if f.mean is not None else None] for f in figures],
    )
    return evaluation


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    network: Network,
    year: int,
    questions: Sequence[QuestionData],
    title: str = "",
) -> Questionnaire:
    """The member survey of a year, with its questions (keys tie the years together)."""
    if not FIRST_SURVEY_YEAR <= year <= timezone.localdate().year + 1:
        raise ValidationError(
            {
                "year": _("Enter a year from %(first)s to %(last)s.")
                % {"first": FIRST_SURVEY_YEAR, "last": timezone.localdate().year + 1}
            }
        )
    if Questionnaire.objects.filter(
        network=network, kind=Questionnaire.Kind.SURVEY, survey_year=year
    ).exists():
        raise ValidationError(
            {"year": _("There is already a survey for %(year)s.") % {"year": year}}
        )
    _check_questions(questions)
    survey = Questionnaire.objects.create(
        network=network,
        kind=Questionnaire.Kind.SURVEY,
        survey_year=year,
        title=title.strip() or f"Medlemsenkät {year}",
    )
    Question.objects.bulk_create(
        Question(questionnaire=survey, order=order, text=q.text.strip(), kind=q.kind, key=q.key)
        for order, q in enumerate(questions, start=1)
    )
    audit_log(actor=actor, action="survey.created", obj=survey, year=year)
    return survey


@transaction.atomic
def survey_send(*, actor: Any, survey: Questionnaire) -> list[Invitation]:
    """Open the survey and email a personal link to each of the network's people today."""
    survey = Questionnaire.objects.select_for_update().select_related("network").get(pk=survey.pk)
    if survey.aggregates_only:
        raise ValidationError(
            {"questionnaire": _("This year's results were entered as aggregates.")}
        )
    if survey.opened_at is not None:
        raise ValidationError({"questionnaire": _("The survey has already been sent.")})
    if not survey.questions.exists():
        raise ValidationError({"questionnaire": _("Add at least one question.")})
    people = list(people_directory(network=survey.network, day=timezone.localdate()))
    if not any(person.email for person in people):
        raise ValidationError({"questionnaire": _("Nobody in the network has an email address.")})
    survey.opened_at = timezone.now()
    survey.save(update_fields=["opened_at"])
    invitations = _invite(questionnaire=survey, people=people)
    audit_log(actor=actor, action="survey.sent", obj=survey, invitations=len(invitations))
    return invitations


@transaction.atomic
def survey_aggregates_enter(
    *,
    actor: Any,
    survey: Questionnaire,
    respondents: int,
    means: Sequence[Decimal | None],
) -> Questionnaire:
    """For a year answered outside Navet: the number of respondents and the mean per scale
    question (in question order)."""
    survey = Questionnaire.objects.select_for_update().get(pk=survey.pk)
    if survey.opened_at is not None or _has_answers(survey):
        raise ValidationError(
            {"questionnaire": _("The survey was sent through Navet; its results are its answers.")}
        )
    if respondents < 1:
        raise ValidationError({"respondents": _("Enter at least one respondent.")})
    if respondents > bounds.MAX_COUNT:
        raise ValidationError(
            {
                "respondents": _("There can be at most %(max)d respondents.")
                % {"max": bounds.MAX_COUNT}
            }
        )
    questions = list(survey.questions.filter(kind=QuestionKind.SCALE).order_by("order", "pk"))
    figures = [AggregateFigure(n=respondents if m is not None else None, mean=m) for m in means]
    _check_figures(questions, figures, need_n=False)
    _save_figures(questions, figures)
    survey.aggregates_only = True
    survey.respondents = respondents
    survey.save(update_fields=["aggregates_only", "respondents"])
    audit_log(
        actor=actor,
        action="survey.aggregates_entered",
        obj=survey,
        respondents=respondents,
        means=[str(m) if m is not None else None for m in means],
    )
    return survey


def quote_source(questionnaire: Questionnaire) -> str:
    """Swedish content for the report, stored with the quote."""
    if questionnaire.kind == Questionnaire.Kind.SURVEY:
        return f"Ur medlemsenkäten {questionnaire.survey_year}"
    return f"Ur utvärderingen av {questionnaire.title}"


@transaction.atomic
def quote_add(*, actor: Any, answer: Answer) -> Quote:
    """Pick a free-text answer as a quote for the report of the meeting's (or survey's) year."""
    answer = Answer.objects.select_related(
        "response__questionnaire__meeting", "response__questionnaire__network"
    ).get(pk=answer.pk)
    questionnaire = answer.response.questionnaire
    if not answer.text.strip():
        raise ValidationError({"answer": _("Only a written answer can be quoted.")})
    if Quote.objects.filter(answer=answer).exists():
        raise ValidationError({"answer": _("This answer has already been picked.")})
    meeting = questionnaire.meeting
    if meeting is not None:
        year = timezone.localtime(meeting.starts_at).year
        groups = list(meeting.groups.order_by("name")[:2])
        group = groups[0] if len(groups) == 1 else None
    else:
        year = questionnaire.survey_year or timezone.localdate().year
        group = None
    quote = Quote.objects.create(
        network=questionnaire.network,
        year=year,
        group=group,
        text=answer.text.strip(),
        source=quote_source(questionnaire),
        answer=answer,
    )
    audit_log(actor=actor, action="quote.added", obj=quote, year=year)
    return quote


@transaction.atomic
def quote_remove(*, actor: Any, quote: Quote) -> None:
    audit_log(actor=actor, action="quote.removed", obj=quote, text=quote.text[:200])
    quote.delete()
