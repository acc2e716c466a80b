"""A local stand-in for Kolada v3: a real HTTP server on 127.0.0.1 (random port) in a thread.

It serves the recorded answers in tests/indicators/recorded/ (shaped like Kolada v3's), or
answers made by a handler, so the client's real HTTP path is exercised without the network.
A route is a path under /v3 and a page number; it holds a queue of replies (the last one is
repeated), so "500, then the data" or "too slow, then the data" can be staged.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).parent / "recorded"
PREFIX = "/v3"


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def recorded(name: str, *, delay: float = 0.0) -> Reply:
    """A recorded answer; ``{base}`` in it becomes the stub's address."""
    return Reply(body=(RECORDED / f"{name}.json").read_text(encoding="utf-8"), delay=delay)


def failure(status: int, **headers: str) -> Reply:
    return Reply(status=status, body=json.dumps({"error": f"HTTP {status}"}), headers=headers)


def page(values: list[dict[str, Any]], *, next_url: str | None = None) -> Reply:
    return Reply(
        body=json.dumps(
            {"count": len(values), "values": values, "next_url": next_url, "previous_url": None}
        )
    )


def echo_value(kpi: str, municipality: str, year: int) -> float:
    """The made-up figure the echo handler answers for a KPI, municipality and year."""
    return round(int(municipality) % 97 + (year - 2000) / 10 + len(kpi) / 100, 2)


def echo_data(path: str, query: dict[str, list[str]]) -> Reply:
    """Answers any /data/kpi/…/municipality/…/year/… request with one total per KPI ×
    municipality × year (see echo_value), in one page."""
    parts = path.strip("/").split("/")
    kpis, municipalities, years = parts[2].split(","), parts[4].split(","), parts[6].split(",")
    return page(
        [
            {
                "kpi": kpi,
                "municipality": municipality,
                "period": int(year),
                "values": [
                    {
                        "count": 1,
                        "gender": "T",
                        "isdeleted": False,
                        "status": "",
                        "value": echo_value(kpi, municipality, int(year)),
                    }
                ],
            }
            for kpi in kpis
            for municipality in municipalities
            for year in years
        ]
    )


def kpi_metadata(path: str, query: dict[str, list[str]]) -> Reply:
    """Answers /kpi/{ids} from the recorded catalogue, with the asked-for KPIs only."""
    wanted = set(path.rsplit("/", 1)[-1].split(","))
    catalogue = json.loads((RECORDED / "kpi.json").read_text(encoding="utf-8"))
    values = [kpi for kpi in catalogue["values"] if kpi["id"] in wanted]
    return page(values)


Handler = Callable[[str, dict[str, list[str]]], Reply]


class KoladaStub:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, int], list[Reply]] = {}
        self.handlers: list[tuple[str, Handler]] = []
        self.requests: list[str] = []
        self.on_request: Callable[[str], None] | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{PREFIX}"

    def add(self, path: str, *replies: Reply, page: int = 1) -> None:
        self.routes[(path, page)] = list(replies)

    def handle(self, prefix: str, handler: Handler) -> None:
        self.handlers.append((prefix, handler))

    def requested(self, prefix: str) -> list[str]:
        return [r for r in self.requests if urlsplit(r).path.startswith(PREFIX + prefix)]

    def _reply(self, raw_path: str) -> Reply:
        parts = urlsplit(raw_path)
        path = parts.path.removeprefix(PREFIX)
        query = parse_qs(parts.query)
        page_number = int(query.get("page", ["1"])[0])
        with self._lock:
            self.requests.append(raw_path)
            queue = self.routes.get((path, page_number))
            if queue:
                return queue.pop(0) if len(queue) > 1 else queue[0]
        for prefix, handler in self.handlers:
            if path.startswith(prefix):
                return handler(path, query)
        return failure(404)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if stub.on_request is not None:
                    stub.on_request(self.path)
                reply = stub._reply(self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.replace("{base}", stub.base_url).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a time-out test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def running_stub(settings: Any) -> Iterator[KoladaStub]:
    """A started stub with KOLADA_BASE_URL pointed at it (and no waiting between requests)."""
    stub = KoladaStub()
    stub.start()
    settings.KOLADA_BASE_URL = stub.base_url
    settings.KOLADA_REQUESTS_PER_SECOND = 1000.0
    settings.KOLADA_TIMEOUT_SECONDS = 5.0
    settings.KOLADA_MAX_RETRIES = 2
    try:
        yield stub
    finally:
        stub.stop()


class FakeClock:
    """An injected clock: ``sleep`` moves it on instantly and remembers how long it slept."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
