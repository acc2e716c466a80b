"""Sustainability indicators: the catalogue, one tidy table of values, targets and import runs.

Values are kept in one long table (indicator × organisation × year × gender), as Kolada
publishes them, so a value has exactly one place and every comparison is a query over it.
Organisations are the network core's: municipalities, regions and Riket (SCB code 0000).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Network, Organisation


class BilingualTitle:
    """Agenda 2030 texts ship in Swedish and English; ``title`` is the one of the language."""

    title_sv: str
    title_en: str

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv


class SdgGoal(BilingualTitle, models.Model):
    """One of Agenda 2030's 17 goals; shipped as data (indicators/data/agenda2030.json)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Agenda 2030 goal")
        verbose_name_plural = _("Agenda 2030 goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class SdgTarget(BilingualTitle, models.Model):
    """One of the 169 targets, e.g. 12.3 (halve food waste)."""

    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=8, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    title_sv = models.TextField(_("title (Swedish)"))
    title_en = models.TextField(_("title (English)"))

    class Meta:
        ordering = ["goal__number", "position"]
        verbose_name = _("Agenda 2030 target")
        verbose_name_plural = _("Agenda 2030 targets")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


PERCENT_UNITS = frozenset({"%", "procent", "percent"})
PERCENT_RANGE = (0.0, 100.0)


class Indicator(models.Model):
    class Source(models.TextChoices):
        KOLADA = "kolada", _("Kolada")
        OWN = "own", _("own indicator")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")
        NONE = "none", _("no desired direction")

    class Dimension(models.TextChoices):
        ECOLOGICAL = "ecological", _("ecological")
        SOCIAL = "social", _("social")
        ECONOMIC = "economic", _("economic")

    # For Kolada indicators the code is the KPI id (e.g. N00401); own indicators get their own.
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.KOLADA
    )
    # The network that owns an own indicator; empty for Kolada's.
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_indicators",
    )
    direction = models.CharField(
        _("desired direction"), max_length=10, choices=Direction.choices, default=Direction.NONE
    )
    dimension = models.CharField(
        _("dimension"), max_length=12, choices=Dimension.choices, blank=True
    )
    keyword = models.CharField(_("keyword"), max_length=120, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    has_gender_split = models.BooleanField(_("values by gender"), default=False)
    # Demo indicators or values that are not real are labelled as such wherever they show.
    is_demo = models.BooleanField(_("demo data"), default=False)
    goals = models.ManyToManyField(
        SdgGoal, verbose_name=_("Agenda 2030 goals"), blank=True, related_name="indicators"
    )
    targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("Agenda 2030 targets"), blank=True, related_name="indicators"
    )
    kolada_updated = models.DateTimeField(_("metadata synced from Kolada"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator_detail", args=[self.code])

    @property
    def plausible_range(self) -> tuple[float, float] | None:
        """The range a figure of this indicator can lie in, where the unit says so: a
        percentage lies within 0–100. Other indicators have none (only the general ±1e15)."""
        return PERCENT_RANGE if self.unit.strip().lower() in PERCENT_UNITS else None

    @property
    def unit_after_title(self) -> str:
        """The unit to show after the title, or "" where the title already states it, as
        Kolada's titles often do ("Skyddad natur totalt, andel (%)")."""
        unit, title = self.unit, self.title
        if not unit or title.endswith(unit) or f"({unit})" in title or f", {unit}" in title:
            return ""
        return unit


class IndicatorSet(models.Model):
    """A chosen list of indicators: a network's own set, SEKOM's 12, a regional strategy's."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("network's own set")
        KEY_INDICATORS = "key_indicators", _("key indicators")
        REGIONAL_STRATEGY = "regional_strategy", _("regional strategy")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_sets",
    )
    indicators = models.ManyToManyField(
        Indicator, through="IndicatorSetEntry", related_name="sets", verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:set_detail", args=[self.slug])


class IndicatorSetEntry(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="entries"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="set_entries")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # For a regional strategy: the strategy area this indicator follows up ("Robust samhälle").
    area = models.CharField(_("area"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "indicator"], name="set_entry_unique_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_set}: {self.indicator.code}"


class MunicipalityGroup(models.Model):
    """A group of comparable municipalities, e.g. SKR's municipality groups, from Kolada."""

    kolada_id = models.CharField(_("Kolada id"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    members = models.ManyToManyField(
        Organisation, related_name="municipality_groups", verbose_name=_("members")
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("municipality group")
        verbose_name_plural = _("municipality groups")

    def __str__(self) -> str:
        return self.title


class ImportRun(models.Model):
    """One import of values (Kolada sync, file or demo) with its progress and its log."""

    class Kind(models.TextChoices):
        KOLADA = "kolada", _("Kolada sync")
        FILE = "file", _("file import")
        DEMO = "demo", _("demo data")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # What was asked for: Kolada KPI ids, municipality codes and years; or the file's name.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The network the run was started for; empty for a platform-wide run (admins only).
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_import_runs",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set whenever a running run saves progress; a run that stops beating was abandoned.
    last_progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps in all"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    # Lines of what happened, in order, for people to read (errors included).
    log = models.TextField(_("log"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:run_detail", args=[self.pk])

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.steps_total:
            return 0
        return min(100, round(100 * self.steps_done / self.steps_total))


class Value(models.Model):
    """One figure: an indicator for an organisation, a year and a gender (T = total)."""

    class Gender(models.TextChoices):
        TOTAL = "T", _("total")
        WOMEN = "K", _("women")
        MEN = "M", _("men")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default="T")
    # Missing values are kept with Kolada's status (e.g. "Missing") so a gap is explained.
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ImportRun.Kind.choices)
    import_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("import run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "year", "gender"], name="value_unique"
            )
        ]
        # Rankings and comparisons read indicator-years across all organisations; the unique
        # index above already serves one organisation's series. On PostgreSQL the index also
        # carries organisation and value, so those reads never touch the table (elsewhere
        # Django creates it without them, see SILENCED_SYSTEM_CHECKS).
        indexes = [
            models.Index(
                fields=["indicator", "year", "gender"],
                include=["organisation", "value"],
                name="value_ranking",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.organisation} {self.year} {self.gender}"


class Target(models.Model):
    """An organisation's target for one indicator: a row of the follow-up table (seeds/002)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="indicator_targets",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets_set"
    )
    sdg_target = models.ForeignKey(
        SdgTarget,
        verbose_name=_("relevant Agenda 2030 target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    strategy_link = models.CharField(_("link to regional strategy"), max_length=200, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), default=2030)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    desired_state = models.TextField(_("desired state"), blank=True)
    current_state = models.TextField(_("current state"), blank=True)
    steering_document = models.CharField(_("steering document"), max_length=300, blank=True)
    steering_document_url = models.URLField(_("link to steering document"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["organisation__name", "position", "indicator__code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator"], name="target_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__gt=models.F("baseline_year")),
                name="target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.indicator.title}"
