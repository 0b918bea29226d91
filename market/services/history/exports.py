"""Exports of candles and trades as CSV and XLSX files (written by `market.tables`). Read-only.

CSV streams: a long trade export is read in pages and sent in chunks, never held whole.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from flask_babel import lazy_gettext, lazy_pgettext
from sqlalchemy import func, select

from market import tables
from market.calendar import MARKET_TIME, utc_bounds
from market.errors import InvalidInput
from market.extensions import db
from market.services import catalogue
from market.services.history import queries
from market.tables import Column, Export
from market.vocabulary import MECHANISM, SIDE, UNIT, word
from models import Lot, Trade

# Far below Excel's 1,048,576 rows: an XLSX is built in memory. CSV streams, without a limit.
XLSX_MAX_ROWS = 100_000
CSV_ROWS_PER_CHUNK = tables.ROWS_PER_CHUNK

MONEY, QUANTITY, DAY, TIME = "#,##0.00", "#,##0.0000", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"

# (header, key, XLSX number format); headers in the reader's language.
CANDLE_COLUMNS = [
    (lazy_pgettext("export", "Period"), "period", None),
    (lazy_pgettext("export", "First day"), "start", DAY),
    (lazy_pgettext("export", "Last day"), "end", DAY),
    (lazy_pgettext("export", "Open (yuan)"), "open", MONEY),
    (lazy_pgettext("export", "High (yuan)"), "high", MONEY),
    (lazy_pgettext("export", "Low (yuan)"), "low", MONEY),
    (lazy_pgettext("export", "Close (yuan)"), "close", MONEY),
    (lazy_pgettext("export", "Volume"), "volume", QUANTITY),
    (lazy_pgettext("export", "Turnover (yuan)"), "turnover", MONEY),
    (lazy_pgettext("export", "Trades"), "trades", "0"),
    (lazy_pgettext("export", "Average price (yuan)"), "vwap", MONEY),
]
TRADE_COLUMNS = [
    (lazy_pgettext("export", "Trade"), "id", "0"),
    (lazy_pgettext("export", "Executed at (Beijing time)"), "executed_at", TIME),
    (lazy_pgettext("export", "Price (yuan)"), "price", MONEY),
    (lazy_pgettext("export", "Volume"), "quantity", QUANTITY),
    (lazy_pgettext("export", "Amount (yuan)"), "amount", MONEY),
    (lazy_pgettext("export", "Aggressor"), "aggressor_side", None),
    (lazy_pgettext("export", "Lot serial"), "serial", None),
    (lazy_pgettext("export", "How traded"), "mechanism", None),
]


def export_candles(code: str, interval: str, first: date | None, last: date | None,
                   file_format: str, now: datetime | None = None,
                   mechanism: str | None = None) -> Export:
    """The candles of an instrument over a range, as a CSV or XLSX file."""
    data = queries.candles(code, interval, first, last, now, mechanism)
    rows = ([candle[key] for _, key, _ in CANDLE_COLUMNS] for candle in data["candles"])
    name = f"{data['instrument']}_candles_{interval}_{data['from']}_{data['to']}.{file_format}"
    return _render(file_format, name, lazy_pgettext("export sheet", "Candles"),
                   CANDLE_COLUMNS, rows)


def export_trades(code: str, first: date | None, last: date | None, file_format: str,
                  now: datetime | None = None, mechanism: str | None = None) -> Export:
    """Every trade of an instrument in a range (no party names), of every mechanism or the
    one asked for, as a CSV or XLSX file."""
    instrument = catalogue.instrument_by_code(code)
    first, last = queries.date_range(first, last, now)
    start, end = utc_bounds(first, last)
    if file_format == "xlsx":
        count = db.session.scalar(select(func.count(Trade.id)).where(
            Trade.instrument_id == instrument.id, Trade.executed_at >= start,
            Trade.executed_at < end, *_mechanism_is(mechanism)))
        if count > XLSX_MAX_ROWS:
            raise InvalidInput("format", lazy_gettext(
                "%(count)s trades are too many for an XLSX file (at most %(most)s); use csv or "
                "a shorter range", count=count, most=XLSX_MAX_ROWS), code="too_many_rows")
    unit = word(UNIT, instrument.unit)
    columns = [(lazy_pgettext("export", "Volume (%(unit)s)", unit=unit) if key == "quantity"
                else header, key, number) for header, key, number in TRADE_COLUMNS]
    # Words made now, in the request's language: a streamed CSV is written after it.
    sides = {code: str(word(SIDE, code)) for code in SIDE}
    made = {code: str(word(MECHANISM, code)) for code in MECHANISM}
    # Beijing wall-clock time, as the pages and the header say (no offset in the file).
    rows = ([row.id, row.executed_at.astimezone(MARKET_TIME).replace(tzinfo=None), row.price,
             row.quantity, row.amount, sides.get(row.aggressor_side, row.aggressor_side),
             row.serial, made.get(row.mechanism, row.mechanism)]
            for row in _trades_between(instrument.id, start, end, mechanism))
    name = f"{instrument.code}_trades_{first}_{last}.{file_format}"
    return _render(file_format, name, lazy_pgettext("export sheet", "Trades"), columns, rows)


def _mechanism_is(mechanism: str | None) -> list:
    return [] if mechanism is None else [Trade.mechanism == mechanism]


def _trades_between(instrument_id: int, start: datetime, end: datetime,
                    mechanism: str | None = None, page: int = 5000) -> Iterator:
    """Trades in time order, read in keyset pages so a long export never holds them all."""
    after: tuple[datetime, int] = (start, 0)
    while True:
        rows = db.session.execute(
            select(Trade.id, Trade.executed_at, Trade.price, Trade.quantity, Trade.amount,
                   Trade.aggressor_side, Lot.serial, Trade.mechanism)
            .join(Lot, Lot.id == Trade.lot_id)
            .where(Trade.instrument_id == instrument_id, Trade.executed_at < end,
                   *_mechanism_is(mechanism),
                   (Trade.executed_at > after[0])
                   | ((Trade.executed_at == after[0]) & (Trade.id > after[1])))
            .order_by(Trade.executed_at, Trade.id).limit(page)).all()
        yield from rows
        if len(rows) < page:
            return
        after = (rows[-1].executed_at, rows[-1].id)


def _render(file_format: str, filename: str, sheet: str, columns, rows: Iterable[list]
            ) -> Export:
    table = tables.Table(str(sheet), [Column(str(header), number)
                                      for header, _, number in columns], rows)
    return tables.export(file_format, filename, [table], rows_per_chunk=CSV_ROWS_PER_CHUNK)
