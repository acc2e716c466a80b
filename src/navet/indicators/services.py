"""Writes for indicator targets: add, change and delete an organisation's targets.

Each service checks its rules, writes atomically and records an audit entry in the same
transaction. Who may call them is decided by the views (permissions.can_edit_targets).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from navet.core.audit import audit_log
from navet.indicators.models import Indicator, SdgTarget, Target, Value
from navet.networks.models import Organisation

FIRST_YEAR, LAST_YEAR = 1950, 2100
TARGET_ORGANISATION_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)
# The fields a person fills in; the order is the audit entry's.
FIELDS = (
    "indicator",
    "sdg_target",
    "strategy_link",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "desired_state",
    "current_state",
    "steering_document",
    "steering_document_url",
    "position",
)


def stored_value(*, organisation: Organisation, indicator: Indicator, year: int) -> float | None:
    """The organisation's stored total (not by gender) for one year, if there is one."""
    return (
        Value.objects.filter(organisation=organisation, indicator=indicator, year=year, gender="T")
        .values_list("value", flat=True)
        .first()
    )


def _check_target(
    *,
    organisation: Organisation,
    indicator: Indicator,
    baseline_year: int | None,
    baseline_value: float | None,
    target_year: int,
    target_value: float | None,
    desired_state: str,
    target: Target | None = None,
) -> None:
    errors: dict[str, str] = {}
    if organisation.kind not in TARGET_ORGANISATION_KINDS:
        errors["organisation"] = _("Targets are set for municipalities and regions only.")
    others = Target.objects.filter(organisation=organisation, indicator=indicator)
    if target is not None:
        others = others.exclude(pk=target.pk)
    if others.exists():
        errors["indicator"] = _(
            "%(organisation)s already has a target for “%(indicator)s”. Change that target "
            "instead of adding a second one."
        ) % {"organisation": organisation.name, "indicator": indicator.title}
    for field, year in (("baseline_year", baseline_year), ("target_year", target_year)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            errors[field] = _("The year must be between %(first)s and %(last)s.") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
    if baseline_value is not None and baseline_year is None:
        errors["baseline_year"] = _("Give the year the baseline value is from.")
    if (
        baseline_year is not None
        and "target_year" not in errors
        and "baseline_year" not in errors
        and target_year <= baseline_year
    ):
        errors["target_year"] = _(
            "The target year must come after the baseline year (%(year)s)."
        ) % {"year": baseline_year}
    if target_value is None and not desired_state.strip():
        # A target may be qualitative only, but it must say something.
        errors["target_value"] = _("Give a target value, or describe the desired state in words.")
    elif (
        target_value is not None
        and baseline_value is not None
        and indicator.direction in {Indicator.Direction.INCREASE, Indicator.Direction.DECREASE}
    ):
        higher = indicator.direction == Indicator.Direction.INCREASE
        if (higher and target_value < baseline_value) or (
            not higher and target_value > baseline_value
        ):
            message = (
                _(
                    "Higher is better for this indicator, so the target value should not be "
                    "below the baseline value (%(baseline)s)."
                )
                if higher
                else _(
                    "Lower is better for this indicator, so the target value should not be "
                    "above the baseline value (%(baseline)s)."
                )
            )
            errors["target_value"] = message % {"baseline": _number(baseline_value)}
    if errors:
        raise ValidationError(errors)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _baseline(
    *,
    organisation: Organisation,
    indicator: Indicator,
    baseline_year: int | None,
    baseline_value: float | None,
) -> float | None:
    """An empty baseline value is the stored value of the baseline year, when there is one."""
    if baseline_value is not None or baseline_year is None:
        return baseline_value
    return stored_value(organisation=organisation, indicator=indicator, year=baseline_year)


def _full_clean(target: Target) -> None:
    # Lengths and the URL's form; the constraints were checked above with clearer messages.
    target.full_clean(exclude=["organisation", "indicator"], validate_constraints=False)


def _audit_data(target: Target) -> dict[str, Any]:
    return {field: getattr(target, field) for field in FIELDS}


@transaction.atomic
def target_create(
    *,
    actor: Any,
    organisation: Organisation,
    indicator: Indicator,
    sdg_target: SdgTarget | None = None,
    strategy_link: str = "",
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    target_year: int = 2030,
    target_value: float | None = None,
    desired_state: str = "",
    current_state: str = "",
    steering_document: str = "",
    steering_document_url: str = "",
    position: int | None = None,
) -> Target:
    baseline_value = _baseline(
        organisation=organisation,
        indicator=indicator,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
    )
    _check_target(
        organisation=organisation,
        indicator=indicator,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=target_year,
        target_value=target_value,
        desired_state=desired_state,
    )
    if position is None:
        # New targets go last in the table.
        last = Target.objects.filter(organisation=organisation).aggregate(last=Max("position"))
        position = 0 if last["last"] is None else last["last"] + 1
    target = Target(
        organisation=organisation,
        indicator=indicator,
        sdg_target=sdg_target,
        strategy_link=strategy_link.strip(),
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=target_year,
        target_value=target_value,
        desired_state=desired_state.strip(),
        current_state=current_state.strip(),
        steering_document=steering_document.strip(),
        steering_document_url=steering_document_url.strip(),
        position=position,
    )
    _full_clean(target)
    target.save()
    _audit(actor=actor, action="indicator_target.added", target=target)
    return target


@transaction.atomic
def target_update(
    *,
    actor: Any,
    target: Target,
    indicator: Indicator,
    sdg_target: SdgTarget | None = None,
    strategy_link: str = "",
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    target_year: int = 2030,
    target_value: float | None = None,
    desired_state: str = "",
    current_state: str = "",
    steering_document: str = "",
    steering_document_url: str = "",
    position: int | None = None,
) -> Target:
    organisation = target.organisation
    baseline_value = _baseline(
        organisation=organisation,
        indicator=indicator,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
    )
    _check_target(
        organisation=organisation,
        indicator=indicator,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=target_year,
        target_value=target_value,
        desired_state=desired_state,
        target=target,
    )
    before = _audit_data(target)
    target.indicator = indicator
    target.sdg_target = sdg_target
    target.strategy_link = strategy_link.strip()
    target.baseline_year = baseline_year
    target.baseline_value = baseline_value
    target.target_year = target_year
    target.target_value = target_value
    target.desired_state = desired_state.strip()
    target.current_state = current_state.strip()
    target.steering_document = steering_document.strip()
    target.steering_document_url = steering_document_url.strip()
    if position is not None:
        target.position = position
    _full_clean(target)
    target.save()
    after = _audit_data(target)
    changed = sorted(field for field in FIELDS if before[field] != after[field])
    _audit(actor=actor, action="indicator_target.changed", target=target, changed=changed)
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    _audit(actor=actor, action="indicator_target.deleted", target=target)
    target.delete()


def _audit(*, actor: Any, action: str, target: Target, **extra: Any) -> None:
    audit_log(
        actor=actor,
        action=action,
        obj=target,
        organisation=target.organisation,
        **_audit_data(target),
        **extra,
    )
