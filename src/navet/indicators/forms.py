"""Forms for the indicator pages: an organisation's targets."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from navet.indicators.models import Indicator, SdgTarget, Target

# Plain text boxes for whole numbers (styled like the others; no spinner to nudge years).
NUMERIC = {"inputmode": "numeric"}


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = f", {obj.unit}" if obj.unit else ""
        return f"{obj.title} ({obj.code}{unit})"


class SdgTargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = obj.title if len(obj.title) <= 90 else obj.title[:88] + "…"
        return f"{obj.code} {title}"


class TargetForm(forms.Form):
    indicator = IndicatorChoiceField(
        queryset=Indicator.objects.order_by("title", "code"), label=_("Indicator")
    )
    sdg_target = SdgTargetChoiceField(
        queryset=SdgTarget.objects.select_related("goal"),
        label=_("Relevant Agenda 2030 target"),
        required=False,
        empty_label=_("(those the catalogue links to the indicator)"),
    )
    strategy_link = forms.CharField(
        label=_("Link to regional strategy"),
        max_length=200,
        required=False,
        help_text=_("The area of the regional development strategy, e.g. “Robust society”."),
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, widget=forms.TextInput(attrs=NUMERIC)
    )
    baseline_value = forms.FloatField(
        label=_("Baseline value"),
        required=False,
        localize=True,
        help_text=_("Leave empty to use the stored value of the baseline year."),
    )
    target_year = forms.IntegerField(
        label=_("Target year"), initial=2030, widget=forms.TextInput(attrs=NUMERIC)
    )
    target_value = forms.FloatField(
        label=_("Target value"),
        required=False,
        localize=True,
        help_text=_("Leave empty for a target described in words only."),
    )
    desired_state = forms.CharField(
        label=_("Desired state"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    current_state = forms.CharField(
        label=_("Current state"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    steering_document = forms.CharField(
        label=_("Steering document"), max_length=300, required=False
    )
    steering_document_url = forms.URLField(
        label=_("Link to steering document"),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    position = forms.IntegerField(
        label=_("Place in the table"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs=NUMERIC),
        help_text=_("Lower numbers come first. Leave empty to put a new target last."),
    )

    @classmethod
    def initial_for(cls, target: Target) -> dict[str, Any]:
        return {name: getattr(target, name) for name in cls.base_fields}
