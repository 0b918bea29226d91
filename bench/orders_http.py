"""Orders over HTTP: placement throughput and latency through gunicorn, against a floor.

Run as ``.venv/bin/python bench/orders_http.py [--seconds 20] [--clients 8] [--runs 3]``.

* Builds a scratch PostgreSQL database (``--server-url``, default the local server): schema by
  ``flask db upgrade``, then demo data for the admin and regulator, who create one account per
  client over the API (half buyers with ample cash, half sellers with a large verified FO-QTY
  lot), and a scratch table for the floor. Every run works on a fresh copy of it
  (``CREATE DATABASE … TEMPLATE``), so runs and server configurations start from the same book.
* Per server configuration (``--configs``, e.g. ``sync:2,sync:4,gthread:2:4``) and run: serves
  ``wsgi:app`` with gunicorn on loopback; ``--clients`` threads, each with one keep-alive
  ``http.client`` connection and its own account, place GTC limit orders on FO-QTY for
  ``--seconds`` after ``--warmup``: buys at 296,000–301,000 and sells at 299,000–304,000 (so
  a share cross), 0.01–1.00 mu each, and about one request in ten cancels one of the client's
  open orders. Then the floor (bench/floor_app.py: token digest lookup, instrument read, one
  INSERT, commit) with the same gunicorn settings, the same clients and request bodies.
* Prints orders/s, p50 and p99 latency, the floor's req/s, p50, p99, and orders/s ÷ floor.
* ``--profile N`` instead runs N order requests in process (Flask test client, same database
  set-up) under cProfile, and prints SQL statements per request, time in the database and the
  top costs.

The scratch databases are dropped and the servers stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import platform
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

SETUP_PASSWORD = "bench-password-123"
GUIDE = 300_000
FLOOR_SCHEMA = """
CREATE TABLE bench_floor (
    id bigserial PRIMARY KEY,
    account_id integer NOT NULL,
    instrument_id integer NOT NULL,
    client_order_id varchar(64) NOT NULL,
    side varchar(4) NOT NULL,
    price numeric(18, 2) NOT NULL,
    quantity numeric(18, 4) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, client_order_id)
)
"""


# --- databases --------------------------------------------------------------------------------


class Databases:
    """Scratch databases on one server, all dropped by close()."""

    def __init__(self, server_url: str):
        self.url = make_url(server_url)
        self.admin = sa.create_engine(self.url.set(database="postgres"),
                                      isolation_level="AUTOCOMMIT")
        self.prefix = f"bench_orders_{uuid.uuid4().hex[:8]}"
        self.names: list[str] = []

    def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
        self.names.append(name)
        return name

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        if name in self.names:
            self.names.remove(name)

    def close(self) -> None:
        for name in list(reversed(self.names)):
            try:
                self.drop(name)
            except Exception as error:  # noqa: BLE001 — clean-up goes on
                print(f"could not drop {name}: {error}", file=sys.stderr)
        self.admin.dispose()


def service_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=database_url, FLASK_APP="wsgi", PYTHONUNBUFFERED="1")
    return env


def flask_cli(database_url: str, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT,
                            env=service_env(database_url), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


@dataclass
class Trader:
    username: str
    token: str
    side: str
    lot_serial: str | None = None


def build_world(database_url: str, clients: int) -> list[Trader]:
    """Schema, demo admin and regulator, one funded buyer or one seller with a lot per client."""
    flask_cli(database_url, "db", "upgrade")
    flask_cli(database_url, "demo-data")
    from market import create_app
    from market.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    client = app.test_client()

    def login(username, password):
        response = client.post("/api/v1/auth/token",
                               json={"username": username, "password": password})
        assert response.status_code == 201, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}, response.json["token"]

    def ok(response, status=201):
        assert response.status_code == status, response.json
        return response.json

    admin, _ = login("admin", "demo-password")
    regulator, _ = login("regulator", "demo-password")
    traders = []
    for index in range(clients):
        side = "buy" if index % 2 == 0 else "sell"
        # Buyers in 新吴区 and sellers in 宜兴市: both Jiangsu, so every lot can reach every buyer.
        district = "320214" if side == "buy" else "320282"
        username = f"bench-{side}-{index}"
        account = ok(client.post("/api/v1/accounts", headers=admin, json={
            "name": f"bench {side} {index}", "district_code": district}))
        ok(client.post("/api/v1/users", headers=admin, json={
            "username": username, "password": SETUP_PASSWORD, "role": "trader",
            "account_id": account["id"]}))
        headers, token = login(username, SETUP_PASSWORD)
        serial = None
        if side == "buy":
            ok(client.post(f"/api/v1/accounts/{account['id']}/deposits", headers=regulator,
                           json={"amount": "50000000000.00", "reference": f"BENCH-{index}"}))
        else:
            serial = ok(client.post("/api/v1/lots", headers=headers, json={
                "instrument": "FO-QTY", "quantity": "500000", "origin_district_code": district,
                "project_name": "基准测试土地整治项目", "project_code": f"BENCH-{index}",
                "accepted_on": "2024-06-30", "vintage_year": 2024, "quality_grade": 5}))["serial"]
            ok(client.post(f"/api/v1/lots/{serial}/verify", headers=regulator), status=200)
        traders.append(Trader(username, token, side, serial))
    with app.app_context():
        db.session.execute(sa.text(FLOOR_SCHEMA))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return traders


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


# --- profile ----------------------------------------------------------------------------------


def profile(database_url: str, traders: list[Trader], count: int, top: int) -> None:
    """N order requests in process under cProfile: statements, database time, top costs."""
    from sqlalchemy import event

    from market import create_app
    from market.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    statements = [0]
    in_database = [0.0]
    by_statement: dict[str, list] = defaultdict(lambda: [0, 0.0])

    lock = {"since": None, "held": 0.0, "count": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        context._bench_started = time.perf_counter()
        if lock["since"] is None and statement.startswith("SELECT instruments.") \
                and ("FOR UPDATE" in statement or "FOR NO KEY UPDATE" in statement):
            lock["since"] = context._bench_started

    def released(conn):
        if lock["since"] is not None:
            lock["held"] += time.perf_counter() - lock["since"]
            lock["count"] += 1
            lock["since"] = None

    def after(conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - context._bench_started
        statements[0] += 1
        in_database[0] += elapsed
        entry = by_statement[" ".join(statement.split())[:90]]
        entry[0] += 1
        entry[1] += elapsed

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", released)
    event.listen(engine, "rollback", released)
    rng = random.Random(1)
    open_orders = {t.username: deque(maxlen=200) for t in traders}
    kinds = defaultdict(int)

    def one(number: int):
        trader = traders[number % len(traders)]
        headers = {"Authorization": f"Bearer {trader.token}"}
        mine = open_orders[trader.username]
        if mine and rng.random() < 0.1:
            response = client.delete(f"/api/v1/orders/{mine.popleft()}", headers=headers)
            kinds["cancel"] += 1
            return
        response = client.post("/api/v1/orders", headers=headers,
                               json=order_body(trader, rng, f"profile-{number}"))
        assert response.status_code in (200, 201), response.json
        kinds["fill" if response.json["fills"] else "rest"] += 1
        if response.json["order"]["status"] == "open":
            mine.append(response.json["order"]["id"])

    for number in range(200):  # warm caches and the book first
        one(number)

    def reset():
        kinds.clear()
        statements[0], in_database[0] = 0, 0.0
        by_statement.clear()
        lock.update(since=None, held=0.0, count=0)

    reset()
    began = time.perf_counter()
    for number in range(200, 200 + count):
        one(number)
    plain = time.perf_counter() - began
    print(f"\nin process, one thread, Flask test client, PostgreSQL, no profiler: {count} order "
          f"requests ({dict(kinds)})")
    print(f"  {plain / count * 1000:.2f} ms per request ({count / plain:.0f} req/s); "
          f"{statements[0] / count:.1f} SQL statements and "
          f"{in_database[0] / count * 1000:.2f} ms inside cursor.execute per request "
          f"({in_database[0] / plain:.0%} of wall)")
    if lock["count"]:
        held = lock["held"] / lock["count"]
        print(f"  the FO-QTY row lock is held {held * 1000:.2f} ms per locking request (from "
              f"SELECT … FOR [NO KEY] UPDATE to COMMIT): at most {1 / held:.0f} such requests/s "
              f"on one instrument, whatever the number of workers")

    reset()
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for number in range(200 + count, 200 + 2 * count):
        one(number)
    profiler.disable()
    wall = time.perf_counter() - began

    print(f"\nunder cProfile: {count} more requests ({dict(kinds)}); "
          f"{wall / count * 1000:.2f} ms per request with the profiler's overhead")
    print("  SQL statements by total time (per request: calls, ms):")
    for text, (calls, seconds) in sorted(by_statement.items(), key=lambda kv: -kv[1][1])[:top]:
        print(f"    {calls / count:5.2f} {seconds / count * 1000:6.3f}  {text}")
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        by_area[_area(filename, name)] += tottime
    total = sum(by_area.values())
    print("  own time by area (tottime):")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1])[:16]:
        print(f"    {area:<34} {seconds / count * 1000:6.3f} ms/request  {seconds / total:5.1%}")
    for key, title in (("cumulative", "cumulative"), ("tottime", "own time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        print(f"\n  top {top} by {title}:")
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print("\n".join("    " + line for line in lines[start:] if line.strip()))


def _area(filename: str, name: str) -> str:
    if "psycopg2" in name or "psycopg2" in filename:
        return "psycopg2 (database round trips)"
    for needle, area in (("/sqlalchemy/orm/", "sqlalchemy orm"),
                         ("/sqlalchemy/", "sqlalchemy core/engine"),
                         ("/marshmallow/", "marshmallow"), ("/webargs/", "webargs"),
                         ("/flask_smorest/", "flask-smorest"), ("/apispec/", "apispec"),
                         ("/werkzeug/", "werkzeug"), ("/flask_sqlalchemy/", "flask-sqlalchemy"),
                         ("/flask_limiter/", "flask-limiter"), ("/limits/", "flask-limiter"),
                         ("/flask_login/", "flask-login"), ("/flask/", "flask"),
                         (f"{ROOT}/market/", "market (ours)"),
                         (f"{ROOT}/matching/", "matching (ours)"),
                         (f"{ROOT}/models/", "models (ours)"),
                         ("/json/", "json"), ("/decimal", "decimal"),
                         ("/encodings/", "json")):
        if needle in filename:
            return area
    if filename == "~":
        return "C builtins (dict, isinstance, …)"
    return "other python"


# --- main -------------------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def code_version() -> str:
    """The commit benchmarked, and whether the app's code differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "market", "models",
                                "matching", "migrations", "wsgi.py"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes to the app" if dirty else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1,
                        help="runs per configuration, interleaved (the table shows medians)")
    parser.add_argument("--configs", default="sync:2,sync:4,gthread:2:4",
                        help="gunicorn configurations: sync:W or gthread:W:T, comma-separated")
    parser.add_argument("--cancel-share", type=float, default=0.1)
    parser.add_argument("--no-locked-floor", action="store_true",
                        help="skip the floor variant that locks the instrument row")
    parser.add_argument("--server-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="profile N in-process order requests instead of the HTTP runs")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile to print")
    args = parser.parse_args()
    configs = [ServerConfig.parse(text) for text in args.configs.split(",") if text]

    def interrupted(*_):
        raise KeyboardInterrupt

    # Ctrl-C and kill both end in the finally below (SIGINT too, even if inherited as ignored).
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    databases = Databases(args.server_url)
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"{databases.prefix}.log"
    try:
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}; "
              f"code: {code_version()}")
        base = databases.create("base")
        started = time.perf_counter()
        traders = build_world(databases.url_of(base), args.clients)
        print(f"set-up: {len(traders)} traders in {time.perf_counter() - started:.1f} s")
        if args.profile:
            work = databases.create("profile", template=base)
            profile(databases.url_of(work), traders, args.profile, args.top)
            return 0
        results: dict[tuple[str, str], list[Measurement]] = defaultdict(list)
        phases = [("orders", "wsgi:app", "/api/v1/orders", "/api/v1/openapi.json"),
                  ("floor", "bench.floor_app:app", "/floor", "/floor")]
        if not args.no_locked_floor:
            phases.append(("floor-locked", "bench.floor_app:app", "/floor-locked", "/floor"))
        for run in range(1, args.runs + 1):
            for config in configs:
                work = databases.create(f"r{run}_{config.worker_class}{config.workers}",
                                        template=base)
                url = databases.url_of(work)
                try:
                    for label, app, path, ready in phases:
                        server = Server(app, url, config, ready, logs)
                        try:
                            m = drive(label, traders, server.port, path, args.seconds,
                                      args.warmup, args.cancel_share, seed=run)
                        finally:
                            server.stop()
                        results[(str(config), label)].append(m)
                        print(f"run {run} {config!s:<26} {label:<13} {m.per_second:7.0f}/s  "
                              f"p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  "
                              f"fills {m.fill_share:4.0%}  4xx {m.rejected}  5xx "
                              f"{m.server_errors}  load {os.getloadavg()[0]:.1f}", flush=True)
                        for error in m.errors[:5]:
                            print(f"    {error}")
                finally:
                    databases.drop(work)
        report(results, configs, args)
        return 0
    except KeyboardInterrupt:
        print("interrupted: stopping servers, dropping databases", file=sys.stderr)
        return 130
    finally:
        Server.stop_all()
        databases.close()


def report(results, configs, args) -> None:
    def med(values):
        return statistics.median(values)

    print(f"\nmedians of {args.runs} run(s), {args.clients} clients, {args.seconds:g} s each "
          f"after {args.warmup:g} s warm-up; orders = 2xx placements on FO-QTY "
          f"(+ {args.cancel_share:.0%} cancels, not counted)\n")
    print("| gunicorn | orders/s | p50 ms | p99 ms | fills | cancel p50 ms | floor req/s "
          "| floor p50 | floor p99 | orders ÷ floor | locked floor req/s | locked p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for config in configs:
        orders = results[(str(config), "orders")]
        floor = results[(str(config), "floor")]
        locked = results.get((str(config), "floor-locked"), [])
        o_rate, f_rate = med([m.per_second for m in orders]), med([m.per_second for m in floor])
        locked_cells = (f"{med([m.per_second for m in locked]):.0f} | "
                        f"{med([m.p99_ms for m in locked]):.1f}") if locked else "– | –"
        print(f"| {config} | {o_rate:.0f} | {med([m.p50_ms for m in orders]):.1f} | "
              f"{med([m.p99_ms for m in orders]):.1f} | "
              f"{med([m.fill_share for m in orders]):.0%} | "
              f"{med([m.cancel_p50_ms for m in orders]):.1f} | {f_rate:.0f} | "
              f"{med([m.p50_ms for m in floor]):.1f} | {med([m.p99_ms for m in floor]):.1f} | "
              f"{o_rate / f_rate:.2f} | {locked_cells} |")


if __name__ == "__main__":
    sys.exit(main())
