"""Forms for budget lines, outcome, the ledger import and status reports. Choice lists come
from the network (groups) and the permissions (report groups); amounts take a decimal comma."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from navet.budget.models import BudgetLine, StatusReport
from navet.core import uploads
from navet.networks.models import Group


class AmountField(forms.DecimalField):
    """An amount in kronor as people write it: ``12 345,50``, ``12345.50`` or ``-350``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            value = value.replace("\u2212", "-")
        return super().to_python(value)


class BudgetLineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=BudgetLine.Kind.choices)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=BudgetLine.Category.choices,
        help_text=_(
            "Choose “own category” for a line of your own. An income line of the category "
            "“member fees” shows the fee list's total as its outcome."
        ),
    )
    planned = AmountField(label=_("Planned amount (kr)"))
    account = forms.CharField(
        label=_("Ledger account"),
        max_length=20,
        required=False,
        help_text=_(
            "The account in the ledger (e.g. 5800); the ledger import finds the line by it."
        ),
    )
    group = forms.ModelChoiceField(
        label=_("Group or cluster"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("The whole network"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class OutcomeEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = AmountField(
        label=_("Amount (kr)"), help_text=_("A negative amount is a credit or a refund.")
    )
    text = forms.CharField(label=_("Text"), max_length=300, required=False)


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file (CSV)"),
        help_text=_(
            "Semicolon-separated, as Excel saves “CSV (semicolon separated)”: the columns "
            "Datum, Konto, Text and Belopp. Download the template for an example."
        ),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        uploads.check_upload(uploaded, allowed=(uploads.TEXT,))
        if uploads.extension(uploaded.name) not in {"csv", "txt"}:
            raise ValidationError(_("Upload the ledger as a CSV file."))
        return uploaded


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=StatusReport.Kind.choices)
    period_start = forms.DateField(
        label=_("A day in the period"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The report covers the month, quarter or year this day falls in."),
    )
    group = forms.ModelChoiceField(
        label=_("For"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("The whole network"),
    )

    def __init__(
        self, *args: Any, groups: QuerySet[Group], whole_network: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        field.queryset = groups  # type: ignore[attr-defined]
        if not whole_network:
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]


class ReportTextForm(forms.Form):
    done = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    deviations = forms.CharField(
        label=_("Deviations"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("From the plan, the budget or the allocated hours, and why."),
    )
    next_period = forms.CharField(
        label=_("Next period"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
