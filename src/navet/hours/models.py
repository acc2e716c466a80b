"""Coordinator time: who is allocated how many hours a month to serve which group, and the
hours they log against that allocation.

An allocation is a person's planned time (``hours_per_month`` for ``months_per_year`` months
of each calendar year, from–to) for the whole network or one of its groups (a cluster).
Logged hours always belong to an allocation: a month outside every allocation of the person
cannot be logged (see services).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Group, Network, Organisation, Period, Person, period_constraint

# The most hours a calendar month has (31 days × 24 hours).
MAX_HOURS_PER_MONTH = Decimal("744")


class Allocation(Period):
    class Role(models.TextChoices):
        CLUSTER_COORDINATOR = "cluster_coordinator", _("cluster coordinator")
        PROJECT_COORDINATOR = "project_coordinator", _("project coordinator")
        GROUP_COORDINATOR = "group_coordinator", _("group coordinator")
        OTHER = "other", _("other")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="allocations")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="allocations"
    )
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, default=Role.CLUSTER_COORDINATOR
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group or cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
        help_text=_("The group or cluster the person serves; empty for the whole network."),
    )
    hours_per_month = models.DecimalField(
        _("hours a month"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_MONTH)],
    )
    months_per_year = models.PositiveSmallIntegerField(
        _("months a year"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("E.g. 11: the hours a month are planned for 11 of each year's 12 months."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["start_date", "person__last_name", "person__first_name"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            period_constraint("allocation_period_valid"),
            models.CheckConstraint(
                condition=models.Q(hours_per_month__gte=0)
                & models.Q(hours_per_month__lte=MAX_HOURS_PER_MONTH),
                name="allocation_hours_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(months_per_year__gte=1) & models.Q(months_per_year__lte=12),
                name="allocation_months_in_range",
            ),
        ]
        indexes = [models.Index(fields=["network", "start_date", "end_date"])]

    def __str__(self) -> str:
        serves = self.group.name if self.group is not None else self.network.name
        return f"{self.person} – {self.get_role_display()}, {serves}"


class LoggedHours(models.Model):
    """Hours a person spent in one month, on a member organisation, a meeting or an activity."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="logged_hours")
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="logged_hours",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="logged_hours",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="logged_hours",
    )
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    logged_by = models.ForeignKey(
        Person,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hours_logged_by",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "pk"]
        verbose_name = _("logged hours")
        verbose_name_plural = _("logged hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=MAX_HOURS_PER_MONTH),
                name="logged_hours_in_range",
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="logged_hours_month"),
        ]
        indexes = [models.Index(fields=["network", "month"])]

    def __str__(self) -> str:
        return f"{self.allocation.person} {self.month:%Y-%m}: {self.hours} h"

    @property
    def person(self) -> Person:
        return self.allocation.person

    @property
    def spent_on(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        if self.meeting_id:
            return str(self.meeting)
        return self.activity
