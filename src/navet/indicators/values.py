"""Writing values: the one path every import (Kolada, file, demo) stores figures through.

A row that is identical to what is stored (same value and status) is left alone, so re-running
an import changes nothing and a value keeps the provenance of the run that set it.

Small batches go through the ORM. On PostgreSQL a large batch is copied (COPY) into a temporary
staging table and merged with two set-based statements, which is many times faster than
bulk_create/bulk_update for hundreds of thousands of rows; both paths count alike.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from navet.core.bounds import MAX_ABS_FIGURE, check_figure
from navet.indicators.models import ImportRun, Value

# Above this many rows a PostgreSQL store goes through COPY and a staging table.
BULK_THRESHOLD = 5_000
STAGING_TABLE = "navet_value_staging"


def figure_problem(value: float, plausible: tuple[float, float] | None = None) -> str:
    """Why a figure cannot be stored ("" if it can): it must be finite, within ±1e15
    (navet.core.bounds) and within the indicator's plausible range if it has one."""
    # The fast path of a million-row import: the core's check only for a figure it refuses.
    if not math.isfinite(value) or abs(value) > MAX_ABS_FIGURE:
        try:
            check_figure(value)
        except ValidationError as error:
            return " ".join(error.messages)
    if plausible is not None and not plausible[0] <= value <= plausible[1]:
        return _("A percentage lies between %(low)s and %(high)s.") % {
            "low": number_format(plausible[0], 0),
            "high": number_format(plausible[1], 0),
        }
    return ""


class ValueRow(NamedTuple):
    """One figure to store. A named tuple, not a dataclass: a file import makes a million of
    them, and a tuple is made several times faster and goes to COPY as it is."""

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
    missing = 0
    for row in rows:
        key = row[:4]
        if key in by_key:
            raise ValueError(f"duplicate value row {key}")
        by_key[key] = row
        if row.value is None:
            missing += 1
    counts = StoreCounts(missing=missing)
    if not by_key:
        return counts
    if connection.vendor == "postgresql" and len(by_key) > BULK_THRESHOLD:
        counts.added, counts.changed = _store_by_copy(
            run=run, rows=by_key.values(), indicator_ids={key[0] for key in by_key}
        )
    else:
        counts.added, counts.changed = _store_by_orm(run=run, by_key=by_key)
    counts.unchanged = len(by_key) - counts.added - counts.changed
    return counts


def _store_by_orm(
    *, run: ImportRun, by_key: dict[tuple[int, int, int, str], ValueRow]
) -> tuple[int, int]:
    """Added and changed, via the ORM: read what is stored, then bulk create and update."""
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
    return len(new), len(changed)


def _store_by_copy(
    *, run: ImportRun, rows: Iterable[ValueRow], indicator_ids: set[int]
) -> tuple[int, int]:
    """Added and changed, on PostgreSQL: COPY into a staging table, then one UPDATE of the
    stored rows whose value or status differs and one INSERT of the keys not stored yet.

    The table is locked against other writers (readers go on) for the transaction, so no key
    can appear between the two statements. That makes INSERT … ON CONFLICT unnecessary, and
    skipping its speculative insertion saves about a third of the merge on a large load.
    When none of the indicators has a stored value (a first load), every row is new and the
    UPDATE and the anti-join are skipped.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK)
        # Not ON COMMIT DROP alone: two stores in one outer transaction would meet the first's.
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        cursor.execute(_CREATE_STAGING)
        with cursor.copy(f"COPY {STAGING_TABLE} FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        cursor.execute(_ANY_STORED, [list(indicator_ids)])
        if cursor.fetchone() is None:
            cursor.execute(_INSERT_ALL, [run.kind, run.pk])
            added, changed = cursor.rowcount, 0
        else:
            cursor.execute(f"ANALYZE {STAGING_TABLE}")  # the planner must know how big it is
            cursor.execute(_UPDATE_CHANGED, [run.kind, run.pk])
            changed = cursor.rowcount
            cursor.execute(_INSERT_NEW, [run.kind, run.pk])
            added = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")
    return added, changed


# The statements of the COPY path. Names come from the model, values are parameters.
_TABLE = f'"{Value._meta.db_table}"'
_KEY_MATCH = " AND ".join(
    f"v.{column} = s.{column}" for column in ("indicator_id", "organisation_id", "year", "gender")
)
_LOCK = f"LOCK TABLE {_TABLE} IN SHARE ROW EXCLUSIVE MODE"
_CREATE_STAGING = (
    f"CREATE TEMPORARY TABLE {STAGING_TABLE} (indicator_id bigint NOT NULL, "
    "organisation_id bigint NOT NULL, year smallint NOT NULL, gender varchar(1) NOT NULL, "
    "value double precision, status varchar(30) NOT NULL) ON COMMIT DROP"
)
_UPDATE_CHANGED = (
    f"UPDATE {_TABLE} AS v SET value = s.value, status = s.status, source = %s, "  # noqa: S608
    f"import_run_id = %s FROM {STAGING_TABLE} AS s WHERE {_KEY_MATCH} "
    "AND (v.value IS DISTINCT FROM s.value OR v.status <> s.status)"
)
_ANY_STORED = f"SELECT 1 FROM {_TABLE} WHERE indicator_id = ANY(%s) LIMIT 1"  # noqa: S608
_INSERT_ALL = (
    f"INSERT INTO {_TABLE} (indicator_id, organisation_id, year, gender, value, status, "  # noqa: S608
    "source, import_run_id) SELECT indicator_id, organisation_id, year, gender, value, status, "
    f"%s, %s FROM {STAGING_TABLE}"
)
_INSERT_NEW = (
    f"INSERT INTO {_TABLE} (indicator_id, organisation_id, year, gender, value, status, "  # noqa: S608
    "source, import_run_id) SELECT s.indicator_id, s.organisation_id, s.year, s.gender, "
    f"s.value, s.status, %s, %s FROM {STAGING_TABLE} AS s "
    f"WHERE NOT EXISTS (SELECT 1 FROM {_TABLE} AS v WHERE {_KEY_MATCH})"
)
