"""The import run pages (list, detail with its progress bar, progress.json) and the form that
queues a Kolada sync."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from navet.indicators.models import ImportRun, Indicator
from navet.indicators.runs import (
    ABANDONED_AFTER,
    add_counts,
    create_run,
    fail_run,
    finish_run,
    log_line,
    start_run,
)
from navet.indicators.values import StoreCounts
from navet.networks.models import Network
from tests.indicators.kolada_stub import echo_data, kpi_metadata, running_stub

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

ClientFor = Callable[[str], Client]


def kolada_run(network: Network | None = None, **overrides: Any) -> ImportRun:
    parameters = {
        "kpis": ["N00401", "N00914"],
        "municipalities": ["1490", "1441", "0014", "0000"],
        "years": [2015, 2016, 2017],
        "metadata": False,
        "scope": "Hållbart Väst",
        **overrides,
    }
    return create_run(
        kind=ImportRun.Kind.KOLADA, parameters=parameters, steps_total=4, network=network
    )


def test_run_detail_shows_progress_counts_parameters_and_log(client_for: ClientFor) -> None:
    run = kolada_run()
    start_run(run)
    add_counts(run, StoreCounts(added=12, changed=3, unchanged=5, missing=2))
    log_line(run, "Batch 1 of 4 saved (KPI N00401): 12 added.")

    response = client_for("admin").get(reverse("indicators:run_detail", args=[run.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<progress id="run-progress" max="100" value="25">25 %</progress>' in html
    assert '<span id="run-percent" aria-hidden="true">25 %</span>' in html
    assert '<label for="run-progress">' in html
    assert '<td id="count-added">12</td>' in html
    assert '<td id="count-changed">3</td>' in html
    assert '<td id="count-missing">2</td>' in html
    assert "N00401, N00914" in html
    assert "Hållbart Väst: 4 (1490, 1441, 0014, 0000)" in html
    assert "2015–2017" in html
    assert "Batch 1 of 4 saved (KPI N00401): 12 added." in html
    # While it runs the page polls, and refreshes itself without JavaScript.
    assert f'data-progress-url="{reverse("indicators:run_progress", args=[run.pk])}"' in html
    assert "js/run_progress.js" in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html


def test_a_finished_run_stops_polling_and_a_failed_one_shows_why(
    client_for: ClientFor, network: Network
) -> None:
    done, failed = kolada_run(network), kolada_run(network)
    start_run(done)
    finish_run(done)
    start_run(failed)
    fail_run(failed, "Batch 2 of 4 failed: Unexpected page from Kolada.")
    client = client_for("network_coordinator")

    done_html = client.get(reverse("indicators:run_detail", args=[done.pk])).content.decode()
    failed_html = client.get(reverse("indicators:run_detail", args=[failed.pk])).content.decode()

    assert 'value="100"' in done_html
    assert "run_progress.js" not in done_html
    assert "http-equiv" not in done_html
    assert 'role="alert"' in failed_html
    assert "Batch 2 of 4 failed: Unexpected page from Kolada." in failed_html


def test_run_progress_is_json_for_the_bar(client_for: ClientFor) -> None:
    run = kolada_run()
    start_run(run)
    add_counts(run, StoreCounts(added=7, missing=1), steps=3)

    response = client_for("admin").get(reverse("indicators:run_progress", args=[run.pk]))

    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["status"] == "running"
    assert data["percent"] == 75
    assert (data["steps_done"], data["steps_total"]) == (3, 4)
    assert (data["added"], data["changed"], data["unchanged"], data["missing"]) == (7, 0, 0, 1)
    assert data["finished"] is False


@pytest.mark.parametrize("name", ["run_list", "run_detail", "run_progress"])
def test_the_run_pages_show_a_stalled_run_as_failed(client_for: ClientFor, name: str) -> None:
    stalled, busy = kolada_run(), kolada_run()
    start_run(stalled)
    start_run(busy)
    now = timezone.now()
    ImportRun.objects.filter(pk=stalled.pk).update(last_progress_at=now - ABANDONED_AFTER * 1.1)
    ImportRun.objects.filter(pk=busy.pk).update(last_progress_at=now - ABANDONED_AFTER * 0.9)

    response = client_for("admin").get(
        reverse(f"indicators:{name}", **({} if name == "run_list" else {"args": [stalled.pk]}))
    )

    assert response.status_code == 200
    stalled.refresh_from_db()
    busy.refresh_from_db()
    assert stalled.status == ImportRun.Status.FAILED
    assert stalled.error.startswith("Stopped without finishing: no progress for 30 minutes")
    assert busy.status == ImportRun.Status.RUNNING
    if name == "run_progress":
        assert (response.json()["status"], response.json()["finished"]) == ("failed", True)
    elif name == "run_detail":
        assert "Stopped without finishing" in response.content.decode()


def test_a_sync_queued_from_the_form_is_carried_out_and_shown(
    client_for: ClientFor, settings: Any, run_tasks: Callable[..., list[Any]]
) -> None:
    client = client_for("admin")
    with running_stub(settings) as stub:
        stub.handle("/kpi/", kpi_metadata)
        stub.handle("/data/", echo_data)
        response = client.post(
            reverse("indicators:sync_start"),
            {
                "kpi_codes": "N00401",
                "municipalities": "all",
                "year_from": "2023",
                "year_to": "2023",
            },
        )
        run = ImportRun.objects.get()
        assert response["Location"] == run.get_absolute_url()
        queued = client.get(reverse("indicators:run_progress", args=[run.pk])).json()

        run_tasks()

    assert (queued["status"], queued["finished"]) == ("queued", False)
    done = client.get(reverse("indicators:run_progress", args=[run.pk])).json()
    assert (done["status"], done["percent"], done["added"]) == ("succeeded", 100, 290)
    html = client.get(run.get_absolute_url()).content.decode()
    assert '<td id="count-added">290</td>' in html
    assert "Done: 290 added" in html


def test_run_list_shows_kolada_and_file_runs(client_for: ClientFor) -> None:
    kolada = kolada_run()
    file_run = create_run(kind=ImportRun.Kind.FILE, parameters={"filename": "utslapp.csv"})

    response = client_for("admin").get(reverse("indicators:run_list"))

    html = response.content.decode()
    assert kolada.get_absolute_url() in html
    assert file_run.get_absolute_url() in html
    assert list(response.context["runs"]) == [file_run, kolada]
    assert reverse("indicators:sync_start") in html


def test_a_file_runs_own_parameters_are_shown(client_for: ClientFor) -> None:
    run = create_run(kind=ImportRun.Kind.FILE, parameters={"filename": "utslapp.csv"})

    html = client_for("admin").get(run.get_absolute_url()).content.decode()

    assert "<dt>filename</dt><dd>utslapp.csv</dd>" in html


def test_the_sync_form_queues_a_run_for_a_networks_members(
    client_for: ClientFor, network: Network
) -> None:
    Indicator.objects.update_or_create(
        code="N00401", defaults={"title": "Växthusgaser", "source": Indicator.Source.KOLADA}
    )
    Indicator.objects.create(code="EGEN1", title="Eget mått", source=Indicator.Source.OWN)
    client = client_for("network_coordinator")

    form_page = client.get(reverse("indicators:sync_start"))
    assert 'value="N00401"' in form_page.content.decode()
    assert 'value="EGEN1"' not in form_page.content.decode()

    response = client.post(
        reverse("indicators:sync_start"),
        {
            "kpis": ["N00401"],
            "kpi_codes": "n00914, U07801",
            "municipalities": f"network:{network.slug}",
            "include_references": "on",
            "year_from": "2018",
            "year_to": "2023",
        },
    )

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:run_detail", args=[run.pk])
    assert run.status == ImportRun.Status.QUEUED
    assert run.kind == ImportRun.Kind.KOLADA
    assert run.started_by is not None and run.started_by.email == "samordnare@vgregion.test"
    assert run.parameters == {
        "kpis": ["N00401", "N00914", "U07801"],
        "municipalities": ["0014", "1490", "0000"],  # Borås, its region, Riket
        "years": [2018, 2019, 2020, 2021, 2022, 2023],
        "metadata": False,
        "scope": "Hållbart Väst",
    }


def test_the_sync_form_can_take_all_municipalities(client_for: ClientFor) -> None:
    client_for("admin").post(
        reverse("indicators:sync_start"),
        {"kpi_codes": "N00401", "municipalities": "all", "year_from": "2023", "year_to": "2023"},
    )

    run = ImportRun.objects.get()
    assert len(run.parameters["municipalities"]) == 290
    assert run.parameters["scope"] == "all"


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"kpi_codes": ""}, "kpis", "Choose at least one KPI, or give its Kolada id."),
        (
            {"kpi_codes": "N00401, utsläpp"},
            "kpi_codes",
            "Not Kolada KPI ids (like N00401): UTSLÄPP",
        ),
        (
            {"year_from": "2024", "year_to": "2020"},
            "year_to",
            "The last year comes before the first.",
        ),
        ({"municipalities": "network:finns-inte"}, "municipalities", None),
    ],
)
def test_the_sync_form_explains_bad_input(
    client_for: ClientFor, data: dict[str, str], field: str, error: str | None
) -> None:
    posted = {
        "kpi_codes": "N00401",
        "municipalities": "all",
        "year_from": "2020",
        "year_to": "2023",
        **data,
    }

    response = client_for("admin").post(reverse("indicators:sync_start"), posted)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if error is not None:
        assert errors[field] == [error]
        assert error in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_network_without_member_municipalities_is_refused(client_for: ClientFor) -> None:
    response = client_for("admin").post(
        reverse("indicators:sync_start"),
        {
            "kpi_codes": "N00401",
            "municipalities": "network:fairtrade-sverige",
            "year_from": "2020",
            "year_to": "2023",
        },
    )

    assert "Fairtrade Sverige has no member municipalities or regions today." in (
        response.content.decode()
    )
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("name", ["run_list", "run_detail", "run_progress", "sync_start"])
def test_members_are_refused_and_visitors_sent_to_log_in(client_for: ClientFor, name: str) -> None:
    run = kolada_run()
    url = reverse(
        f"indicators:{name}",
        args=[run.pk] if name.startswith("run_") and name != "run_list" else [],
    )

    assert client_for("member").get(url).status_code == 403
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert client_for("member").post(reverse("indicators:sync_start"), {}).status_code == 403
