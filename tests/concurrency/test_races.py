"""Races on one spot: crossing buys on one resting sell, parallel retries, pay vs match.

PostgreSQL only; each test makes its contention happen on purpose.
"""

import os
import threading
import time
import traceback
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from market.extensions import db
from market.services import catalogue, ledger
from models import (
    Instrument,
    Lot,
    Order,
    Settlement,
    Trade,
)
from models.ledger import CASH_ASSET

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="concurrency tests need PostgreSQL (set TEST_DATABASE_URL); SQLite serializes "
    "writers, so parallel clients would prove nothing",
)


@pytest.mark.parametrize("owner_cancels", [False, True], ids=["buys-only", "owner-cancels"])
@pytest.mark.parametrize(("instrument", "price", "resting", "each"), [
    ("FO-QTY", "300000.00", "5.00", "1.30"),
    ("ECO-CARBON", "60.00", "1000", "300"),
])
def test_eight_crossing_buys_never_overfill_one_resting_sell(app, world, instrument, price,
                                                             resting, each, owner_cancels):
    """Eight buyers (demanding 8 × `each` > `resting`) hit one resting sell at the same moment;
    in the second variant its owner cancels it at that moment too."""
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, instrument, "10000", grade=4)
    sell = seller.post("/api/v1/orders", json={
        "instrument": instrument, "side": "sell", "price": price, "quantity": resting,
        "lot_serial": serial, "client_order_id": "the-one"})
    assert sell.status_code == 201, sell.json
    sell_id = sell.json["order"]["id"]
    districts = ["320214", "320213", "320206", "320211", "320205", "320271", "320281",
                 "320281100"]
    requests = [(world.trader(f"buyer{i}", code, cash="100000000").token, "POST",
                 "/api/v1/orders", {"instrument": instrument, "side": "buy", "price": price,
                                    "quantity": each, "client_order_id": f"b{i}",
                                    "tif": "IOC" if i % 2 else "GTC"})
                for i, code in enumerate(districts)]
    if owner_cancels:
        requests.insert(4, (seller.token, "DELETE", f"/api/v1/orders/{sell_id}", None))
    db.session.commit()

    barrier = threading.Barrier(len(requests))
    results: list[tuple[int, dict | None, str]] = [(0, None, "")] * len(requests)

    def send(index: int) -> None:
        token, method, path, body = requests[index]
        client = app.test_client()
        barrier.wait()
        try:
            response = client.open(path, method=method, json=body,
                                   headers={"Authorization": f"Bearer {token}"})
            results[index] = (response.status_code, response.get_json(silent=True),
                              response.get_data(as_text=True)[:2000])
        except Exception:
            results[index] = (500, None, traceback.format_exc())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    cancel = None
    buys = []
    for (_token, method, _path, _body), (status, data, raw) in zip(requests, results,
                                                                    strict=True):
        if method == "DELETE":
            cancel = (status, data)
            assert status in (200, 409), raw  # cancelled, or already filled: order_closed
        else:
            assert status == 201, raw
            buys.append(data)

    reported = sum(Decimal(fill["quantity"]) for data in buys for fill in data["fills"]
                   if fill["sell_order_id"] == sell_id)
    db.session.expire_all()
    order = db.session.get(Order, sell_id)
    traded = db.session.scalar(select(func.coalesce(func.sum(Trade.quantity), 0)).where(
        Trade.sell_order_id == sell_id))
    assert reported == traded == order.filled <= Decimal(resting)
    if cancel is not None and cancel[0] == 200:
        assert (order.status, order.remaining) == ("cancelled", 0)
        assert Decimal(cancel[1]["filled"]) == order.filled
    else:
        if cancel is not None:
            assert cancel[1]["error"]["code"] == "order_closed"
        assert (order.status, order.filled, order.remaining) == ("filled", Decimal(resting), 0)
    lot = db.session.scalar(select(Lot).where(Lot.serial == serial))
    settling = db.session.scalar(select(func.coalesce(func.sum(Settlement.quantity), 0)).where(
        Settlement.lot_id == lot.id, Settlement.status == "pending_payment"))
    assert lot.encumbered == settling  # nothing left encumbered for the closed order
    assert lot.available + lot.encumbered == Decimal("10000") - db.session.scalar(
        select(func.coalesce(func.sum(Settlement.quantity), 0)).where(
            Settlement.lot_id == lot.id, Settlement.status == "completed"))
    assert db.session.scalar(select(func.count(Settlement.id))) == db.session.scalar(
        select(func.count(Trade.id)))
    assert ledger.check_invariants() == []


@pytest.mark.parametrize("instruments", [("FO-QTY",), ("FO-QTY", "ECO-CARBON")],
                         ids=["same-body", "two-instruments"])
def test_eight_retries_of_one_client_order_id_place_one_order(app, world, instruments):
    """A client retrying the same order in parallel gets one order: the rest replay it (the
    same body) or are told the id is taken (a different body), never a second order or a 5xx."""
    buyer = world.trader("xinwu", "320214", cash="100000000")
    db.session.commit()
    bodies = {
        "FO-QTY": {"instrument": "FO-QTY", "side": "buy", "price": "250000.00",
                   "quantity": "1.00", "client_order_id": "retry-me"},
        "ECO-CARBON": {"instrument": "ECO-CARBON", "side": "buy", "price": "40.00",
                       "quantity": "10", "client_order_id": "retry-me"},
    }
    barrier = threading.Barrier(8)
    results: list[tuple[str, int, dict | None, str]] = [("", 0, None, "")] * 8

    def send(index: int) -> None:
        instrument = instruments[index % len(instruments)]
        client = app.test_client()
        barrier.wait()
        try:
            response = client.post("/api/v1/orders", json=bodies[instrument],
                                   headers={"Authorization": f"Bearer {buyer.token}"})
            results[index] = (instrument, response.status_code,
                              response.get_json(silent=True), response.get_data(as_text=True))
        except Exception:
            results[index] = (instrument, 500, None, traceback.format_exc())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    [order] = db.session.scalars(select(Order).where(Order.client_order_id == "retry-me")).all()
    statuses = Counter(status for _instrument, status, _data, _raw in results)
    assert statuses[201] == 1, results
    for instrument, status, data, raw in results:
        if instrument == order.instrument.code:
            assert status in (200, 201), raw
            assert data["order"]["id"] == order.id and data["replayed"] is (status == 200)
        else:
            assert (status, data["error"]["code"]) == (409, "duplicate_client_order_id"), raw
    assert ledger.check_invariants() == []


def _backends_waiting_on_locks(engine, exclude: set[int]) -> list[int]:
    with engine.connect() as connection:
        return [pid for (pid,) in connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")) if pid not in exclude]


def test_paying_a_settlement_does_not_deadlock_with_a_sell_matching_on_its_lot(app, world):
    """A buyer pays an FO-QTY settlement while a sell order from the same lot is matching.

    The matcher holds the instrument lock and the lot row (a sell encumbers its lot) and then
    moves the deposit out of the buyer's held cash. The payment moves the buyer's cash first and
    then inserts the child lot (whose foreign keys need a KEY SHARE lock on the instrument and
    the parent lot rows) and takes the quantity out of the parent lot. The two take the same
    rows in opposite orders. Here the matcher is played step by step inside the app, with a
    short deadlock_timeout so that PostgreSQL picks it as the victim when there is a cycle.
    """

    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, "FO-QTY", "100", grade=4)
    for caller, side, extra in ((seller, "sell", {"lot_serial": serial}), (buyer, "buy", {})):
        placed = caller.post("/api/v1/orders", json={
            "instrument": "FO-QTY", "side": side, "price": "300000.00", "quantity": "1",
            "client_order_id": f"{side}-1", **extra})
        assert placed.status_code == 201, placed.json
    [pending] = buyer.get("/api/v1/settlements?status=pending_payment").json
    instrument_id = db.session.scalar(select(Instrument.id).where(Instrument.code == "FO-QTY"))
    lot_id = db.session.scalar(select(Lot.id).where(Lot.serial == serial))
    buyer_account_id = buyer.user.account_id
    db.session.commit()

    locked, proceed = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def matcher() -> None:
        with app.app_context():
            try:
                db.session.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
                outcome["matcher_pid"] = db.session.scalar(text("SELECT pg_backend_pid()"))
                catalogue.lock_instrument(instrument_id)                  # as place() does
                # as lock_lot() does
                lot = db.session.scalar(select(Lot).where(Lot.id == lot_id)
                                        .with_for_update(of=Lot, key_share=True))
                ledger.encumber(lot, Decimal("1"), None, "probe")  # the sell's quantity
                locked.set()
                proceed.wait(10)
                # A fill: the buyer's deposit leaves its held cash (here: a hold, same row).
                ledger.post("hold", "probe", [ledger.Move(
                    CASH_ASSET, ledger.cash(buyer_account_id, "available"),
                    ledger.cash(buyer_account_id, "held"), Decimal("1.00"))])
            except Exception as error:  # noqa: BLE001 — reported below
                outcome["matcher_error"] = repr(error)
            finally:
                locked.set()
                db.session.rollback()
                db.session.remove()

    def payer() -> None:
        try:
            response = app.test_client().post(
                f"/api/v1/settlements/{pending['id']}/pay",
                headers={"Authorization": f"Bearer {buyer.token}"})
            outcome["pay"] = (response.status_code, response.get_json(silent=True))
        except Exception:
            outcome["pay"] = (500, traceback.format_exc())

    threads = [threading.Thread(target=matcher), threading.Thread(target=payer)]
    threads[0].start()
    assert locked.wait(10)
    threads[1].start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and threads[1].is_alive():
        if _backends_waiting_on_locks(db.engine, {outcome.get("matcher_pid")}):
            break  # the payment now waits for something the matcher holds
        time.sleep(0.02)
    proceed.set()
    for thread in threads:
        thread.join(30)

    assert outcome.get("matcher_error") is None, outcome["matcher_error"]
    status, body = outcome["pay"]
    assert status == 200 and body["status"] == "completed", outcome["pay"]
