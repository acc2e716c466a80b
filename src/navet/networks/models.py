"""The network core: who belongs to which network, in which groups, and who is the contact.

Membership, group participation and contact assignments all carry from–to dates. Who is a
member on a given day is derived from those dates (see selectors), never stored twice.
"""

import datetime
import time

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from navet.core.collation import SWEDISH
from navet.networks.counties import county_name


class Period(models.Model):
    """A from–to period. ``end_date`` is the last day included; empty means still running."""

    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


def period_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")), name=name
    )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        REGION = "region", _("region")
        COUNTY_BOARD = "county_board", _("county administrative board")
        ASSOCIATION = "association", _("association of municipalities")
        COMPANY = "company", _("company")
        NATION = "nation", _("nation (national reference)")
        OTHER = "other", _("other")

    # The short name lists use ("Borås"); the official one is for letters and reports.
    name = models.CharField(_("name"), max_length=200, db_collation=SWEDISH)
    official_name = models.CharField(
        _("official name"),
        max_length=200,
        blank=True,
        help_text=_('As the organisation calls itself, e.g. "Borås Stad" or "Dals-Eds kommun".'),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # SCB code: four digits for a municipality, two for a region (its county), 0000 for Riket.
    scb_code = models.CharField(_("SCB code"), max_length=4, unique=True, null=True, blank=True)
    county_code = models.CharField(_("county code"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:organisation_detail", args=[self.pk])

    @property
    def county(self) -> str:
        return county_name(self.county_code)

    @property
    def formal_name(self) -> str:
        """The official name where it is known, else the short one (letters, reports)."""
        return self.official_name or self.name


class RoleCategory(models.Model):
    """A kind of official (miljöstrateg, upphandlare, GIS …): data an admin can extend.

    ``Person.role_category`` holds the ``code``; the built-in codes of ``Person.RoleCategory``
    are seeded by a migration and must stay (imports and the target editors' rule use them).
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_sv = models.CharField(_("Swedish name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("role category")
        verbose_name_plural = _("role categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language (Swedish unless English is chosen)."""
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


# (code, Swedish name, English name) of each category, by order, as the table caches them.
_role_rows: tuple[float, list[tuple[str, str, str]]] = (0.0, [])
ROLE_CACHE_SECONDS = 60.0


def role_category_rows() -> list[tuple[str, str, str]]:
    """The table's rows, cached for a minute per process (``clear_role_categories`` empties
    the cache on every change), so a list of people costs no query per person."""
    global _role_rows
    loaded_at, rows = _role_rows
    if not rows or time.monotonic() - loaded_at > ROLE_CACHE_SECONDS:
        try:
            rows = list(RoleCategory.objects.values_list("code", "name_sv", "name_en"))
        except DatabaseError:
            # No table yet: the system checks before the first ``migrate`` ask for choices.
            return []
        _role_rows = (time.monotonic(), rows)
    return rows


def clear_role_categories(**_kwargs: object) -> None:
    global _role_rows
    _role_rows = (0.0, [])


models.signals.post_save.connect(clear_role_categories, sender=RoleCategory)
models.signals.post_delete.connect(clear_role_categories, sender=RoleCategory)


def role_category_choices() -> list[tuple[str, str]]:
    """The choices of ``Person.role_category``: the table's rows in the current language, or
    the built-in codes while the table is empty (e.g. before its migration ran)."""
    rows = role_category_rows()
    if not rows:
        return [(code, str(label)) for code, label in Person.RoleCategory.choices]
    english = (get_language() or "sv").startswith("en")
    return [(code, name_en if english else name_sv) for code, name_sv, name_en in rows]


class Person(models.Model):
    """Someone who works for an organisation. People are shared between networks, so a network
    sees only those who take part in it (see ``networks.permissions.person_policy``)."""

    class RoleCategory(models.TextChoices):
        ENVIRONMENTAL_STRATEGIST = "miljostrateg", _("environmental strategist")
        SUSTAINABILITY_STRATEGIST = "hallbarhetsstrateg", _("sustainability strategist")
        ECOLOGIST = "kommunekolog", _("municipal ecologist")
        FAIRTRADE_COORDINATOR = "fairtrade", _("Fairtrade coordinator")
        ENERGY_ADVISOR = "energi", _("energy and climate adviser")
        COORDINATOR = "samordnare", _("network coordinator")
        MANAGER = "chef", _("manager")
        OTHER = "annan", _("other")

    first_name = models.CharField(_("first name"), max_length=100, db_collation=SWEDISH)
    last_name = models.CharField(_("last name"), max_length=100, db_collation=SWEDISH)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    role_category = models.CharField(
        _("role category"),
        max_length=30,
        choices=role_category_choices,
        default=RoleCategory.OTHER,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    # The network whose coordinator (or import) registered the person: it may see them before
    # they take part in a group. Nothing else links a person to a network by itself.
    registered_by_network = models.ForeignKey(
        "Network",
        verbose_name=_("registered by network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("networks:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, db_collation=SWEDISH)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    coordinating_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_networks",
    )
    coordinators = models.ManyToManyField(
        Person, verbose_name=_("coordinators"), blank=True, related_name="coordinated_networks"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:network_detail", args=[self.slug])


class Membership(Period):
    """An organisation's membership of a network, optionally through another organisation."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    via = models.ForeignKey(
        Organisation,
        verbose_name=_("via"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships_represented",
        help_text=_("The organisation through which this member takes part, if any."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["organisation__name", "start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [period_constraint("membership_period_valid")]
        indexes = [models.Index(fields=["network", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.organisation} i {self.network}"


class Group(models.Model):
    class Kind(models.TextChoices):
        FOCUS_GROUP = "focus_group", _("focus group")
        CLUSTER = "cluster", _("cluster")
        WORKING_GROUP = "working_group", _("working group")
        THEME = "theme", _("theme")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200, db_collation=SWEDISH)
    slug = models.SlugField(_("short name"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.FOCUS_GROUP
    )
    description = models.TextField(_("description"), blank=True)
    coordinators = models.ManyToManyField(
        Person, verbose_name=_("coordinators"), blank=True, related_name="coordinated_groups"
    )

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="group_slug_unique_in_network")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:group_detail", args=[self.network.slug, self.slug])


class GroupMembership(Period):
    """A person taking part in a group; guests (partners) come from outside the network."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        GUEST = "guest", _("guest (partner)")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="group_memberships")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )

    class Meta:
        ordering = ["person__last_name", "person__first_name", "start_date"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [period_constraint("group_membership_period_valid")]

    def __str__(self) -> str:
        return f"{self.person} i {self.group}"


class ContactAssignment(Period):
    """The contact person of an organisation in a network, or in one of its groups.

    A new assignment ends the previous one (see services), so the history of who was the
    contact, and when, is kept row by row.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="contact_assignments"
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )

    class Meta:
        ordering = ["organisation__name", "-start_date"]
        verbose_name = _("contact assignment")
        verbose_name_plural = _("contact assignments")
        constraints = [period_constraint("contact_assignment_period_valid")]
        indexes = [models.Index(fields=["network", "organisation", "start_date"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"
