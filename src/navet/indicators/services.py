"""Writes for indicator targets: add, change and delete an organisation's targets.

Each service checks its rules, writes atomically and records an audit entry in the same
transaction. Who may call them is decided by the target policy (permissions.TargetPolicy),
which the views ask before calling. Figures must be finite, within ±1e15 and within the
indicator's plausible range (0–100 for a percentage).
"""

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.core.audit import audit_log
from navet.indicators.models import Indicator, SdgTarget, Target, Value
from navet.indicators.values import figure_problem
from navet.networks.models import Organisation

# A baseline may be a year of the statistics (Kolada's series start in the 1990s, and 1990 is
# the usual climate baseline); a target year is one of the platform's years (2000–2100).
YEARS = {
    "baseline_year": (1990, bounds.LATEST_YEAR),
    "target_year": (bounds.EARLIEST_YEAR, bounds.LATEST_YEAR),
}
TARGET_ORGANISATION_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)


@dataclasses.dataclass(frozen=True)
class TargetInput:
    """What a person fills in for a target (the form's fields); the order is the audit
    entry's. An empty baseline value is the stored value of the baseline year, and a target
    without a position goes last in the table (or keeps its place when changed)."""

    indicator: Indicator
    sdg_target: SdgTarget | None = None
    strategy_link: str = ""
    baseline_year: int | None = None
    baseline_value: float | None = None
    target_year: int = 2030
    target_value: float | None = None
    desired_state: str = ""
    current_state: str = ""
    steering_document: str = ""
    steering_document_url: str = ""
    position: int | None = None


FIELDS = tuple(field.name for field in dataclasses.fields(TargetInput))


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
    data: TargetInput,
    baseline_value: float | None,
    target: Target | None = None,
) -> None:
    indicator, baseline_year, target_year = data.indicator, data.baseline_year, data.target_year
    target_value = data.target_value
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
        first, last = YEARS[field]
        if year is not None and not first <= year <= last:
            errors[field] = _("The year must be between %(first)s and %(last)s.") % {
                "first": first,
                "last": last,
            }
    plausible = indicator.plausible_range
    # What was typed; a baseline taken from the stored values is Kolada's own figure.
    for field, figure in (("baseline_value", data.baseline_value), ("target_value", target_value)):
        problem = figure_problem(figure, plausible) if figure is not None else ""
        if problem:
            errors[field] = problem
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
    if "target_value" in errors or "baseline_value" in errors:
        pass  # out of bounds: no comparison with the baseline
    elif target_value is None and not data.desired_state.strip():
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


def _checked_baseline(
    organisation: Organisation, data: TargetInput, target: Target | None = None
) -> float | None:
    """The baseline value to store, after checking the target's rules: an empty one is the
    stored value of the baseline year, when there is one."""
    baseline_value = data.baseline_value
    if baseline_value is None and data.baseline_year is not None:
        baseline_value = stored_value(
            organisation=organisation, indicator=data.indicator, year=data.baseline_year
        )
    _check_target(
        organisation=organisation, data=data, baseline_value=baseline_value, target=target
    )
    return baseline_value


def _assign(target: Target, data: TargetInput, baseline_value: float | None) -> None:
    for field in FIELDS:
        value = getattr(data, field)
        if field == "position" and value is None:
            continue  # a new target's place is given before; a changed one keeps its own
        setattr(target, field, value.strip() if isinstance(value, str) else value)
    target.baseline_value = baseline_value


def _full_clean(target: Target) -> None:
    # Lengths and the URL's form; the constraints were checked above with clearer messages.
    target.full_clean(exclude=["organisation", "indicator"], validate_constraints=False)


def _audit_data(target: Target) -> dict[str, Any]:
    return {field: getattr(target, field) for field in FIELDS}


@transaction.atomic
def target_create(*, actor: Any, organisation: Organisation, data: TargetInput) -> Target:
    baseline_value = _checked_baseline(organisation, data)
    target = Target(organisation=organisation)
    if data.position is None:
        # New targets go last in the table.
        last = Target.objects.filter(organisation=organisation).aggregate(last=Max("position"))
        target.position = 0 if last["last"] is None else last["last"] + 1
    _assign(target, data, baseline_value)
    _full_clean(target)
    target.save()
    _audit(actor=actor, action="indicator_target.added", target=target)
    return target


@transaction.atomic
def target_update(*, actor: Any, target: Target, data: TargetInput) -> Target:
    baseline_value = _checked_baseline(target.organisation, data, target=target)
    before = _audit_data(target)
    _assign(target, data, baseline_value)
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
