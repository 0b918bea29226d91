"""The engine seam: the one place where order rows meet the matching engine.

Every change to a book — placing, reducing, replacing, cancelling, expiring, rematching and
uncrossing — comes here as a command. Given an instrument (whose lock the caller holds), the
orders involved and the command, the seam builds the book, applies the command and persists
what the engine decided: rows, ledger moves and the instrument's priority counter. Nothing
outside this module builds a book or writes `next_priority`, so a different book keeper (a
long-lived book per instrument) can replace what is behind these functions alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import lazyload

from market import metrics
from market.extensions import db
from market.services.trading import book_rows, event_writer, live_books
from market.services.transaction import after_commit
from matching import (
    Amend,
    Cancel,
    Expire,
    Filled,
    Reduce,
    Rejected,
    Rematch,
    Replace,
    Side,
    Submit,
    TimeInForce,
    Uncross,
    Uncrossed,
)
from models import BookCommand, Instrument, Order, Trade, User


@dataclass
class Outcome:
    """What a command did: its trades, the orders it closed, or why the engine refused it."""

    trades: list[Trade] = field(default_factory=list)
    closed: list[Order] = field(default_factory=list)
    rejection: Rejected | None = None
    uncrossed: Uncrossed | None = None


def submit(instrument: Instrument, order: Order, actor: User | None, now: datetime) -> Outcome:
    """Match a new order (flushed, with its hold or encumbrance) and rest what is left."""
    makers = _crossing(instrument, order.side, order.price)
    command = Submit(order.id, order.account_id, Side(order.side), order.price, order.quantity,
                     TimeInForce(order.tif), expires_at=order.expires_at, at=now,
                     eligibility=book_rows.eligibility_of(order, instrument))
    return _run(instrument, makers, [order, *makers], [command], actor, now)


def reduce(instrument: Instrument, order: Order, open_quantity: Decimal, actor: User | None,
           now: datetime) -> Outcome:
    """Lower an open order's open quantity; it keeps its time priority."""
    command = Reduce(order.id, new_quantity=order.filled + open_quantity, at=now)
    return _run(instrument, [order], [order], [command], actor, now)


def replace(instrument: Instrument, order: Order, price: Decimal, actor: User | None,
            now: datetime) -> Outcome:
    """Move an open order to a new price; it loses its priority and may trade."""
    makers = _crossing(instrument, order.side, price)
    return _run(instrument, [order, *makers], [order, *makers], [Replace(order.id, price, at=now)],
                actor, now)


def cancel(instrument: Instrument, orders: list[Order], actor: User | None,
           now: datetime) -> Outcome:
    """Cancel open orders of one instrument; holds and encumbrances are released exactly."""
    commands = [Cancel(order.id, at=now) for order in orders]
    return _run(instrument, orders, orders, commands, actor, now)


def expire(instrument: Instrument, now: datetime) -> Outcome:
    """Take out the instrument's GTD orders whose time has come."""
    return _over_the_book(instrument, lambda: list(db.session.scalars(select(Order).where(
        Order.instrument_id == instrument.id, Order.status == "open", Order.tif == "GTD",
        Order.expires_at <= now).order_by(Order.priority))), Expire(now), None, now)


def rematch(instrument: Instrument, now: datetime) -> Outcome:
    """Let crossed resting orders trade once a scope window that kept them apart has opened."""
    return _over_the_book(instrument, lambda: _crossed_orders(instrument.id), Rematch(now),
                          None, now)


def uncross(instrument: Instrument, actor: User | None, now: datetime) -> Outcome:
    """Clear a call-auction book at one price; `uncrossed` summarises the result."""
    return _over_the_book(instrument, lambda: book_rows.all_open_orders(instrument),
                          Uncross(at=now), actor, now)


def _over_the_book(instrument: Instrument, rows: Callable[[], list[Order]], command,
                   actor: User | None, now: datetime) -> Outcome:
    """Run a command over a whole book: the live one as it stands, else a book of `rows()`,
    the only open orders the command can touch (read only for inline matching)."""
    found = [] if live_books.current() is not None else rows()
    return _run(instrument, found, found, [command], actor, now)


def _crossed_orders(instrument_id: int) -> list[Order]:
    crossed = crossed_prices(instrument_id)
    if crossed is None:
        return []  # an uncrossed book rematches nothing
    best_bid, best_ask = crossed
    return list(db.session.scalars(select(Order).where(
        Order.instrument_id == instrument_id, Order.status == "open",
        ((Order.side == "buy") & (Order.price >= best_ask))
        | ((Order.side == "sell") & (Order.price <= best_bid))).order_by(Order.priority)))


def indicative(instrument: Instrument, now: datetime):
    """What the call auction would clear at now (read only: nothing is written)."""
    return book_rows.book_with(instrument, book_rows.all_open_orders(instrument)).indicative(now)


def crossed_prices(instrument_id: int) -> tuple[Decimal, Decimal] | None:
    """The best bid and ask when they cross (bid ≥ ask), else None."""
    best_bid = db.session.scalar(select(func.max(Order.price)).where(
        Order.instrument_id == instrument_id, Order.side == "buy", Order.status == "open"))
    best_ask = db.session.scalar(select(func.min(Order.price)).where(
        Order.instrument_id == instrument_id, Order.side == "sell", Order.status == "open"))
    if best_bid is None or best_ask is None or best_bid < best_ask:
        return None
    return best_bid, best_ask


def _crossing(instrument: Instrument, side: str, price: Decimal) -> list[Order]:
    # A live book already holds the makers; a call auction matches nothing on arrival.
    if live_books.current() is not None or instrument.trading_mode == "call_auction":
        return []
    return book_rows.crossing_orders(instrument, side, price)


def _run(instrument: Instrument, resting: list[Order], involved: list[Order], commands: list,
         actor: User | None, now: datetime) -> Outcome:
    live = live_books.current()
    book = live.book_for(instrument) if live is not None else \
        book_rows.book_with(instrument, resting)
    events = [event for command in commands for event in book.apply(command)]
    refusals = [event for event in events if type(event) is Rejected]
    if refusals:
        if len(commands) == 1:
            return Outcome(rejection=refusals[0])  # a refused command leaves the book as it was
        # Of several (a freeze's cancels), the others changed the book: it no longer matches
        # the rows, and the caller's transaction must fail (the order writer then drops it).
        raise RuntimeError(f"the book refused {len(refusals)} of {len(commands)} commands on "
                           f"instrument {instrument.id}: {refusals[0].code}")
    orders = {order.id: order for order in involved}
    if live is not None:
        live.remember(involved)
        _load_named(events, orders, live)
    # Only an uncrossing clears a call auction; every other command fills continuously.
    mechanism = "call_auction" if type(commands[0]) is Uncross else "continuous"
    written = event_writer.apply(events, orders, instrument, actor, now, mechanism)
    instrument.next_priority = book.next_priority
    if events:  # a command that caused nothing (no GTD order due, say) changed no book
        _log(live, instrument.id, commands, now)
        instrument.book_version += 1  # any other writer's live book of it is stale now
        if live is not None:
            live.applied(instrument)
    _count(instrument.code, written)
    summary = next((event for event in events if type(event) is Uncrossed), None)
    return Outcome(written.trades, written.closed, uncrossed=summary)


# Built once: a fill of a live book reads the resting orders it names that the writer does
# not keep.
_ORDERS = select(Order).where(Order.id.in_(bindparam("ids", expanding=True))).options(
    lazyload("*")).execution_options(populate_existing=True)  # none is changed in the batch


def _load_named(events: list, orders: dict[int, Order], live: live_books.LiveBooks) -> None:
    """Find the resting orders the live book's events name: those whose rows the writer
    keeps (`LiveBooks.rows`), the others in one query (and keep them)."""
    named = set()
    for event in events:
        if type(event) is Filled:
            named.add(event.buy_order_id)
            named.add(event.sell_order_id)
        else:
            named.add(getattr(event, "order_id", None))
    missing = []
    for order_id in named - orders.keys() - {None}:
        row = live.row(order_id)
        if row is None:
            missing.append(order_id)
        else:
            orders[order_id] = row
    if missing:
        loaded = list(db.session.scalars(_ORDERS, {"ids": sorted(missing)}))
        orders.update((order.id, order) for order in loaded)
        live.remember(loaded)


def _log(live, instrument_id: int, commands: list, now: datetime) -> None:
    rows = [_log_row(instrument_id, command, now) for command in commands]
    if live is not None:
        live.pending_log.extend(rows)  # written with the writer's batch, in one statement
    else:
        db.session.execute(insert(BookCommand), rows)


def _log_row(instrument_id: int, command, now: datetime) -> dict:
    kind = type(command)
    row = {"instrument_id": instrument_id, "kind": _KINDS[kind], "order_id": None,
           "price": None, "quantity": None, "at": now}
    if kind is Submit:
        row.update(order_id=command.order_id, price=command.price, quantity=command.quantity)
    elif kind is Reduce:
        row.update(order_id=command.order_id, quantity=command.new_quantity)
    elif kind is Replace:
        row.update(order_id=command.order_id, price=command.new_price)
    elif kind is Amend:
        row.update(order_id=command.order_id, price=command.new_price,
                   quantity=command.new_quantity)
    elif kind is Cancel:
        row.update(order_id=command.order_id)
    return row


_KINDS = {Submit: "submit", Cancel: "cancel", Reduce: "reduce", Replace: "replace",
          Amend: "amend", Expire: "expire", Rematch: "rematch", Uncross: "uncross"}


def _count(code: str, written: event_writer.Written) -> None:
    # Plain numbers into the closure: the rows may be expired by the time it runs.
    trades = len(written.trades)
    filled = sum(1 for order in written.closed if order.status == "filled")
    if trades or filled:
        after_commit(lambda: metrics.matched(code, trades, filled))
