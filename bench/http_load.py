"""Keep-alive HTTP clients for bench/orders_http.py, and what they measured.

Each client is a thread with one HTTP/1.1 connection (`http.client`) and its own account. It
sends the flow's orders back to back, and about one request in ten (`cancel_share`) cancels one
of its open orders instead; placements and cancels are timed apart.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from order_flows import Flow, Trader

ORDERS = "/api/v1/orders"


class Connection:
    """One keep-alive connection; reconnects (and resends) if the server closed it."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=payload, headers=self.headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, (json.loads(data) if data else {})
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A closed idle connection: placing again is safe, client_order_id dedupes.
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


@dataclass
class Sample:
    kind: str  # "place", "cancel" or "floor"
    status: int
    seconds: float
    filled: bool = False


@dataclass
class ClientResult:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    """When the clients start, when measuring starts, and when they stop."""

    start: float
    measure_from: float
    stop_at: float


def client_loop(trader: Trader, port: int, path: str, flow: Flow, tag: str, seed: int,
                window: Window, cancel_share: float, result: ClientResult) -> None:
    rng = random.Random(seed)
    connection = Connection(port, trader.token)
    open_orders: deque[int] = deque(maxlen=200)
    number = 0
    while time.perf_counter() < window.start:
        time.sleep(0.001)
    try:
        while True:
            began = time.perf_counter()
            if began >= window.stop_at:
                break
            if path == ORDERS and open_orders and rng.random() < cancel_share:
                kind = "cancel"
                order_id = open_orders.popleft() if rng.random() < 0.5 else open_orders.pop()
                status, body = connection.request("DELETE", f"{ORDERS}/{order_id}")
            else:
                kind = "place" if path == ORDERS else "floor"
                number += 1
                status, body = connection.request(
                    "POST", path, flow.order_body(trader, rng, f"{tag}-{trader.username}-{number}"))
            elapsed = time.perf_counter() - began
            filled = False
            if kind == "place" and status in (200, 201):
                filled = bool(body.get("fills"))
                if body["order"]["status"] == "open":
                    open_orders.append(body["order"]["id"])
            # A cancel of an order that has traded since is a 409 order_closed, as in life.
            stale = kind == "cancel" and status == 409
            if status >= 300 and not stale and len(result.errors) < 20:
                result.errors.append(f"{kind} {status} {json.dumps(body)[:200]}")
            if began >= window.measure_from:
                result.samples.append(Sample(kind, status, elapsed, filled))
    except Exception as error:  # noqa: BLE001 — reported, never hidden
        result.errors.append(f"client {trader.username} stopped: {error!r}")
    finally:
        connection.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Latency:
    """Percentiles of one operation, in ms."""

    count: int
    p50: float
    p90: float
    p99: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        return cls(len(seconds), *(percentile(seconds, q) * 1000 for q in (0.50, 0.90, 0.99)))


@dataclass
class Measurement:
    label: str
    seconds: float
    placed: int  # 2xx placements (or floor requests)
    requests: int  # every request sent in the window (each one a writer command)
    rejected: int  # 4xx other than stale cancels
    stale_cancels: int  # 409: the order had traded or gone since
    server_errors: int  # 5xx
    fill_share: float
    place: Latency  # 2xx placements (or floor requests)
    cancel: Latency  # cancels answered 2xx or 409
    errors: list[str]
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    load: float = float("nan")  # the 1-minute load average as the phase ended

    @property
    def per_second(self) -> float:
        return self.placed / self.seconds

    # The names the first version of the report used.
    @property
    def p50_ms(self) -> float:
        return self.place.p50

    @property
    def p99_ms(self) -> float:
        return self.place.p99


def drive(label: str, traders: list[Trader], port: int, path: str, flow: Flow, seconds: float,
          warmup: float, cancel_share: float, seed: int, meter=None) -> Measurement:
    """Run the clients for `warmup` + `seconds`; `meter` (a CpuMeter) times the measured part."""
    results = [ClientResult() for _ in traders]
    start = time.perf_counter() + 0.2
    window = Window(start, start + warmup, start + warmup + seconds)
    tag = f"{label}-{seed}"
    threads = [threading.Thread(target=client_loop, daemon=True, args=(
        trader, port, path, flow, tag, seed * 1000 + index, window, cancel_share, result))
        for index, (trader, result) in enumerate(zip(traders, results, strict=True))]
    for thread in threads:
        thread.start()
    if meter is not None:
        time.sleep(max(0.0, window.measure_from - time.perf_counter()))
        meter.start()
        time.sleep(max(0.0, window.stop_at - time.perf_counter()))
        meter.stop()
    for thread in threads:
        thread.join()
    samples = [s for result in results for s in result.samples]
    main = [s for s in samples if s.kind in ("place", "floor")]
    ok_main = [s for s in main if 200 <= s.status < 300]
    cancels = [s for s in samples if s.kind == "cancel"]
    stale = sum(1 for s in cancels if s.status == 409)
    return Measurement(
        label=label, seconds=seconds, placed=len(ok_main),
        requests=len(samples),
        rejected=sum(1 for s in samples if 400 <= s.status < 500) - stale, stale_cancels=stale,
        server_errors=sum(1 for s in samples if s.status >= 500),
        fill_share=(sum(s.filled for s in ok_main) / len(ok_main)) if ok_main else 0.0,
        place=Latency.of([s.seconds for s in ok_main]),
        cancel=Latency.of([s.seconds for s in cancels if s.status < 300 or s.status == 409]),
        errors=[e for result in results for e in result.errors],
        cpu_seconds=dict(meter.seconds) if meter is not None else {},
        load=os.getloadavg()[0],
    )
