"""Membership fees: a scheme per network and year, the yearly index, population and frozen lines.

A fee is computed from a member's population of 31 December the year before, the scheme's
rate per inhabitant, floor and ceiling (all three in the prices of the scheme's base year and
indexed with the network's yearly wage index up to the fee year), pro rata for part of the
year, and a rounding rule. Until a year is published the list is computed on every request;
publishing stores each member's line (``FeeLine``) so the year's fees no longer move.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Network, Organisation


class FeeIndex(models.Model):
    """The wage development of one year, in per cent, applied from the year before to it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="fee_indices")
    year = models.PositiveSmallIntegerField(_("year"))
    percent = models.DecimalField(
        _("index (%)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("-50")), MaxValueValidator(Decimal("50"))],
        help_text=_("Wage development from the year before to this year, in per cent."),
    )

    class Meta:
        ordering = ["network", "year"]
        verbose_name = _("fee index")
        verbose_name_plural = _("fee indices")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="fee_index_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.year}: {self.percent} %"


class FeeScheme(models.Model):
    class Rounding(models.IntegerChoices):
        KRONOR = 1, _("whole kronor")
        TENS = 10, _("tens of kronor")
        HUNDREDS = 100, _("hundreds of kronor")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="fee_schemes")
    year = models.PositiveSmallIntegerField(_("year"))
    base_year = models.PositiveSmallIntegerField(
        _("base year"),
        help_text=_("Rate, floor and ceiling are in this year's prices and indexed from it."),
    )
    rate = models.DecimalField(
        _("kronor per inhabitant"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
    )
    floor = models.DecimalField(
        _("floor (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000000"))],
    )
    ceiling = models.DecimalField(
        _("ceiling (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000000"))],
    )
    rounding = models.PositiveSmallIntegerField(
        _("rounding"), choices=Rounding.choices, default=Rounding.KRONOR
    )
    pro_rata = models.BooleanField(
        _("pro rata"),
        default=False,
        help_text=_("Members joining or leaving during the year pay for their days."),
    )
    fixed_fee = models.DecimalField(
        _("fixed fee for other organisations (kr)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000000"))],
        help_text=_("What organisations that are not municipalities pay (not indexed)."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["network", "-year"]
        verbose_name = _("fee scheme")
        verbose_name_plural = _("fee schemes")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="fee_scheme_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(ceiling__gte=models.F("floor")),
                name="fee_scheme_ceiling_over_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(base_year__lte=models.F("year")),
                name="fee_scheme_base_year_not_after_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def population_year(self) -> int:
        """Fees use the population of 31 December the year before."""
        return self.year - 1


class FeeSchemeChange(models.Model):  # noqa: DJ008 (an entry in a list, not an object)
    """The history of a scheme: who changed, published or re-opened it, when, before/after."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        PUBLISHED = "published", _("published")
        REOPENED = "reopened", _("re-opened")

    scheme = models.ForeignKey(FeeScheme, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("fee scheme change")
        verbose_name_plural = _("fee scheme changes")


class Population(models.Model):
    """Inhabitants of a municipality on 31 December of ``year`` (public statistics)."""

    class Source(models.TextChoices):
        KOLADA = "kolada", _("Kolada (N01951)")
        SCB = "scb", _("SCB file")
        DEMO = "demo", _("demo data")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"), validators=[MaxValueValidator(100_000_000)]
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organisation__name", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="population_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.inhabitants}"

    @property
    def is_demo(self) -> bool:
        return self.source == self.Source.DEMO


class FeeLine(models.Model):
    """One member's fee of a published year, stored as it was computed and billed."""

    scheme = models.ForeignKey(FeeScheme, on_delete=models.CASCADE, related_name="lines")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fee_lines"
    )
    billed_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fee_lines_billed"
    )
    is_fixed = models.BooleanField(default=False)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_is_demo = models.BooleanField(default=False)
    indexed_rate = models.DecimalField(max_digits=12, decimal_places=4)
    raw_fee = models.DecimalField(max_digits=14, decimal_places=2)
    bounded_fee = models.DecimalField(max_digits=14, decimal_places=2)
    bound = models.CharField(max_length=10, blank=True)  # "floor", "ceiling" or ""
    days = models.PositiveSmallIntegerField()
    days_in_year = models.PositiveSmallIntegerField()
    pro_rata_fee = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["billed_to__name", "organisation__name"]
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "organisation"], name="fee_line_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.scheme.year}: {self.amount}"
