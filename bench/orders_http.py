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
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from http_load import (  # noqa: E402
    BENCH_SECRET,
    Measurement,
    Server,
    ServerConfig,
    Trader,
    drive,
    service_env,
)
from orders_profile import profile  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

SETUP_PASSWORD = "bench-password-123"
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


def flask_cli(database_url: str, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT,
                            env=service_env(database_url), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def build_world(database_url: str, clients: int) -> list[Trader]:
    """Schema, demo admin and regulator, one funded buyer or one seller with a lot per client."""
    flask_cli(database_url, "db", "upgrade")
    flask_cli(database_url, "demo-data", "--history-days", "0")  # as measured: no history
    from market import create_app
    from market.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": BENCH_SECRET,
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
