"""Meeting evaluations and the annual member survey.

Answers are anonymous: a personal link (an Invitation) can be used once, and the Response it
produces keeps no reference to it. Where only aggregates exist (older years), the mean and n
are stored as such and marked so.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from navet.meetings.models import Meeting
from navet.networks.models import Group, Network, Person


def new_token() -> str:
    return secrets.token_urlsafe(24)


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("scale 1–6")
    TEXT = "text", _("free text")


class Questionnaire(models.Model):
    """A set of questions: a network's evaluation template, a meeting's evaluation or a survey.

    Exactly one of ``meeting`` (a meeting evaluation) or ``survey_year`` (the annual member
    survey) is set, except for a template (``is_template``), which has neither.
    """

    class Kind(models.TextChoices):
        TEMPLATE = "template", _("evaluation template")
        EVALUATION = "evaluation", _("meeting evaluation")
        SURVEY = "survey", _("annual member survey")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluation"
    )
    survey_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Aggregates only (e.g. the 2022 data): the results were entered, not answered here.
    aggregates_only = models.BooleanField(_("aggregates only"), default=False)
    respondents = models.PositiveIntegerField(
        _("respondents"),
        null=True,
        blank=True,
        help_text=_("Entered number of respondents when only aggregates exist."),
    )

    class Meta:
        ordering = ["network", "kind", "survey_year", "pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "survey_year"],
                condition=models.Q(kind="survey"),
                name="one_survey_per_network_and_year",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("question"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCALE
    )
    # A stable key ties the same question together across meetings and years
    # (e.g. "satisfaction", "usefulness", "coordination"), for trends.
    key = models.SlugField(_("key"), max_length=50, blank=True)
    # Entered aggregates, when the answers themselves do not exist.
    aggregate_n = models.PositiveIntegerField(null=True, blank=True)
    aggregate_mean = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """A personal link to answer once. It is not linked to the answer it produces."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer link")
        verbose_name_plural = _("answer links")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "person"], name="one_link_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} → {self.person}"


class Response(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    submitted_on = models.DateField()  # the day only, so the time cannot tie it to a link

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.submitted_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=1, value__lte=6),
                name="answer_value_1_to_6",
            ),
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else self.text[:40]


class Quote(models.Model):
    """A quote the coordinator picked for the annual report."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="quotes")
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("quote"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_report = models.BooleanField(_("in the annual report"), default=True)

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.text[:60]
