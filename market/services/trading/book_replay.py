"""Replay the logged book commands through a fresh book and compare with the stored fills.

Whichever book keeper matched (inline, or the order writer with its live books, across
failovers), the fills stored must be exactly what the pure engine gives for the same command
sequence. `book_commands` holds that sequence per instrument; this rebuilds each order's
Submit from its row (side, account, time in force, eligibility) and the logged price and
quantity, replays everything in log order and compares fill by fill: buy order, sell order,
price and quantity.
"""

from dataclasses import replace

from sqlalchemy import select

from market.extensions import db
from market.services.trading import book_rows
from matching import (
    Amend,
    Cancel,
    Expire,
    Filled,
    OrderBook,
    Reduce,
    Rematch,
    Replace,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)
from models import BookCommand, Instrument, Order, Trade
from models.order import BOOK_MECHANISMS


def replay_mismatches() -> list[str]:
    """Every instrument whose stored fills differ from its replayed log, as sentences."""
    problems = []
    for instrument in db.session.scalars(select(Instrument).order_by(Instrument.id)):
        problems += _instrument_mismatches(instrument)
    return problems


def _instrument_mismatches(instrument: Instrument) -> list[str]:
    log = list(db.session.scalars(select(BookCommand).where(
        BookCommand.instrument_id == instrument.id).order_by(BookCommand.id)))
    stored = [(t.buy_order_id, t.sell_order_id, t.price, t.quantity) for t in db.session.scalars(
        select(Trade).where(Trade.instrument_id == instrument.id,
                            Trade.mechanism.in_(BOOK_MECHANISMS)).order_by(Trade.id))]
    if not log:
        return [] if not stored else [f"{instrument.code}: fills stored but no command logged"]
    orders = {order.id: order for order in db.session.scalars(select(Order).where(
        Order.instrument_id == instrument.id))}
    # Accepted orders passed the price band of their day; the band may have moved since, so
    # the replay checks only what matching depends on: tick, lot and mode.
    spec = replace(book_rows.spec_for(instrument), reference_price=None, band_pct=None,
                   floor_price=None)
    book = OrderBook(spec)
    replayed = []
    for entry in log:
        for event in book.apply(command_from_log(entry, orders, instrument)):
            if type(event) is Filled:
                replayed.append((event.buy_order_id, event.sell_order_id, event.price,
                                 event.quantity))
    if replayed == stored:
        return []
    first = next((i for i, (a, b) in enumerate(zip(replayed, stored, strict=False)) if a != b),
                 min(len(replayed), len(stored)))
    return [f"{instrument.code}: {len(stored)} fills stored, {len(replayed)} replayed; the "
            f"first difference is fill {first + 1}"]


def command_from_log(entry: BookCommand, orders: dict[int, Order], instrument: Instrument):
    """The engine command a `book_commands` row logged (a submit needs its order's row)."""
    kind, at = entry.kind, entry.at
    if kind == "submit":
        order = orders[entry.order_id]
        return Submit(order.id, order.account_id, Side(order.side), entry.price, entry.quantity,
                      TimeInForce(order.tif), expires_at=order.expires_at, at=at,
                      eligibility=book_rows.eligibility_of(order, instrument))
    if kind == "cancel":
        return Cancel(entry.order_id, at=at)
    if kind == "reduce":
        return Reduce(entry.order_id, new_quantity=entry.quantity, at=at)
    if kind == "replace":
        return Replace(entry.order_id, entry.price, at=at)
    if kind == "amend":
        return Amend(entry.order_id, new_quantity=entry.quantity, new_price=entry.price, at=at)
    if kind == "expire":
        return Expire(at)
    if kind == "rematch":
        return Rematch(at)
    return Uncross(at=at)
