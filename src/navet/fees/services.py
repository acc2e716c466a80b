"""Writes for fees: schemes, the yearly index, publishing and re-opening a year's fees.

Every write checks that the actor manages the network, runs in one transaction and records
an audit entry; a scheme's history (before/after) is kept in ``FeeSchemeChange``.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.core.audit import audit_log
from navet.core.bounds import check_year
from navet.fees.models import FeeIndex, FeeLine, FeeScheme, FeeSchemeChange
from navet.fees.selectors import MemberFee, fee_list
from navet.networks.models import Network
from navet.networks.permissions import can_manage_network

SCHEME_FIELDS = (
    "year",
    "base_year",
    "rate",
    "floor",
    "ceiling",
    "rounding",
    "pro_rata",
    "fixed_fee",
)


def _check_manager(actor: Any, network: Network) -> None:
    if not can_manage_network(actor, network):
        raise PermissionDenied


def _snapshot(scheme: FeeScheme) -> dict[str, Any]:
    """The scheme's fields as JSON, decimals to the places the database keeps."""
    snapshot: dict[str, Any] = {}
    for name in SCHEME_FIELDS:
        value = getattr(scheme, name)
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool | int):
            places = scheme._meta.get_field(name).decimal_places  # type: ignore[union-attr]
            value = str(Decimal(value).quantize(Decimal(1).scaleb(-places)))
        snapshot[name] = value
    return snapshot


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def fee_index_set(*, actor: Any, network: Network, year: int, percent: Decimal) -> FeeIndex:
    _check_manager(actor, network)
    check_year(year, field="year")
    if not Decimal("-50") <= percent <= Decimal("50"):
        raise ValidationError({"percent": _("Enter an index from −50 to 50 per cent.")})
    published = FeeScheme.objects.filter(
        network=network, published_at__isnull=False, base_year__lt=year, year__gte=year
    ).values_list("year", flat=True)
    if published:
        raise ValidationError(
            _("The fees of %(years)s are published and use this index: re-open them first.")
            % {"years": ", ".join(str(y) for y in sorted(published))}
        )
    index, _created = FeeIndex.objects.update_or_create(
        network=network, year=year, defaults={"percent": percent}
    )
    audit_log(actor=actor, action="fees.index_set", obj=index, year=year, percent=str(percent))
    return index


@transaction.atomic
def fee_index_delete(*, actor: Any, index: FeeIndex) -> None:
    _check_manager(actor, index.network)
    audit_log(actor=actor, action="fees.index_delete", obj=index, year=index.year)
    index.delete()


def _validate(scheme: FeeScheme) -> None:
    check_year(scheme.year, field="year")
    check_year(scheme.base_year, field="base_year")
    if scheme.base_year > scheme.year:
        raise ValidationError({"base_year": _("The base year cannot come after the fee year.")})
    if scheme.ceiling < scheme.floor:
        raise ValidationError({"ceiling": _("The ceiling cannot be lower than the floor.")})
    scheme.full_clean(exclude=["network", "published_by"], validate_unique=False)
    clash = FeeScheme.objects.filter(network=scheme.network, year=scheme.year).exclude(pk=scheme.pk)
    if clash.exists():
        raise ValidationError({"year": _("The network already has a fee scheme for this year.")})


@transaction.atomic
def fee_scheme_create(*, actor: Any, network: Network, **values: Any) -> FeeScheme:
    _check_manager(actor, network)
    scheme = FeeScheme(network=network, **values)
    _validate(scheme)
    scheme.save()
    FeeSchemeChange.objects.create(
        scheme=scheme,
        actor=_user(actor),
        action=FeeSchemeChange.Action.CREATED,
        after=_snapshot(scheme),
    )
    audit_log(actor=actor, action="fees.scheme_create", obj=scheme, after=_snapshot(scheme))
    return scheme


@transaction.atomic
def fee_scheme_update(*, actor: Any, scheme: FeeScheme, **values: Any) -> FeeScheme:
    _check_manager(actor, scheme.network)
    scheme = FeeScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_published:
        raise ValidationError(
            _(
                "The fees of %(year)s are published: re-open them with a reason to change "
                "the scheme."
            )
            % {"year": scheme.year}
        )
    before = _snapshot(scheme)
    for name, value in values.items():
        setattr(scheme, name, value)
    _validate(scheme)
    after = _snapshot(scheme)
    if after == before:
        return scheme
    scheme.save()
    changed = [name for name in SCHEME_FIELDS if before[name] != after[name]]
    FeeSchemeChange.objects.create(
        scheme=scheme,
        actor=_user(actor),
        action=FeeSchemeChange.Action.CHANGED,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    audit_log(
        actor=actor,
        action="fees.scheme_update",
        obj=scheme,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return scheme


@transaction.atomic
def fee_year_publish(*, actor: Any, scheme: FeeScheme) -> FeeScheme:
    """Store every member's line as computed now; refused while any fee cannot be computed."""
    _check_manager(actor, scheme.network)
    return _publish(actor=actor, scheme=scheme)


def _publish(*, actor: Any, scheme: FeeScheme) -> FeeScheme:
    """Publishing without the permission check: for ``fee_year_publish`` and the demo."""
    scheme = FeeScheme.objects.select_for_update().select_related("network").get(pk=scheme.pk)
    if scheme.is_published:
        raise ValidationError(
            _("The fees of %(year)s are already published.") % {"year": scheme.year}
        )
    fees = fee_list(scheme=scheme)
    if fees.error:
        raise ValidationError(fees.error)
    if fees.problems:
        names = ", ".join(member.organisation.name for member in fees.problems)
        raise ValidationError(
            _("The fees cannot be published: no population for 31 December %(year)s for %(names)s.")
            % {"year": scheme.population_year, "names": names}
        )
    if not fees.members:
        raise ValidationError(_("The network has no members in %(year)s.") % {"year": scheme.year})
    FeeLine.objects.bulk_create([_line(scheme, member) for member in fees.members])
    scheme.published_at = timezone.now()
    scheme.published_by = _user(actor)
    scheme.save(update_fields=["published_at", "published_by"])
    FeeSchemeChange.objects.create(
        scheme=scheme,
        actor=_user(actor),
        action=FeeSchemeChange.Action.PUBLISHED,
        after={"lines": len(fees.members), "total": str(fees.total)},
    )
    audit_log(actor=actor, action="fees.publish", obj=scheme, total=str(fees.total))
    return scheme


def _line(scheme: FeeScheme, member: MemberFee) -> FeeLine:
    # Publishing is refused while any member's fee is not computed, so every step is there.
    assert member.raw_fee is not None and member.bounded_fee is not None
    assert member.pro_rata_fee is not None and member.amount is not None
    return FeeLine(
        scheme=scheme,
        organisation=member.organisation,
        billed_to=member.billed_to,
        is_fixed=member.is_fixed,
        population=member.population,
        population_is_demo=member.population_is_demo,
        indexed_rate=member.indexed_rate,
        raw_fee=member.raw_fee,
        bounded_fee=member.bounded_fee,
        bound=member.bound,
        days=member.days,
        days_in_year=member.days_in_year,
        pro_rata_fee=member.pro_rata_fee,
        amount=member.amount,
    )


@transaction.atomic
def fee_year_reopen(*, actor: Any, scheme: FeeScheme, reason: str) -> FeeScheme:
    _check_manager(actor, scheme.network)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the published fees are re-opened.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1,000 characters.")})
    scheme = FeeScheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.is_published:
        raise ValidationError(_("The fees of %(year)s are not published.") % {"year": scheme.year})
    total = sum((line.amount for line in scheme.lines.all()), Decimal(0))
    count = scheme.lines.count()
    scheme.lines.all().delete()
    scheme.published_at = None
    scheme.published_by = None
    scheme.save(update_fields=["published_at", "published_by"])
    FeeSchemeChange.objects.create(
        scheme=scheme,
        actor=_user(actor),
        action=FeeSchemeChange.Action.REOPENED,
        before={"lines": count, "total": str(total)},
        reason=reason,
    )
    audit_log(actor=actor, action="fees.reopen", obj=scheme, reason=reason, total=str(total))
    return scheme
