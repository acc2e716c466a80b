from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.core.bounds import EARLIEST_YEAR, LATEST_YEAR
from navet.fees.models import FeeScheme


class FeeSchemeForm(forms.ModelForm):
    class Meta:
        model = FeeScheme
        fields = [
            "year",
            "base_year",
            "rate",
            "floor",
            "ceiling",
            "rounding",
            "pro_rata",
            "fixed_fee",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year", "base_year"):
            self.fields[name] = forms.IntegerField(
                label=self.fields[name].label,
                help_text=self.fields[name].help_text,
                min_value=EARLIEST_YEAR,
                max_value=LATEST_YEAR,
            )
        if self.instance.pk:
            self.fields["year"].disabled = True


class FeeIndexForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    percent = forms.DecimalField(
        label=_("Wage development (%)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("-50"),
        max_value=Decimal("50"),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScbUploadForm(forms.Form):
    file = forms.FileField(
        label=_("SCB file (CSV)"),
        help_text=_(
            'The table "Folkmängd i riket, län och kommuner 31 december" downloaded as '
            "semicolon-separated CSV: a region column (e.g. “1490 Borås”) and one column per "
            "year."
        ),
    )


class KoladaPopulationForm(forms.Form):
    year = forms.IntegerField(
        label=_("Population year (31 December)"), min_value=1990, max_value=LATEST_YEAR
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
