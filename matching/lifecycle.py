"""An order's life in the book: the command handlers behind ``OrderBook.apply``.

``Submit`` validates a new order, matches it (continuous mode) and rests what is left; the
other commands act on resting orders. These are private: commands go in through ``apply``.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from matching import auction
from matching.continuous import ContinuousMatching
from matching.events import (
    Accepted,
    Cancelled,
    Event,
    Reduced,
    Rejected,
    Replaced,
    Rested,
)
from matching.levels import Order
from matching.types import (
    BookSpec,
    BuyerEligibility,
    Cancel,
    Expire,
    LotEligibility,
    Reduce,
    Rematch,
    Replace,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)
from matching.validation import REJECT_MESSAGES, as_decimal

_GTC, _GTD, _IOC, _FOK = TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK
_TIFS = frozenset(TimeInForce)
_BUY, _SELL = Side.BUY, Side.SELL
_SIDES = frozenset(Side)


def _reject(order_id: Hashable, code: str) -> list[Event]:
    return [Rejected(order_id, code, REJECT_MESSAGES[code])]


class OrderLifecycle(ContinuousMatching):
    """Command handlers of the book (a mixin; the book supplies the state)."""

    spec: BookSpec
    last_at: Any
    auction: bool

    def _now(self, at: Any) -> Any:
        # Commands without a time inherit the latest one seen, so windows never move back.
        if at is None:
            return self.last_at
        self.last_at = at
        return at

    def _submit(self, cmd: Submit) -> list[Event]:
        """Validate a new order, match it (continuous mode) and rest what is left."""
        # This is the hot path: cache lookups and identity checks are inlined on purpose.
        oid, grid = cmd.order_id, self.grid
        quantity, price = cmd.quantity, cmd.price
        if price.__class__ is not Decimal or quantity.__class__ is not Decimal:
            # Floats (or anything else) never enter: they would also hit the Decimal caches.
            price, quantity = as_decimal(price), as_decimal(quantity)
            if price is None or quantity is None:
                return _reject(oid, "not_a_decimal")
        try:
            lots = grid._qty.get(quantity) or grid.quantity_lots(quantity)
            ticks = grid._price.get(price) or grid.price_ticks(price)
        except TypeError:  # unhashable input such as a signalling NaN
            lots, ticks = grid.quantity_lots(quantity), grid.price_ticks(price)
        if lots.__class__ is str:
            return _reject(oid, lots)
        if ticks.__class__ is str:
            return _reject(oid, ticks)
        side, tif, elig = cmd.side, cmd.tif, cmd.eligibility
        if side is _BUY:
            is_buy = True
        elif side is _SELL:
            is_buy = False
        elif side in _SIDES:
            is_buy = side == _BUY
        else:
            return _reject(oid, "bad_side")
        if tif is not _GTC and tif is not _GTD and tif is not _IOC and tif is not _FOK:
            if tif not in _TIFS:
                return _reject(oid, "bad_tif")
            tif = TimeInForce(tif)
        expires_at = cmd.expires_at
        if (tif is _GTD) != (expires_at is not None):
            return _reject(oid, "bad_expiry")
        at = self.last_at if cmd.at is None else cmd.at
        if expires_at is not None and at is not None and expires_at <= at:
            return _reject(oid, "expired_on_arrival")
        if elig is not None and not isinstance(
            elig, BuyerEligibility if is_buy else LotEligibility
        ):
            return _reject(oid, "bad_eligibility")
        auction = self.auction
        if auction and (tif is _IOC or tif is _FOK):
            return _reject(oid, "tif_not_allowed")
        orders = self.orders
        if oid in orders:
            return _reject(oid, "duplicate_order_id")
        self.last_at = at
        account = cmd.account_id
        events: list[Event] = [
            Accepted(oid, account, _BUY if is_buy else _SELL, price, quantity, tif)
        ]
        order = Order(oid, account, is_buy, ticks, price, lots, lots, tif, expires_at, at, elig, 0)
        if not auction:
            keys = (self.asks if is_buy else self.bids).keys
            # Only walk the other side when its best price crosses this order's limit.
            if keys and ((-keys[-1] <= ticks) if is_buy else (keys[-1] >= ticks)):
                if tif is _FOK and self._available(order, at) < lots:
                    events.append(Cancelled(oid, quantity, "fok_unfillable"))
                    return events
                self._match(order, at, events)
            elif tif is _FOK:
                events.append(Cancelled(oid, quantity, "fok_unfillable"))
                return events
        left = order.lots
        if left:
            remaining = quantity if left == lots else grid.quantity_of(left)
            if tif is _IOC or tif is _FOK:
                events.append(Cancelled(oid, remaining, "ioc_remainder"))
                return events
            # Rest: inlined _rest() with the remaining quantity already at hand.
            priority = order.priority = self._next_priority
            self._next_priority = priority + 1
            orders[oid] = order
            (self.bids if is_buy else self.asks).add(order)
            events.append(Rested(oid, _BUY if is_buy else _SELL, price, remaining, priority))
        return events

    def _remove(self, order: Order) -> None:
        (self.bids if order.is_buy else self.asks).kill(order)
        del self.orders[order.order_id]

    def _cancel(self, cmd: Cancel) -> list[Event]:
        """Cancel a resting order's open quantity."""
        order = self.orders.get(cmd.order_id)
        if order is None:
            return _reject(cmd.order_id, "unknown_order")
        self._now(cmd.at)
        self._remove(order)
        return [Cancelled(order.order_id, self.grid.quantity_of(order.lots), "cancelled")]

    def _reduce(self, cmd: Reduce) -> list[Event]:
        """Lower a resting order's open quantity in place; its priority is unchanged."""
        order = self.orders.get(cmd.order_id)
        if order is None:
            return _reject(cmd.order_id, "unknown_order")
        if (cmd.new_quantity is None) == (cmd.by is None):
            return _reject(cmd.order_id, "not_a_reduction")
        amount = as_decimal(cmd.by if cmd.new_quantity is None else cmd.new_quantity)
        if amount is None:
            return _reject(cmd.order_id, "not_a_decimal")
        amount = self.grid.quantity_lots(amount)
        if amount.__class__ is str:
            return _reject(cmd.order_id, amount)
        filled = order.orig_lots - order.lots
        new_lots = order.lots - amount if cmd.new_quantity is None else amount - filled
        if not 0 < new_lots < order.lots:
            return _reject(cmd.order_id, "not_a_reduction")
        self._now(cmd.at)
        level = (self.bids if order.is_buy else self.asks).levels[order.ticks]
        level.lots -= order.lots - new_lots
        order.orig_lots -= order.lots - new_lots
        old = order.lots
        order.lots = new_lots
        quantity_of = self.grid.quantity_of
        return [Reduced(order.order_id, quantity_of(old), quantity_of(new_lots))]

    def _replace(self, cmd: Replace) -> list[Event]:
        """Move a resting order to a new price: it loses priority and may trade at once."""
        old = self.orders.get(cmd.order_id)
        if old is None:
            return _reject(cmd.order_id, "unknown_order")
        new_price = as_decimal(cmd.new_price)
        if new_price is None:
            return _reject(cmd.order_id, "not_a_decimal")
        ticks = self.grid.price_ticks(new_price)
        if ticks.__class__ is str:
            return _reject(cmd.order_id, ticks)
        at = self._now(cmd.at)
        self._remove(old)
        # A fresh object: the old one stays, dead, in its level's list until compaction.
        order = Order(
            old.order_id,
            old.account_id,
            old.is_buy,
            ticks,
            new_price,
            old.lots,
            old.orig_lots,
            old.tif,
            old.expires_at,
            old.at,
            old.eligibility,
            0,
        )
        events: list[Event] = [
            Replaced(order.order_id, old.price, new_price, self.grid.quantity_of(old.lots))
        ]
        if not self.auction:
            self._match(order, at, events)
        if order.lots:
            self._rest(order, events)
        return events

    def _expire(self, cmd: Expire) -> list[Event]:
        """Cancel every GTD order whose expiry is at or before ``cmd.now``, oldest first."""
        if cmd.now is None:
            return []
        now = self._now(cmd.now)
        due = [o for o in self.orders.values() if o.expires_at is not None and o.expires_at <= now]
        due.sort(key=lambda o: o.priority)
        events: list[Event] = []
        for order in due:
            self._remove(order)
            events.append(Cancelled(order.order_id, self.grid.quantity_of(order.lots), "expired"))
        return events

    def _rematch(self, cmd: Rematch) -> list[Event]:
        """Replay the crossed resting orders at ``cmd.at`` so newly eligible pairs trade."""
        if self.auction or cmd.at is None:
            return []
        at = self._now(cmd.at)
        top_bid, top_ask = self.bids.best(), self.asks.best()
        if top_bid is None or top_ask is None or top_bid.ticks < top_ask.ticks:
            return []
        # Every order that crosses anything lies at or through the other side's best price;
        # taking whole levels out keeps each rebuilt level in priority order.
        crossed = [o for lv in self.bids.iter_levels() if lv.ticks >= top_ask.ticks for o in lv]
        crossed += [o for lv in self.asks.iter_levels() if lv.ticks <= top_bid.ticks for o in lv]
        crossed.sort(key=lambda o: o.priority)
        for order in crossed:
            self._remove(order)
        events: list[Event] = []
        for order in crossed:
            order.live = True
            if order.expires_at is not None and order.expires_at <= at:
                events.append(
                    Cancelled(order.order_id, self.grid.quantity_of(order.lots), "expired")
                )
                continue
            self._match(order, at, events)
            if order.lots:
                self.orders[order.order_id] = order
                (self.bids if order.is_buy else self.asks).add(order)
        return events

    def _uncross(self, cmd: Uncross) -> list[Event]:
        """Run the call auction (call-auction mode only)."""
        if not self.auction:
            return _reject(None, "not_an_auction")
        events = self._expire(Expire(cmd.at)) if cmd.at is not None else []
        return events + auction.uncross(self, self._now(cmd.at))
