"""Thin views: look up, ask permissions, validate with a form, call one service or selector."""

import math
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from navet.core.charts import bar_chart, line_chart
from navet.core.views import apply_errors, deny, network_or_404, network_view
from navet.evaluations import selectors, services
from navet.evaluations.forms import (
    AnswerForm,
    EvaluationAggregatesForm,
    QuestionFormSet,
    SurveyAggregatesForm,
    SurveyForm,
    question_initial,
)
from navet.evaluations.models import (
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
)
from navet.evaluations.permissions import (
    MEMBERS_MIN_ANSWERS,
    answer_policy,
    can_manage_evaluations,
    evaluated_meeting_policy,
    quote_policy,
    results_policy,
    survey_policy,
)
from navet.evaluations.selectors import QuestionResult, format_mean
from navet.meetings.models import Meeting
from navet.networks.models import Network

manager_only = network_view(can_manage_evaluations)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _questionnaire(request: HttpRequest, network: Network, pk: int) -> Questionnaire:
    """An evaluation or survey of the network, through the policy: another network's is 404."""
    within = results_policy.instances_user_has_permission_for(
        request.user, "change", network=network
    )
    try:
        return selectors.questionnaire_detail(network=network, pk=pk, within=within)
    except Questionnaire.DoesNotExist as missing:
        raise Http404 from missing


def _survey(request: HttpRequest, network: Network, pk: int) -> Questionnaire:
    return get_object_or_404(
        survey_policy.instances_user_has_permission_for(
            request.user, "change", network=network
        ).prefetch_related("questions"),
        pk=pk,
    )


def _meeting(request: HttpRequest, network: Network, pk: int) -> Meeting:
    return evaluated_meeting_policy.get_or_404(request.user, "change", network=network, pk=pk)


@manager_only
def index(request: HttpRequest, network: Network) -> HttpResponseBase:
    return render(
        request,
        "evaluations/index.html",
        {
            "network": network,
            "meetings": selectors.held_meetings(network=network),
            "surveys": selectors.survey_list(network=network),
        },
    )


def _questions_page(
    request: HttpRequest, network: Network, questionnaire: Questionnaire, template_name: str
) -> HttpResponseBase:
    questions = list(questionnaire.questions.all())
    formset = QuestionFormSet(
        request.POST or None, initial=question_initial(questions), prefix="questions"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.questions_save(
                actor=request.user, questionnaire=questionnaire, questions=formset.questions()
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The questions were saved."))
            return redirect(request.path)
    return render(
        request,
        template_name,
        {"network": network, "questionnaire": questionnaire, "formset": formset},
    )


@manager_only
def template_edit(request: HttpRequest, network: Network) -> HttpResponseBase:
    template = services.template_get_or_create(actor=request.user, network=network)
    return _questions_page(request, network, template, "evaluations/template_form.html")


@require_POST
@manager_only
def evaluation_open(request: HttpRequest, network: Network, meeting_pk: int) -> HttpResponseBase:
    meeting = _meeting(request, network, meeting_pk)
    try:
        evaluation = services.evaluation_open(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("evaluations:index", slug=network.slug)
    messages.success(
        request,
        _("The evaluation was opened and %(count)s answer links were sent.")
        % {"count": evaluation.invitations.count()},
    )
    return redirect("evaluations:results", slug=network.slug, pk=evaluation.pk)


@require_POST
@manager_only
def close(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    questionnaire = _questionnaire(request, network, pk)
    try:
        services.evaluation_close(actor=request.user, questionnaire=questionnaire)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("It is closed; no more answers are taken."))
    return redirect("evaluations:results", slug=network.slug, pk=pk)


@manager_only
def evaluation_aggregates(
    request: HttpRequest, network: Network, meeting_pk: int
) -> HttpResponseBase:
    meeting = _meeting(request, network, meeting_pk)
    questions = services.aggregate_questions(actor=request.user, meeting=meeting)
    form = EvaluationAggregatesForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_aggregates_enter(
                actor=request.user, meeting=meeting, figures=form.figures()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The figures were saved."))
            return redirect("evaluations:results", slug=network.slug, pk=evaluation.pk)
    return render(
        request,
        "evaluations/aggregates_form.html",
        {"network": network, "meeting": meeting, "form": form, "questions": questions},
    )


def _chart_top(results: list[QuestionResult]) -> int:
    """One axis for every question's bars, a multiple of six so the ticks are whole numbers."""
    largest = max((max(r.distribution) for r in results), default=0)
    return max(6, math.ceil(largest / 6) * 6)


def _rate(n: int, invitations: int) -> str:
    return f"{round(100 * n / invitations)} %" if invitations else "–"


def results(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """The results of an evaluation or survey. Coordinators see everything and pick quotes;
    members of the network see a meeting evaluation's aggregates and the chosen quotes, never
    a single answer (``permissions.can_view_results``)."""
    network = network_or_404(slug)
    within = results_policy.instances_user_has_permission_for(request.user, "view", network=network)
    try:
        questionnaire = selectors.questionnaire_detail(network=network, pk=pk, within=within)
    except Questionnaire.DoesNotExist as missing:
        if results_policy.base().filter(network=network, pk=pk).exists():
            return deny(request)
        raise Http404 from missing
    manages = can_manage_evaluations(request.user, network)
    question_results = selectors.questionnaire_results(questionnaire)
    top = _chart_top(question_results)
    invitations = questionnaire.invitation_count  # type: ignore[attr-defined]
    rows = [
        {
            "result": result,
            # Members see no figure from so few answers that one could be read off it.
            "withheld": not manages
            and not result.aggregates_only
            and result.n < MEMBERS_MIN_ANSWERS,
            "mean": format_mean(result.mean),
            "rate": _rate(result.n, invitations),
            "distribution": list(zip(range(1, 7), result.distribution, strict=True)),
            "chart": None
            if result.aggregates_only
            else bar_chart(
                [str(value) for value in range(1, 7)],
                list(result.distribution),
                title=result.text,
                description=_("Number of answers for each value from 1 to 6."),
                maximum=top,
                x_title=_("Answer (1 = not at all, 6 = very much)"),
                y_title=_("Number of answers"),
            ),
        }
        for result in question_results
    ]
    quotes = list(selectors.quotes_from(questionnaire=questionnaire))
    picked = {quote.answer_id: quote for quote in quotes}
    return render(
        request,
        "evaluations/results.html",
        {
            "network": network,
            "questionnaire": questionnaire,
            "manages": manages,
            "min_answers": MEMBERS_MIN_ANSWERS,
            "rows": rows,
            "invitations": invitations,
            "responses": questionnaire.response_count,  # type: ignore[attr-defined]
            "response_rate": _rate(questionnaire.response_count, invitations),  # type: ignore[attr-defined]
            "quotes": [quote for quote in quotes if quote.in_report],
            # Single answers are the coordinators' alone.
            "text_answers": [
                (answer, picked.get(answer.pk))
                for answer in selectors.text_answers(questionnaire=questionnaire)
            ]
            if manages
            else [],
        },
    )


@require_POST
@manager_only
def quote_add(request: HttpRequest, network: Network, pk: int, answer_pk: int) -> HttpResponseBase:
    answer = answer_policy.get_or_404(
        request.user, "change", network=network, pk=answer_pk, response__questionnaire__pk=pk
    )
    try:
        quote = services.quote_add(actor=request.user, answer=answer)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The quote was added to the report of %(year)s.") % {"year": quote.year}
        )
    return redirect("evaluations:results", slug=network.slug, pk=pk)


@require_POST
@manager_only
def quote_remove(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    quote = quote_policy.get_or_404(request.user, "change", network=network, pk=pk)
    questionnaire_pk = (
        Questionnaire.objects.filter(responses__answers__pk=quote.answer_id)
        .values_list("pk", flat=True)
        .first()
        if quote.answer_id is not None
        else None
    )
    services.quote_remove(actor=request.user, quote=quote)
    messages.success(request, _("The quote was removed from the report."))
    if questionnaire_pk is not None:
        return redirect("evaluations:results", slug=network.slug, pk=questionnaire_pk)
    return redirect("evaluations:survey_list", slug=network.slug)


@manager_only
def survey_list(request: HttpRequest, network: Network) -> HttpResponseBase:
    until = timezone.localdate().year + 1
    years, texts = selectors.survey_trend(network=network, until_year=until)
    keys = list(texts)
    labels = [str(year.year) for year in years]
    chart = (
        line_chart(
            labels,
            {texts[key]: [year.means.get(key) for year in years] for key in keys},
            title=_("Member survey: mean per question and year"),
            description=_("Mean on the scale 1 to 6 for each question, year by year."),
            minimum=1,
            maximum=6,
        )
        if years and keys
        else None
    )
    return render(
        request,
        "evaluations/survey_list.html",
        {
            "network": network,
            "surveys": selectors.survey_list(network=network),
            "years": years,
            "chart": chart,
            "trend_rows": [
                {
                    "key": key,
                    "text": texts[key],
                    "means": [format_mean(y.means.get(key)) for y in years],
                }
                for key in keys
            ],
        },
    )


@manager_only
def survey_create(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = SurveyForm(request.POST or None)
    year = timezone.localdate().year
    previous = selectors.previous_survey(network=network, before_year=year + 1)
    initial = question_initial(list(previous.questions.all()), with_pk=False) if previous else []
    formset = QuestionFormSet(request.POST or None, initial=initial, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            survey = services.survey_create(
                actor=request.user,
                network=network,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                questions=formset.questions(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The survey for %(year)s was created.") % {"year": survey.survey_year}
            )
            return redirect("evaluations:survey_list", slug=network.slug)
    return render(
        request,
        "evaluations/survey_form.html",
        {"network": network, "form": form, "formset": formset, "previous": previous},
    )


@manager_only
def survey_questions(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    survey = _survey(request, network, pk)
    return _questions_page(request, network, survey, "evaluations/survey_questions.html")


@require_POST
@manager_only
def survey_send(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    survey = _survey(request, network, pk)
    try:
        invitations = services.survey_send(actor=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("evaluations:survey_list", slug=network.slug)
    messages.success(request, _("%(count)s answer links were sent.") % {"count": len(invitations)})
    return redirect("evaluations:results", slug=network.slug, pk=survey.pk)


@manager_only
def survey_aggregates(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    survey = _survey(request, network, pk)
    questions = [q for q in survey.questions.all() if q.kind == QuestionKind.SCALE]
    form = SurveyAggregatesForm(request.POST or None, survey=survey, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_aggregates_enter(
                actor=request.user,
                survey=survey,
                respondents=form.cleaned_data["respondents"],
                means=form.means(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The figures were saved."))
            return redirect("evaluations:survey_list", slug=network.slug)
    return render(
        request,
        "evaluations/survey_aggregates_form.html",
        {"network": network, "survey": survey, "form": form},
    )


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public answer page: no login, the personal link is the key. Used or closed links
    get a clear message (status 200), unknown ones 404."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("questionnaire").prefetch_related(
            Prefetch("questionnaire__questions", queryset=Question.objects.order_by("order", "pk"))
        ),
        token=token,
    )
    questionnaire = invitation.questionnaire
    context: dict[str, Any] = {"questionnaire": questionnaire}
    if invitation.used_at is not None:
        return render(
            request,
            "evaluations/answer_done.html",
            {**context, "message": services.already_answered_message()},
        )
    if questionnaire.closed_at is not None or questionnaire.opened_at is None:
        return render(
            request,
            "evaluations/answer_done.html",
            {**context, "message": services.closed_message(questionnaire)},
        )
    questions = list(questionnaire.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_submit(token=token, answers=form.answers())
        except Invitation.DoesNotExist as missing:
            raise Http404 from missing
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                return render(
                    request,
                    "evaluations/answer_done.html",
                    {**context, "message": _error_text(error)},
                )
        else:
            return render(
                request,
                "evaluations/answer_done.html",
                {**context, "message": _("Thank you! Your answer was saved."), "thanks": True},
            )
    return render(request, "evaluations/answer.html", {**context, "form": form})
