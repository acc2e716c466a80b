from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from navet.core import bounds
from navet.meetings.models import Meeting, Registration
from navet.meetings.services import MeetingInput, SpeakerInput, meeting_date_errors
from navet.networks.models import Group, Organisation, Person


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _datetime_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        **kwargs,
    )


def parse_speaker_lines(text: str) -> list[SpeakerInput]:
    """One speaker per line: "Name, title, organisation" (title and organisation optional)."""
    speakers = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if not parts[0]:
            continue
        name = parts[0]
        title = parts[1] if len(parts) > 1 else ""
        organisation = ", ".join(parts[2:]) if len(parts) > 2 else ""
        speakers.append(SpeakerInput(name=name, title=title, organisation_name=organisation))
    return speakers


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind_label = forms.CharField(
        label=_("Kind of meeting"),
        max_length=100,
        required=False,
        help_text=_("As the network calls it, e.g. “Nätverksträff” or “Digitalt nätverksmöte”."),
    )
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    groups: forms.ModelMultipleChoiceField[Group] = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a meeting of the whole network."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Meeting.Format.choices)
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(
        _("Ends"), help_text=_("For a meeting over several days: when the last day ends.")
    )
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    meeting_link = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to registered people and coordinators."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea, required=False)
    speaker_lines = forms.CharField(
        label=_("Speakers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: name, title, organisation."),
    )
    speaker_people: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("Speakers among the network's people"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=bounds.MAX_COUNT,
        required=False,
        help_text=_("Leave empty for no limit. When full, people go on a waiting list."),
    )
    registration_deadline = _datetime_field(_("Registration deadline"), required=False)
    participants_note = forms.CharField(
        label=_("Participants came from"), max_length=300, required=False
    )

    def __init__(
        self, *args: Any, groups: Any, people: Any, groups_required: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]
        self.fields["groups"].required = groups_required
        if groups_required:
            self.fields["groups"].help_text = _("Choose at least one of the groups you coordinate.")
        self.fields["speaker_people"].queryset = people  # type: ignore[attr-defined]
        self.fields["speaker_people"].label_from_instance = lambda person: (  # type: ignore[attr-defined]
            f"{person.full_name}, {person.organisation.name}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = meeting_date_errors(
            data.get("starts_at"), data.get("ends_at"), data.get("registration_deadline")
        )
        for name, message in errors.items():
            if name in data:
                self.add_error(name, message)
        return data

    def meeting_input(self) -> MeetingInput:
        data = dict(self.cleaned_data)
        speakers = parse_speaker_lines(data.pop("speaker_lines"))
        speakers += [
            SpeakerInput(
                person=person, title=person.title, organisation_name=person.organisation.name
            )
            for person in data.pop("speaker_people")
        ]
        return MeetingInput(**data, speakers=speakers)

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        speakers = list(meeting.speakers.all())
        return {
            "title": meeting.title,
            "kind_label": meeting.kind_label,
            "theme": meeting.theme,
            "groups": list(meeting.groups.all()),
            "format": meeting.format,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "location": meeting.location,
            "meeting_link": meeting.meeting_link,
            "description": meeting.description,
            "agenda": meeting.agenda,
            "speaker_lines": "\n".join(
                ", ".join(part for part in (s.name, s.title, s.organisation_name) if part)
                for s in speakers
                if s.person_id is None
            ),
            "speaker_people": [s.person for s in speakers if s.person_id is not None],
            "capacity": meeting.capacity,
            "registration_deadline": meeting.registration_deadline,
            "participants_note": meeting.participants_note,
        }


class CopyForm(forms.Form):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    registration_deadline = _datetime_field(_("Registration deadline"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = meeting_date_errors(
            data.get("starts_at"), data.get("ends_at"), data.get("registration_deadline")
        )
        for name, message in errors.items():
            if name in data:
                self.add_error(name, message)
        return data


class RegistrationForm(forms.Form):
    """What the meeting asks of the person: on site or digital for a hybrid meeting, which
    days for a meeting over several days, dietary needs when they come on site."""

    mode = forms.ChoiceField(
        label=_("How will you take part?"),
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Which days will you come?"),
        coerce=datetime.date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        max_length=300,
        required=False,
        help_text=_("Deleted 30 days after the meeting. Only if you come on site."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting.format != Meeting.Format.HYBRID:
            del self.fields["mode"]
        days = meeting.days
        if len(days) > 1:
            self.fields["days"].choices = [  # type: ignore[attr-defined]
                (day.isoformat(), date_format(day, "l j F")) for day in days
            ]
            self.fields["days"].initial = [day.isoformat() for day in days]
        else:
            del self.fields["days"]
        if meeting.format == Meeting.Format.DIGITAL:
            del self.fields["dietary_needs"]

    def choice(self) -> dict[str, Any]:
        """The keyword arguments for ``services.registration_register``."""
        data = self.cleaned_data
        return {
            "dietary_needs": data.get("dietary_needs", ""),
            "mode": data.get("mode", ""),
            "days": data.get("days") if "days" in self.fields else None,
        }


class InviteForm(forms.Form):
    NETWORK = "network"
    GROUPS = "groups"
    audience = forms.ChoiceField(
        label=_("Send to"),
        widget=forms.RadioSelect,
        choices=[
            (NETWORK, _("Everyone in the network (members' people, guests and coordinators)")),
            (GROUPS, _("The participants and guests of the meeting's groups")),
        ],
        initial=NETWORK,
    )
    note = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, has_groups: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_groups:
            self.fields["audience"].choices = self.fields["audience"].choices[:1]  # type: ignore[attr-defined]


class AttendanceCountsForm(forms.Form):
    """One number field per day and kind of organisation, plus a total without breakdown.

    A day has either a breakdown (the day's figure is its sum) or a total alone, never both:
    a total left beside a breakdown would be counted twice (42 became 84).
    """

    KINDS = [("", _("Total without breakdown")), *Organisation.Kind.choices]

    def __init__(self, *args: Any, days: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        for day in days:
            for kind, label in self.KINDS:
                self.fields[self.field_name(day, kind)] = forms.IntegerField(
                    label=f"{date_format(day, 'SHORT_DATE_FORMAT')} {label}",
                    min_value=0,
                    max_value=bounds.MAX_COUNT,
                    required=False,
                )

    @staticmethod
    def field_name(day: datetime.date, kind: str) -> str:
        return f"count_{day:%Y%m%d}_{kind or 'total'}"

    def rows(self) -> list[tuple[datetime.date, list[Any]]]:
        return [
            (day, [self[self.field_name(day, kind)] for kind, _label in self.KINDS])
            for day in self.days
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in self.days:
            total = data.get(self.field_name(day, ""))
            breakdown = [data.get(self.field_name(day, kind)) for kind, _label in self.KINDS[1:]]
            if total and any(breakdown):
                self.add_error(
                    self.field_name(day, ""),
                    _(
                        "%(day)s: enter either the total without breakdown or the counts per "
                        "kind of organisation, not both (the total is then their sum)."
                    )
                    % {"day": date_format(day, "SHORT_DATE_FORMAT")},
                )
        return data

    def counts(self) -> dict[tuple[datetime.date, str], int | None]:
        return {
            (day, kind): self.cleaned_data.get(self.field_name(day, kind))
            for day in self.days
            for kind, _label in self.KINDS
        }
