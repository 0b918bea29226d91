"""Market days and the per-day trade totals that candles, statistics and indices are made of.

A market day is a calendar day in Asia/Shanghai; trades keep UTC times. Shanghai has had no
daylight saving since 1991, so a market day is always the UTC interval
[D-1 16:00, D 16:00), and the SQL below may use a fixed +8 hours on SQLite.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Date, cast, func, literal_column, select

from market.extensions import db
from models import District, Lot, Trade
from models.base import utcnow

MARKET_TIME = ZoneInfo("Asia/Shanghai")
FEN = Decimal("0.01")
REGION_LEVELS = ("city", "province")


@dataclass(frozen=True)
class DayTotals:
    """One instrument's trading on one market day (region totals carry no prices)."""

    instrument_id: int
    day: date
    volume: Decimal
    turnover: Decimal
    trades: int
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    region_code: str | None = None
    region_level: str | None = None

    @property
    def vwap(self) -> Decimal:
        """Volume-weighted average price: turnover / volume, to the fen."""
        return vwap(self.turnover, self.volume)


def vwap(turnover: Decimal, volume: Decimal) -> Decimal:
    """Turnover / volume to the fen (half up); the volume is never zero for a traded day."""
    return (turnover / volume).quantize(FEN, rounding=ROUND_HALF_UP)


def market_day(at: datetime | None = None) -> date:
    """The Shanghai calendar day of a UTC time (now by default)."""
    return (at or utcnow()).astimezone(MARKET_TIME).date()


def utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of `first`, start of the day after `last`) in UTC, for index range scans."""
    start = datetime.combine(first, time(), MARKET_TIME).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), MARKET_TIME).astimezone(UTC)
    return start, end


def _day_of_trade():
    """SQL for a trade's market day; literal arguments so GROUP BY matches the select list."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone(literal_column("'Asia/Shanghai'"), Trade.executed_at), Date)
    # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return func.date(Trade.executed_at, literal_column("'+8 hours'"))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def day_totals(instrument_id: int, first: date, last: date) -> list[DayTotals]:
    """Open, high, low, close, volume, turnover and count per market day, oldest first.

    Open and close are the prices of the day's lowest and highest trade id: ids follow the
    matching order, which is the order the market saw the trades in.
    """
    start, end = utc_bounds(first, last)
    day = _day_of_trade().label("day")
    rows = db.session.execute(
        select(day, func.count(Trade.id), func.sum(Trade.quantity), func.sum(Trade.amount),
               func.max(Trade.price), func.min(Trade.price), func.min(Trade.id),
               func.max(Trade.id))
        .where(Trade.instrument_id == instrument_id, Trade.executed_at >= start,
               Trade.executed_at < end)
        .group_by(day)
    ).all()
    prices = _prices_of({row[6] for row in rows} | {row[7] for row in rows})
    totals = [DayTotals(instrument_id, _as_date(row[0]), row[2], row[3], row[1],
                        open=prices[row[6]], high=row[4], low=row[5], close=prices[row[7]])
              for row in rows]
    return sorted(totals, key=lambda t: t.day)


def _prices_of(trade_ids: set[int]) -> dict[int, Decimal]:
    """Trade prices by id, fetched in slices that stay under every driver's parameter limit."""
    ids = sorted(trade_ids)
    prices: dict[int, Decimal] = {}
    for offset in range(0, len(ids), 900):
        prices.update(db.session.execute(
            select(Trade.id, Trade.price).where(Trade.id.in_(ids[offset:offset + 900]))).all())
    return prices


def region_totals(instrument_id: int, first: date, last: date,
                  levels: Iterable[str] = REGION_LEVELS) -> list[DayTotals]:
    """Volume, turnover and count per market day and origin city / province of the lot."""
    start, end = utc_bounds(first, last)
    day = _day_of_trade().label("day")
    rows = db.session.execute(
        select(day, Lot.origin_district_id, func.count(Trade.id), func.sum(Trade.quantity),
               func.sum(Trade.amount))
        .join(Lot, Lot.id == Trade.lot_id)
        .where(Trade.instrument_id == instrument_id, Trade.executed_at >= start,
               Trade.executed_at < end)
        .group_by(day, Lot.origin_district_id)
    ).all()
    regions = region_map()
    folded: dict[tuple[date, str, str], DayTotals] = {}
    for day_value, district_id, count, volume, turnover in rows:
        for level in levels:
            code = regions[district_id].get(level)
            if code is None:
                continue  # a lot registered above this level belongs to no such region
            key = (_as_date(day_value), level, code)
            seen = folded.get(key)
            folded[key] = (DayTotals(instrument_id, key[0], volume, turnover, count,
                                     region_code=code, region_level=level) if seen is None
                           else replace(seen, volume=seen.volume + volume,
                                        turnover=seen.turnover + turnover,
                                        trades=seen.trades + count))
    return sorted(folded.values(), key=lambda t: (t.day, t.region_level, t.region_code))


def region_map() -> dict[int, dict[str, str]]:
    """Every district's own city and province codes (the tree is small: read it whole)."""
    rows = db.session.execute(
        select(District.id, District.code, District.level, District.parent_id)).all()
    by_id = {row.id: row for row in rows}
    result: dict[int, dict[str, str]] = {}
    for row in rows:
        codes: dict[str, str] = {}
        node = row
        while node is not None:
            codes.setdefault(node.level, node.code)
            node = by_id.get(node.parent_id)
        result[row.id] = codes
    return result


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """District names by code."""
    return dict(db.session.execute(
        select(District.code, District.name).where(District.code.in_(list(codes)))).all())
