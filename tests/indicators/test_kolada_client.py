"""The Kolada client against a real local HTTP server serving recorded Kolada v3 answers."""

from collections.abc import Iterator
from typing import Any

import pytest

from navet.indicators.kolada import Batch, KoladaClient, KoladaError
from tests.indicators.kolada_stub import (
    FakeClock,
    KoladaStub,
    Reply,
    echo_data,
    echo_value,
    failure,
    kpi_metadata,
    page,
    recorded,
    running_stub,
)

N00401_PATH = "/data/kpi/N00401/municipality/1490,1441/year/2022,2023"
N00914_PATH = "/data/kpi/N00914/municipality/1490,0000/year/2023"


@pytest.fixture
def stub(settings: Any) -> Iterator[KoladaStub]:
    with running_stub(settings) as stub:
        yield stub


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client_with(clock: FakeClock, **kwargs: Any) -> KoladaClient:
    return KoladaClient(sleep=clock.sleep, clock=clock, **kwargs)


def batch(kpis: str, municipalities: str, years: str) -> Batch:
    return Batch(
        number=1,
        kpis=tuple(kpis.split(",")),
        municipalities=tuple(municipalities.split(",")),
        years=tuple(int(y) for y in years.split(",")),
    )


def test_settings_give_the_defaults(settings: Any) -> None:
    settings.KOLADA_BASE_URL = "https://kolada.example/v3"
    settings.KOLADA_REQUESTS_PER_SECOND = 5
    settings.KOLADA_TIMEOUT_SECONDS = 12
    settings.KOLADA_MAX_RETRIES = 3
    client = KoladaClient()
    assert client.base_url == "https://kolada.example/v3"
    assert client.min_interval == pytest.approx(0.2)
    assert (client.timeout, client.max_retries, client.max_ids) == (12, 3, 25)
    with pytest.raises(KoladaError, match="must be http"):
        KoladaClient(base_url="file:///etc")


def test_follows_next_url_to_the_last_page(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add(N00401_PATH, recorded("data_n00401_page1"))
    stub.add(N00401_PATH, recorded("data_n00401_page2"), page=2)

    points = client_with(clock).fetch_batch(batch("N00401", "1490,1441", "2022,2023"))

    assert [(p.municipality, p.period, p.value, p.status) for p in points] == [
        ("1490", 2022, 3.41, ""),
        ("1490", 2023, 3.27, ""),
        ("1441", 2022, 2.85, ""),
        ("1441", 2023, None, "Missing"),
    ]
    assert len(stub.requests) == 2
    assert stub.requests[0] == f"/v3{N00401_PATH}?per_page=5000"
    assert "page=2" in stub.requests[1]


def test_follows_a_relative_next_page_link(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add(N00914_PATH, recorded("data_n00914_page1"))
    stub.add(N00914_PATH, recorded("data_n00914_page2"), page=2)

    points = client_with(clock).fetch_batch(batch("N00914", "1490,0000", "2023"))

    assert {(p.municipality, p.gender): p.value for p in points} == {
        ("1490", "K"): 79.6,
        ("1490", "M"): 81.2,
        ("1490", "T"): 80.4,
        ("0000", "K"): 78.9,
        ("0000", "M"): 82.0,
        ("0000", "T"): 80.5,
    }
    assert stub.requests[1] == f"/v3{N00914_PATH}?page=2&per_page=5000"


def test_ids_are_chunked_to_25_per_request(stub: KoladaStub, clock: FakeClock) -> None:
    stub.handle("/data/", echo_data)
    stub.handle("/kpi/", kpi_metadata)
    client = client_with(clock)
    municipalities = [f"14{n:02d}" for n in range(1, 31)]

    batches = client.batches(kpis=["N00401"], municipalities=municipalities, years=[2023, 2022])
    points = [p for b in batches for p in client.fetch_batch(b)]

    assert [len(b.municipalities) for b in batches] == [25, 5]
    assert batches[0].years == (2022, 2023)
    assert len(points) == 30 * 2
    assert points[0].value == echo_value("N00401", "1401", 2022)
    for request in stub.requested("/data/"):
        ids = request.split("/municipality/")[1].split("/")[0].split(",")
        assert len(ids) <= 25

    kpis = client.kpis([f"N{n:05d}" for n in range(30)] + ["N00401"])
    kpi_requests = stub.requested("/kpi/")
    assert len(kpi_requests) == 2
    assert all(len(r.split("?")[0].rsplit("/", 1)[1].split(",")) <= 25 for r in kpi_requests)
    assert [k.id for k in kpis] == ["N00401"]


def test_at_most_five_requests_a_second(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add("/municipality", recorded("municipality"))
    seen_at: list[float] = []
    stub.on_request = lambda path: seen_at.append(clock.now)
    client = client_with(clock, requests_per_second=5)

    for _ in range(12):
        client.municipalities()

    assert len(seen_at) == 12
    for first, sixth in zip(seen_at, seen_at[5:], strict=False):
        assert sixth - first >= 1.0 - 1e-9  # never six requests within one second
    assert seen_at[-1] == pytest.approx(11 * 0.2)
    assert clock.sleeps == pytest.approx([0.2] * 11)


def test_a_server_error_is_retried_with_backoff(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add("/municipality", failure(500), failure(503), recorded("municipality"))

    municipalities = client_with(clock, max_retries=4, requests_per_second=0).municipalities()

    assert len(municipalities) == 6
    assert len(stub.requests) == 3
    assert clock.sleeps == [1.0, 2.0]


def test_gives_up_after_max_retries_with_a_clear_error(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add("/municipality", failure(502))
    client = client_with(clock, max_retries=3, requests_per_second=0)

    with pytest.raises(KoladaError) as caught:
        client.municipalities()

    message = str(caught.value)
    assert "did not answer after 4 attempts" in message
    assert "HTTP 502" in message
    assert f"{stub.base_url}/municipality?per_page=5000" in message
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert len(stub.requests) == 4


def test_a_time_out_is_retried(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add("/municipality", recorded("municipality", delay=1.0), recorded("municipality"))
    client = client_with(clock, timeout=0.2, requests_per_second=0)

    municipalities = client.municipalities()

    assert [m.id for m in municipalities][:2] == ["0000", "0014"]
    assert len(stub.requests) == 2
    assert clock.sleeps == [1.0]


def test_time_outs_every_time_end_in_a_clear_error(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add("/municipality", recorded("municipality", delay=0.6))
    client = client_with(clock, timeout=0.1, max_retries=1, requests_per_second=0)

    with pytest.raises(KoladaError, match=r"after 2 attempts \(last: no answer within 0.1 s\)"):
        client.municipalities()


def test_a_client_error_fails_at_once(stub: KoladaStub, clock: FakeClock) -> None:
    stub.add("/municipality", failure(422))

    with pytest.raises(KoladaError, match="refused the request \\(HTTP 422"):
        client_with(clock).municipalities()

    assert len(stub.requests) == 1
    assert clock.sleeps == []


def test_too_many_requests_is_retried_after_the_time_asked(
    stub: KoladaStub, clock: FakeClock
) -> None:
    stub.add("/municipality", failure(429, **{"Retry-After": "3"}), recorded("municipality"))

    client_with(clock, requests_per_second=0).municipalities()

    assert clock.sleeps == [3.0]


def test_a_connection_refused_is_retried_then_reported(clock: FakeClock) -> None:
    client = client_with(clock, base_url="http://127.0.0.1:9/v3", max_retries=1)

    with pytest.raises(KoladaError, match="connection failed"):
        client.municipalities()

    assert clock.sleeps == [1.0]


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (recorded("data_bad_shape"), "item 2 of “values”: “period” is missing"),
        (Reply(body="[1, 2]"), "not a JSON object"),
        (Reply(body='{"count": 0}'), "no list “values”"),
        (Reply(body="<html>Service Unavailable</html>"), "not JSON"),
        (
            page([{"kpi": "N00914", "municipality": "1490", "period": 2023, "values": [{}]}]),
            "gender None is not T, K or M",
        ),
        (
            page(
                [
                    {
                        "kpi": "N00914",
                        "municipality": "1490",
                        "period": 2023,
                        "values": [{"gender": "T", "value": "80,4", "status": ""}],
                    }
                ]
            ),
            "value '80,4' is not a number",
        ),
        (page([], next_url="https://elsewhere.example/v3/data?page=2"), "leads away"),
    ],
)
def test_a_page_of_unexpected_shape_raises_naming_it(
    stub: KoladaStub, clock: FakeClock, reply: Reply, problem: str
) -> None:
    stub.add(N00914_PATH, reply)

    with pytest.raises(KoladaError) as caught:
        client_with(clock).fetch_batch(batch("N00914", "1490,0000", "2023"))

    assert problem in str(caught.value)
    assert f"{stub.base_url}{N00914_PATH}" in str(caught.value)


def test_metadata_is_read(stub: KoladaStub, clock: FakeClock) -> None:
    stub.handle("/kpi/", kpi_metadata)
    stub.add("/municipality_groups", recorded("municipality_groups"))
    client = client_with(clock)

    kpis = {k.id: k for k in client.kpis(["N00401", "N00914"])}
    groups = {g.id: g for g in client.municipality_groups()}

    assert kpis["N00914"].is_divided_by_gender
    assert not kpis["N00401"].is_divided_by_gender
    assert kpis["N00401"].title.startswith("Utsläpp till luft av växthusgaser")
    assert groups["G124026"].members == ("1480", "1490")
    assert len(groups) == 4
