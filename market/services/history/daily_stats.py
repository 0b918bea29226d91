"""The daily statistics job: DailyStat and DailyRegionStat rows kept from the trades.

Every executed trade counts, whatever later happens to its settlement: the price was agreed
and published at the match, and a regulator's cancellation or a buyer's default annuls the
delivery, not the fact that the market traded at that price. (Surveillance sees cancelled and
defaulted settlements separately.)

A day's rows are deleted and rebuilt in one transaction, so running the job twice, or a
backfill beside the scheduler, leaves the same rows.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, text

from market.calendar import market_day
from market.extensions import db
from market.services.history.days import day_totals, region_totals
from market.services.transaction import use_case
from models import DailyRegionStat, DailyStat, Instrument

# Serializes writers of the statistics tables on PostgreSQL (a transaction-level lock, so it
# never collides with the scheduler's session-level lock 7_270_104 around the job itself).
WRITE_LOCK_ID = 7_270_204
CHUNK_DAYS = 31


def refresh_daily_stats(now: datetime | None = None) -> dict:
    """Rebuild the statistics of the market days that can still change: today and yesterday."""
    today = market_day(now)
    return rebuild_daily_stats(today - timedelta(days=1), today)


def backfill_daily_stats(first: date, last: date, chunk_days: int = CHUNK_DAYS) -> dict:
    """Rebuild the statistics of every day in [first, last], one transaction per chunk."""
    if first > last:
        raise ValueError("first must not be after last")
    total = {"days": 0, "daily_rows": 0, "region_rows": 0}
    chunk_start = first
    while chunk_start <= last:
        chunk_end = min(chunk_start + timedelta(days=chunk_days - 1), last)
        for key, value in rebuild_daily_stats(chunk_start, chunk_end).items():
            total[key] += value
        chunk_start = chunk_end + timedelta(days=1)
    return total


@use_case
def rebuild_daily_stats(first: date, last: date) -> dict:
    """Delete and recompute every statistics row of the days [first, last]; one transaction."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": WRITE_LOCK_ID})
    db.session.execute(delete(DailyStat).where(DailyStat.day >= first, DailyStat.day <= last))
    db.session.execute(delete(DailyRegionStat).where(DailyRegionStat.day >= first,
                                                     DailyRegionStat.day <= last))
    daily, regional = [], []
    for instrument_id in db.session.scalars(select(Instrument.id).order_by(Instrument.id)):
        daily += [dict(instrument_id=t.instrument_id, day=t.day, open=t.open, high=t.high,
                       low=t.low, close=t.close, volume=t.volume, turnover=t.turnover,
                       trades=t.trades)
                  for t in day_totals(instrument_id, first, last)]
        regional += [dict(instrument_id=t.instrument_id, day=t.day, region_code=t.region_code,
                          region_level=t.region_level, volume=t.volume, turnover=t.turnover,
                          trades=t.trades)
                     for t in region_totals(instrument_id, first, last)]
    if daily:
        db.session.execute(DailyStat.__table__.insert(), daily)
    if regional:
        db.session.execute(DailyRegionStat.__table__.insert(), regional)
    return {"days": (last - first).days + 1, "daily_rows": len(daily),
            "region_rows": len(regional)}
