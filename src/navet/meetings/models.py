"""Meetings of a network: when and where, who registered, who came, and what was planned.

Attendance is kept per person and day when names are known, and as counts per day and kind
of organisation when they are not (historical data, large webinars). Statistics never double
count: a person at both days of a two-day meeting is one person and two participant-days.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Group, Network, Organisation, Person


class Meeting(models.Model):
    class Format(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        DIGITAL = "digital", _("digital")
        HYBRID = "hybrid", _("hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    groups = models.ManyToManyField(
        Group, verbose_name=_("groups"), blank=True, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=300)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    kind_label = models.CharField(
        _("kind of meeting"),
        max_length=100,
        blank=True,
        help_text=_("As the network calls it, e.g. “Nätverksträff” or “Digitalt nätverksmöte”."),
    )
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.PHYSICAL
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    # Only shown to people registered for the meeting (and coordinators).
    meeting_link = models.URLField(_("meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    participants_note = models.CharField(
        _("participants came from"),
        max_length=300,
        blank=True,
        help_text=_("Free text, e.g. “kommuner, Länsstyrelsen och Energikontor Väst”."),
    )
    # iCalendar identity: the UID never changes, SEQUENCE goes up with every change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When anything a list of meetings shows for this meeting last changed: the meeting itself,
    # its registrations or its attendance (services.meeting_changed). Cached table rows are
    # keyed on it. Not updated_at, which is the calendar's LAST-MODIFIED.
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["network", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.network.slug, self.pk])

    @property
    def days(self) -> list[datetime.date]:
        """The calendar days the meeting covers, in Stockholm time."""
        first = timezone.localtime(self.starts_at).date()
        last = timezone.localtime(self.ends_at).date()
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


class Speaker(models.Model):
    """A speaker: a known person, or free text when they are not in Navet."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="talks"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person else self.name


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        DIGITAL = "digital", _("digital")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # How the person takes part: chosen for a hybrid meeting, the meeting's format otherwise
    # (empty on registrations older than the choice: read through ``mode_for``).
    mode = models.CharField(_("taking part"), max_length=20, choices=Mode.choices, blank=True)
    # The days chosen (ISO dates) for a meeting over several days; empty means every day.
    chosen_days = models.JSONField(_("days"), default=list, blank=True)
    # Personal data with a short life: deleted 30 days after the meeting (see services).
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_registration_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"

    def mode_for(self, meeting: Meeting) -> str:
        """On site or digital: the choice, else what the meeting's format implies (a hybrid
        meeting's registrations from before the choice count as on site)."""
        if self.mode:
            return self.mode
        if meeting.format == Meeting.Format.DIGITAL:
            return self.Mode.DIGITAL
        return self.Mode.ON_SITE

    def days_for(self, meeting: Meeting) -> list[datetime.date]:
        """The meeting days the person comes on: the chosen ones, or every day."""
        days = meeting.days
        chosen = {datetime.date.fromisoformat(day) for day in self.chosen_days or []}
        return [day for day in days if day in chosen] if chosen else days


class Attendance(models.Model):
    """A named person present on one day of a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["day", "person__last_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "day"], name="one_attendance_per_person_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.day}"


class AttendanceCount(models.Model):
    """How many took part on a day, by kind of organisation, when names are not known."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance_counts")
    day = models.DateField(_("day"))
    organisation_kind = models.CharField(
        _("kind of organisation"),
        max_length=20,
        choices=Organisation.Kind.choices,
        blank=True,
        help_text=_("Empty when the source gives only a total."),
    )
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["day", "organisation_kind"]
        verbose_name = _("attendance count")
        verbose_name_plural = _("attendance counts")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "day", "organisation_kind"], name="one_count_per_day_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.day}: {self.count}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret, revocable URL for subscribing to a network's, a group's or a person's meetings."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(network__isnull=False, group__isnull=True, person__isnull=True)
                    | Q(network__isnull=True, group__isnull=False, person__isnull=True)
                    | Q(network__isnull=True, group__isnull=True, person__isnull=False)
                ),
                name="calendar_feed_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.network or self.group or self.person}"


class PlannedActivity(models.Model):
    """An item of a network's annual plan, linked to the meeting that realised it."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="planned_activities"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_activities"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"),
        null=True,
        blank=True,
        help_text=_("1–12, when only the month is known."),
    )
    theme = models.CharField(_("theme"), max_length=300)
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_activity"
    )

    class Meta:
        ordering = ["year", "planned_date", "planned_month", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        indexes = [models.Index(fields=["network", "year"])]

    def __str__(self) -> str:
        return f"{self.year}: {self.theme}"
