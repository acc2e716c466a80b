"""Reads for evaluations and the member survey, also used by the annual report.

Every selector runs a fixed number of queries whatever the number of meetings, questions or
answers. Means have one decimal, rounded half up (5,25 → 5,3), as people round by hand;
:func:`format_mean` writes them with a decimal comma.

The annual report uses:

* :func:`questionnaire_results`: the scale questions of one questionnaire with n, mean and the
  distribution of 1–6;
* :func:`evaluation_results_by_meeting`: the same for many meetings at once (meetings without
  an evaluation are left out of the dict);
* :func:`survey_trend`: the member survey's mean per question key and year, and respondents;
* :func:`quotes_for_report`: the quotes picked for a year's report.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db.models import Count, Prefetch, QuerySet, Sum

from navet.evaluations.models import (
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Quote,
)
from navet.meetings.models import Meeting
from navet.networks.models import Network

SCALE = range(1, 7)
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class QuestionResult:
    """The result of one scale question.

    ``mean`` has one decimal, rounded half up, and is None without answers; ``distribution``
    counts the answers 1..6 (all zeros when only aggregates were entered).
    """

    key: str
    text: str
    n: int
    mean: Decimal | None
    distribution: tuple[int, int, int, int, int, int]
    aggregates_only: bool


@dataclass(frozen=True)
class SurveyYear:
    """One year of the member survey: respondents (None if unknown) and means by question key."""

    year: int
    respondents: int | None
    means: dict[str, Decimal | None]


def round_mean(total: int | Decimal, n: int) -> Decimal | None:
    """``total / n`` with one decimal, rounded half up; None when n is 0."""
    if not n:
        return None
    return (Decimal(total) / Decimal(n)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def format_mean(value: Decimal | None) -> str:
    """A mean in Swedish style, with one decimal and a decimal comma: "5,2"; "–" when None."""
    if value is None:
        return "–"
    return f"{value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)}".replace(".", ",")


def _scale_questions() -> Prefetch:
    return Prefetch(
        "questions",
        queryset=Question.objects.filter(kind=QuestionKind.SCALE).order_by("order", "pk"),
        to_attr="scale_questions",
    )


def _counts_by_question(question_ids: list[int]) -> dict[int, list[int]]:
    """question id → counts of the values 1..6, in one query."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    rows = (
        Answer.objects.filter(question_id__in=question_ids, value__isnull=False)
        .values("question_id", "value")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["question_id"]][cast(int, row["value"]) - 1] = row["count"]
    return counts


def _result(question: Question, counts: list[int], aggregates_only: bool) -> QuestionResult:
    if aggregates_only:
        return QuestionResult(
            key=question.key,
            text=question.text,
            n=question.aggregate_n or 0,
            mean=question.aggregate_mean,
            distribution=(0, 0, 0, 0, 0, 0),
            aggregates_only=True,
        )
    n = sum(counts)
    total = sum(value * count for value, count in zip(SCALE, counts, strict=True))
    return QuestionResult(
        key=question.key,
        text=question.text,
        n=n,
        mean=round_mean(total, n),
        distribution=(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]),
        aggregates_only=False,
    )


def _results(questionnaires: list[Questionnaire]) -> dict[int, list[QuestionResult]]:
    """questionnaire id → results; the questionnaires must carry ``scale_questions``."""
    question_ids = [q.pk for qn in questionnaires for q in qn.scale_questions]  # type: ignore[attr-defined]
    counts = _counts_by_question(question_ids)
    return {
        qn.pk: [
            _result(q, counts[q.pk], qn.aggregates_only)
            for q in qn.scale_questions  # type: ignore[attr-defined]
        ]
        for qn in questionnaires
    }


def questionnaire_results(questionnaire: Questionnaire) -> list[QuestionResult]:
    """The scale questions of one questionnaire, in order, with n, mean and distribution."""
    loaded = Questionnaire.objects.prefetch_related(_scale_questions()).get(pk=questionnaire.pk)
    return _results([loaded])[loaded.pk]


def evaluation_results_by_meeting(meetings: Iterable[Meeting]) -> dict[int, list[QuestionResult]]:
    """meeting id → the results of its evaluation, in three queries for any number of
    meetings. Meetings without an evaluation are not in the dict."""
    meeting_ids = [m.pk for m in meetings]
    questionnaires = list(
        Questionnaire.objects.filter(
            kind=Questionnaire.Kind.EVALUATION, meeting_id__in=meeting_ids
        ).prefetch_related(_scale_questions())
    )
    by_questionnaire = _results(questionnaires)
    return {qn.meeting_id: by_questionnaire[qn.pk] for qn in questionnaires if qn.meeting_id}


def survey_trend(*, network: Network, until_year: int) -> tuple[list[SurveyYear], dict[str, str]]:
    """The member survey year by year up to ``until_year`` (ascending): respondents and the mean
    per question key, from answers or from entered aggregates. The second value maps each key
    to its question text, in the latest year's wording. Four queries whatever the years."""
    surveys = list(
        Questionnaire.objects.filter(
            network=network, kind=Questionnaire.Kind.SURVEY, survey_year__lte=until_year
        )
        .annotate(response_count=Count("responses"))
        .prefetch_related(_scale_questions())
        .order_by("survey_year")
    )
    question_ids = [q.pk for s in surveys for q in s.scale_questions]  # type: ignore[attr-defined]
    sums = {
        row["question_id"]: (row["total"], row["n"])
        for row in Answer.objects.filter(question_id__in=question_ids, value__isnull=False)
        .values("question_id")
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
    }
    years: list[SurveyYear] = []
    texts: dict[str, str] = {}
    for survey in surveys:
        means: dict[str, Decimal | None] = {}
        for question in survey.scale_questions:  # type: ignore[attr-defined]
            key = question.key or f"q{question.pk}"
            texts[key] = question.text
            if survey.aggregates_only:
                means[key] = question.aggregate_mean
            else:
                total, n = sums.get(question.pk, (0, 0))
                means[key] = round_mean(total, n)
        respondents = survey.respondents if survey.aggregates_only else survey.response_count
        years.append(SurveyYear(year=survey.survey_year or 0, respondents=respondents, means=means))
    return years, texts


def quotes_for_report(*, network: Network, year: int) -> QuerySet[Quote]:
    """The quotes picked for the network's report of ``year``, in the order they were picked."""
    return Quote.objects.filter(network=network, year=year, in_report=True).select_related("group")


# Pages


def evaluation_template(*, network: Network) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(network=network, kind=Questionnaire.Kind.TEMPLATE)
        .prefetch_related("questions")
        .first()
    )


def held_meetings(*, network: Network) -> QuerySet[Meeting]:
    """The network's held meetings, newest first, each with its evaluation (or none) and the
    counts the overview shows, in one query."""
    return (
        Meeting.objects.filter(network=network, status=Meeting.Status.HELD)
        .select_related("evaluation")
        .annotate(
            invitation_count=Count("evaluation__invitations", distinct=True),
            response_count=Count("evaluation__responses", distinct=True),
        )
        .order_by("-starts_at")
    )


def survey_list(*, network: Network) -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.filter(network=network, kind=Questionnaire.Kind.SURVEY)
        .annotate(
            invitation_count=Count("invitations", distinct=True),
            response_count=Count("responses", distinct=True),
        )
        .order_by("-survey_year")
    )


def questionnaire_detail(
    *, network: Network, pk: int, within: QuerySet[Questionnaire] | None = None
) -> Questionnaire:
    """A meeting evaluation or survey of the network, with its meeting and questions; raises
    Questionnaire.DoesNotExist. ``within``: only these (the policy's queryset)."""
    questionnaires = Questionnaire.objects.filter(network=network)
    if within is not None:
        questionnaires = questionnaires.filter(pk__in=within.values("pk"))
    return (
        questionnaires.exclude(kind=Questionnaire.Kind.TEMPLATE)
        .select_related("meeting")
        .prefetch_related("questions")
        .annotate(
            invitation_count=Count("invitations", distinct=True),
            response_count=Count("responses", distinct=True),
        )
        .get(pk=pk)
    )


def text_answers(*, questionnaire: Questionnaire) -> QuerySet[Answer]:
    """The non-empty free-text answers, grouped by question."""
    return (
        Answer.objects.filter(response__questionnaire=questionnaire, question__kind="text")
        .exclude(text="")
        .select_related("question")
        .order_by("question__order", "question_id", "pk")
    )


def quotes_from(*, questionnaire: Questionnaire) -> QuerySet[Quote]:
    """Quotes picked from this questionnaire's answers."""
    return Quote.objects.filter(answer__response__questionnaire=questionnaire).order_by("pk")


def previous_survey(*, network: Network, before_year: int) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(
            network=network, kind=Questionnaire.Kind.SURVEY, survey_year__lt=before_year
        )
        .prefetch_related("questions")
        .order_by("-survey_year")
        .first()
    )
