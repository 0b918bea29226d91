"""Market days and the per-day trade totals that candles, statistics and indices are made of.

A market day is a calendar day in Asia/Shanghai; trades keep UTC times. Shanghai has had no
daylight saving since 1991, so a market day is always the UTC interval
[D-1 16:00, D 16:00), and the SQL below may use a fixed +8 hours on SQLite.
"""

import functools
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import (
    Date,
    Executable,
    Numeric,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from market.calendar import utc_bounds
from market.extensions import db
from market.services.catalogue import DistrictTree
from models import District, Lot, Trade
from models.statistics import REGION_LEVELS

FEN = Decimal("0.01")


class DayTotals(NamedTuple):
    """One instrument's trading on one market day (region totals carry no prices).

    A named tuple, not a dataclass: candles over years build thousands of them per request.
    """

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
        return vwap_of(self.turnover, self.volume)


def vwap_of(turnover: Decimal, volume: Decimal) -> Decimal:
    """Turnover / volume to the fen (half up); the volume is never zero for a traded day."""
    return (turnover / volume).quantize(FEN, rounding=ROUND_HALF_UP)


def _day_of_trade():
    """SQL for a trade's market day; literal arguments so GROUP BY matches the select list."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone(literal_column("'Asia/Shanghai'"), Trade.executed_at), Date)
    # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return func.date(Trade.executed_at, literal_column("'+8 hours'"))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def exact(column, name: str):
    """A decimal column for a hot path, labelled `name`.

    psycopg2 already returns NUMERIC as an exact Decimal, so on PostgreSQL the column skips
    ScaledDecimal's re-quantizing of every value; SQLite still needs its unscaling.
    """
    if db.engine.dialect.name == "postgresql":
        return type_coerce(column, Numeric(asdecimal=True)).label(name)
    return column.label(name)


def built_once(build: Callable[[], Executable]) -> Callable[[], Executable]:
    """Build a statement once per database dialect; callers bind its parameters.

    On the history endpoints' hot paths, building a statement with aliases and type coercions
    costs more than the index lookup it runs.
    """
    statements: dict[str, Executable] = {}

    @functools.wraps(build)
    def statement() -> Executable:
        dialect = db.engine.dialect.name
        if dialect not in statements:
            statements[dialect] = build()
        return statements[dialect]

    return statement


def run(statement: Executable, params: dict):
    """Execute a built-once statement on the session's connection, in its transaction.

    These statements select plain columns, so the ORM's result layer would only add cost.
    """
    return db.session.connection().execute(statement, params)


def _build_day_totals(by_mechanism: bool) -> Executable:
    day = _day_of_trade()
    conditions = [Trade.instrument_id == bindparam("instrument_id"),
                  Trade.executed_at >= bindparam("start"), Trade.executed_at < bindparam("end")]
    if by_mechanism:
        conditions.append(Trade.mechanism == bindparam("mechanism"))
    per_day = (
        select(day.label("day"), func.count(Trade.id).label("trades"),
               func.sum(Trade.quantity).label("volume"),
               func.sum(Trade.amount).label("turnover"), func.max(Trade.price).label("high"),
               func.min(Trade.price).label("low"), func.min(Trade.id).label("first_id"),
               func.max(Trade.id).label("last_id"))
        .where(*conditions)
        .group_by(day).subquery())
    opening, closing = aliased(Trade), aliased(Trade)
    return (select(per_day.c.day, exact(per_day.c.volume, "volume"),
                   exact(per_day.c.turnover, "turnover"), per_day.c.trades,
                   exact(opening.price, "open"), exact(per_day.c.high, "high"),
                   exact(per_day.c.low, "low"), exact(closing.price, "close"))
            .select_from(per_day)
            .join(opening, opening.id == per_day.c.first_id)
            .join(closing, closing.id == per_day.c.last_id)
            .order_by(per_day.c.day))


@built_once
def _day_totals_sql() -> Executable:
    return _build_day_totals(by_mechanism=False)


@built_once
def _mechanism_day_totals_sql() -> Executable:
    return _build_day_totals(by_mechanism=True)


def day_totals(instrument_id: int, first: date, last: date,
               mechanism: str | None = None) -> list[DayTotals]:
    """Open, high, low, close, volume, turnover and count per market day, oldest first; of
    every mechanism's trades, or of one mechanism's.

    Open and close are the prices of the day's lowest and highest trade id: ids follow the
    matching order, which is the order the market saw the trades in.
    """
    start, end = utc_bounds(first, last)
    params = {"instrument_id": instrument_id, "start": start, "end": end}
    if mechanism is None:
        rows = run(_day_totals_sql(), params).all()
    else:
        rows = run(_mechanism_day_totals_sql(), {**params, "mechanism": mechanism}).all()
    return [DayTotals(instrument_id, _as_date(row[0]), *row[1:]) for row in rows]


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
    tree = DistrictTree() if rows else None
    folded: dict[tuple[date, str, str], DayTotals] = {}
    for day_value, district_id, count, volume, turnover in rows:
        for level in levels:
            code = tree.codes_by_level(district_id).get(level)
            if code is None:
                continue  # a lot registered above this level belongs to no such region
            key = (_as_date(day_value), level, code)
            seen = folded.get(key)
            folded[key] = (DayTotals(instrument_id, key[0], volume, turnover, count,
                                     region_code=code, region_level=level) if seen is None
                           else seen._replace(volume=seen.volume + volume,
                                              turnover=seen.turnover + turnover,
                                              trades=seen.trades + count))
    return sorted(folded.values(), key=lambda t: (t.day, t.region_level, t.region_code))


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """District names by code."""
    return dict(db.session.execute(
        select(District.code, District.name).where(District.code.in_(list(codes)))).all())
