from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.core import bounds
from navet.evaluations.models import Question, QuestionKind, Questionnaire
from navet.evaluations.services import AggregateFigure, QuestionData, answer_field


class QuestionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Question"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    key = forms.CharField(
        label=_("Key"),
        max_length=50,
        required=False,
        validators=[validate_slug],
        help_text=_("A short stable name, e.g. satisfaction, so the years can be compared."),
    )
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("text", "").strip() and not data.get("key"):
            self.add_error("key", _("Every question needs a key."))
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        keys: set[str] = set()
        for form in self.forms:
            if form.cleaned_data.get("DELETE"):
                continue
            key = form.cleaned_data.get("key")
            if not form.cleaned_data.get("text", "").strip():
                continue
            if key in keys:
                form.add_error("key", _("Two questions cannot have the same key."))
            keys.add(key)

    def questions(self) -> list[QuestionData]:
        """The kept questions with a text, in the chosen order."""
        rows = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or (form.cleaned_data.get("DELETE")):
                continue
            if not data.get("text", "").strip():
                continue
            order = data.get("order")
            rows.append(
                (
                    order if order is not None else 10_000 + index,
                    index,
                    QuestionData(
                        text=data["text"], kind=data["kind"], key=data["key"], pk=data.get("pk")
                    ),
                )
            )
        return [row[2] for row in sorted(rows, key=lambda row: (row[0], row[1]))]


QuestionFormSet = cast(
    type[BaseQuestionFormSet],
    forms.formset_factory(QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True),
)


def question_initial(questions: list[Question], *, with_pk: bool = True) -> list[dict[str, Any]]:
    return [
        {
            "pk": q.pk if with_pk else None,
            "text": q.text,
            "kind": q.kind,
            "key": q.key,
            "order": index,
        }
        for index, q in enumerate(questions, start=1)
    ]


class SurveyForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=bounds.EARLIEST_YEAR, max_value=bounds.LATEST_YEAR
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for “Medlemsenkät” and the year."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


MEAN_FIELD: dict[str, Any] = {
    "max_digits": 2,
    "decimal_places": 1,
    "min_value": Decimal("1.0"),
    "max_value": Decimal("6.0"),
    "required": False,
    "localize": True,
}


class EvaluationAggregatesForm(forms.Form):
    """n and mean for each scale question (fields ``n_<i>`` and ``mean_<i>``)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{f"n_{i}": q.aggregate_n for i, q in enumerate(questions)},
                **{f"mean_{i}": q.aggregate_mean for i, q in enumerate(questions)},
            },
        )
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"n_{index}"] = forms.IntegerField(
                label=_("Number of answers: %(question)s") % {"question": question.text},
                min_value=0,
                max_value=bounds.MAX_COUNT,
                required=False,
            )
            self.fields[f"mean_{index}"] = forms.DecimalField(
                label=_("Mean: %(question)s") % {"question": question.text}, **MEAN_FIELD
            )

    def figures(self) -> list[AggregateFigure]:
        return [
            AggregateFigure(n=self.cleaned_data[f"n_{i}"], mean=self.cleaned_data[f"mean_{i}"])
            for i in range(len(self.questions))
        ]


class SurveyAggregatesForm(forms.Form):
    """Respondents and the mean for each scale question (fields ``mean_<i>``)."""

    respondents = forms.IntegerField(
        label=_("Respondents"), min_value=1, max_value=bounds.MAX_COUNT
    )

    def __init__(self, *args: Any, survey: Questionnaire, questions: list[Question], **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "respondents": survey.respondents,
                **{f"mean_{i}": q.aggregate_mean for i, q in enumerate(questions)},
            },
        )
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"mean_{index}"] = forms.DecimalField(
                label=_("Mean: %(question)s") % {"question": question.text}, **MEAN_FIELD
            )

    def means(self) -> list[Decimal | None]:
        return [self.cleaned_data[f"mean_{i}"] for i in range(len(self.questions))]


def scale_choices() -> list[tuple[str, str]]:
    labels = {1: _("1 – not at all"), 6: _("6 – to a very high degree")}
    return [(str(value), str(labels.get(value, value))) for value in range(1, 7)]


class AnswerForm(forms.Form):
    """One field per question: radio buttons 1–6 for a scale question, a text area otherwise."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                field: forms.Field = forms.TypedChoiceField(
                    label=question.text,
                    choices=scale_choices(),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Choose a value from 1 to 6."),
                        "invalid_choice": _("The answer must be from 1 to 6."),
                    },
                )
            else:
                field = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            self.fields[answer_field(question)] = field

    def answers(self) -> dict[int, int | str | None]:
        return {q.pk: self.cleaned_data.get(answer_field(q)) for q in self.questions}
