from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from navet.meetings.models import Meeting
from navet.networks.forms import DateInput
from navet.networks.models import Group

MONTH_CHOICES = [("", _("(from the date, or not known)")), *MONTHS.items()]


class ActivityForm(forms.Form):
    theme = forms.CharField(label=_("Theme"), max_length=300)
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        label=_("Group"),
        required=False,
        empty_label=_("The whole network"),
    )
    planned_date = forms.DateField(
        label=_("Planned date"),
        required=False,
        widget=DateInput(),
        help_text=_("Fill in the date if it is known, otherwise the month."),
    )
    planned_month = forms.TypedChoiceField(
        label=_("Planned month"),
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        label=_("Realised by the meeting"),
        required=False,
        empty_label=_("No meeting yet"),
        help_text=_("The meeting that carried out this activity, once it exists."),
    )

    def __init__(self, *args: object, groups: object, meetings: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
