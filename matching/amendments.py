"""Changes to a resting order: reduce, replace (new price) and amend (price and/or size).

The standard rule throughout: a decrease at the same price keeps time priority; a new price
or a larger quantity makes the order a new arrival (cancel and reinsert), which may trade at
once. These are private handlers behind ``OrderBook.apply``.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from matching.continuous import ContinuousMatching
from matching.events import Amended, Event, Reduced, Rejected, Replaced
from matching.levels import Order
from matching.types import Amend, Reduce, Replace, Side
from matching.validation import REJECT_MESSAGES, as_decimal

_BUY, _SELL = Side.BUY, Side.SELL


def _reject(order_id: Hashable, code: str) -> list[Event]:
    return [Rejected(order_id, code, REJECT_MESSAGES[code])]


class Amendments(ContinuousMatching):
    """Handlers that change resting orders."""

    def _now(self, at: Any) -> Any:
        # Commands without a time inherit the latest one seen, so windows never move back.
        if at is None:
            return self.last_at
        self.last_at = at
        return at

    def _remove(self, order: Order) -> None:
        (self.bids if order.is_buy else self.asks).kill(order)
        del self.orders[order.order_id]

    def _reduce(self, cmd: Reduce) -> list[Event]:
        """Lower a resting order's open quantity in place; its priority is unchanged."""
        order = self.orders.get(cmd.order_id)
        if order is None:
            return _reject(cmd.order_id, "unknown_order")
        raw: Any = cmd  # untyped reads: a float must become a Rejected, not a TypeError
        if (raw.new_quantity is None) == (raw.by is None):
            return _reject(cmd.order_id, "not_a_reduction")
        value = as_decimal(raw.by if raw.new_quantity is None else raw.new_quantity)
        if value is None:
            return _reject(cmd.order_id, "not_a_decimal")
        amount = self.grid.quantity_lots(value)
        if isinstance(amount, str):
            return _reject(cmd.order_id, amount)
        filled = order.orig_lots - order.lots
        new_lots = order.lots - amount if cmd.new_quantity is None else amount - filled
        if not 0 < new_lots < order.lots:
            return _reject(cmd.order_id, "not_a_reduction")
        self._now(cmd.at)
        old = order.lots
        self._shrink(order, new_lots)
        quantity_of = self.grid.quantity_of
        return [
            Reduced(
                order.order_id,
                quantity_of(old),
                quantity_of(new_lots),
                _BUY if order.is_buy else _SELL,
                order.price,
            )
        ]

    def _shrink(self, order: Order, new_lots: int) -> None:
        (self.bids if order.is_buy else self.asks).levels[order.ticks].lots -= order.lots - new_lots
        order.orig_lots -= order.lots - new_lots
        order.lots = new_lots

    def _reinsert(self, old: Order, ticks: int, price: Decimal, lots: int, total: int, at: Any,
                  events: list[Event]) -> None:
        """Take the order out and bring it back as a new arrival; it may trade at once."""
        self._remove(old)
        # A fresh object: the old one stays, dead, in its level's list until compaction.
        order = Order(old.order_id, old.account_id, old.is_buy, ticks, price, lots, total,
                      old.tif, old.expires_at, old.at, old.eligibility, 0)
        if not self.auction:
            keys = (self.asks if order.is_buy else self.bids).keys
            # Only walk the other side when its best price crosses the new limit.
            if keys and ((-keys[-1] <= ticks) if order.is_buy else (keys[-1] >= ticks)):
                self._match(order, at, events)
        if order.lots:
            self._rest(order, events)

    def _replace(self, cmd: Replace) -> list[Event]:
        """Move a resting order to a new price: it loses priority and may trade at once."""
        old = self.orders.get(cmd.order_id)
        if old is None:
            return _reject(cmd.order_id, "unknown_order")
        raw: Any = cmd  # untyped read: a float must become a Rejected, not a TypeError
        new_price = as_decimal(raw.new_price)
        if new_price is None:
            return _reject(cmd.order_id, "not_a_decimal")
        ticks = self.grid.price_ticks(new_price)
        if isinstance(ticks, str):
            return _reject(cmd.order_id, ticks)
        at = self._now(cmd.at)
        side = _BUY if old.is_buy else _SELL
        events: list[Event] = [
            Replaced(old.order_id, old.price, new_price, self.grid.quantity_of(old.lots), side)
        ]
        self._reinsert(old, ticks, new_price, old.lots, old.orig_lots, at, events)
        return events

    def _amend(self, cmd: Amend) -> list[Event]:
        """Change price and/or total quantity: a same-price decrease keeps priority."""
        oid = cmd.order_id
        order = self.orders.get(oid)
        if order is None:
            return _reject(oid, "unknown_order")
        grid = self.grid
        raw: Any = cmd  # untyped reads: a float must become a Rejected, not a TypeError
        ticks, price, total = order.ticks, order.price, order.orig_lots
        if raw.new_price is not None:
            new_price = as_decimal(raw.new_price)
            if new_price is None:
                return _reject(oid, "not_a_decimal")
            ticks_or_code = grid._price.get(new_price) or grid.price_ticks(new_price)
            if isinstance(ticks_or_code, str):
                return _reject(oid, ticks_or_code)
            ticks = ticks_or_code
            # The same limit written differently keeps the order's own Decimal.
            price = order.price if ticks == order.ticks else new_price
        if raw.new_quantity is not None:
            quantity = as_decimal(raw.new_quantity)
            if quantity is None:
                return _reject(oid, "not_a_decimal")
            total_or_code = grid._qty.get(quantity) or grid.quantity_lots(quantity)
            if isinstance(total_or_code, str):
                return _reject(oid, total_or_code)
            total = total_or_code
        old_lots = order.lots
        lots = total - (order.orig_lots - old_lots)
        if lots <= 0:
            return _reject(oid, "below_filled")
        if ticks == order.ticks and lots == old_lots:
            return _reject(oid, "no_change")
        at = self._now(cmd.at)
        quantity_of = grid.quantity_of
        kept = ticks == order.ticks and lots < old_lots
        events: list[Event] = [
            Amended(oid, _BUY if order.is_buy else _SELL, price, quantity_of(total),
                    quantity_of(lots), order.price, quantity_of(old_lots), kept)
        ]
        if kept:
            self._shrink(order, lots)
        else:
            self._reinsert(order, ticks, price, lots, total, at, events)
        return events
