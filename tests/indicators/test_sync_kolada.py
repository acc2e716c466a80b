"""Syncing from Kolada (metadata, values, whole runs, the background task and the commands)
against a real local HTTP server serving recorded Kolada v3 answers."""

import os
import signal
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResult
from django_tasks_db.models import DBTaskResult

from navet.indicators.jobs import carry_out_kolada_run, claim_run, queue_kolada_run
from navet.indicators.kolada import KoladaClient, KoladaError
from navet.indicators.models import ImportRun, Indicator, MunicipalityGroup, Value
from navet.indicators.runs import ABANDONED_AFTER, add_counts, create_run, start_run
from navet.indicators.sync import (
    all_municipality_ids,
    kolada_id,
    organisations_by_kolada_id,
    run_kolada_sync,
    sync_kpis,
    sync_municipalities,
    sync_municipality_groups,
    sync_values,
)
from navet.indicators.values import StoreCounts
from navet.networks.models import Organisation
from navet.networks.reference import ensure_reference_organisations
from tests.factories import organisation
from tests.indicators.kolada_stub import (
    KoladaStub,
    echo_data,
    echo_value,
    failure,
    kpi_metadata,
    recorded,
    running_stub,
)

N00401_PATH = "/data/kpi/N00401/municipality/1490,1441/year/2022,2023"
N00914_PATH = "/data/kpi/N00914/municipality/1490,0000/year/2023"

ONE_VALUE = {"kpis": ["N00401"], "municipalities": ["1490"], "years": [2023]}

RunTasks = Callable[..., list[TaskResult[Any]]]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_catalogue() -> None:
    """Start without the shipped catalogue, so that counts are exact."""
    Indicator.objects.all().delete()


@pytest.fixture
def stub(settings: Any) -> Iterator[KoladaStub]:
    with running_stub(settings) as stub:
        stub.handle("/kpi/", kpi_metadata)
        yield stub


@pytest.fixture
def client(stub: KoladaStub) -> KoladaClient:
    return KoladaClient()


def kolada_run(**parameters: Any) -> ImportRun:
    run = create_run(kind=ImportRun.Kind.KOLADA, parameters=parameters)
    start_run(run)
    return run


def stored(kpi: str, scb_code: str, year: int, gender: str = "T") -> Value:
    return Value.objects.get(
        indicator__code=kpi, organisation__scb_code=scb_code, year=year, gender=gender
    )


def sync_n00401(client: KoladaClient) -> ImportRun:
    run = kolada_run()
    sync_values(
        client=client,
        run=run,
        kpi_ids=["N00401"],
        municipality_codes=["1490", "1441"],
        years=[2022, 2023],
    )
    run.refresh_from_db()
    return run


def test_kolada_ids_map_to_the_reference_organisations() -> None:
    assert kolada_id(organisation("1490")) == "1490"
    assert kolada_id(organisation("14")) == "0014"
    assert kolada_id(organisation("0000")) == "0000"
    matched = organisations_by_kolada_id(["1490", "0014", "0000", "0114", "1399", "G124026"])
    assert matched == {
        "1490": organisation("1490").pk,
        "0014": organisation("14").pk,
        "0000": organisation("0000").pk,
        "0114": organisation("0114").pk,
    }
    assert len(all_municipality_ids()) == 290


def test_sync_kpis_creates_updates_and_then_changes_nothing(client: KoladaClient) -> None:
    first = sync_kpis(client=client, kpi_ids=["N00401", "N00914", "N99999"])

    indicator = Indicator.objects.get(code="N00914")
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    assert first.unknown == ["N99999"]
    assert indicator.title == "Förvärvsarbetande invånare 20-64 år, andel (%)"
    assert indicator.has_gender_split
    assert indicator.source == Indicator.Source.KOLADA
    assert indicator.description.endswith("Källa: SCB.")
    assert indicator.kolada_updated is not None

    synced_at = indicator.kolada_updated
    again = sync_kpis(client=client, kpi_ids=["N00401", "N00914"])
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    indicator.refresh_from_db()
    assert indicator.kolada_updated == synced_at

    Indicator.objects.filter(code="N00401").update(title="Gammal titel")
    changed = sync_kpis(client=client, kpi_ids=["N00401"])
    assert (changed.added, changed.changed) == (0, 1)
    assert Indicator.objects.get(code="N00401").title.startswith("Utsläpp till luft")


def test_sync_kpis_keeps_what_the_catalogue_adds_to_kolada(client: KoladaClient) -> None:
    Indicator.objects.create(
        code="N00401",
        title="Växthusgaser",
        description="Vår egen förklaring.",
        unit="ton CO2-ekv/inv",
        direction=Indicator.Direction.DECREASE,
        dimension=Indicator.Dimension.ECOLOGICAL,
        keyword="Minskade klimatutsläpp",
    )
    counts = sync_kpis(client=client, kpi_ids=["N00401"])

    indicator = Indicator.objects.get(code="N00401")
    assert counts.changed == 1
    assert indicator.title == "Utsläpp till luft av växthusgaser totalt, ton CO2-ekv/inv"
    assert indicator.description.startswith("Utsläpp till luft av växthusgaser totalt")
    assert (indicator.unit, indicator.direction, indicator.dimension, indicator.keyword) == (
        "ton CO2-ekv/inv",
        Indicator.Direction.DECREASE,
        Indicator.Dimension.ECOLOGICAL,
        "Minskade klimatutsläpp",
    )


def test_sync_kpis_leaves_an_own_indicator_alone(client: KoladaClient) -> None:
    Indicator.objects.create(code="N00401", title="Vårt eget", source=Indicator.Source.OWN)
    run = kolada_run()

    counts = sync_kpis(client=client, kpi_ids=["N00401"], run=run)

    assert counts.unknown == ["N00401"]
    assert Indicator.objects.get(code="N00401").title == "Vårt eget"
    assert "an own indicator has this code" in run.log


def test_sync_municipalities_matches_and_logs_unknown_ids(
    stub: KoladaStub, client: KoladaClient
) -> None:
    stub.add("/municipality", recorded("municipality"))
    organisations_before = Organisation.objects.count()
    run = kolada_run()

    match = sync_municipalities(client=client, run=run)

    assert match.matched == {
        "0000": organisation("0000").pk,
        "0014": organisation("14").pk,
        "1441": organisation("1441").pk,
        "1480": organisation("1480").pk,
        "1490": organisation("1490").pk,
    }
    assert match.unknown == ["1399"]
    assert Organisation.objects.count() == organisations_before
    assert "Kolada municipality ids without an organisation: 1399" in run.log
    assert "Ale" in match.not_in_kolada  # the recording lists only a few


def test_sync_municipality_groups_takes_skr_groups_only(
    stub: KoladaStub, client: KoladaClient
) -> None:
    stub.add("/municipality_groups", recorded("municipality_groups"))
    run = kolada_run()

    first = sync_municipality_groups(client=client, run=run)

    assert sorted(MunicipalityGroup.objects.values_list("kolada_id", flat=True)) == [
        "G124026",
        "G124030",
    ]
    larger_towns = MunicipalityGroup.objects.get(kolada_id="G124026")
    assert set(larger_towns.members.values_list("scb_code", flat=True)) == {"1480", "1490"}
    commuting = MunicipalityGroup.objects.get(kolada_id="G124030")
    assert list(commuting.members.values_list("scb_code", flat=True)) == ["1441"]
    assert (first.added, first.unknown) == (2, ["1399"])
    assert "G124030: members without an organisation: 1399" in run.log

    again = sync_municipality_groups(client=client)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)

    everything = sync_municipality_groups(client=client, all_groups=True)
    assert everything.added == 2
    assert MunicipalityGroup.objects.count() == 4


def test_values_are_stored_over_pages_and_a_rerun_changes_nothing(
    stub: KoladaStub, client: KoladaClient
) -> None:
    stub.add(N00401_PATH, recorded("data_n00401_page1"))
    stub.add(N00401_PATH, recorded("data_n00401_page2"), page=2)
    sync_kpis(client=client, kpi_ids=["N00401"])

    first = sync_n00401(client)

    assert (first.added, first.changed, first.unchanged, first.missing) == (4, 0, 0, 1)
    assert (first.steps_done, first.steps_total) == (1, 1)
    assert stored("N00401", "1490", 2023).value == 3.27
    assert stored("N00401", "1441", 2022).import_run == first
    assert "Batch 1 of 1 saved" in first.log

    second = sync_n00401(client)

    assert (second.added, second.changed, second.unchanged) == (0, 0, 4)
    assert Value.objects.count() == 4
    assert stored("N00401", "1490", 2023).import_run == first  # provenance kept


def test_a_revised_value_is_counted_as_changed(stub: KoladaStub, client: KoladaClient) -> None:
    stub.add(N00401_PATH, recorded("data_n00401_page1"), recorded("data_n00401_page1_revised"))
    stub.add(N00401_PATH, recorded("data_n00401_page2"), page=2)
    sync_kpis(client=client, kpi_ids=["N00401"])
    sync_n00401(client)

    revised = sync_n00401(client)

    assert (revised.added, revised.changed, revised.unchanged) == (0, 1, 3)
    value = stored("N00401", "1490", 2023)
    assert value.value == 3.19
    assert value.import_run == revised


def test_a_missing_value_is_kept_with_its_status_and_counted(
    stub: KoladaStub, client: KoladaClient
) -> None:
    stub.add(N00401_PATH, recorded("data_n00401_page1"))
    stub.add(N00401_PATH, recorded("data_n00401_page2"), page=2)
    sync_kpis(client=client, kpi_ids=["N00401"])

    run = sync_n00401(client)

    missing = stored("N00401", "1441", 2023)
    assert (missing.value, missing.status) == (None, "Missing")
    assert run.missing == 1
    assert "1 missing" in run.log


def test_values_by_gender_over_a_next_page_link(stub: KoladaStub, client: KoladaClient) -> None:
    stub.add(N00914_PATH, recorded("data_n00914_page1"))
    stub.add(N00914_PATH, recorded("data_n00914_page2"), page=2)
    sync_kpis(client=client, kpi_ids=["N00914"])
    run = kolada_run()

    counts = sync_values(
        client=client,
        run=run,
        kpi_ids=["N00914"],
        municipality_codes=["1490", "0000"],
        years=[2023],
    )

    assert counts.added == 6
    assert stored("N00914", "0000", 2023, "K").value == 78.9
    assert stored("N00914", "1490", 2023, "M").value == 81.2


def test_an_unknown_municipality_in_the_answer_is_logged_and_skipped(
    stub: KoladaStub, client: KoladaClient
) -> None:
    stub.add("/data/kpi/N00401/municipality/1490/year/2023", recorded("data_unknown_municipality"))
    sync_kpis(client=client, kpi_ids=["N00401"])
    organisations_before = Organisation.objects.count()
    run = kolada_run()

    counts = sync_values(
        client=client, run=run, kpi_ids=["N00401"], municipality_codes=["1490"], years=[2023]
    )

    run.refresh_from_db()
    assert counts.added == 1
    assert Value.objects.count() == 1
    assert Organisation.objects.count() == organisations_before
    assert "1 values skipped for unknown municipality codes: 1399" in run.log
    assert "Skipped in all for unknown municipality codes: 1 values." in run.log


def test_a_page_of_unexpected_shape_fails_the_run_and_writes_nothing_of_its_batch(
    stub: KoladaStub, client: KoladaClient
) -> None:
    others = sorted(
        kolada_id(o)
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, county_code="14"
        ).exclude(scb_code="1490")
    )[:25]
    stub.handle("/data/", echo_data)  # batch 1: the first 25 municipalities
    stub.add(N00914_PATH, recorded("data_n00914_page1"))  # batch 2: Borås and Riket
    stub.add(N00914_PATH, recorded("data_bad_shape"), page=2)
    run = kolada_run(kpis=["N00914"], municipalities=[*others, "1490", "0000"], years=[2023])

    run_kolada_sync(run=run, client=client)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert (run.steps_done, run.steps_total, run.added) == (1, 2, 25)
    assert Value.objects.filter(indicator__code="N00914").count() == 25
    assert stored("N00914", others[0], 2023).value == echo_value("N00914", others[0], 2023)
    assert not Value.objects.filter(organisation__scb_code__in=["1490", "0000"]).exists()
    assert "Batch 1 of 2 saved" in run.log
    assert "Batch 2 of 2 (KPI N00914; municipalities 1490–0000 (2); years 2023) failed" in run.error
    assert "“period” is missing" in run.error
    assert "Nothing of it was written; batch 1 was saved." in run.error
    assert run.error in run.log


def test_a_failing_first_batch_says_no_batch_was_saved(
    stub: KoladaStub, client: KoladaClient
) -> None:
    stub.add(N00914_PATH, recorded("data_bad_shape"))
    sync_kpis(client=client, kpi_ids=["N00914"])
    run = kolada_run()

    with pytest.raises(KoladaError, match="no batch was saved"):
        sync_values(
            client=client,
            run=run,
            kpi_ids=["N00914"],
            municipality_codes=["1490", "0000"],
            years=[2023],
        )

    assert not Value.objects.exists()


def test_kpis_kolada_does_not_know_fail_the_run(stub: KoladaStub, client: KoladaClient) -> None:
    run = kolada_run(kpis=["N99999"], municipalities=["1490"], years=[2023])

    run_kolada_sync(run=run, client=client)

    assert run.status == ImportRun.Status.FAILED
    assert "KPIs Kolada does not know: N99999" in run.log
    assert run.error == "None of the KPIs is a Kolada indicator in the catalogue."
    assert stub.requested("/data/") == []


def test_a_queued_run_is_carried_out_by_its_task(stub: KoladaStub, run_tasks: RunTasks) -> None:
    stub.handle("/data/", echo_data)
    stub.add("/municipality", recorded("municipality"))
    stub.add("/municipality_groups", recorded("municipality_groups"))
    codes = [*all_municipality_ids()[:40], "0014", "0000"]
    run = queue_kolada_run(
        parameters={
            "kpis": ["N00401", "U07801"],
            "municipalities": codes,
            "years": [2021, 2022, 2023],
            "metadata": True,
        },
    )
    file_run = create_run(kind=ImportRun.Kind.FILE, parameters={"filename": "x.csv"})
    # The task is queued when the run is committed, not before.
    assert not DBTaskResult.objects.exists()

    [result] = run_tasks()

    run.refresh_from_db()
    assert (result.task.name, result.args, result.return_value) == (
        "carry_out_kolada_run",
        [run.pk],
        "succeeded",
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.log
    assert run.percent_done == 100
    assert (run.steps_done, run.steps_total) == (2, 2)
    assert run.added == 2 * 42 * 3
    assert run.started_at is not None and run.finished_at is not None
    assert Value.objects.filter(import_run=run).count() == 252
    assert MunicipalityGroup.objects.count() == 2
    assert "Done: 252 added" in run.log
    file_run.refresh_from_db()
    assert file_run.status == ImportRun.Status.QUEUED  # file runs are not the task's
    assert run_tasks() == []
    assert claim_run(run.pk) is None
    assert claim_run(file_run.pk) is None


def test_a_task_delivered_twice_carries_the_run_out_once(
    stub: KoladaStub, run_tasks: RunTasks
) -> None:
    stub.handle("/data/", echo_data)
    run = queue_kolada_run(parameters=ONE_VALUE)
    run_tasks()
    run.refresh_from_db()
    log, requests = run.log, len(stub.requests)

    carry_out_kolada_run.enqueue(run.pk)
    [again] = run_tasks()

    run.refresh_from_db()
    assert again.return_value == "skipped"
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.added, run.log) == (1, log)
    assert len(stub.requests) == requests


def test_a_run_that_is_rolled_back_queues_nothing(run_tasks: RunTasks) -> None:
    with pytest.raises(_Stop), transaction.atomic():
        queue_kolada_run(parameters=ONE_VALUE)
        raise _Stop

    assert run_tasks() == []
    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.usefixtures("in_english")
def test_a_run_that_cannot_be_queued_says_so(settings: Any, run_tasks: RunTasks) -> None:
    # A backend without the task's queue refuses it, as an unreachable Redis would.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["elsewhere"]}
    }
    run = queue_kolada_run(parameters=ONE_VALUE)

    assert run_tasks() == []

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("The run could not be queued (InvalidTaskError: Queue ")
    assert run.error.endswith("Start it again later.")
    assert run.finished_at is not None


@pytest.mark.usefixtures("in_english")
def test_the_task_fails_runs_abandoned_by_a_stopped_worker(
    stub: KoladaStub, run_tasks: RunTasks
) -> None:
    stub.handle("/data/", echo_data)
    now = timezone.now()
    stalled = create_run(kind=ImportRun.Kind.KOLADA, parameters=ONE_VALUE)
    start_run(stalled)
    add_counts(stalled, StoreCounts(added=5))
    busy = create_run(kind=ImportRun.Kind.KOLADA, parameters=ONE_VALUE)
    start_run(busy)
    ImportRun.objects.filter(pk=stalled.pk).update(last_progress_at=now - ABANDONED_AFTER * 1.1)
    ImportRun.objects.filter(pk=busy.pk).update(last_progress_at=now - ABANDONED_AFTER * 0.9)
    new = queue_kolada_run(parameters=ONE_VALUE)

    run_tasks()

    stalled.refresh_from_db()
    busy.refresh_from_db()
    new.refresh_from_db()
    assert stalled.status == ImportRun.Status.FAILED
    assert stalled.error.startswith("Stopped without finishing: no progress for 30 minutes")
    assert stalled.added == 5  # what it did before it stopped is still counted
    assert stalled.finished_at is not None
    assert busy.status == ImportRun.Status.RUNNING
    assert new.status == ImportRun.Status.SUCCEEDED


def test_the_task_fails_a_run_with_unknown_codes_clearly(
    stub: KoladaStub, run_tasks: RunTasks
) -> None:
    run = queue_kolada_run(
        parameters={
            "kpis": ["N00401"],
            "municipalities": ["1490", "1399", "9999"],
            "years": [2023],
        },
    )

    [result] = run_tasks()

    run.refresh_from_db()
    assert result.return_value == "failed"  # the task did its job: the run says what failed
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "Unknown municipality codes: 1399, 9999"
    assert not Value.objects.exists()
    assert stub.requests == []


def test_the_task_fails_a_run_when_kolada_is_down(
    stub: KoladaStub, settings: Any, run_tasks: RunTasks
) -> None:
    settings.KOLADA_MAX_RETRIES = 0
    stub.handlers.clear()
    stub.add("/kpi/N00401", failure(503))
    run = queue_kolada_run(parameters=ONE_VALUE)

    run_tasks()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("Kolada did not answer after 1 attempt (last: HTTP 503")


def test_the_kolada_sync_command_runs_in_the_foreground(stub: KoladaStub) -> None:
    stub.add(N00401_PATH, recorded("data_n00401_page1"))
    stub.add(N00401_PATH, recorded("data_n00401_page2"), page=2)
    out = StringIO()

    call_command(
        "kolada_sync",
        "--kpi",
        "N00401",
        "--municipalities",
        "1490,1441",
        "--years",
        "2022-2023",
        stdout=out,
    )

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.parameters["years"] == [2022, 2023]
    assert f"Run {run.pk} succeeded: 4 added, 0 changed, 0 unchanged, 1 missing." in out.getvalue()
    assert "Batch 1 of 1 saved" in out.getvalue()

    again = StringIO()
    call_command(
        "kolada_sync",
        "--kpi",
        "N00401",
        "--municipalities",
        "1490,1441",
        "--years",
        "2022-2023",
        stdout=again,
    )
    assert "0 added, 0 changed, 4 unchanged" in again.getvalue()


def test_the_kolada_sync_command_takes_all_municipalities(stub: KoladaStub) -> None:
    stub.handle("/data/", echo_data)

    call_command(
        "kolada_sync",
        "--kpi",
        "N00401",
        "--municipalities",
        "all",
        "--years",
        "2023",
        stdout=StringIO(),
    )

    run = ImportRun.objects.get()
    assert (run.steps_total, run.added) == (12, 290)
    assert len(stub.requested("/data/")) == 12


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--municipalities", "1490,1399", "--years", "2023"], "Unknown municipality codes: 1399"),
        (["--municipalities", "1490", "--years", "2024-2020"], "2020 comes before 2024"),
        (["--municipalities", "1490", "--years", "förra året"], "--years must be a year"),
    ],
)
def test_the_kolada_sync_command_rejects_bad_input(
    stub: KoladaStub, arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("kolada_sync", "--kpi", "N00401", *arguments, stdout=StringIO())
    assert not ImportRun.objects.exists()
    assert stub.requests == []


def test_the_kolada_sync_command_reports_a_failed_run(stub: KoladaStub) -> None:
    stub.add(N00914_PATH, recorded("data_bad_shape"))

    with pytest.raises(CommandError, match="failed: Batch 1 of 1"):
        call_command(
            "kolada_sync",
            "--kpi",
            "N00914",
            "--municipalities",
            "1490,0000",
            "--years",
            "2023",
            stdout=StringIO(),
        )

    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


class _Stop(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_db_worker_carries_out_a_committed_run(stub: KoladaStub) -> None:
    """The worker `make run` starts: committed for real, carried out by the command."""
    ensure_reference_organisations(Organisation)  # (a transactional test starts empty)
    stub.handle("/data/", echo_data)
    run = queue_kolada_run(parameters=ONE_VALUE)
    [queued] = DBTaskResult.objects.all()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO())
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)

    run.refresh_from_db()
    queued.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.log
    assert run.added == 1
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", "succeeded")


RQ_TEST_REDIS = os.environ.get("NAVET_TEST_RQ_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_with_rq_a_run_goes_through_redis_to_an_rq_worker(
    stub: KoladaStub, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The production choice NAVET_TASKS_BACKEND=rq, against a real Redis (its own database
    number) and RQ's worker with django-tasks-rq's job class, as `rqworker` runs it."""
    import django_rq
    from django_tasks_rq import Job
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import SimpleWorker

    try:
        Redis.from_url(RQ_TEST_REDIS).ping()
    except RedisConnectionError:
        pytest.skip(f"no Redis at {RQ_TEST_REDIS}")
    settings.RQ_QUEUES = {"default": {"URL": RQ_TEST_REDIS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    stub.handle("/data/", echo_data)

    with django_capture_on_commit_callbacks(execute=True):
        run = queue_kolada_run(parameters=ONE_VALUE)
    [job_id] = queue.job_ids
    assert not DBTaskResult.objects.exists()  # the queue is Redis now, not the database
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        queue.empty()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.log
    assert run.added == 1
    result = carry_out_kolada_run.get_backend().get_result(job_id)
    assert (result.status, result.return_value) == ("SUCCESSFUL", "succeeded")
    if leftovers := queue.connection.keys("rq:*"):  # the worker's own records
        queue.connection.delete(*leftovers)
