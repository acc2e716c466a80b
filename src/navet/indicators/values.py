"""Writing values: the one path every import (Kolada, file, demo) stores figures through.

A row that is identical to what is stored (same value and status) is left alone, so re-running
an import changes nothing and a value keeps the provenance of the run that set it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from navet.indicators.models import ImportRun, Value


@dataclass(frozen=True)
class ValueRow:
    indicator_id: int
    organisation_id: int
    year: int
    gender: str  # "T", "K" or "M"
    value: float | None
    status: str = ""

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.indicator_id, self.organisation_id, self.year, self.gender)


@dataclass
class StoreCounts:
    """What a store did. ``missing`` counts rows without a value; they are stored too (with
    their status) and so are also counted as added, changed or unchanged."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0

    def __iadd__(self, other: "StoreCounts") -> "StoreCounts":
        self.added += other.added
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.missing += other.missing
        return self


def store_values(*, run: ImportRun, rows: Iterable[ValueRow]) -> StoreCounts:
    """Insert new rows and update changed ones, all in one transaction.

    The caller has validated the rows; a key given twice is a caller error (ValueError), since
    which of the two should win cannot be known here.
    """
    by_key: dict[tuple[int, int, int, str], ValueRow] = {}
    for row in rows:
        if row.key in by_key:
            raise ValueError(f"duplicate value row {row.key}")
        by_key[row.key] = row
    counts = StoreCounts(missing=sum(1 for row in by_key.values() if row.value is None))
    if not by_key:
        return counts

    indicator_ids = {key[0] for key in by_key}
    organisation_ids = {key[1] for key in by_key}
    years = {key[2] for key in by_key}
    with transaction.atomic():
        existing = {
            (v.indicator_id, v.organisation_id, v.year, v.gender): v
            for v in Value.objects.filter(
                indicator_id__in=indicator_ids,
                organisation_id__in=organisation_ids,
                year__in=years,
            ).only("id", "indicator_id", "organisation_id", "year", "gender", "value", "status")
        }
        new: list[Value] = []
        changed: list[Value] = []
        for key, row in by_key.items():
            stored = existing.get(key)
            if stored is None:
                new.append(
                    Value(
                        indicator_id=row.indicator_id,
                        organisation_id=row.organisation_id,
                        year=row.year,
                        gender=row.gender,
                        value=row.value,
                        status=row.status,
                        source=run.kind,
                        import_run=run,
                    )
                )
            elif stored.value != row.value or stored.status != row.status:
                stored.value, stored.status = row.value, row.status
                stored.source, stored.import_run = run.kind, run
                changed.append(stored)
        Value.objects.bulk_create(new, batch_size=2000)
        Value.objects.bulk_update(
            changed, ["value", "status", "source", "import_run"], batch_size=2000
        )
    counts.added, counts.changed = len(new), len(changed)
    counts.unchanged = len(by_key) - len(new) - len(changed)
    return counts
