from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.core import bounds, uploads
from navet.networks.models import Group, GroupMembership, Organisation, Person

# Memberships and contact persons may reach back before Navet's own records began.
HISTORY_STARTS = 1900


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date within the years Navet keeps (1900–2100 for memberships and contacts)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            bounds.check_date(value, earliest=HISTORY_STARTS)


class PickerSelect(forms.Select):
    """A <select> that ``static/js/picker.js`` turns into a searchable combobox, fed by the
    network's JSON endpoint for ``kind`` (``networks.api``). Without JavaScript it stays the
    plain <select>, so the form works either way."""

    # Past this many choices only the chosen one is sent with the page: the picker asks the
    # endpoint for the rest, so a list of 5 000 people does not weigh down every form.
    INLINE_LIMIT = 400

    def __init__(self, kind: str, purpose: str = "") -> None:
        attrs = {"data-picker": kind}
        if purpose:
            attrs["data-picker-purpose"] = purpose
        super().__init__(attrs=attrs)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None or queryset.count() <= self.INLINE_LIMIT:
            return super().optgroups(name, value, attrs)
        chosen_ids = [v for v in value if str(v).isdigit()]
        field = iterator.field  # type: ignore[attr-defined]
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        self.choices = empty + [
            iterator.choice(obj)  # type: ignore[attr-defined]
            for obj in queryset.filter(pk__in=chosen_ids)
        ]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = iterator


def membership_organisations() -> QuerySet[Organisation]:
    """The organisations a membership may be for (the form and its picker endpoint)."""
    return Organisation.objects.exclude(kind=Organisation.Kind.NATION).order_by("name")


def via_organisations() -> QuerySet[Organisation]:
    """The organisations a member may take part via (not a municipality)."""
    return membership_organisations().exclude(kind=Organisation.Kind.MUNICIPALITY)


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        widget=PickerSelect("organisations", "membership"),
    )
    start_date = DateField(label=_("Start date"), widget=DateInput())
    end_date = DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day of the membership. Leave empty if it is running."),
    )
    via = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Via organisation"),
        required=False,
        widget=PickerSelect("organisations", "via"),
        help_text=_("Fill in if the member takes part through another organisation."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = membership_organisations()  # type: ignore[attr-defined]
        self.fields["via"].queryset = via_organisations()  # type: ignore[attr-defined]
        if editing:
            self.fields["organisation"].disabled = True


class EndDateForm(forms.Form):
    end_date = DateField(label=_("Last day"), widget=DateInput(), initial=timezone.localdate)


class ContactAssignForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("New contact person"))
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        label=_("Group"),
        required=False,
        empty_label=_("The whole network"),
    )
    start_date = DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: object, people: object, groups: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class GroupMembershipForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("Person"), widget=PickerSelect("people")
    )
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices)
    start_date = DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: object, people: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class PersonForm(forms.ModelForm):
    """A person's fields. ``organisations`` is the choice list the permission rules allow;
    fields outside ``editable`` are shown but cannot be changed (a POSTed value is ignored)."""

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "role_category",
            "organisation",
        ]

    def __init__(
        self,
        *args: object,
        organisations: QuerySet[Organisation],
        editable: set[str] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = organisations
        if self.instance.pk is not None:
            # The person's current organisation stays selectable, whatever the list holds.
            choices = Organisation.objects.filter(
                Q(pk__in=organisations.values("pk")) | Q(pk=self.instance.organisation_id)
            )
        self.fields["organisation"].widget = PickerSelect("organisations", "person")
        self.fields["organisation"].queryset = choices.order_by("name")  # type: ignore[attr-defined]
        if editable is not None:
            for name, field in self.fields.items():
                field.disabled = name not in editable
        if self.fields["email"].disabled:
            self.fields["email"].help_text = _(
                "Only the person, or a platform admin, can change the email address once the "
                "person has an account or also takes part in another network."
            )


class PeriodFilterForm(forms.Form):
    start = DateField(label=_("From"), widget=DateInput(), required=False)
    end = DateField(label=_("To"), widget=DateInput(), required=False)


class ImportForm(forms.Form):
    KIND_CHOICES = [("members", _("Members (organisations)")), ("people", _("People"))]
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        initial="members",
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> UploadedFile:
        uploaded: UploadedFile = self.cleaned_data["file"]
        kind = uploads.check_upload(uploaded, allowed=(uploads.OOXML, uploads.TEXT))
        if kind == uploads.OOXML and uploads.extension(uploaded.name) != "xlsx":
            raise ValidationError(_("Only CSV and XLSX files can be imported."))
        uploaded.seek(0)
        return uploaded
