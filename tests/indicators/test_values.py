"""Storing values: counts, idempotence and provenance, and the PostgreSQL COPY path checked
against the ORM path on the same input."""

import pytest
from django.db import connection, transaction

from navet.indicators import values
from navet.indicators.models import ImportRun, Indicator, Value
from navet.indicators.runs import create_run
from navet.indicators.values import StoreCounts, ValueRow, store_values
from navet.networks.models import Organisation

pytestmark = pytest.mark.django_db

Snapshot = dict[tuple[int, int, int, str], tuple[float | None, str, str, int | None]]


def new_run(kind: str = ImportRun.Kind.FILE) -> ImportRun:
    return create_run(kind=kind, parameters={"test": True})


def snapshot() -> Snapshot:
    return {
        (v.indicator_id, v.organisation_id, v.year, v.gender): (
            v.value,
            v.status,
            v.source,
            v.import_run_id,
        )
        for v in Value.objects.all()
    }


@pytest.fixture
def indicator(db: None) -> Indicator:
    return Indicator.objects.create(code="T00001", title="Indikator")


def test_counts_added_changed_unchanged_and_missing(indicator: Indicator) -> None:
    boras = Organisation.objects.get(scb_code="1490")
    first = new_run()
    counts = store_values(
        run=first,
        rows=[
            ValueRow(indicator.pk, boras.pk, 2022, "T", 1.0),
            ValueRow(indicator.pk, boras.pk, 2023, "T", None, "Missing"),
            ValueRow(indicator.pk, boras.pk, 2023, "K", 2.0),
        ],
    )
    assert counts == StoreCounts(added=3, changed=0, unchanged=0, missing=1)
    second = new_run(ImportRun.Kind.KOLADA)
    counts = store_values(
        run=second,
        rows=[
            ValueRow(indicator.pk, boras.pk, 2022, "T", 1.0),  # the same
            ValueRow(indicator.pk, boras.pk, 2023, "T", None, "Withdrawn"),  # status only
            ValueRow(indicator.pk, boras.pk, 2023, "K", 2.5),  # a new figure
            ValueRow(indicator.pk, boras.pk, 2024, "T", 3.0),  # a new row
        ],
    )
    assert counts == StoreCounts(added=1, changed=2, unchanged=1, missing=1)
    stored = snapshot()
    # What did not change keeps the run and source that set it.
    assert stored[(indicator.pk, boras.pk, 2022, "T")] == (1.0, "", "file", first.pk)
    assert stored[(indicator.pk, boras.pk, 2023, "T")] == (None, "Withdrawn", "kolada", second.pk)
    assert stored[(indicator.pk, boras.pk, 2023, "K")] == (2.5, "", "kolada", second.pk)


def test_a_key_given_twice_is_refused_and_nothing_is_written(indicator: Indicator) -> None:
    boras = Organisation.objects.get(scb_code="1490")
    with pytest.raises(ValueError, match="duplicate value row"):
        store_values(
            run=new_run(),
            rows=[
                ValueRow(indicator.pk, boras.pk, 2022, "T", 1.0),
                ValueRow(indicator.pk, boras.pk, 2022, "T", 2.0),
            ],
        )
    assert not Value.objects.exists()


def test_an_empty_store_does_nothing(indicator: Indicator) -> None:
    assert store_values(run=new_run(), rows=[]) == StoreCounts()


# --- The COPY path ----------------------------------------------------------------------------


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the COPY path runs on PostgreSQL only (set DATABASE_URL to a PostgreSQL database)",
)


def _rows(indicators: list[Indicator], organisations: list[int], shift: float) -> list[ValueRow]:
    """A batch over the threshold with values, missing values and statuses of every kind."""
    rows = []
    for i, indicator in enumerate(indicators):
        for o, organisation_id in enumerate(organisations):
            for year in range(2015, 2025):
                n = i + o + year
                value = None if n % 7 == 0 else round(n / 3 + shift * (n % 5 == 0), 6)
                status = "Missing" if value is None else ("Preliminary" if n % 11 == 0 else "")
                rows.append(ValueRow(indicator.pk, organisation_id, year, "T", value, status))
    return rows


@pytest.fixture
def batch() -> tuple[list[Indicator], list[int]]:
    indicators = [
        Indicator.objects.create(code=f"T1{i:04d}", title=f"Indikator {i}") for i in range(3)
    ]
    organisations = list(
        Organisation.objects.filter(kind="municipality")
        .order_by("scb_code")
        .values_list("pk", flat=True)
    )
    return indicators, organisations


def _store_both_ways(
    before: list[ValueRow], after: list[ValueRow], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[StoreCounts, Snapshot]]:
    """Store ``before`` then ``after`` through the ORM, then again through COPY, each time
    from an empty table, and return the counts of the second store and the table."""
    results = []
    for threshold in (10**9, values.BULK_THRESHOLD):
        monkeypatch.setattr(values, "BULK_THRESHOLD", threshold)
        Value.objects.all().delete()
        first, second = new_run(), new_run(ImportRun.Kind.KOLADA)
        store_values(run=first, rows=before)
        counts = store_values(run=second, rows=after)
        # Runs differ between the two passes: name them by role instead of by key.
        roles = {first.pk: 1, second.pk: 2}
        results.append(
            (
                counts,
                {
                    key: (value, status, source, roles[run_id] if run_id else None)
                    for key, (value, status, source, run_id) in snapshot().items()
                },
            )
        )
    return results


@needs_postgresql
def test_copy_path_stores_and_counts_like_the_orm_path(
    batch: tuple[list[Indicator], list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    indicators, organisations = batch
    before = _rows(indicators[:2], organisations, shift=0)
    # Some figures and statuses change, a third indicator is new, a tail is left out.
    after = [
        r._replace(status="Withdrawn") if (r.year == 2016 and r.value is None) else r
        for r in _rows(indicators, organisations, shift=0.5)
    ][:-100]
    assert len(before) > values.BULK_THRESHOLD and len(after) > values.BULK_THRESHOLD

    (orm_counts, orm_table), (copy_counts, copy_table) = _store_both_ways(
        before, after, monkeypatch
    )
    assert copy_counts == orm_counts
    assert copy_table == orm_table
    assert orm_counts.added == len(organisations) * 10 - 100  # the third indicator
    assert orm_counts.changed > 0 and orm_counts.unchanged > 0 and orm_counts.missing > 0
    assert orm_counts.added + orm_counts.changed + orm_counts.unchanged == len(after)


@needs_postgresql
def test_copy_path_first_load_and_reload(batch: tuple[list[Indicator], list[int]]) -> None:
    indicators, organisations = batch
    rows = _rows(indicators, organisations, shift=0)
    run = new_run()
    with transaction.atomic():  # twice in one transaction: the staging table is made anew
        first = store_values(run=run, rows=rows)
        again = store_values(run=new_run(), rows=rows)
    assert (first.added, first.changed, first.unchanged) == (len(rows), 0, 0)
    assert (again.added, again.changed, again.unchanged) == (0, 0, len(rows))
    assert first.missing == again.missing == sum(r.value is None for r in rows)
    stored = snapshot()
    assert len(stored) == len(rows)
    for row in rows[:: len(rows) // 50]:
        assert stored[row.key] == (row.value, row.status, "file", run.pk)


@needs_postgresql
def test_copy_path_keeps_floats_exactly(batch: tuple[list[Indicator], list[int]]) -> None:
    indicators, organisations = batch
    figures = [0.1, 1 / 3, 1e-300, -2.5e300, 123456789.123456789, 0.0]
    rows = [
        ValueRow(indicators[0].pk, organisation_id, 2000 + y, "T", figures[(o + y) % 6])
        for o, organisation_id in enumerate(organisations)
        for y in range(20)
    ]
    store_values(run=new_run(), rows=rows)
    again = store_values(run=new_run(), rows=rows)
    assert again.unchanged == len(rows)
    stored = snapshot()
    assert all(stored[row.key][0] == row.value for row in rows)
