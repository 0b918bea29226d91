"""How long the order writer takes to rebuild a deep book, and how much memory it holds.

Run as ``.venv/bin/python bench/writer_rebuild.py [--orders 100000] [--runs 3]``. Needs a
PostgreSQL server (``--server-url``, default the local one); it creates a scratch database,
migrates it, loads the demo accounts (no history), inserts ``--orders`` resting FO-QTY orders
(half buys of one account, half sells of one lot, over 2,000 price levels, each with its
priority) in one statement, and then, in this process, rebuilds the writer's live book of
FO-QTY from the rows as a new leader does (``LiveBooks.book_for``). It prints the rebuild's
wall and CPU time (median of ``--runs``) and the resident memory the process grew by while
holding the book (VmRSS, after a full garbage collection). The database is dropped at the end.
"""

import argparse
import gc
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print where a rebuild spends")
    options = parser.parse_args()

    url = make_url(options.server_url)
    name = f"bench_rebuild_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        run(url.set(database=name).render_as_string(hide_password=False), options)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE datname = :name"), {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def run(database_url: str, options) -> None:
    from flask_migrate import upgrade

    from market import create_app, demo
    from market.extensions import db
    from market.services.trading.live_books import LiveBooks
    from models import Account, Instrument, Lot

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "TESTING": True, "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        upgrade()
        demo.load(0)
        instrument = db.session.scalar(sa.select(Instrument).where(Instrument.code == "FO-QTY"))
        lot = db.session.scalar(sa.select(Lot).where(Lot.instrument_id == instrument.id,
                                                     Lot.status == "active"))
        buyer = db.session.scalar(sa.select(Account).where(Account.id != lot.owner_account_id))
        started = time.perf_counter()
        # Buys at 200,000–299,900 and sells at 300,000–399,900 (tick 100): nothing crosses.
        db.session.execute(sa.text("""
            INSERT INTO orders (account_id, instrument_id, client_order_id, request_digest,
                side, price, quantity, filled, remaining, held, tif, lot_id, status, priority,
                created_at, updated_at)
            SELECT CASE WHEN n % 2 = 0 THEN :buyer ELSE :seller END, :instrument,
                'rebuild-' || n, 'x', CASE WHEN n % 2 = 0 THEN 'buy' ELSE 'sell' END,
                CASE WHEN n % 2 = 0 THEN 299900 - (n % 1000) * 100
                     ELSE 300000 + (n % 1000) * 100 END,
                0.01, 0, 0.01, 0, 'GTC', CASE WHEN n % 2 = 0 THEN NULL ELSE :lot END, 'open',
                n, now(), now()
            FROM generate_series(1, :count) AS n"""),
            {"buyer": buyer.id, "seller": lot.owner_account_id, "instrument": instrument.id,
             "lot": lot.id, "count": options.orders})
        db.session.execute(sa.text("UPDATE instruments SET next_priority = :next WHERE id = :id"),
                           {"next": options.orders + 1, "id": instrument.id})
        db.session.commit()
        print(f"inserted {options.orders:,} resting orders in "
              f"{time.perf_counter() - started:.1f} s")

        walls, cpus, grown = [], [], []
        for _ in range(options.runs):
            db.session.remove()
            gc.collect()
            before = rss_mb()
            instrument = db.session.scalar(sa.select(Instrument).where(Instrument.code == "FO-QTY"))
            books = LiveBooks()
            wall, cpu = time.perf_counter(), time.process_time()
            if options.profile:
                import cProfile
                import pstats
                profiler = cProfile.Profile()
                book = profiler.runcall(books.book_for, instrument)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(14)
            else:
                book = books.book_for(instrument)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            db.session.remove()  # the rows are no longer needed: only the book stays
            gc.collect()
            grown.append(rss_mb() - before)
            assert len(book.orders) >= options.orders, len(book.orders)  # + the demo's own
            del book, books
        print(f"rebuild of {options.orders:,} orders: wall {statistics.median(walls):.2f} s, "
              f"CPU {statistics.median(cpus):.2f} s (median of {options.runs}); "
              f"memory held {statistics.median(grown):.0f} MB (VmRSS growth)")


if __name__ == "__main__":
    main()
