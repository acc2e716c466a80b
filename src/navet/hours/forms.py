import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from navet.hours.models import Allocation
from navet.meetings.models import Meeting
from navet.networks.forms import DateField, DateInput
from navet.networks.models import Group, Network, Organisation, Person


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A calendar month typed as YYYY-MM (what <input type="month"> sends)."""

    widget = MonthInput

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-")[:2])
            return datetime.date(year, month, 1)
        except ValueError as bad:
            raise ValidationError(
                _("Enter a month as year-month, e.g. 2010-03."), code="invalid"
            ) from bad

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


def hours_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=6, decimal_places=2, localize=True, **kwargs)


class AllocationForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Allocation.Role.choices)
    group = forms.ModelChoiceField(
        label=_("Group or cluster"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("The whole network"),
    )
    hours_per_month = hours_field(_("Hours a month"))
    months_per_year = forms.IntegerField(
        label=_("Months a year"),
        initial=12,
        help_text=_("E.g. 11: the hours a month are planned for 11 of each year's 12 months."),
    )
    start_date = DateField(label=_("From"), widget=DateInput())
    end_date = DateField(label=_("To"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self, *args: Any, network: Network, people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        self.fields["group"].queryset = network.groups.order_by("name")  # type: ignore[attr-defined]


class LogHoursForm(forms.Form):
    allocation = forms.ModelChoiceField(label=_("Allocation"), queryset=Allocation.objects.none())
    month = MonthField(label=_("Month"))
    hours = hours_field(_("Hours"))
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"), queryset=Organisation.objects.none(), required=False
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False
    )
    activity = forms.CharField(
        label=_("Activity"),
        max_length=200,
        required=False,
        help_text=_("Free text, e.g. “cluster meeting preparations”."),
    )

    def __init__(
        self, *args: Any, network: Network, allocations: QuerySet[Allocation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(
                Q(memberships__network=network) | Q(memberships_represented__network=network)
            )
            .distinct()
            .order_by("name")
        )
        self.fields["meeting"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            network=network
        ).order_by("-starts_at")


class PeriodForm(forms.Form):
    start = DateField(label=_("From"), widget=DateInput(), required=False)
    end = DateField(label=_("To"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end date is before the start date."))
        return data
