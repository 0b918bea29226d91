"""Page speed at scale: every page of every role with a 1,000,000-trade history in PostgreSQL.

Run as ``.venv/bin/python bench/pages.py`` (``--trades N`` (default 1,000,000), ``--repeat N``
(default 30), ``--only TEXT`` to time only pages whose name contains it, ``--server-url``,
``--keep`` to leave the database behind, ``--url`` to reuse a kept one).

* Builds the market of bench/history.py (a scratch database, the schema by the migrations,
  sellers per county, buyers per province, 300 verified lots, ``--trades`` trades by COPY over
  three years), then what the pages read and price history does not: one settlement per trade
  (the last three days' waiting for payment, the rest completed, a few defaulted or cancelled),
  child lots for one buyer's latest purchases, open orders, lots waiting for verification
  with their evidence rows, and the people: an admin, a national and a city regulator, a
  seller and a buyer.
* Refreshes the daily statistics as the scheduler would (the backfill once, then the job), and
  runs the surveillance detection job once so the alert page has its rows.
* Logs each person in through the login form with a test client (a cookie session, as a
  browser has), then requests each page of that person's area ``--repeat`` times after two
  warm-up requests, each in its own app context (a fresh session, as under a server), and
  prints p50/p95/max per page as a Markdown table. Every page must answer 200.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import history as market_history  # noqa: E402  (bench/history.py: the shared loader)

TARGET_P95_MS = 300.0
PASSWORD = "bench-password"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def load_settlements(db) -> int:
    """One settlement per trade, in one INSERT … SELECT; the number of rows.

    The last three days' trades wait for payment (deposit in escrow), every 97th older one
    defaulted and every 211th was cancelled; the rest completed five days after the trade.
    """
    db.session.execute(sa.text("""
        INSERT INTO settlements (trade_id, instrument_id, buyer_account_id, seller_account_id,
            lot_id, quantity, amount, deposit, fee, escrowed, status, due_at, created_at,
            closed_at, close_reason)
        SELECT t.id, t.instrument_id, t.buyer_account_id, t.seller_account_id, t.lot_id,
            t.quantity, t.amount, round(t.amount * i.deposit_ratio, 2),
            round(t.amount * i.fee_bps / 10000, 2),
            CASE WHEN t.executed_at > now() - interval '3 days'
                 THEN round(t.amount * i.deposit_ratio, 2) ELSE 0 END,
            CASE WHEN t.executed_at > now() - interval '3 days' THEN 'pending_payment'
                 WHEN t.id % 97 = 0 THEN 'defaulted'
                 WHEN t.id % 211 = 0 THEN 'cancelled'
                 ELSE 'completed' END,
            t.executed_at + make_interval(days => i.settlement_days), t.executed_at,
            CASE WHEN t.executed_at > now() - interval '3 days' THEN NULL
                 ELSE t.executed_at + interval '2 days' END,
            CASE WHEN t.id % 211 = 0 AND t.executed_at <= now() - interval '3 days'
                 THEN '核查撤销' END
        FROM trades t JOIN instruments i ON i.id = t.instrument_id
    """))
    db.session.commit()
    return db.session.scalar(sa.text("SELECT count(*) FROM settlements"))


def load_child_lots(db, buyer_id: int, count: int = 300) -> int:
    """The buyer's latest `count` completed purchases delivered as child lots (holdings)."""
    db.session.execute(sa.text("""
        INSERT INTO lots (serial, instrument_id, owner_account_id, origin_district_id, parent_id,
            project_name, project_code, accepted_on, vintage_year, quality_grade, quantity,
            available, encumbered, retired, status, registered_at, verified_at)
        SELECT 'CH-' || s.id, l.instrument_id, s.buyer_account_id, l.origin_district_id, l.id,
            l.project_name, l.project_code, l.accepted_on, l.vintage_year, l.quality_grade,
            s.quantity, s.quantity, 0, 0, 'active', s.closed_at, s.closed_at
        FROM settlements s JOIN lots l ON l.id = s.lot_id
        WHERE s.buyer_account_id = :buyer AND s.status = 'completed'
        ORDER BY s.id DESC LIMIT :count
    """), {"buyer": buyer_id, "count": count})
    db.session.execute(sa.text("""
        UPDATE settlements s SET child_lot_id = l.id FROM lots l
        WHERE l.serial = 'CH-' || s.id AND l.owner_account_id = :buyer
    """), {"buyer": buyer_id})
    db.session.commit()
    return count


def load_open_orders(db, seller_id: int, buyer_id: int, per_side: int = 25) -> None:
    """Resting orders on the book: the seller's asks from its lots, the buyer's bids."""
    from models import Instrument, Lot, Order

    now = datetime.now(UTC)
    lots = db.session.execute(sa.select(Lot.id, Lot.instrument_id).where(
        Lot.owner_account_id == seller_id, Lot.parent_id.is_(None))).all()
    instruments = {i.id: i for i in db.session.scalars(sa.select(Instrument))}
    rows = []
    for n in range(per_side):
        lot_id, instrument_id = lots[n % len(lots)]
        guide = instruments[instrument_id].guide_price
        common = dict(instrument_id=instrument_id, request_digest="0" * 64,
                      quantity=Decimal(10), filled=Decimal(0), remaining=Decimal(10),
                      tif="GTC", status="open", created_at=now, updated_at=now,
                      priority=2 * n + 1)
        rows.append(dict(common, account_id=seller_id, client_order_id=f"ask-{n}", side="sell",
                         lot_id=lot_id, price=guide * Decimal("1.2"), held=Decimal(0)))
        rows.append(dict(common, account_id=buyer_id, client_order_id=f"bid-{n}", side="buy",
                         priority=2 * n + 2,
                         lot_id=None, price=guide * Decimal("0.8"),
                         held=guide * Decimal("0.8") * 10 * instruments[instrument_id]
                         .deposit_ratio))
    db.session.execute(sa.insert(Order), rows)
    db.session.commit()


def load_pending_lots(db, seller_id: int, uploader_id: int, count: int = 40) -> list[str]:
    """Lots waiting for verification, each with two evidence rows; their serials."""
    from models import Account, Instrument, Lot, LotEvidence

    account = db.session.get(Account, seller_id)
    instruments = list(db.session.scalars(sa.select(Instrument).order_by(Instrument.id)))
    now = datetime.now(UTC)
    serials = [f"PENDING-{n:04d}" for n in range(count)]
    db.session.execute(sa.insert(Lot), [dict(
        serial=serial, instrument_id=instruments[n % len(instruments)].id,
        owner_account_id=seller_id, origin_district_id=account.district_id,
        project_name=f"待核验整治项目 {n}", project_code=f"W-{n}", accepted_on=date(2026, 6, 1),
        vintage_year=2026, quantity=Decimal(100), status="pending", registered_at=now)
        for n, serial in enumerate(serials)])
    ids = db.session.scalars(sa.select(Lot.id).where(Lot.serial.in_(serials))).all()
    db.session.execute(sa.insert(LotEvidence), [dict(
        lot_id=lot_id, filename=f"验收意见{k}.pdf", content_type="application/pdf", size=52_000,
        sha256=f"{lot_id:060d}{k:04d}", uploaded_by_user_id=uploader_id, uploaded_at=now)
        for lot_id in ids for k in range(2)])
    db.session.commit()
    return serials


class Session:
    """A test client logged in through the login form, each request in its own app context."""

    def __init__(self, app, username: str):
        self.app = app
        self.client = app.test_client()
        page = self.get("/login").get_data(as_text=True)
        answer = self.open("/login", "POST", data={
            "username": username, "password": PASSWORD, "csrf_token": CSRF.search(page)[1]})
        assert answer.status_code == 302, f"{username} could not log in"

    def open(self, path, method="GET", **kwargs):
        with self.app.app_context():
            return self.client.open(path, method=method, **kwargs)

    def get(self, path):
        return self.open(path)


def time_page(session: Session, name: str, paths: list[str], repeat: int) -> tuple:
    """(name, p50, p95, max, bytes) of `repeat` GETs rotating over `paths`, after a warm-up."""
    sizes = []
    for i in range(2):
        session.get(paths[i % len(paths)])
    samples = []
    for i in range(repeat):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        answer = session.get(path)
        samples.append(time.perf_counter() - started)
        assert answer.status_code == 200, (path, answer.status_code,
                                           answer.get_data(as_text=True)[:500])
        sizes.append(len(answer.get_data()))
    p50, p95, worst = market_history.percentiles(samples)
    verdict = "ok" if p95 <= TARGET_P95_MS else "**over**"
    print(f"| {name} | {p50:.0f} | {p95:.0f} | {worst:.0f} | {max(sizes) // 1024} | {verdict} |",
          flush=True)
    return name, p50, p95, worst


def build(app, args, rng) -> dict:
    """Load the market; what the page list needs to know of it."""
    from flask_migrate import upgrade

    from market.calendar import market_day
    from market.extensions import db
    from market.services import history, identity, surveillance
    from models import Account, Lot, Settlement, User

    started = time.perf_counter()
    upgrade()
    reference = market_history.load_reference(db, rng)
    now = datetime.now(UTC)
    first = market_day(now) - timedelta(days=3 * 365)
    loaded = market_history.copy_trades(
        db, market_history.trade_lines(reference, args.trades, first, now, rng))
    print(f"{loaded:,} trades loaded in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    settled = load_settlements(db)
    print(f"{settled:,} settlements in {time.perf_counter() - started:.0f} s", flush=True)

    # The busiest seller and one buyer of its province act on the trading desk.
    seller_id, buyer_id = db.session.execute(sa.text(
        "SELECT seller_account_id, buyer_account_id FROM trades GROUP BY 1, 2 "
        "ORDER BY count(*) DESC LIMIT 1")).one()
    admin = identity.create_user(None, {"username": "admin", "password": PASSWORD,
                                        "role": "admin"})
    seller_user = identity.create_user(admin, {"username": "seller", "password": PASSWORD,
                                               "role": "trader", "account_id": seller_id})
    identity.create_user(admin, {"username": "buyer", "password": PASSWORD,
                                 "role": "trader", "account_id": buyer_id})
    identity.create_user(admin, {"username": "regulator", "password": PASSWORD,
                                 "role": "regulator"})
    seller_city = db.session.get(Account, seller_id).district.ancestor("city")
    identity.create_user(admin, {"username": "city", "password": PASSWORD,
                                 "role": "regulator", "district_code": seller_city.code})
    load_child_lots(db, buyer_id)
    load_open_orders(db, seller_id, buyer_id)
    pending = load_pending_lots(db, seller_id, seller_user.id)
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()

    started = time.perf_counter()
    history.backfill_daily_stats(first, market_day(now))
    history.refresh_daily_stats()
    print(f"daily statistics (backfill, then the job) in {time.perf_counter() - started:.0f} s",
          flush=True)
    started = time.perf_counter()
    surveillance.detect()
    print(f"surveillance detection in {time.perf_counter() - started:.1f} s", flush=True)

    busy_lot = db.session.scalar(sa.select(Lot.serial).where(
        Lot.owner_account_id == seller_id, Lot.parent_id.is_(None), Lot.status == "active")
        .order_by(Lot.id))
    child = db.session.scalar(sa.select(Lot.serial).where(Lot.owner_account_id == buyer_id)
                              .order_by(Lot.id.desc()))
    owed = db.session.scalar(sa.select(Settlement.id).where(
        Settlement.buyer_account_id == buyer_id, Settlement.status == "pending_payment")
        .order_by(Settlement.id))
    settlement = db.session.scalar(sa.select(sa.func.max(Settlement.id)))
    user_id = db.session.scalar(sa.select(User.id).where(User.username == "seller"))
    codes = [code for code, in db.session.execute(sa.text(
        "SELECT code FROM instruments ORDER BY id"))]
    return {"codes": codes, "pending": pending, "busy_lot": busy_lot, "child": child,
            "owed": owed, "settlement": settlement, "seller": seller_id, "buyer": buyer_id,
            "user": user_id, "first": first, "today": market_day(now), "city": seller_city.code,
            "period": f"{market_day(now):%Y-%m}"}


def pages(facts: dict) -> dict[str, list[tuple[str, list[str]]]]:
    """Per login, (page name, the paths it rotates over)."""
    codes, first, today = facts["codes"], facts["first"], facts["today"]
    year = today - timedelta(days=364)
    desk = [
        ("desk: overview", ["/desk"]),
        ("desk: verification queue", ["/desk/lots/pending"]),
        ("desk: lot (pending)", [f"/desk/lots/{s}" for s in facts["pending"][:5]]),
        ("desk: lot (traded, ~thousands of trades)", [f"/desk/lots/{facts['busy_lot']}"]),
        ("desk: instruments", ["/desk/instruments"]),
        ("desk: instrument", [f"/desk/instruments/{code}" for code in codes]),
        ("desk: accounts", ["/desk/accounts"]),
        ("desk: account (busiest seller)", [f"/desk/accounts/{facts['seller']}"]),
        ("desk: settlements monitor", ["/desk/settlements"]),
        ("desk: settlement", [f"/desk/settlements/{facts['settlement']}",
                              f"/desk/settlements/{facts['owed']}"]),
        ("desk: alerts", ["/desk/alerts"]),
        ("desk: thresholds", ["/desk/thresholds"]),
        ("desk: flows (default period)", ["/desk/flows"]),
        ("desk: flows (one year)", [f"/desk/flows?date_from={year}&date_to={today}"]),
        ("desk: flows (three years)", [f"/desk/flows?date_from={first}&date_to={today}"]),
        ("desk: monthly report", [f"/desk/reports?city={facts['city']}&kind=monthly"
                                  f"&period={facts['period']}"]),
        ("desk: quarterly report", [f"/desk/reports?city={facts['city']}&kind=quarterly"]),
        ("desk: report file (xlsx)", [f"/desk/reports/file?city={facts['city']}"
                                      f"&kind=monthly&format=xlsx"]),
        ("desk: audit log", ["/desk/audit"]),
        ("desk: audit chain check", ["/desk/audit/verify"]),
    ]
    city = [
        ("city desk: overview", ["/desk"]),
        ("city desk: accounts", ["/desk/accounts"]),
        ("city desk: settlements monitor", ["/desk/settlements"]),
        ("city desk: flows (one year)", [f"/desk/flows?date_from={year}&date_to={today}"]),
    ]
    seller = [
        ("trade (seller): home", ["/trade"]),
        ("trade (seller): markets", ["/trade/market"]),
        ("trade (seller): market", [f"/trade/market/{code}" for code in codes]),
        ("trade (seller): settlements", ["/trade/settlements"]),
        ("trade (seller): lots", ["/trade/lots"]),
        ("trade (seller): lot (~thousands of trades)", [f"/trade/lots/{facts['busy_lot']}"]),
        ("trade (seller): register a lot", ["/trade/lots/new"]),
        ("trade (seller): orders", ["/trade/orders"]),
    ]
    buyer = [
        ("trade (buyer): home", ["/trade"]),
        ("trade (buyer): settlements", ["/trade/settlements"]),
        ("trade (buyer): pay a settlement", [f"/trade/settlements/{facts['owed']}/pay"]),
        ("trade (buyer): holdings (first page of 300 child lots)", ["/trade/holdings"]),
        ("trade (buyer): bought lot", [f"/trade/lots/{facts['child']}"]),
        ("trade (buyer): orders", ["/trade/orders"]),
    ]
    admin = [
        ("admin: home", ["/admin"]),
        ("admin: user", [f"/admin/users/{facts['user']}"]),
    ]
    return {"regulator": desk, "city": city, "seller": seller, "buyer": buyer, "admin": admin}


def run(args) -> None:
    """Build (or reuse) the database, time the pages, report."""
    from market import create_app

    rng = random.Random(args.seed)
    url, drop = (args.url, lambda: None) if args.url else \
        market_history.create_database(args.server_url)
    keep = args.keep or bool(args.url)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                          "SECRET_KEY": "bench-only-secret", "REDIS_URL": None,
                          "LOG_LEVEL": "WARNING",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          "RATELIMIT_STORAGE_URI": "memory://"})
        with app.app_context():
            facts = build(app, args, rng) if not args.url else reuse(args)
        results, started = [], False
        print(f"\n{args.repeat} requests per page after 2 warm-ups (ms; max size in KiB)\n")
        print("| page | p50 | p95 | max | KiB | ≤ 300 ms p95 |\n|---|---|---|---|---|---|")
        for username, listed in pages(facts).items():
            session = Session(app, username)
            for name, paths in listed:
                if args.start and args.start in name:
                    started = True
                if (args.only and args.only not in name) or (args.start and not started):
                    continue
                results.append(time_page(session, name, paths, args.repeat))
        over = [name for name, _p50, p95, _max in results if p95 > TARGET_P95_MS]
        print(f"\ntarget p95 <= {TARGET_P95_MS:.0f} ms: "
              f"{'met by every page' if not over else 'missed by ' + ', '.join(over)}")
        print(f"machine: {market_history.machine()}; python {platform.python_version()}")
    finally:
        if keep:
            print(f"kept {url}")
        else:
            drop()


def reuse(args) -> dict:
    """The facts of a database a previous run kept (--keep), to time pages again after a fix."""
    from flask_migrate import upgrade

    from market.calendar import market_day
    from market.extensions import db
    from models import Account, Lot, Settlement, User

    upgrade()  # a fix's new indexes (a migration) onto the kept database
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    seller = db.session.scalar(sa.select(User.account_id).where(User.username == "seller"))
    buyer = db.session.scalar(sa.select(User.account_id).where(User.username == "buyer"))
    today = market_day(datetime.now(UTC))
    return {
        "codes": [c for c, in db.session.execute(sa.text("SELECT code FROM instruments "
                                                          "ORDER BY id"))],
        "pending": list(db.session.scalars(sa.select(Lot.serial).where(
            Lot.status == "pending").order_by(Lot.serial))),
        "busy_lot": db.session.scalar(sa.select(Lot.serial).where(
            Lot.owner_account_id == seller, Lot.parent_id.is_(None), Lot.status == "active")
            .order_by(Lot.id)),
        "child": db.session.scalar(sa.select(Lot.serial).where(Lot.owner_account_id == buyer)
                                   .order_by(Lot.id.desc())),
        "owed": db.session.scalar(sa.select(Settlement.id).where(
            Settlement.buyer_account_id == buyer, Settlement.status == "pending_payment")
            .order_by(Settlement.id)),
        "settlement": db.session.scalar(sa.select(sa.func.max(Settlement.id))),
        "seller": seller, "buyer": buyer,
        "user": db.session.scalar(sa.select(User.id).where(User.username == "seller")),
        "first": today - timedelta(days=3 * 365), "today": today,
        "city": db.session.get(Account, seller).district.ancestor("city").code,
        "period": f"{today:%Y-%m}",
    }


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--url", help="time the pages on a database a run kept (--keep)")
    parser.add_argument("--trades", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", help="time only the pages whose name contains this")
    parser.add_argument("--start", help="time the pages from the first whose name contains this")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
