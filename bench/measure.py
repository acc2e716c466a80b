"""Timing helpers shared by the benchmarks: repeated runs, p95, raw SQL and query counts."""

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection


def settle() -> None:
    """Collect the set-up's garbage and freeze what is left, as config/wsgi.py does after
    start-up, so the timed runs do not pay for walking the benchmark's own data."""
    gc.collect()
    gc.freeze()


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    """Seconds for each of ``repeats`` runs, after one warm-up run."""
    action()
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return samples


def timed_alternately(actions: list[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Seconds for each of ``repeats`` rounds of every action, taking turns (after one warm-up
    run each), so a burst of noise on the machine falls on all of them alike."""
    for action in actions:
        action()
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeats):
        for action, times in zip(actions, samples, strict=True):
            began = time.perf_counter()
            action()
            times.append(time.perf_counter() - began)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def raw(sql: str, params: list[Any]) -> Callable[[], object]:
    """A baseline: the statement run through the connection's cursor, rows fetched."""

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def statements(action: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SQL statements, with their parameters, that one run of ``action`` executes (works
    without DEBUG)."""
    executed: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return executed


def count_queries(action: Callable[[], object]) -> int:
    """How many SQL statements one run of ``action`` executes."""
    return len(statements(action))


def replay(executed: list[tuple[str, Any]]) -> Callable[[], object]:
    """The statements run again through the connection's cursor, rows fetched: what the
    database and the driver alone take for them."""

    def run() -> object:
        with connection.cursor() as cursor:
            for sql, params in executed:
                cursor.execute(sql, params)
                cursor.fetchall()
        return None

    return run
