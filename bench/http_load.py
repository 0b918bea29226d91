"""gunicorn servers on loopback and keep-alive HTTP clients for bench/orders_http.py."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The app refuses to start without a secret; a bench database is thrown away, so any will do.
BENCH_SECRET = os.environ.get("SECRET_KEY") or "bench-only-secret"
sys.path.insert(0, str(ROOT))

GUIDE = 300_000


@dataclass
class Trader:
    """One client's identity: its bearer token, its side and, for a seller, its lot."""

    username: str
    token: str
    side: str
    lot_serial: str | None = None


def service_env(database_url: str) -> dict:
    """The environment the service's processes run with against `database_url`."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=database_url, FLASK_APP="wsgi", PYTHONUNBUFFERED="1")
    # One secret for the CLI, the servers and the in-process app: it also keys the audit chain.
    env["SECRET_KEY"] = BENCH_SECRET
    return env



# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class ServerConfig:
    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> ServerConfig:
        parts = text.split(":")
        if parts[0] not in ("sync", "gthread") or len(parts) not in (2, 3):
            raise argparse.ArgumentTypeError(f"{text!r}: use sync:W or gthread:W:T")
        threads = int(parts[2]) if len(parts) == 3 else 1
        return cls(parts[0], int(parts[1]), threads)

    def args(self) -> list[str]:
        args = ["-k", self.worker_class, "-w", str(self.workers)]
        if self.worker_class == "gthread":
            args += ["--threads", str(self.threads)]
        return args

    def __str__(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread -w {self.workers} --threads {self.threads}"
        return f"sync -w {self.workers}"


class Server:
    """gunicorn in its own process group, stopped by stop() whatever happens."""

    running: set[Server] = set()

    def __init__(self, app: str, database_url: str, config: ServerConfig, ready_path: str,
                 log_path: Path):
        self.port = free_port()
        log = open(log_path, "ab")  # the child inherits it; ours is closed below
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", *config.args(), "-b",
                 f"127.0.0.1:{self.port}", "--timeout", "60", "--keep-alive", "30", app],
                cwd=ROOT, env=service_env(database_url), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        finally:
            log.close()
        Server.running.add(self)
        self.log_path = log_path
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status < 500:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not ready:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self not in Server.running:
            return
        Server.running.discard(self)
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    @classmethod
    def stop_all(cls) -> None:
        for server in list(cls.running):
            server.stop()


# --- load -------------------------------------------------------------------------------------


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


def order_body(trader: Trader, rng: random.Random, cid: str) -> dict:
    if trader.side == "buy":
        price = GUIDE + 100 * rng.randint(-40, 10)
    else:
        price = GUIDE + 100 * rng.randint(-10, 40)
    body = {"instrument": "FO-QTY", "side": trader.side, "price": f"{price}.00",
            "quantity": f"{rng.randint(1, 100) / 100:.2f}", "tif": "GTC", "client_order_id": cid}
    if trader.side == "sell":
        body["lot_serial"] = trader.lot_serial
    return body


def client_loop(trader: Trader, port: int, path: str, tag: str, seed: int, start: float,
                measure_from: float, stop_at: float, cancel_share: float,
                result: ClientResult) -> None:
    rng = random.Random(seed)
    connection = Connection(port, trader.token)
    open_orders: deque[int] = deque(maxlen=200)
    number = 0
    while time.perf_counter() < start:
        time.sleep(0.001)
    try:
        while True:
            began = time.perf_counter()
            if began >= stop_at:
                break
            if path == "/api/v1/orders" and open_orders and rng.random() < cancel_share:
                kind = "cancel"
                order_id = open_orders.popleft() if rng.random() < 0.5 else open_orders.pop()
                status, body = connection.request("DELETE", f"/api/v1/orders/{order_id}")
            else:
                kind = "place" if path == "/api/v1/orders" else "floor"
                number += 1
                status, body = connection.request(
                    "POST", path, order_body(trader, rng, f"{tag}-{trader.username}-{number}"))
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
            if began >= measure_from:
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
class Measurement:
    label: str
    seconds: float
    placed: int  # 2xx placements (or floor requests)
    requests: int  # all 2xx requests (placements and cancels)
    rejected: int  # 4xx
    server_errors: int  # 5xx
    fill_share: float
    p50_ms: float
    p99_ms: float
    cancel_p50_ms: float
    errors: list[str]

    @property
    def per_second(self) -> float:
        return self.placed / self.seconds

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds


def drive(label: str, traders: list[Trader], port: int, path: str, seconds: float,
          warmup: float, cancel_share: float, seed: int) -> Measurement:
    results = [ClientResult() for _ in traders]
    start = time.perf_counter() + 0.2
    measure_from, stop_at = start + warmup, start + warmup + seconds
    tag = f"{label}-{seed}"
    threads = [threading.Thread(target=client_loop, daemon=True, args=(
        trader, port, path, tag, seed * 1000 + index, start, measure_from, stop_at,
        cancel_share, result)) for index, (trader, result) in enumerate(
            zip(traders, results, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples = [s for result in results for s in result.samples]
    main = [s for s in samples if s.kind in ("place", "floor")]
    ok_main = [s for s in main if 200 <= s.status < 300]
    cancels = [s.seconds for s in samples if s.kind == "cancel" and s.status < 300]
    return Measurement(
        label=label, seconds=seconds, placed=len(ok_main),
        requests=sum(1 for s in samples if s.status < 300),
        rejected=sum(1 for s in samples if 400 <= s.status < 500),
        server_errors=sum(1 for s in samples if s.status >= 500),
        fill_share=(sum(s.filled for s in ok_main) / len(ok_main)) if ok_main else 0.0,
        p50_ms=percentile([s.seconds for s in ok_main], 0.50) * 1000,
        p99_ms=percentile([s.seconds for s in ok_main], 0.99) * 1000,
        cancel_p50_ms=percentile(cancels, 0.50) * 1000,
        errors=[e for result in results for e in result.errors],
    )

