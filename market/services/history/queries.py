"""Price history for everyone: candles, per-instrument statistics and regional price indices.

Past days come from the rows the daily-statistics job keeps (price_stats.py), so a query reads
one row per day however many trades there were; today, still trading, is computed from the
trades themselves so it is always current. Read-only: nothing here commits.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from flask_babel import lazy_gettext
from sqlalchemy import Executable, bindparam, select

from market.calendar import market_day
from market.errors import InvalidInput
from market.services import catalogue
from market.services.history.days import (
    DayTotals,
    built_once,
    day_totals,
    exact,
    region_names,
    region_totals,
    run,
    vwap_of,
)
from models import DailyRegionStat, DailyStat, Trade

STATS_WINDOW_DAYS = 30
INDEX_BASE = Decimal(100)
CENT = Decimal("0.01")  # index levels and percentages


def date_range(first: date | None, last: date | None, now: datetime | None = None
               ) -> tuple[date, date]:
    """The requested days, defaulting to the year up to today (Shanghai)."""
    last = last or market_day(now)
    if first is None:
        # A year of days ending at `last`; a year before 29 February is the 28th.
        day = 28 if (last.month, last.day) == (2, 29) else last.day
        first = last.replace(year=last.year - 1, day=day) + timedelta(days=1)
    if first > last:
        raise InvalidInput("from", lazy_gettext("must not be after to (today, if not given)"))
    return first, last


@built_once
def _stored_days_sql() -> Executable:
    return (select(DailyStat.day, exact(DailyStat.volume, "volume"),
                   exact(DailyStat.turnover, "turnover"), DailyStat.trades,
                   exact(DailyStat.open, "open"), exact(DailyStat.high, "high"),
                   exact(DailyStat.low, "low"), exact(DailyStat.close, "close"))
            .where(DailyStat.instrument_id == bindparam("instrument_id"),
                   DailyStat.day >= bindparam("first"), DailyStat.day <= bindparam("last"))
            .order_by(DailyStat.day))


def _stored_days(instrument_id: int, first: date, last: date) -> list[DayTotals]:
    """Daily rows kept by the job, as plain tuples (no ORM identity map: it is a hot path)."""
    if first > last:
        return []
    rows = run(_stored_days_sql(), {"instrument_id": instrument_id, "first": first,
                                    "last": last}).all()
    return [DayTotals(instrument_id, *row) for row in rows]


def _days(instrument_id: int, first: date, last: date, now: datetime | None,
          mechanism: str | None = None) -> list[DayTotals]:
    """Kept rows for the days before today, live totals for today when it is in range.

    The kept rows count every mechanism; one mechanism's days are read from its trades.
    """
    today = market_day(now)
    if mechanism is not None:
        return day_totals(instrument_id, first, min(last, today), mechanism)
    days = _stored_days(instrument_id, first, min(last, today - timedelta(days=1)))
    if first <= today <= last:
        days += day_totals(instrument_id, today, today)
    return days


# What a day's week or month is known by, cheaply (labels are made once per period).
PERIOD_KEYS = {"week": lambda day: day.isocalendar()[:2],
               "month": lambda day: (day.year, day.month)}


def _period(day: date, interval: str) -> tuple[str, date, date]:
    """The period a day falls in: its label and its first and last calendar day."""
    if interval == "week":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    if interval == "month":
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return f"{day:%Y-%m}", start, following - timedelta(days=1)
    return day.isoformat(), day, day


def candles(code: str, interval: str, first: date | None = None, last: date | None = None,
            now: datetime | None = None, mechanism: str | None = None) -> dict:
    """OHLC, volume, turnover, count and VWAP per day, ISO week or month; empty periods omitted.

    Every mechanism's trades make the candles, unless `mechanism` names one.

    A period cut by the range covers only the days inside it: `start` and `end` say which.
    """
    instrument = catalogue.instrument_by_code(code)
    first, last = date_range(first, last, now)
    return {"instrument": instrument.code, "interval": interval, "from": first, "to": last,
            "mechanism": mechanism,
            "candles": list(_candles(_days(instrument.id, first, last, now, mechanism),
                                     interval, first, last))}


def _candles(days: list[DayTotals], interval: str, first: date, last: date) -> Iterator[dict]:
    if interval == "day":
        # One day per candle: no grouping to do (the hot path of a long daily chart).
        for d in days:
            yield {"period": d.day.isoformat(), "start": d.day, "end": d.day, "open": d.open,
                   "high": d.high, "low": d.low, "close": d.close, "volume": d.volume,
                   "turnover": d.turnover, "trades": d.trades, "vwap": d.vwap}
        return
    key = PERIOD_KEYS[interval]
    for _key, members in groupby(days, key=lambda d: key(d.day)):
        group = list(members)
        label, start, end = _period(group[0].day, interval)
        yield _candle(label, max(start, first), min(end, last), group)


def _candle(label: str, start: date, end: date, days: list[DayTotals]) -> dict:
    volume = sum((d.volume for d in days), Decimal(0))
    turnover = sum((d.turnover for d in days), Decimal(0))
    return {"period": label, "start": start, "end": end, "open": days[0].open,
            "high": max(d.high for d in days), "low": min(d.low for d in days),
            "close": days[-1].close, "volume": volume, "turnover": turnover,
            "trades": sum(d.trades for d in days), "vwap": vwap_of(turnover, volume)}


def stats(code: str, now: datetime | None = None) -> dict:
    """Last price and its change on the previous trading day's close; 30-day and today's totals.

    The change compares the last trade with the close of the last market day with trades
    before the last trade's own day, so a quiet market still shows its latest move. The
    30-day window is today and the 29 calendar days before it.
    """
    instrument = catalogue.instrument_by_code(code)
    today = market_day(now)
    window = _days(instrument.id, today - timedelta(days=STATS_WINDOW_DAYS - 1), today, now)
    today_totals = window[-1] if window and window[-1].day == today else None
    result = {"instrument": instrument.code, "as_of": today, "last_price": None,
              "last_trade_at": None, "last_trade_day": None, "previous_close": None,
              "previous_close_day": None, "change": None, "change_percent": None,
              **_totals("30d", window), **_totals("today", [today_totals] if today_totals
                                                  else [])}
    last = run(_last_trade_sql(), {"instrument_id": instrument.id}).first()
    if last is None:
        return result
    last_day = market_day(last.executed_at)
    result.update(last_price=last.price, last_trade_at=last.executed_at, last_trade_day=last_day)
    previous = run(_previous_close_sql(), {"instrument_id": instrument.id,
                                           "day": last_day}).first()
    if previous is not None:
        change = last.price - previous.close
        result.update(previous_close=previous.close, previous_close_day=previous.day,
                      change=change,
                      change_percent=(change * 100 / previous.close).quantize(
                          CENT, rounding=ROUND_HALF_UP))
    return result


@built_once
def _last_trade_sql() -> Executable:
    return (select(Trade.price, Trade.executed_at)
            .where(Trade.instrument_id == bindparam("instrument_id"))
            .order_by(Trade.executed_at.desc(), Trade.id.desc()).limit(1))


@built_once
def _previous_close_sql() -> Executable:
    return (select(DailyStat.day, DailyStat.close)
            .where(DailyStat.instrument_id == bindparam("instrument_id"),
                   DailyStat.day < bindparam("day"))
            .order_by(DailyStat.day.desc()).limit(1))


def _totals(suffix: str, days: list[DayTotals]) -> dict:
    volume = sum((d.volume for d in days), Decimal(0))
    turnover = sum((d.turnover for d in days), Decimal(0))
    return {f"volume_{suffix}": volume, f"turnover_{suffix}": turnover,
            f"trades_{suffix}": sum(d.trades for d in days),
            f"vwap_{suffix}": vwap_of(turnover, volume) if volume else None}


def price_index(code: str, level: str, first: date | None = None, last: date | None = None,
                now: datetime | None = None) -> dict:
    """Per origin city or province, 100 × each day's VWAP / the VWAP of its first traded day.

    Each region has its own base: its first day with trades inside the range.
    """
    instrument = catalogue.instrument_by_code(code)
    first, last = date_range(first, last, now)
    today = market_day(now)
    days = _stored_region_days(instrument.id, level, first, min(last, today - timedelta(days=1)))
    if first <= today <= last:
        days += region_totals(instrument.id, today, today, levels=(level,))
    by_region: dict[str, list[DayTotals]] = {}
    for day in days:
        by_region.setdefault(day.region_code, []).append(day)
    names = region_names(by_region)
    regions = []
    for code_ in sorted(by_region):
        points = by_region[code_]
        vwaps = [p.vwap for p in points]
        base = vwaps[0]
        regions.append({
            "code": code_, "name": names.get(code_), "base_day": points[0].day,
            "base_vwap": base,
            "points": [{"day": p.day, "index": _index(vwap, base), "vwap": vwap,
                        "volume": p.volume, "turnover": p.turnover, "trades": p.trades}
                       for p, vwap in zip(points, vwaps, strict=True)]})
    return {"instrument": instrument.code, "level": level, "from": first, "to": last,
            "regions": regions}


@built_once
def _stored_region_days_sql() -> Executable:
    return (select(DailyRegionStat.day, exact(DailyRegionStat.volume, "volume"),
                   exact(DailyRegionStat.turnover, "turnover"), DailyRegionStat.trades,
                   DailyRegionStat.region_code)
            .where(DailyRegionStat.instrument_id == bindparam("instrument_id"),
                   DailyRegionStat.region_level == bindparam("level"),
                   DailyRegionStat.day >= bindparam("first"),
                   DailyRegionStat.day <= bindparam("last"))
            .order_by(DailyRegionStat.day))


def _index(vwap: Decimal, base: Decimal) -> Decimal:
    return (INDEX_BASE * vwap / base).quantize(CENT, rounding=ROUND_HALF_UP)


def _stored_region_days(instrument_id: int, level: str, first: date, last: date
                        ) -> list[DayTotals]:
    if first > last:
        return []
    rows = run(_stored_region_days_sql(), {
        "instrument_id": instrument_id, "level": level, "first": first, "last": last}).all()
    return [DayTotals(instrument_id, *row[:4], region_code=row[4], region_level=level)
            for row in rows]
