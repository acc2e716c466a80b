"""The shipped indicator data: Agenda 2030's goals and targets, and the starter catalogue.

Both ship as JSON in ``indicators/data`` (sources in its README) so every database has them:
the data migration loads them, and ``ensure_catalogue`` does the same for app code (a test
database emptied by a transactional test, say). Loading is idempotent: running it again creates
nothing new, updates titles and other shipped fields, and only ever adds links, so links made
by hand in the admin survive.

The loaders take the model classes so the data migration can pass its historical models.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
AGENDA2030_FILE = DATA_DIR / "agenda2030.json"
CATALOGUE_FILE = DATA_DIR / "catalogue.json"

# The catalogue's fields that are copied onto an indicator as they are.
INDICATOR_FIELDS = (
    "title",
    "source",
    "unit",
    "direction",
    "dimension",
    "keyword",
    "decimals",
    "has_gender_split",
    "description",
)


@dataclass(frozen=True)
class LoadCounts:
    created: int = 0
    updated: int = 0


@cache
def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def agenda2030_data() -> list[dict[str, Any]]:
    """The 17 goals, each with its targets in the UN's order."""
    goals: list[dict[str, Any]] = _read(AGENDA2030_FILE)["goals"]
    return goals


def catalogue_data() -> dict[str, Any]:
    """``{"indicators": [...], "sets": [...]}`` as shipped."""
    return _read(CATALOGUE_FILE)


def load_agenda2030(*, goal_model: Any, target_model: Any) -> LoadCounts:
    """Create or update the 17 goals and 169 targets; return what was created and updated."""
    created = updated = 0
    goals = {goal.number: goal for goal in goal_model.objects.all()}
    targets = {target.code: target for target in target_model.objects.all()}
    for row in agenda2030_data():
        titles = {"title_sv": row["title_sv"], "title_en": row["title_en"]}
        goal = goals.get(row["number"])
        if goal is None:
            goal = goal_model.objects.create(number=row["number"], **titles)
            created += 1
        elif _differs(goal, titles):
            _assign(goal, titles)
            goal.save(update_fields=list(titles))
            updated += 1
        for position, target_row in enumerate(row["targets"], start=1):
            fields = {
                "goal_id": goal.pk,
                "position": position,
                "title_sv": target_row["title_sv"],
                "title_en": target_row["title_en"],
            }
            target = targets.get(target_row["code"])
            if target is None:
                target_model.objects.create(code=target_row["code"], **fields)
                created += 1
            elif _differs(target, fields):
                _assign(target, fields)
                target.save(update_fields=list(fields))
                updated += 1
    return LoadCounts(created=created, updated=updated)


def load_catalogue(
    *,
    indicator_model: Any,
    set_model: Any,
    entry_model: Any,
    goal_model: Any,
    target_model: Any,
) -> LoadCounts:
    """Create or update the shipped indicators and indicator sets.

    Agenda 2030 must be loaded first: an indicator's goals and targets are linked by number
    and code. ``is_demo`` and ``network`` are left alone, so the demo and the networks' own
    choices are kept.
    """
    data = catalogue_data()
    created = updated = 0
    goals = {goal.number: goal for goal in goal_model.objects.all()}
    targets = {target.code: target for target in target_model.objects.all()}
    indicators = {
        indicator.code: indicator
        for indicator in indicator_model.objects.filter(
            code__in=[row["code"] for row in data["indicators"]]
        )
    }
    for row in data["indicators"]:
        fields = {name: row.get(name, "") for name in INDICATOR_FIELDS}
        indicator = indicators.get(row["code"])
        if indicator is None:
            indicator = indicator_model.objects.create(code=row["code"], **fields)
            indicators[row["code"]] = indicator
            created += 1
        elif _differs(indicator, fields):
            _assign(indicator, fields)
            indicator.save(update_fields=list(fields))
            updated += 1
        indicator.goals.add(*(goals[number] for number in row["goals"]))
        indicator.targets.add(*(targets[code] for code in row["targets"]))

    for row in data["sets"]:
        fields = {"name": row["name"], "kind": row["kind"], "description": row["description"]}
        indicator_set = set_model.objects.filter(slug=row["slug"]).first()
        if indicator_set is None:
            indicator_set = set_model.objects.create(slug=row["slug"], **fields)
            created += 1
        elif _differs(indicator_set, fields):
            _assign(indicator_set, fields)
            indicator_set.save(update_fields=list(fields))
            updated += 1
        for position, entry_row in enumerate(row["entries"], start=1):
            _entry, was_created = entry_model.objects.update_or_create(
                indicator_set=indicator_set,
                indicator=indicators[entry_row["code"]],
                defaults={"position": position, "area": entry_row.get("area", "")},
            )
            created += was_created
    return LoadCounts(created=created, updated=updated)


@transaction.atomic
def ensure_catalogue() -> LoadCounts:
    """Load Agenda 2030 and the shipped catalogue with the app's models (idempotent)."""
    from navet.indicators.models import (
        Indicator,
        IndicatorSet,
        IndicatorSetEntry,
        SdgGoal,
        SdgTarget,
    )

    agenda = load_agenda2030(goal_model=SdgGoal, target_model=SdgTarget)
    catalogue = load_catalogue(
        indicator_model=Indicator,
        set_model=IndicatorSet,
        entry_model=IndicatorSetEntry,
        goal_model=SdgGoal,
        target_model=SdgTarget,
    )
    return LoadCounts(
        created=agenda.created + catalogue.created, updated=agenda.updated + catalogue.updated
    )


def _differs(instance: Any, fields: dict[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in fields.items())


def _assign(instance: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
