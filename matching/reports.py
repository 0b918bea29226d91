"""From events to execution reports: one report per order an event touches (FIX 35=8 style).

A gateway answers each order's owner and updates market data from these alone: every event
carries the side, the order's limit and its open quantity afterwards, so no report needs the
book. The conversion is one dictionary lookup per event and one tuple per report.

>>> from decimal import Decimal as D
>>> from matching.events import Cancelled
>>> from matching.types import Side
>>> reports([Cancelled(7, D("3"), "cancelled", Side.BUY, D("10.00"))])[0][:4]
(7, 'cancelled', <Side.BUY: 'buy'>, Decimal('10.00'))
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from matching.events import (
    Accepted,
    Amended,
    Cancelled,
    Event,
    Filled,
    Reduced,
    Rejected,
    Replaced,
    Rested,
    Uncrossed,
)
from matching.types import Side

_ZERO = Decimal(0)


class ExecutionReport(NamedTuple):
    """What one order's owner is told: ``kind`` is the event's name in lower case.

    ``price`` is the order's limit (None on a taker's fill: the taker's limit is in the
    ``Accepted``, ``Replaced`` or ``Amended`` report before it); ``last_quantity`` and
    ``last_price`` are set on a fill; ``leaves`` is the open quantity after the event;
    ``reason`` is a cancel reason or a reject code.
    """

    order_id: Hashable
    kind: str
    side: Side | None
    price: Decimal | None
    leaves: Decimal | None
    last_quantity: Decimal | None = None
    last_price: Decimal | None = None
    reason: str | None = None


_OTHER = {Side.BUY: Side.SELL, Side.SELL: Side.BUY}
# Building the tuple directly skips the class's generated __new__ (a third of the cost).
_new = tuple.__new__
R = ExecutionReport


def _filled(e: Filled, out: list) -> None:
    out.append(_new(R, (e.maker_order_id, "filled", e.maker_side, e.maker_price,
                        e.maker_remaining, e.quantity, e.price, None)))
    out.append(_new(R, (e.taker_order_id, "filled", _OTHER[e.maker_side], None,
                        e.taker_remaining, e.quantity, e.price, None)))


def _one(kind: str, fields: Callable[[Any], tuple]) -> Callable[[Any, list], None]:
    """A converter for an event that concerns one order."""

    def convert(e: Any, out: list) -> None:
        out.append(_new(R, (e.order_id, kind, *fields(e))))

    return convert


def _accepted(e: Accepted, out: list) -> None:
    out.append(_new(R, (e.order_id, "accepted", e.side, e.price, e.quantity, None, None, None)))


def _rested(e: Rested, out: list) -> None:
    out.append(_new(R, (e.order_id, "rested", e.side, e.price, e.remaining, None, None, None)))


def _cancelled(e: Cancelled, out: list) -> None:
    out.append(_new(R, (e.order_id, "cancelled", e.side, e.price, _ZERO, None, None, e.reason)))


# The most frequent events get their own function; the rest share the generic one.
_CONVERT: dict[type, Callable[[Any, list], None]] = {
    Accepted: _accepted,
    Rested: _rested,
    Filled: _filled,
    Cancelled: _cancelled,
    Rejected: _one("rejected", lambda e: (None, None, None, None, None, e.code)),
    Reduced: _one("reduced", lambda e: (e.side, e.price, e.new_remaining, None, None, None)),
    Replaced: _one("replaced", lambda e: (e.side, e.new_price, e.remaining, None, None, None)),
    Amended: _one("amended", lambda e: (e.side, e.price, e.remaining, None, None, None)),
    Uncrossed: lambda e, out: None,
}


def reports(events: Iterable[Event]) -> list[ExecutionReport]:
    """The execution reports of a command's events, in order (an uncross summary has none)."""
    out: list[ExecutionReport] = []
    convert = _CONVERT
    for event in events:
        convert[event.__class__](event, out)
    return out
