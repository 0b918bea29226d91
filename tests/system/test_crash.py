"""Crash safety: SIGKILL the whole server mid-load; every acknowledged order survives.

The service runs as deployed (migrations and demo data by the CLI, gunicorn with two workers)
on a database of its own. Several clients place buys and sells on FO-QTY and ECO-CARBON and
cancel some of them; when enough orders have been acknowledged, the master and its workers
are killed together. After a restart, every order that got a 2xx is there with the same id
and client_order_id (and every acknowledged cancel stayed cancelled); retrying the
placements that got no answer places or replays each exactly once; the ledger invariants and
the audit chain hold; and retrying an acknowledged client_order_id replays it.
"""

import http.client
import os
import random
import threading
import time
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from tests.system.live import Gunicorn, call, demo_database, flask_cli

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the crash test needs PostgreSQL: set TEST_DATABASE_URL=postgresql://… "
           "(it creates and drops its own database there)")

PASSWORD = "demo-password"
SELLERS = ("yixing", "huangtu", "xiangshan")  # xiangshan also sells ECO-CARBON
BUYERS = ("xinwu", "liangxi", "yinzhou")
ACKS_BEFORE_KILL = 150
LOAD_TIMEOUT = 25  # seconds to reach ACKS_BEFORE_KILL before the test gives up


@dataclass
class Ack:
    """An order the server acknowledged with a 2xx, and the request that placed it."""

    user: str
    order_id: int
    client_order_id: str
    body: dict


@dataclass
class Load:
    """What the clients saw, shared between their threads."""

    acks: list[Ack] = field(default_factory=list)
    cancels: list[tuple[str, int]] = field(default_factory=list)  # acknowledged cancels
    server_errors: list[tuple[float, int, object]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    connection_errors: int = 0
    # Placements that got no answer: cut off mid-request by the kill, or refused after it.
    unanswered: list[tuple[str, dict, bool]] = field(default_factory=list)  # user, body, cut
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, body) -> None:
        key = str(status)
        if status >= 400 and isinstance(body, dict) and "error" in body:
            key += f" {body['error'].get('code')}"
        with self.lock:
            self.statuses[key] = self.statuses.get(key, 0) + 1


@pytest.fixture
def live_database():
    """A fresh database on the TEST_DATABASE_URL server, migrated and with the demo data."""
    with demo_database(history_days=5) as url:
        yield url


@pytest.fixture
def server(live_database, tmp_path):
    """gunicorn -w 2 on a free loopback port; always killed at the end."""
    servers = []

    def start(port=None):
        server = Gunicorn(live_database, tmp_path / "gunicorn.log", workers=2, port=port)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def _login(port: int, username: str) -> str:
    status, body = call(port, "POST", "/api/v1/auth/token",
                        body={"username": username, "password": PASSWORD})
    assert status == 201, body
    return body["token"]


def _lots(port: int, token: str, instrument: str) -> list[str]:
    status, body = call(port, "GET", f"/api/v1/lots?instrument={instrument}", token=token)
    assert status == 200, body
    return [lot["serial"] for lot in body if lot["status"] == "active"]


def _order_bodies(username: str, lots: dict[str, str], rng: random.Random):
    """Endless order requests for one trader: small sizes, prices around the guide."""
    number = 0
    while True:
        number += 1
        cid = f"crash-{username}-{number}"
        if username in BUYERS:
            if rng.random() < 0.6:
                body = {"instrument": "FO-QTY", "side": "buy",
                        "price": f"{rng.randint(2950, 3050) * 100}.00",
                        "quantity": f"0.0{rng.randint(1, 5)}"}
            else:
                body = {"instrument": "ECO-CARBON", "side": "buy",
                        "price": f"{rng.randint(5800, 6200) / 100:.2f}",
                        "quantity": str(rng.randint(1, 5))}
        else:
            instrument = "ECO-CARBON" if "ECO-CARBON" in lots and rng.random() < 0.5 else "FO-QTY"
            if instrument == "FO-QTY":
                body = {"instrument": "FO-QTY", "side": "sell",
                        "price": f"{rng.randint(2950, 3050) * 100}.00",
                        "quantity": f"0.0{rng.randint(1, 5)}"}
            else:
                body = {"instrument": "ECO-CARBON", "side": "sell",
                        "price": f"{rng.randint(5800, 6200) / 100:.2f}",
                        "quantity": str(rng.randint(1, 5))}
            body["lot_serial"] = lots[instrument]
        body.update(tif="GTC", client_order_id=cid)
        yield body


def _client(port, username, token, lots, seed, load: Load, stop: threading.Event):
    """Place orders (and cancel about one in eight of its own) until told to stop."""
    rng = random.Random(seed)
    bodies = _order_bodies(username, lots, rng)
    mine: list[int] = []
    while not stop.is_set():
        cancel = mine and rng.random() < 0.12
        try:
            if cancel:
                order_id = mine.pop(rng.randrange(len(mine)))
                status, body = call(port, "DELETE", f"/api/v1/orders/{order_id}", token=token)
            else:
                request = next(bodies)
                status, body = call(port, "POST", "/api/v1/orders", token=token, body=request)
        except (OSError, http.client.HTTPException) as error:
            # The server is gone (killed, or being killed): not an acknowledgement.
            with load.lock:
                load.connection_errors += 1
                if not cancel:
                    cut = not isinstance(error, ConnectionRefusedError)
                    load.unanswered.append((username, request, cut))
            time.sleep(0.02)
            continue
        load.count(status, body)
        with load.lock:
            if status >= 500:
                load.server_errors.append((time.monotonic(), status, body))
            elif 200 <= status < 300 and cancel:
                load.cancels.append((username, order_id))
            elif 200 <= status < 300:
                load.acks.append(Ack(username, body["order"]["id"],
                                     body["order"]["client_order_id"], request))
                if body["order"]["status"] == "open":
                    mine.append(body["order"]["id"])


def test_acknowledged_orders_survive_sigkill_of_master_and_workers(server, live_database):
    first = server()
    port = first.port
    tokens = {name: _login(port, name) for name in SELLERS + BUYERS}
    lots = {name: {instrument: serials[0] for instrument in ("FO-QTY", "ECO-CARBON")
                   if (serials := _lots(port, tokens[name], instrument))}
            for name in SELLERS}
    assert all("FO-QTY" in lots[name] for name in SELLERS), lots
    assert "ECO-CARBON" in lots["xiangshan"], lots

    load, stop = Load(), threading.Event()
    threads = [threading.Thread(target=_client, daemon=True, name=f"client-{name}",
                                args=(port, name, tokens[name], lots.get(name, {}), seed,
                                      load, stop))
               for seed, name in enumerate(SELLERS + BUYERS)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + LOAD_TIMEOUT
        while len(load.acks) < ACKS_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(load.acks) >= ACKS_BEFORE_KILL, (
            f"only {len(load.acks)} orders acknowledged in {LOAD_TIMEOUT} s "
            f"(statuses {load.statuses}):\n{first.log_tail()}")
        # Mid-load: the clients are still sending when master and workers die together.
        assert len(first.group_members()) == 1 + 2, "master and both workers share a group"
        killed_at = time.monotonic()
        first.kill()
    finally:
        stop.set()
        for thread in threads:
            thread.join(15)
    assert not any(thread.is_alive() for thread in threads)

    # A 5xx can only come from a live server, so every one of them was before the kill.
    assert all(error[0] <= killed_at for error in load.server_errors)
    assert load.server_errors == [], f"5xx under load: {load.server_errors}\n{first.log_tail()}"
    # The kill really landed mid-load: requests were in flight and got cut off.
    cut_off = [entry for entry in load.unanswered if entry[2]]
    assert cut_off, f"no placement was in flight at the kill: {load.statuses}"
    print(f"acknowledged {len(load.acks)} orders and {len(load.cancels)} cancels before the "
          f"kill; statuses {load.statuses}; {len(cut_off)} placements cut off mid-request, "
          f"{len(load.unanswered) - len(cut_off)} refused")

    # Restart on the same port: it binds only if no worker kept the listening socket.
    second = server(port=port)

    # Every acknowledged order is there, as its owner sees it, with the same identity.
    for ack in load.acks:
        status, body = call(port, "GET", f"/api/v1/orders/{ack.order_id}",
                            token=tokens[ack.user])
        assert status == 200, (ack, body)
        assert (body["id"], body["client_order_id"]) == (ack.order_id, ack.client_order_id)
        assert (body["instrument"], body["side"]) == (ack.body["instrument"], ack.body["side"])
    for username, order_id in load.cancels:
        status, body = call(port, "GET", f"/api/v1/orders/{order_id}", token=tokens[username])
        assert (status, body["status"]) == (200, "cancelled"), (username, order_id, body)

    # And in the database itself: same ids, same client_order_ids, no duplicates.
    engine = sa.create_engine(live_database)
    try:
        with engine.connect() as connection:
            stored = dict(connection.execute(sa.text(
                "SELECT id, client_order_id FROM orders")).all())
    finally:
        engine.dispose()
    assert {ack.order_id: ack.client_order_id for ack in load.acks}.items() <= stored.items()
    assert len(stored) >= len(load.acks)

    # A client retries what got no answer, with the same client_order_id: each is placed now
    # (201) or, if it had committed before the kill, replayed (200) — never a duplicate.
    replayed = 0
    for username, request, _cut in load.unanswered:
        status, body = call(port, "POST", "/api/v1/orders", token=tokens[username], body=request)
        assert status in (200, 201), (request, body)
        assert body["replayed"] is (status == 200)
        replayed += status == 200
    print(f"retried {len(load.unanswered)} unanswered placements: {replayed} had committed")

    for command in ("check-invariants", "verify-audit"):
        result = flask_cli(live_database, command)
        assert result.returncode == 0, f"flask {command}:\n{result.stdout}{result.stderr}"

    # Retrying acknowledged orders replays them: the first one, and the last before the kill.
    for ack in (load.acks[0], load.acks[-1]):
        status, body = call(port, "POST", "/api/v1/orders", token=tokens[ack.user],
                            body=ack.body)
        assert status == 200, body
        assert body["replayed"] is True
        assert body["order"]["id"] == ack.order_id
        assert body["order"]["client_order_id"] == ack.client_order_id
    second.stop()
