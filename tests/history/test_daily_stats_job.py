"""The daily statistics job: what it keeps, that it is idempotent, and that it is scheduled."""

import threading
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from market import jobs, scheduler
from market.extensions import db
from market.services import history
from models import DailyRegionStat, DailyStat, Instrument
from tests.history.conftest import executed_at, utc


def kept():
    daily = db.session.execute(
        select(Instrument.code, DailyStat.day, DailyStat.open, DailyStat.high, DailyStat.low,
               DailyStat.close, DailyStat.volume, DailyStat.turnover, DailyStat.trades)
        .join(Instrument, Instrument.id == DailyStat.instrument_id)
        .order_by(DailyStat.day)).all()
    regional = db.session.execute(
        select(DailyRegionStat.day, DailyRegionStat.region_level, DailyRegionStat.region_code,
               DailyRegionStat.volume, DailyRegionStat.turnover, DailyRegionStat.trades)
        .order_by(DailyRegionStat.day, DailyRegionStat.region_level,
                  DailyRegionStat.region_code)).all()
    return [tuple(row) for row in daily], [tuple(row) for row in regional]


def test_the_backfill_keeps_one_row_per_traded_day_and_region(carbon):
    result = history.backfill_daily_stats(date(2024, 4, 1), date(2024, 5, 31), chunk_days=7)
    assert result == {"days": 61, "daily_rows": 4, "region_rows": 12}
    daily, regional = kept()
    assert daily[2] == ("ECO-CARBON", date(2024, 5, 1), 61, 61, Decimal("59.50"),
                        Decimal("59.50"), 14, 848, 2)
    assert [row for row in regional if row[0] == date(2024, 5, 1)] == [
        (date(2024, 5, 1), "city", "320200", 4, Decimal("238.00"), 1),
        (date(2024, 5, 1), "city", "330400", 10, Decimal("610.00"), 1),
        (date(2024, 5, 1), "province", "320000", 4, Decimal("238.00"), 1),
        (date(2024, 5, 1), "province", "330000", 10, Decimal("610.00"), 1)]


def test_running_twice_leaves_the_same_rows(carbon):
    history.backfill_daily_stats(date(2024, 4, 1), date(2024, 5, 31))
    first = kept()
    history.backfill_daily_stats(date(2024, 4, 1), date(2024, 5, 31))
    assert kept() == first
    history.refresh_daily_stats(now=utc(2024, 5, 1, 4))
    history.refresh_daily_stats(now=utc(2024, 5, 1, 4))
    assert kept() == first


def test_the_job_rebuilds_today_and_yesterday_only(carbon):
    history.backfill_daily_stats(date(2024, 4, 1), date(2024, 5, 31))
    # t3 (04-30, 58.00 × 20) is found to belong to 05-01 … (a correction, for the test)
    executed_at(carbon.trades[2], utc(2024, 4, 30, 16, 45))
    # … a run on 05-06 leaves 04-30 and 05-01 alone; one on 05-01 rebuilds both.
    assert history.refresh_daily_stats(now=utc(2024, 5, 6, 4)) == {
        "days": 2, "daily_rows": 1, "region_rows": 2}
    assert [row[1] for row in kept()[0]] == [date(2024, 4, 29), date(2024, 4, 30),
                                             date(2024, 5, 1), date(2024, 5, 6)]
    history.refresh_daily_stats(now=utc(2024, 5, 1, 4))
    daily = kept()[0]
    assert [row[1] for row in daily] == [date(2024, 4, 29), date(2024, 5, 1), date(2024, 5, 6)]
    # 05-01 is now t3, t4, t5 by id: opens 58.00, closes 59.50; 848 + 1160 = 2008 over 34.
    assert daily[1][2:] == (58, 61, 58, Decimal("59.50"), 34, Decimal("2008.00"), 3)


def test_the_scheduler_runs_the_job_under_its_own_lock(app, carbon):
    [job] = [job for job in jobs.JOBS if job.name == "daily-price-statistics"]
    assert job.lock_id == 7_270_104 and job.run is history.refresh_daily_stats
    result = scheduler.run_job(app, job)
    assert result["days"] == 2


def test_rebuilds_of_the_same_days_at_once_wait_for_each_other(app, carbon):
    # Without the write lock, the second delete finds nothing (the first has not committed)
    # and its inserts then collide with the first's on the unique (instrument, day).
    history.backfill_daily_stats(date(2024, 4, 28), date(2024, 5, 7))
    expected = kept()
    errors = []

    def rebuild():
        with app.app_context():
            try:
                for _ in range(5):
                    history.rebuild_daily_stats(date(2024, 4, 28), date(2024, 5, 7))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=rebuild) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert kept() == expected
