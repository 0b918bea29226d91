"""Price history at scale: 1,000,000 trades in PostgreSQL, then candle, stats and index queries.

Run as ``.venv/bin/python bench/history.py`` (``--trades N``, ``--repeat N``, ``--server-url``,
``--keep`` to leave the database behind for a look with psql).

* Creates a scratch database on the server (default the local one), builds the schema with the
  migrations (``flask_migrate.upgrade``), and loads the market: one seller account per county
  of the district tree, ten buyers per province, 300 verified lots spread over the sellers'
  counties and towns and the six instruments of the catalogue, one sell order per lot and one
  buy order per buyer and instrument (minimal but FK-valid; settlements are left out, since
  price history never reads them). Then ``--trades`` trades by COPY: weekdays of the last three
  years up to now, 09:30–15:00 Shanghai time, ids in time order, a random walk of prices on
  the tick inside each instrument's band, quantities in whole lots, each lot sold to a buyer
  of its own province.
* Runs the daily-statistics backfill over the whole range (timed), then the scheduled job
  (today and yesterday).
* Times each query ``--repeat`` times, rotating over the instruments, through the service
  functions in an app context (a fresh session per call, as a request has) and through the
  Flask test client with a bearer token (adds authentication, schema dump and JSON).
* Prints p50/p95/max per query and drops the database, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_P95_MS = 20.0


def create_database(server_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh scratch database; its URL and a function that drops it."""
    url = make_url(server_url)
    name = f"bench_history_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def load_reference(db, rng: random.Random) -> dict:
    """Accounts, lots and orders the trades refer to; returns what the trade generator needs."""
    from models import Account, District, Instrument, Lot, Order

    districts = list(db.session.scalars(sa.select(District)))
    by_id = {d.id: d for d in districts}

    def ancestor(district, level):
        while district is not None and district.level != level:
            district = by_id.get(district.parent_id)
        return district

    counties = [d for d in districts if d.level == "county"]
    provinces = [d for d in districts if d.level == "province"]
    now = datetime.now(UTC)
    accounts = [dict(name=f"seller {d.code}", kind="bureau", district_id=d.id, created_at=now)
                for d in counties]
    accounts += [dict(name=f"buyer {p.code}-{n}", kind="bureau",
                      district_id=rng.choice([c for c in counties
                                              if ancestor(c, "province") is p]).id,
                      created_at=now)
                 for p in provinces for n in range(10)]
    db.session.execute(sa.insert(Account), accounts)
    rows = db.session.execute(sa.select(Account.id, Account.name, Account.district_id)).all()
    sellers = {row.district_id: row.id for row in rows if row.name.startswith("seller")}
    buyers_by_province: dict[int, list[int]] = {}
    for row in rows:
        if row.name.startswith("buyer"):
            province = ancestor(by_id[row.district_id], "province")
            buyers_by_province.setdefault(province.id, []).append(row.id)

    instruments = list(db.session.scalars(sa.select(Instrument).order_by(Instrument.id)))
    origins = [d for d in districts if d.level in ("county", "town")]
    lots = []
    for index in range(300):
        instrument = instruments[index % len(instruments)]
        origin = rng.choice(origins)
        county = ancestor(origin, "county")
        lots.append(dict(
            serial=f"{instrument.code}-{county.code}-2023-{index + 1:06d}",
            instrument_id=instrument.id, owner_account_id=sellers[county.id],
            origin_district_id=origin.id, project_name=f"土地综合整治项目 {index}",
            project_code=f"B-{index}", accepted_on=date(2023, 6, 30), vintage_year=2023,
            quality_grade=rng.randint(1, 10) if instrument.kind == "farmland_offset" else None,
            quantity=Decimal(1_000_000), available=Decimal(1_000_000), status="active",
            registered_at=now, verified_at=now))
    db.session.execute(sa.insert(Lot), lots)
    lot_rows = db.session.execute(sa.select(
        Lot.id, Lot.instrument_id, Lot.owner_account_id, Lot.origin_district_id)).all()

    order = dict(request_digest="0" * 64, price=Decimal("1.00"), quantity=Decimal(10**9),
                 filled=Decimal(0), remaining=Decimal(0), held=Decimal(0), tif="GTC",
                 status="filled", created_at=now, updated_at=now)
    sells = [dict(order, account_id=lot.owner_account_id, instrument_id=lot.instrument_id,
                  client_order_id=f"sell-{lot.id}", side="sell", lot_id=lot.id)
             for lot in lot_rows]
    buys = [dict(order, account_id=buyer, instrument_id=instrument.id,
                 client_order_id=f"buy-{instrument.code}", side="buy", lot_id=None)
            for buyers in buyers_by_province.values() for buyer in buyers
            for instrument in instruments]
    db.session.execute(sa.insert(Order), sells + buys)
    order_ids = {(row.account_id, row.instrument_id, row.lot_id): row.id
                 for row in db.session.execute(sa.select(
                     Order.id, Order.account_id, Order.instrument_id, Order.lot_id))}
    db.session.commit()

    lots_by_instrument: dict[int, list[tuple]] = {}
    for lot in lot_rows:
        province = ancestor(by_id[lot.origin_district_id], "province").id
        buyers = [(buyer, order_ids[(buyer, lot.instrument_id, None)])
                  for buyer in buyers_by_province[province]]
        lots_by_instrument.setdefault(lot.instrument_id, []).append(
            (lot.id, lot.owner_account_id,
             order_ids[(lot.owner_account_id, lot.instrument_id, lot.id)], buyers))
    return {"instruments": instruments, "lots": lots_by_instrument,
            "counts": (len(accounts), len(lots), len(sells) + len(buys))}


def _fen(value: Decimal) -> int:
    return int(value * 100)


def trade_lines(reference: dict, total: int, first: date, now: datetime,
                rng: random.Random):
    """COPY text lines for `total` trades over the weekdays from `first` to now, in time order."""
    shanghai = timedelta(hours=8)
    days = [first + timedelta(days=n) for n in range((now.date() - first).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    instruments = reference["instruments"]
    # Busier instruments get more trades; every day of every instrument gets some.
    weights = [4, 2, 2, 1, 3, 1][:len(instruments)]
    slots = [(day, index) for day in days for index in range(len(instruments))]
    counts = [0] * len(slots)
    for slot in rng.choices(range(len(slots)), weights=[weights[i] for _, i in slots],
                            k=total):
        counts[slot] += 1
    walk = {i.id: _fen(i.guide_price) for i in instruments}
    # How each instrument trades is how its trades were made (trades.mechanism is NOT NULL).
    mechanism = {i.id: "call_auction" if i.trading_mode == "call_auction" else "continuous"
                 for i in instruments}
    for day_index, day in enumerate(days):
        open_at = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC) - shanghai
        seconds = 5.5 * 3600
        if day == days[-1]:
            seconds = max(0.0, min(seconds, (now - open_at).total_seconds()))
        batch = []
        for index, instrument in enumerate(instruments):
            n = counts[day_index * len(instruments) + index]
            tick, lot_units = _fen(instrument.tick_size), int(instrument.lot_size * 10_000)
            guide, band = _fen(instrument.guide_price), instrument.price_band or Decimal("0.3")
            low = int(guide * (1 - band * Decimal("0.9")))
            high = int(guide * (1 + band * Decimal("0.9")))
            walk[instrument.id] = min(high, max(low, int(walk[instrument.id] * rng.gauss(1, 0.01))))
            max_lots = 2000 if lot_units < 10_000 else 5000
            for _ in range(n):
                price = walk[instrument.id] * rng.gauss(1, 0.005)
                price = min(high, max(low, int(price) // tick * tick))
                quantity = lot_units * rng.randint(1, max_lots)      # in 1/10,000
                amount = price * quantity // 10_000                   # exact: tick × lot is fen
                lot_id, seller, sell_order, buyers = rng.choice(reference["lots"][instrument.id])
                buyer, buy_order = rng.choice(buyers)
                at = open_at + timedelta(seconds=rng.uniform(0, seconds))
                batch.append((at, instrument.id, buy_order, sell_order, buyer, seller, lot_id,
                              price, quantity, amount))
        batch.sort(key=lambda row: row[0])
        for at, inst, buy_order, sell_order, buyer, seller, lot_id, p, q, a in batch:
            yield (f"{inst}\t{buy_order}\t{sell_order}\t{buyer}\t{seller}\t{lot_id}\t"
                   f"{p // 100}.{p % 100:02d}\t{q // 10_000}.{q % 10_000:04d}\t"
                   f"{a // 100}.{a % 100:02d}\t{rng.choice(('buy', 'sell'))}\t"
                   f"{at.isoformat()}\t{mechanism[inst]}\n")


def copy_trades(db, lines, chunk: int = 100_000) -> int:
    """COPY the lines into trades in chunks; the number of rows."""
    columns = ("instrument_id, buy_order_id, sell_order_id, buyer_account_id, "
               "seller_account_id, lot_id, price, quantity, amount, aggressor_side, executed_at, "
               "mechanism")
    raw = db.engine.raw_connection()
    loaded = 0
    try:
        cursor = raw.cursor()
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            if len(buffer) == chunk:
                cursor.copy_expert(f"COPY trades ({columns}) FROM STDIN",
                                   io.StringIO("".join(buffer)))
                loaded += len(buffer)
                buffer = []
        if buffer:
            cursor.copy_expert(f"COPY trades ({columns}) FROM STDIN", io.StringIO("".join(buffer)))
            loaded += len(buffer)
        raw.commit()
        raw.driver_connection.autocommit = True
        cursor.execute("VACUUM ANALYZE")
    finally:
        raw.close()
    return loaded


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def measure(name: str, call, repeat: int, db, results: list) -> None:
    """Time `call(i)` `repeat` times after two warm-up calls; a fresh session each time."""
    for i in range(2):
        call(i)
        db.session.remove()
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - started)
        db.session.remove()
    p50, p95, worst = percentiles(samples)
    results.append((name, p50, p95, worst))
    verdict = "ok" if p95 <= TARGET_P95_MS else "over target"
    print(f"  {name:<44} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   max {worst:7.2f} ms   {verdict}",
          flush=True)


def machine() -> str:
    """CPU model and count, from lscpu when there is one."""
    try:
        info = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        return f"{fields['Model name'].strip()}, {fields['CPU(s)'].strip()} CPUs"
    except (OSError, subprocess.CalledProcessError, KeyError):
        return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"


def run(args) -> None:
    """Build the database, load it, measure, report."""
    from flask_migrate import upgrade

    from market import create_app
    from market.calendar import market_day
    from market.extensions import db
    from market.services import history, identity
    from market.services.identity.credentials import new_token

    rng = random.Random(args.seed)
    url, drop = create_database(args.server_url)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                          "SECRET_KEY": "bench-only-secret",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          "RATELIMIT_STORAGE_URI": "memory://"})
        with app.app_context():
            started = time.perf_counter()
            upgrade()
            print(f"schema by migrations: {time.perf_counter() - started:.1f} s", flush=True)
            reference = load_reference(db, rng)
            now = datetime.now(UTC)
            first = market_day(now) - timedelta(days=3 * 365)
            started = time.perf_counter()
            loaded = copy_trades(db, trade_lines(reference, args.trades, first, now, rng))
            print(f"{loaded:,} trades ({first} .. {market_day(now)}), "
                  f"{reference['counts'][0]} accounts, {reference['counts'][1]} lots, "
                  f"{reference['counts'][2]} orders: loaded in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)

            started = time.perf_counter()
            filled = history.backfill_daily_stats(first, market_day(now))
            print(f"backfill of daily statistics: {time.perf_counter() - started:.1f} s "
                  f"({filled})", flush=True)
            started = time.perf_counter()
            history.refresh_daily_stats()
            print(f"scheduled job (today and yesterday): "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms", flush=True)

            codes = [i.code for i in reference["instruments"]]
            today = market_day(now)
            year, three_years = today - timedelta(days=364), first
            results: list = []
            print(f"service functions, {args.repeat} calls each (rotating instruments):")
            for interval in ("day", "week", "month"):
                for label, start in (("1 year", year), ("3 years", three_years)):
                    measure(f"candles {interval:<5} {label}",
                            lambda i, s=start, iv=interval: history.candles(
                                codes[i % len(codes)], iv, s, today),
                            args.repeat, db, results)
            measure("stats", lambda i: history.stats(codes[i % len(codes)]),
                    args.repeat, db, results)
            for level, label, start in (("city", "1 year", year),
                                        ("province", "3 years", three_years)):
                measure(f"index {level} {label}",
                        lambda i, lv=level, s=start: history.price_index(
                            codes[i % len(codes)], lv, s, today),
                        args.repeat, db, results)

            admin = identity.create_user(None, {"username": "bench", "password": "bench-password",
                                        "role": "admin"})
            token, _ = new_token(admin)
            db.session.commit()
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}"}

            def http(path):
                def call(i):
                    response = client.get(path.format(code=codes[i % len(codes)]),
                                          headers=headers)
                    assert response.status_code == 200, response.get_data(as_text=True)
                return call

            print(f"HTTP through the Flask test client, {args.repeat} calls each:")
            base = "/api/v1/instruments/{code}"
            for name, path in (
                ("GET candles day 1 year", f"{base}/candles?interval=day&from={year}"),
                ("GET candles day 3 years", f"{base}/candles?interval=day&from={three_years}"),
                ("GET candles week 3 years", f"{base}/candles?interval=week&from={three_years}"),
                ("GET candles month 3 years",
                 f"{base}/candles?interval=month&from={three_years}"),
                ("GET stats", f"{base}/stats"),
                ("GET index city 1 year", f"{base}/index?level=city&from={year}"),
                ("GET index province 3 years",
                 f"{base}/index?level=province&from={three_years}"),
            ):
                measure(name, http(path), args.repeat, db, results)
            over = [name for name, _p50, p95, _max in results if p95 > TARGET_P95_MS]
            print(f"target p95 <= {TARGET_P95_MS:.0f} ms: "
                  f"{'met by every query' if not over else 'missed by ' + ', '.join(over)}")
        print(f"machine: {machine()}; python {platform.python_version()}")
    finally:
        if args.keep:
            print(f"kept {url}")
        else:
            drop()


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--trades", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
