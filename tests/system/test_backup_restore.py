"""Backup and restore on PostgreSQL: `flask backup` mid-trading, pg_restore into a new database.

Traders place crossing orders and pay settlements from their own threads (each its own
connection) while `flask backup` runs pg_dump as an operator would. The dump is restored
into a fresh database with pg_restore, and there `flask check-invariants` and
`flask verify-audit` pass: the snapshot holds whole transactions only. Trading goes on after
the dump, so the restored database is an earlier state than the live one, not a copy of the
end.
"""

import os
import random
import shutil
import subprocess
import threading

import pytest
import sqlalchemy as sa

from tests.factories import Caller
from tests.system.live import flask_cli

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the backup test needs PostgreSQL: set TEST_DATABASE_URL=postgresql://… "
           "(it creates and drops its own database there)")

ORDERS_BEFORE_DUMP = 40
ORDERS_AFTER_DUMP = 20
TIMEOUT = 60  # seconds for each stretch of trading


@pytest.fixture
def client_tools():
    """pg_dump and pg_restore, or a skip (a failure under CI, which must run this test)."""
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} not installed (apt-get install postgresql-client)")
        pytest.skip(f"{', '.join(missing)} not installed")


@pytest.fixture
def restored_database():
    """An empty database on the same server, dropped afterwards."""
    from tests.conftest import _postgres_database

    url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
    try:
        yield url
    finally:
        drop()


def _trade(app, trader: tuple, placed: list, stop: threading.Event, seed: int) -> None:
    """One trader's loop: crossing orders around the guide, paying what it owes."""
    rng = random.Random(seed)
    own, side, serial = trader
    # Its own test client: every request in this thread gets its own app context and session.
    caller = Caller(app.test_client(), own.token)
    number = 0
    while not stop.is_set():
        number += 1
        body = {"instrument": "FO-QTY", "side": side, "tif": "GTC",
                "price": f"{rng.randint(2990, 3010) * 100}.00",
                "quantity": f"0.0{rng.randint(1, 5)}", "client_order_id": f"{side}-{seed}-{number}"}
        if serial:
            body["lot_serial"] = serial
        response = caller.post("/api/v1/orders", json=body)
        assert response.status_code in (201, 409, 422), response.json
        if response.status_code == 201:
            placed.append(response.json["order"]["id"])
        if side == "buy" and number % 5 == 0:
            owed = caller.get("/api/v1/settlements", query_string={"status": "pending_payment"})
            for settlement in owed.json[:1]:
                caller.post(f"/api/v1/settlements/{settlement['id']}/pay")


def _wait_for(placed: list, count: int, threads) -> None:
    deadline = threading.Event()
    timer = threading.Timer(TIMEOUT, deadline.set)
    timer.start()
    try:
        while len(placed) < count and not deadline.is_set():
            assert all(thread.is_alive() for thread in threads), "a trader thread failed"
            deadline.wait(0.05)
    finally:
        timer.cancel()
    assert len(placed) >= count, f"only {len(placed)} orders placed in {TIMEOUT} s"


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    finally:
        engine.dispose()


def test_a_dump_taken_mid_trading_restores_whole(app, world, database, restored_database,
                                                 client_tools, tmp_path, monkeypatch):
    # The CLI must hold the keys the test app wrote the audit chain with.
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("AUDIT_KEY", app.config["AUDIT_KEY"])
    sellers = [world.trader(name, code) for name, code in (("yixing", "320282"),
                                                           ("huangtu", "320281100"))]
    buyers = [world.trader(name, code, cash="500000000") for name, code in (
        ("xinwu", "320214"), ("liangxi", "320213"))]
    cast = [(seller, "sell", world.lot(seller, quantity="500")) for seller in sellers] + \
        [(buyer, "buy", None) for buyer in buyers]
    placed, stop = [], threading.Event()
    threads = [threading.Thread(target=_trade, args=(app, trader, placed, stop, seed),
                                daemon=True) for seed, trader in enumerate(cast)]
    for thread in threads:
        thread.start()
    dump = tmp_path / "market.dump"
    try:
        _wait_for(placed, ORDERS_BEFORE_DUMP, threads)
        result = flask_cli(database["url"], "backup", "--output", str(dump), timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"backup written: {dump}" in result.stdout
        dumped_at = len(placed)
        _wait_for(placed, dumped_at + ORDERS_AFTER_DUMP, threads)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    # The restore, as docs/DEPLOYMENT.md tells it.
    restore = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_database}",
         str(dump)], capture_output=True, text=True, timeout=300)
    assert restore.returncode == 0, restore.stderr
    for command in ("check-invariants", "verify-audit"):
        checked = flask_cli(restored_database, command)
        assert checked.returncode == 0, f"flask {command}:\n{checked.stdout}{checked.stderr}"
    assert "audit chain intact" in flask_cli(restored_database, "verify-audit").stdout

    # Mid-trading indeed: the copy has trading in it, and less than the live database now.
    restored_orders = _count(restored_database, "orders")
    assert 0 < restored_orders < _count(database["url"], "orders")
    assert _count(restored_database, "trades") > 0
    assert _count(restored_database, "alembic_version") == 1
