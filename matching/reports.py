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
from typing import NamedTuple

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
R = ExecutionReport


def _filled(e: Filled) -> tuple[R, R]:
    return (
        R(e.maker_order_id, "filled", e.maker_side, e.maker_price, e.maker_remaining,
          e.quantity, e.price),
        R(e.taker_order_id, "filled", _OTHER[e.maker_side], None, e.taker_remaining,
          e.quantity, e.price),
    )


_CONVERT: dict[type, Callable[[Event], tuple[R, ...]]] = {
    Accepted: lambda e: (R(e.order_id, "accepted", e.side, e.price, e.quantity),),
    Rested: lambda e: (R(e.order_id, "rested", e.side, e.price, e.remaining),),
    Filled: _filled,
    Cancelled: lambda e: (
        R(e.order_id, "cancelled", e.side, e.price, _ZERO, None, None, e.reason),),
    Rejected: lambda e: (R(e.order_id, "rejected", None, None, None, None, None, e.code),),
    Reduced: lambda e: (R(e.order_id, "reduced", e.side, e.price, e.new_remaining),),
    Replaced: lambda e: (R(e.order_id, "replaced", e.side, e.new_price, e.remaining),),
    Amended: lambda e: (R(e.order_id, "amended", e.side, e.price, e.remaining),),
    Uncrossed: lambda e: (),
}


def reports(events: Iterable[Event]) -> list[ExecutionReport]:
    """The execution reports of a command's events, in order (an uncross summary has none)."""
    out: list[ExecutionReport] = []
    convert = _CONVERT
    for event in events:
        out += convert[event.__class__](event)
    return out
