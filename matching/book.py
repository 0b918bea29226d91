"""The order book of one instrument: commands in, events out.

Continuous mode matches each arriving order at once by price-time priority; call-auction
mode only collects orders until ``Uncross`` (see ``matching.auction``). The engine has no
clock: every time it compares comes from the commands. The interface is ``apply`` and the
read-only queries (``matching.queries``); the handlers behind ``apply`` live in
``matching.lifecycle``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from matching.events import Event
from matching.levels import Order
from matching.lifecycle import OrderLifecycle
from matching.types import (
    Amend,
    BookSpec,
    Cancel,
    Command,
    Expire,
    Reduce,
    Rematch,
    Replace,
    RestingOrder,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)

# Final: the compiled build keeps these in C statics, not the module's dictionary.
_SUBMIT: Final = Submit
_CANCEL: Final = Cancel
_AMEND: Final = Amend


class OrderBook(OrderLifecycle):
    """One instrument's book.

    >>> from decimal import Decimal as D
    >>> book = OrderBook(BookSpec("FARM", D("0.01"), D("1")))
    >>> _ = book.apply(Submit(1, "a", Side.SELL, D("10.00"), D("5")))
    >>> [type(e).__name__ for e in book.apply(Submit(2, "b", Side.BUY, D("10.50"), D("3")))]
    ['Accepted', 'Filled']
    """

    def __init__(self, spec: BookSpec) -> None:
        super().__init__(spec)
        self._handlers: dict[type, Callable[[Any], list[Event]]] = {
            Submit: self._submit,
            Cancel: self._cancel,
            Reduce: self._reduce,
            Replace: self._replace,
            Amend: self._amend,
            Expire: self._expire,
            Rematch: self._rematch,
            Uncross: self._uncross,
        }

    @property
    def next_priority(self) -> int:
        """The priority number the next resting order will get (read only)."""
        return self._next_priority

    @classmethod
    def restore(
        cls,
        spec: BookSpec,
        resting: Iterable[RestingOrder],
        trade_sequence: int = 0,
        next_priority: int = 1,
    ) -> OrderBook:
        """Rebuild a book from its resting orders, keeping their priority numbers.

        New arrivals are numbered from `next_priority` or after every restored order,
        whichever is later, so a book restored from part of its orders never reuses a number.
        """
        book = cls(spec)
        book.trade_sequence = trade_sequence
        book._next_priority = next_priority
        grid = book.grid
        for r in sorted(resting, key=lambda r: r.priority):
            # No band check: terms may have changed since the order was accepted.
            ticks, bad_tick = divmod(r.price, grid.tick)
            lots, bad_lot = divmod(r.remaining, grid.lot)
            total, bad_total = divmod(r.quantity, grid.lot)
            if bad_tick or bad_lot or bad_total or lots <= 0 or r.order_id in book.orders:
                raise ValueError(f"cannot restore order {r.order_id!r}")
            order = Order(
                r.order_id,
                r.account_id,
                r.side == Side.BUY,
                int(ticks),
                r.price,
                int(lots),
                int(total),
                TimeInForce(r.tif),
                r.expires_at,
                r.at,
                r.eligibility,
                r.priority,
            )
            book.orders[r.order_id] = order
            (book.bids if order.is_buy else book.asks).add(order)
            book._next_priority = max(book._next_priority, r.priority + 1)
        return book

    def apply(self, command: Command) -> list[Event]:
        """Apply one command and return the events it caused, in order."""
        # Untyped, so that the compiled build dispatches on the class without a cast per branch.
        raw: Any = command
        kind = type(raw)
        if kind is _SUBMIT:
            return self._submit(raw)
        if kind is _CANCEL:
            return self._cancel(raw)
        if kind is _AMEND:
            return self._amend(raw)
        handler = self._handlers.get(kind)
        if handler is None:
            raise TypeError(f"not a matching command: {command!r}")
        return handler(command)
