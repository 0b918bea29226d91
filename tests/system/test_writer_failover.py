"""The order writer under failure: a killed leader, a dropped connection, a killed web worker.

The service runs as deployed with `ORDER_WRITER=writer`: gunicorn with two workers and two
`flask order-writer` processes, one leading and one standing by. Clients place and cancel
orders on FO-QTY and ECO-CARBON and, like any client of this API, retry a request that got no
answer (a cut connection, a 503 from a writer that did not answer in time) with the same
client_order_id. Mid-load, something fails. Afterwards: every acknowledged order is stored
exactly once with its id; every client_order_id a client sent is stored at most once; the
fills equal what a fresh book gives for the logged command sequence; the ledger invariants
and the audit chain hold.
"""

import http.client
import os
import random
import threading
import time
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from tests.system.live import Gunicorn, OrderWriter, call, demo_database, service_env
from tests.system.test_crash import BUYERS, SELLERS, _login, _lots, _order_bodies

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the order writer needs PostgreSQL: set TEST_DATABASE_URL=postgresql://…")

ACKS_BEFORE_FAILURE = 80
ACKS_AFTER_FAILURE = 80
LOAD_TIMEOUT = 40
LEADER_LOCK = 0x6D6B_6F77  # market.services.trading.order_writer.LEADER_LOCK


@dataclass
class Load:
    acks: dict[tuple[str, str], int] = field(default_factory=dict)  # (user, cid) → order id
    sent: set[tuple[str, str]] = field(default_factory=set)
    cancels: list[tuple[str, int]] = field(default_factory=list)
    retries: int = 0
    unexpected: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _send_until_answered(port, method, path, token, body, load: Load, stop: threading.Event):
    """Send one request until it is answered (not 503, not cut off); None if told to stop."""
    while True:
        try:
            status, answer = call(port, method, path, token=token, body=body, timeout=10)
            if status != 503:
                return status, answer
        except (OSError, http.client.HTTPException):
            pass
        with load.lock:
            load.retries += 1
        if stop.is_set():
            return None
        time.sleep(0.05)


def _client(port, username, token, lots, seed, load: Load, stop: threading.Event, prefix):
    rng = random.Random(seed)
    bodies = _order_bodies(username, lots, rng)
    mine: list[int] = []
    while not stop.is_set():
        if mine and rng.random() < 0.12:
            order_id = mine.pop(rng.randrange(len(mine)))
            answered = _send_until_answered(port, "DELETE", f"/api/v1/orders/{order_id}",
                                            token, None, load, stop)
            if answered and answered[0] == 200:
                with load.lock:
                    load.cancels.append((username, order_id))
            elif answered and answered[1]["error"]["code"] != "order_closed":
                load.unexpected.append(answered)
            continue
        request = next(bodies)
        request["client_order_id"] = f"{prefix}-{request['client_order_id']}"
        with load.lock:
            load.sent.add((username, request["client_order_id"]))
        answered = _send_until_answered(port, "POST", "/api/v1/orders", token, request, load,
                                        stop)
        if answered is None:
            return
        status, body = answered
        if status in (200, 201):
            with load.lock:
                load.acks[(username, request["client_order_id"])] = body["order"]["id"]
            if body["order"]["status"] == "open":
                mine.append(body["order"]["id"])
        else:
            load.unexpected.append((status, body))


def _leader(engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(sa.text(
            # Advisory locks are per database: other databases on the server (other test
            # runs, benchmarks) may have writers of their own holding the same key.
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objid = :key "
            "AND a.datname = current_database() "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {"key": LEADER_LOCK}).scalar()


def _wait_for_leader(engine, other_than: str | None = None, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leader = _leader(engine)
        if leader and leader != other_than:
            return leader
        time.sleep(0.05)
    raise AssertionError(f"no order writer took the lead (other than {other_than})")


@pytest.fixture(scope="module")
def live_database():
    """A database on the TEST_DATABASE_URL server with the demo data, for this module's tests
    (each sends client_order_ids of its own, and each check covers all orders so far)."""
    with demo_database(history_days=0) as url:  # the accounts, users and lots are enough
        yield url


@pytest.fixture
def deployment(live_database, tmp_path):
    """Two writers (one leads) and gunicorn -w 2 in writer mode; all stopped at the end."""
    writers = {name: OrderWriter(live_database, tmp_path / f"{name}.log", name).start()
               for name in ("writer-a", "writer-b")}
    server = Gunicorn(live_database, tmp_path / "gunicorn.log", workers=2,
                      env={"ORDER_WRITER": "writer", "ORDER_WRITER_TIMEOUT": "2"})
    engine = sa.create_engine(live_database)
    try:
        server.start()
        yield server, writers, engine
    finally:
        server.stop()
        for writer in writers.values():
            writer.stop()
        engine.dispose()


def _run_load(server, fail, engine, prefix: str):
    """Load, `fail()` once ACKS_BEFORE_FAILURE orders are in, more load, then stop."""
    port = server.port
    tokens = {name: _login(port, name) for name in SELLERS + BUYERS}
    lots = {name: {instrument: serials[0] for instrument in ("FO-QTY", "ECO-CARBON")
                   if (serials := _lots(port, tokens[name], instrument))}
            for name in SELLERS}
    load, stop = Load(), threading.Event()
    threads = [threading.Thread(target=_client, daemon=True,
                                args=(port, name, tokens[name], lots.get(name, {}), seed,
                                      load, stop, prefix))
               for seed, name in enumerate(SELLERS + BUYERS)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    try:
        _wait_for(lambda: len(load.acks) >= ACKS_BEFORE_FAILURE, load, server)
        fail()
        target = len(load.acks) + ACKS_AFTER_FAILURE
        _wait_for(lambda: len(load.acks) >= target, load, server)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    print(f"{len(load.acks)} orders acknowledged in {time.monotonic() - started:.1f} s, "
          f"{load.retries} retries")
    assert load.unexpected == [], load.unexpected[:5]
    return load, tokens


def _wait_for(condition, load, server):
    deadline = time.monotonic() + LOAD_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, (
            f"{len(load.acks)} orders acknowledged, {load.retries} retries:\n"
            f"{server.log_tail()}")
        time.sleep(0.02)


def _check_outcome(load: Load, live_database, engine, prefix: str):
    with engine.connect() as connection:
        stored = {(row.username, row.client_order_id): row.id for row in connection.execute(
            sa.text("SELECT o.id, o.client_order_id, u.username FROM orders o "
                    "JOIN users u ON u.account_id = o.account_id "
                    "WHERE o.client_order_id LIKE :prefix"), {"prefix": f"{prefix}-%"})}
        cancelled = {row.id for row in connection.execute(sa.text(
            "SELECT id FROM orders WHERE status = 'cancelled'"))}
    # Every acknowledged order is there with the id it was acknowledged with; nothing a
    # client did not send, and no client_order_id twice (the unique key would refuse it).
    assert load.acks.items() <= stored.items()
    assert set(stored) <= load.sent
    assert {order_id for _, order_id in load.cancels} <= cancelled
    started = time.monotonic()
    # In this process (three CLI runs would cost a Python and an app start each), with the
    # service's own secret: it keys the audit chain.
    from market import create_app
    from market.services import audit, ledger, trading

    app = create_app({"SQLALCHEMY_DATABASE_URI": live_database, "TESTING": True,
                      "SECRET_KEY": service_env(live_database)["SECRET_KEY"],
                      "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        from market.extensions import db

        try:
            assert ledger.check_invariants() == []
            assert audit.verify_chain(None).ok
            assert trading.replay_mismatches() == []
        finally:
            db.session.remove()
            db.engine.dispose()
    print(f"checks took {time.monotonic() - started:.1f} s")


def test_sigkill_of_the_leading_writer_hands_the_books_to_the_standby(deployment,
                                                                      live_database):
    server, writers, engine = deployment
    first = _wait_for_leader(engine)
    # Two writers, one lock: the standby does not lead while the leader lives.
    time.sleep(0.5)
    assert _leader(engine) == first

    def kill_leader():
        writers[first].kill()

    load, _tokens = _run_load(server, kill_leader, engine, "leader")
    second = _wait_for_leader(engine, other_than=first)
    assert second != first
    assert "leading" in writers[second].log_text()
    print(f"{len(load.acks)} acknowledged, {load.retries} retries across the failover")
    _check_outcome(load, live_database, engine, "leader")


def test_a_writer_connection_dropped_mid_batch_loses_nothing_acknowledged(deployment,
                                                                         live_database):
    server, writers, engine = deployment
    leader = _wait_for_leader(engine)

    def drop_connections():
        # Every connection of the leader, its batches' included: as a network cut would.
        assert leader in writers, leader  # never a blank name: it would match strangers
        with engine.connect() as connection:
            dropped = connection.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"),
                {"name": leader}).scalar()
        assert dropped >= 1

    load, _tokens = _run_load(server, drop_connections, engine, "dropped")
    _wait_for_leader(engine)
    _check_outcome(load, live_database, engine, "dropped")


def test_sigkill_of_a_web_worker_mid_request_loses_nothing_acknowledged(deployment,
                                                                       live_database):
    server, _writers, engine = deployment
    _wait_for_leader(engine)

    def kill_a_worker():
        workers = server.workers_pids()
        assert workers, "gunicorn has no workers"
        os.kill(workers[0], 9)

    load, _tokens = _run_load(server, kill_a_worker, engine, "worker")
    _check_outcome(load, live_database, engine, "worker")
