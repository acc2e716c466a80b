"""Budget lines with their outcome, ledger imports, and status reports to the funder.

A budget line belongs to a network and a year (and optionally to one of its groups, e.g. a
cluster's own travel). Its outcome is the sum of its outcome entries, typed by hand or
imported from the ledger; an import is one ``LedgerImport`` with all its entries, or nothing.
A status report is a draft until it is sent; then its figures are frozen in ``figures`` and
nothing about it changes.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Group, Network


class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        COST = "cost", _("cost")
        INCOME = "income", _("income")

    class Category(models.TextChoices):
        SALARIES = "salaries", _("salaries")
        TRAVEL = "travel", _("travel")
        CONSULTANTS = "consultants", _("consultants")
        MEETINGS = "meetings", _("meetings")
        OTHER = "other", _("other costs")
        FEES = "fees", _("member fees")
        GRANT = "grant", _("grant")
        OWN = "own", _("own category")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.ForeignKey(
        Group,
        verbose_name=_("group or cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COST)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    name = models.CharField(_("name"), max_length=120)
    account = models.CharField(
        _("account"),
        max_length=20,
        blank=True,
        help_text=_("The ledger's account number for this line, used by the ledger import."),
    )
    planned = models.DecimalField(
        _("planned amount (kr)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["network", "year", "kind", "name"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "name"], name="budget_line_name_unique_in_year"
            ),
            models.UniqueConstraint(
                fields=["network", "year", "account"],
                condition=~Q(account=""),
                name="budget_line_account_unique_in_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class LedgerImport(models.Model):
    """One imported ledger file: its entries land together or not at all."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ledger_imports")
    year = models.PositiveSmallIntegerField(_("year"))
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total = models.DecimalField(_("total (kr)"), max_digits=16, decimal_places=2, default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "sha256"], name="ledger_import_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.year})"


class OutcomeEntry(models.Model):
    """An amount booked against a budget line: a cost (or income) on a date."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField(_("date"))
    text = models.CharField(_("text"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (kr)"), max_digits=14, decimal_places=2)
    ledger_import = models.ForeignKey(
        LedgerImport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("outcome entry")
        verbose_name_plural = _("outcome entries")

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"


class StatusReport(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month", _("monthly report")
        QUARTER = "quarter", _("quarterly status report")
        YEAR = "year", _("annual report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="status_reports")
    group = models.ForeignKey(
        Group,
        verbose_name=_("group or cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    done = models.TextField(_("what was done"), blank=True)
    deviations = models.TextField(_("deviations"), blank=True)
    next_period = models.TextField(_("next period"), blank=True)
    figures = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_start", "kind", "pk"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "kind", "period_start"],
                condition=Q(group__isnull=True),
                name="status_report_once_per_network_period",
            ),
            models.UniqueConstraint(
                fields=["network", "group", "kind", "period_start"],
                condition=Q(group__isnull=False),
                name="status_report_once_per_group_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="status_report_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT
