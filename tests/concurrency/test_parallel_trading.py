"""Parallel trading on PostgreSQL: many clients, real connections, the invariants still hold.

Each worker thread has its own test client, so every request runs in its own app context with
its own session and its own PostgreSQL connection: matching, settlement payment, cancels and
changes really race for the instrument lock, the lot rows and the account rows. Afterwards the
invariants 1–5 of DESIGN.md must hold and no request may have failed with a 5xx.

SQLite serializes writers, so these tests only mean something on PostgreSQL and are skipped
without TEST_DATABASE_URL.
"""

import os
import random
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market.extensions import db
from market.services import ledger
from models import (
    Account,
    Instrument,
    JournalEntry,
    Lot,
    Order,
    OrderRejection,
    Settlement,
    Trade,
)
from models.ledger import CASH_ASSET

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="concurrency tests need PostgreSQL (set TEST_DATABASE_URL); SQLite serializes "
    "writers, so parallel clients would prove nothing",
)

OPS_PER_CLIENT = int(os.environ.get("CONCURRENCY_OPS", "500"))
SEED = int(os.environ.get("CONCURRENCY_SEED", "20240501"))

SELLERS = [("yixing", "320282"), ("huangtu", "320281100"), ("yuecheng", "320281102"),
           ("xishan", "320205")]
BUYERS = [("xinwu", "320214"), ("liangxi", "320213"), ("huishan", "320206"),
          ("binhu", "320211")]
SELLER_CASH = Decimal("20000000.00")
BUYER_CASH = Decimal("200000000.00")
FO_LOT = Decimal("5000")
ECO_LOT = Decimal("1000000")

# Per instrument: tick, lot size, guide; orders are priced within ±SPREAD ticks of the guide
# so that buys and sells cross often.
TERMS = {
    "FO-QTY": dict(tick=Decimal("100.00"), lot=Decimal("0.01"), guide=Decimal("300000.00"),
                   spread=150, max_lots=300),
    "ECO-CARBON": dict(tick=Decimal("0.01"), lot=Decimal("1"), guide=Decimal("60.00"),
                       spread=300, max_lots=400),
}


@dataclass
class Trader:
    """What a worker thread needs, as plain values (no ORM objects cross threads)."""

    name: str
    token: str
    account_id: int
    role: str  # "seller" or "buyer"
    lots: dict[str, str] = field(default_factory=dict)  # instrument -> serial


@dataclass
class Log:
    """Everything one worker saw."""

    statuses: Counter = field(default_factory=Counter)
    ops: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)  # 5xx and exceptions, with bodies
    malformed: list[str] = field(default_factory=list)  # 4xx without a JSON error code
    acknowledged_orders: set[int] = field(default_factory=set)
    acknowledged_trades: set[int] = field(default_factory=set)
    paid_settlements: set[int] = field(default_factory=set)
    reported_fills: dict[int, Decimal] = field(default_factory=dict)  # order -> filled


class Client:
    """One thread's HTTP client: its own test client and bearer token."""

    def __init__(self, app, token: str, log: Log):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.log = log

    def call(self, op: str, method: str, path: str, body=None):
        """Send a request; record its status; return (status, json) — never raise."""
        self.log.ops[op] += 1
        started = time.monotonic()
        try:
            response = self.client.open(path, method=method, json=body, headers=self.headers)
        except Exception:  # TESTING propagates exceptions: that is a 500 to a real client
            self.log.statuses[500] += 1
            self.log.failures.append(f"{method} {path} {body!r} raised:\n"
                                     f"{traceback.format_exc()}")
            return 500, None
        status = response.status_code
        self.log.statuses[status] += 1
        self.log.seconds[op].append(time.monotonic() - started)
        data = response.get_json(silent=True)
        if status >= 500:
            self.log.failures.append(f"{method} {path} {body!r} -> {status}: "
                                     f"{response.get_data(as_text=True)[:2000]}")
        elif status >= 400:
            error = (data or {}).get("error") if isinstance(data, dict) else None
            if not isinstance(error, dict) or not error.get("code"):
                self.log.malformed.append(f"{method} {path} {body!r} -> {status}: "
                                          f"{response.get_data(as_text=True)[:500]}")
            else:
                self.log.codes[f"{op}:{status}:{error['code']}"] += 1
        return status, data


def _on_grid(rng: random.Random, instrument: str) -> tuple[str, str]:
    terms = TERMS[instrument]
    price = terms["guide"] + terms["tick"] * rng.randint(-terms["spread"], terms["spread"])
    quantity = terms["lot"] * rng.randint(1, terms["max_lots"])
    return str(price), str(quantity)


def _note_result(log: Log, data, open_orders: dict[int, str]) -> None:
    """Remember what a 2xx place/modify answered: the order, its fills, whether it rests."""
    order = data["order"]
    log.acknowledged_orders.add(order["id"])
    log.reported_fills[order["id"]] = max(
        Decimal(order["filled"]), log.reported_fills.get(order["id"], Decimal(0)))
    for fill in data.get("fills") or []:
        log.acknowledged_trades.add(fill["id"])
    if order["status"] == "open":
        open_orders[order["id"]] = order["instrument"]
    else:
        open_orders.pop(order["id"], None)


def _worker(app, trader: Trader, index: int, barrier: threading.Barrier, log: Log) -> None:
    rng = random.Random(SEED * 100 + index)
    client = Client(app, trader.token, log)
    open_orders: dict[int, str] = {}  # what this client believes is open: id -> instrument
    last_place: dict | None = None
    unpaid: list[int] = []  # pending settlements this buyer owes (only the buyer pays them)
    sent = 0
    barrier.wait()
    while sent < OPS_PER_CLIENT:
        # Others fill our orders behind our back: look at the real book now and then.
        if sent % 40 == 0:
            status, data = client.call("list", "GET", "/api/v1/orders?status=open&limit=1000")
            if status == 200:
                open_orders = {o["id"]: o["instrument"] for o in data}
        roll = rng.random()
        if trader.role == "buyer":
            kind = ("place" if roll < 0.50 else "cancel" if roll < 0.62 else
                    "reduce" if roll < 0.70 else "replace" if roll < 0.78 else
                    "pay" if roll < 0.97 else "replay")
        else:
            kind = ("place" if roll < 0.60 else "cancel" if roll < 0.75 else
                    "reduce" if roll < 0.85 else "replace" if roll < 0.95 else "replay")
        if kind in ("cancel", "reduce", "replace") and not open_orders:
            kind = "place"
        if kind == "replay" and last_place is None:
            kind = "place"
        sent += 1

        if kind == "place":
            instrument = rng.choice(("FO-QTY", "ECO-CARBON"))
            side = "sell" if trader.role == "seller" else "buy"
            # Sellers sometimes buy too, so buyers and sellers are not two fixed camps.
            if trader.role == "seller" and rng.random() < 0.1:
                side = "buy"
            price, quantity = _on_grid(rng, instrument)
            body = {"instrument": instrument, "side": side, "price": price,
                    "quantity": quantity, "client_order_id": f"c{index}-{sent}",
                    "tif": rng.choices(("GTC", "IOC", "FOK"), weights=(6, 2, 2))[0]}
            if side == "sell":
                body["lot_serial"] = trader.lots[instrument]
            elif instrument == "FO-QTY" and rng.random() < 0.2:
                body["max_quality_grade"] = rng.randint(3, 8)
            refused = rng.random() < 0.03
            if refused:
                # Now and then an order the engine must refuse (and record for surveillance).
                off_tick = instrument == "FO-QTY" and rng.random() < 0.5
                body["price"] = str(Decimal(price) + Decimal("50.00") if off_tick
                                    else TERMS[instrument]["guide"] * 2)
            status, data = client.call(f"place-{side}", "POST", "/api/v1/orders", body)
            if refused and status != 422:
                log.failures.append(f"{body!r} should be refused with a 422: {status} {data}")
            if status in (200, 201):
                _note_result(log, data, open_orders)
                last_place = body
        elif kind == "replay":
            # A retry of the last placed order: replays, never places it twice.
            status, data = client.call("replay", "POST", "/api/v1/orders", last_place)
            if status == 200:
                assert data["replayed"] is True, data
                _note_result(log, data, open_orders)
            elif status == 201:
                log.failures.append(f"replay of {last_place!r} placed a second order: {data}")
        elif kind == "cancel":
            order_id = rng.choice(sorted(open_orders))
            status, data = client.call("cancel", "DELETE", f"/api/v1/orders/{order_id}")
            open_orders.pop(order_id, None)
            if status == 200:
                log.reported_fills[order_id] = Decimal(data["filled"])
        elif kind in ("reduce", "replace"):
            order_id = rng.choice(sorted(open_orders))
            instrument = open_orders[order_id]
            price, quantity = _on_grid(rng, instrument)
            if kind == "reduce":
                lots = rng.randint(1, TERMS[instrument]["max_lots"] // 4)
                change = {"quantity": str(TERMS[instrument]["lot"] * lots)}
            else:
                change = {"price": price}
            status, data = client.call(kind, "PATCH", f"/api/v1/orders/{order_id}", change)
            if status == 200:
                _note_result(log, data, open_orders)
            elif status in (404, 409):
                open_orders.pop(order_id, None)
        else:  # pay
            if not unpaid:
                status, data = client.call(
                    "list-settlements", "GET",
                    "/api/v1/settlements?status=pending_payment&limit=1000")
                unpaid = [s["id"] for s in data or []
                          if s["buyer_account_id"] == trader.account_id]
            if not unpaid:
                sent -= 1  # nothing to pay: not an operation
                continue
            settlement_id = unpaid.pop(rng.randrange(len(unpaid)))
            status, data = client.call("pay", "POST", f"/api/v1/settlements/{settlement_id}/pay")
            if status == 200:
                assert data["status"] == "completed", data
                log.paid_settlements.add(settlement_id)


def _run_parallel(app, traders: list[Trader]) -> list[Log]:
    logs = [Log() for _ in traders]
    barrier = threading.Barrier(len(traders))
    errors: list[str] = []

    def run(index: int) -> None:
        try:
            _worker(app, traders[index], index, barrier, logs[index])
        except Exception:
            errors.append(f"worker {index} crashed:\n{traceback.format_exc()}")
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,), name=f"trader-{i}")
               for i in range(len(traders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    assert errors == [], "\n".join(errors)
    return logs


def _cash_total() -> Decimal:
    return db.session.scalar(select(func.sum(Account.cash_available + Account.cash_held)))


def _system_balance(book: str) -> Decimal:
    return db.session.scalar(select(func.coalesce(func.sum(JournalEntry.amount), 0)).where(
        JournalEntry.book == book, JournalEntry.asset == CASH_ASSET))


def test_eight_clients_trade_in_parallel_and_every_invariant_holds(app, world):
    traders: list[Trader] = []
    issued: dict[str, Decimal] = defaultdict(Decimal)
    for name, district in SELLERS:
        caller = world.trader(name, district, cash=str(SELLER_CASH))
        trader = Trader(name, caller.token, caller.user.account_id, "seller")
        for instrument, quantity, grade in (("FO-QTY", FO_LOT, 3 + len(traders)),
                                            ("ECO-CARBON", ECO_LOT, None)):
            trader.lots[instrument] = world.lot(caller, instrument, str(quantity), grade=grade)
            issued[instrument] += quantity
        traders.append(trader)
    for name, district in BUYERS:
        caller = world.trader(name, district, cash=str(BUYER_CASH))
        traders.append(Trader(name, caller.token, caller.user.account_id, "buyer"))
    deposited = SELLER_CASH * len(SELLERS) + BUYER_CASH * len(BUYERS)
    db.session.commit()  # the main thread holds no transaction while the workers run

    started = time.monotonic()
    logs = _run_parallel(app, traders)
    elapsed = time.monotonic() - started

    statuses = sum((log.statuses for log in logs), Counter())
    ops = sum((log.ops for log in logs), Counter())
    codes = sum((log.codes for log in logs), Counter())
    print(f"\n{sum(statuses.values())} requests in {elapsed:.1f}s; statuses {dict(statuses)}")
    print(f"operations {dict(ops)}")
    print(f"4xx codes {dict(codes.most_common())}")
    for op in sorted(ops):
        seconds = sorted(s for log in logs for s in log.seconds[op])
        if seconds:
            print(f"  {op:16} n={len(seconds):5} mean={sum(seconds) / len(seconds):.3f}s "
                  f"p95={seconds[int(len(seconds) * 0.95)]:.3f}s max={seconds[-1]:.3f}s")
    failures = [failure for log in logs for failure in log.failures]
    assert failures == [], f"{len(failures)} requests failed:\n" + "\n\n".join(failures[:20])
    malformed = [bad for log in logs for bad in log.malformed]
    assert malformed == [], "4xx without a JSON error code:\n" + "\n".join(malformed[:20])
    for log in logs:
        mutations = sum(count for op, count in log.ops.items()
                        if op not in ("list", "list-settlements"))
        assert mutations >= OPS_PER_CLIENT

    # The run must have exercised the interesting paths, or it proves little.
    assert statuses[201] > 0 and ops["pay"] > 0 and ops["cancel"] > 0
    db.session.expire_all()
    trades = db.session.scalar(select(func.count(Trade.id)))
    assert trades > 0
    print("trades", dict(db.session.execute(select(Instrument.code, func.count(Trade.id)).join(
        Trade, Trade.instrument_id == Instrument.id).group_by(Instrument.code)).all()),
        "settlements", dict(db.session.execute(select(Settlement.status, func.count(
            Settlement.id)).group_by(Settlement.status)).all()),
        "open orders", db.session.scalar(select(func.count(Order.id)).where(
            Order.status == "open")))

    # Invariants 1–5 as the app checks them (the db_session fixture checks again at teardown).
    assert ledger.check_invariants() == []

    # Invariant 4: no order over-filled, and its numbers add up.
    for order in db.session.scalars(select(Order)):
        assert Decimal(0) <= order.filled <= order.quantity, order.id
        if order.status == "open":
            assert order.filled + order.remaining == order.quantity, order.id
        else:
            assert order.remaining == 0 and order.held == 0, order.id
        if order.status == "filled":
            assert order.filled == order.quantity, order.id
    # ... and a lot never sells more than it has.
    sold = dict(db.session.execute(
        select(Trade.lot_id, func.sum(Trade.quantity)).group_by(Trade.lot_id)).all())
    for lot in db.session.scalars(select(Lot)):
        assert sold.get(lot.id, Decimal(0)) <= lot.quantity, lot.serial

    # Invariant 5: one settlement per trade; ECO-CARBON settles at once (0 days, 100 %).
    assert db.session.scalar(select(func.count(Settlement.id))) == trades
    assert db.session.scalar(select(func.count(func.distinct(Settlement.trade_id)))) == trades
    eco = db.session.scalar(select(Instrument.id).where(Instrument.code == "ECO-CARBON"))
    assert db.session.scalar(select(func.count(Settlement.id)).where(
        Settlement.instrument_id == eco, Settlement.status != "completed")) == 0
    for settlement in db.session.scalars(select(Settlement)):
        trade = settlement.trade
        assert (settlement.quantity, settlement.amount) == (trade.quantity, trade.amount)
        assert trade.amount == trade.price * trade.quantity
        if settlement.status == "completed":
            assert settlement.child_lot is not None
            assert settlement.child_lot.quantity == settlement.quantity
            assert settlement.child_lot.owner_account_id == settlement.buyer_account_id

    # Money is conserved: every yuan deposited is in an account, an escrow or the fees.
    escrow = db.session.scalar(select(func.sum(Settlement.escrowed))) or Decimal(0)
    fees = _system_balance("system:fees")
    assert -_system_balance("system:bank") == deposited
    assert _cash_total() + escrow + fees == deposited

    # Quantity is conserved: per instrument, the lots hold exactly what was issued.
    in_lots = dict(db.session.execute(
        select(Instrument.code, func.sum(Lot.available + Lot.encumbered + Lot.retired))
        .join(Lot, Lot.instrument_id == Instrument.id).group_by(Instrument.code)).all())
    assert in_lots == dict(issued)

    # Nothing acknowledged is lost, and no fill reported to a client was taken back.
    acknowledged = set().union(*(log.acknowledged_orders for log in logs))
    stored = dict(db.session.execute(select(Order.id, Order.filled)).all())
    assert acknowledged <= set(stored)
    for log in logs:
        for order_id, filled in log.reported_fills.items():
            assert stored[order_id] >= filled, order_id
    reported_trades = set().union(*(log.acknowledged_trades for log in logs))
    assert reported_trades <= set(db.session.scalars(select(Trade.id)))
    paid = set().union(*(log.paid_settlements for log in logs))
    assert paid <= set(db.session.scalars(
        select(Settlement.id).where(Settlement.status == "completed")))
    # Every order the engine refused left exactly one record for surveillance.
    refused = sum(count for key, count in codes.items() if key.startswith("place-")
                  and key.endswith((":bad_tick", ":outside_band")))
    assert db.session.scalar(select(func.count(OrderRejection.id))) == refused
