"""An order's life in the book: the command handlers behind ``OrderBook.apply``.

``Submit`` validates a new order, matches it (continuous mode) and rests what is left; the
other commands act on resting orders. These are private: commands go in through ``apply``.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any, Final

from matching import auction
from matching.amendments import Amendments
from matching.events import (
    Accepted,
    Cancelled,
    Event,
    Rejected,
    Rested,
)
from matching.levels import Order
from matching.types import (
    BuyerEligibility,
    Cancel,
    Expire,
    LotEligibility,
    Rematch,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)
from matching.validation import REJECT_MESSAGES, SMALL_LOTS, as_decimal

# Final: a compiled build keeps these in C statics rather than the module's dictionary.
_GTC: Final = TimeInForce.GTC
_GTD: Final = TimeInForce.GTD
_IOC: Final = TimeInForce.IOC
_FOK: Final = TimeInForce.FOK
_TIFS: Final = frozenset(TimeInForce)
_BUY: Final = Side.BUY
_SELL: Final = Side.SELL
_SIDES: Final = frozenset(Side)
_DECIMAL: Final = Decimal


def _reject(order_id: Hashable, code: str) -> list[Event]:
    return [Rejected(order_id, code, REJECT_MESSAGES[code])]


class OrderLifecycle(Amendments):
    """Command handlers of the book."""

    def _submit(self, cmd: Submit) -> list[Event]:
        """Validate a new order, match it (continuous mode) and rest what is left."""
        # This is the hot path: cache lookups and identity checks are inlined on purpose.
        # The fields are read untyped: a caller may pass a float, a plain str side or a bad
        # time in force, which must become a Rejected (a compiled build would raise TypeError
        # on a typed read).
        raw: Any = cmd
        oid, grid = raw.order_id, self.grid
        quantity: Any = raw.quantity
        price: Any = raw.price
        if type(price) is not _DECIMAL or type(quantity) is not _DECIMAL:
            # Floats (or anything else) never enter: they would also hit the Decimal caches.
            price, quantity = as_decimal(price), as_decimal(quantity)
            if price is None or quantity is None:
                return _reject(oid, "not_a_decimal")
        try:
            lots_or_code = grid._qty.get(quantity) or grid.quantity_lots(quantity)
            ticks_or_code = grid._price.get(price) or grid.price_ticks(price)
        except TypeError:  # unhashable input such as a signalling NaN
            lots_or_code, ticks_or_code = grid.quantity_lots(quantity), grid.price_ticks(price)
        if isinstance(lots_or_code, str):
            return _reject(oid, lots_or_code)
        if isinstance(ticks_or_code, str):
            return _reject(oid, ticks_or_code)
        lots: int = lots_or_code
        ticks: int = ticks_or_code
        side: Any = raw.side
        tif: Any = raw.tif
        elig: Any = raw.eligibility
        if side is _BUY:
            is_buy = True
        elif side is _SELL:
            is_buy = False
        elif side in _SIDES:
            is_buy = side == _BUY
            side = _BUY if is_buy else _SELL
        else:
            return _reject(oid, "bad_side")
        if tif is not _GTC and tif is not _GTD and tif is not _IOC and tif is not _FOK:
            if tif not in _TIFS:
                return _reject(oid, "bad_tif")
            tif = TimeInForce(tif)
        expires_at = raw.expires_at
        if (tif is _GTD) != (expires_at is not None):
            return _reject(oid, "bad_expiry")
        at = self.last_at if raw.at is None else raw.at
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
        account = raw.account_id
        accepted = Accepted(oid, account, side, price, quantity, tif)
        if not auction:
            keys = (self.asks if is_buy else self.bids).keys
            # Only walk the other side when its best price crosses this order's limit.
            if keys and ((-keys[-1] <= ticks) if is_buy else (keys[-1] >= ticks)):
                return self._take(cmd, accepted, is_buy, ticks, lots, tif, at)
            if tif is _FOK:
                return [accepted, Cancelled(oid, quantity, "fok_unfillable", side, price)]
        if tif is _IOC:
            return [accepted, Cancelled(oid, quantity, "ioc_remainder", side, price)]
        # A passive order (most of them): rest it without a match, BookSide.add inlined.
        order = Order(oid, account, is_buy, ticks, price, lots, lots, tif, expires_at, at, elig, 0)
        priority = order.priority = self._next_priority
        self._next_priority = priority + 1
        orders[oid] = order
        book_side = self.bids if is_buy else self.asks
        level = book_side.levels.get(ticks)
        if level is None:
            book_side.add(order)
        else:
            level.orders.append(order)
            level.live += 1
            level.lots += lots
        return [accepted, Rested(oid, side, price, quantity, priority)]

    def _take(self, cmd: Submit, accepted: Accepted, is_buy: bool, ticks: int, lots: int,
              tif: TimeInForce, at: Any) -> list[Event]:
        """Match an order that crosses the book, then rest or cancel what is left."""
        # The accepted price and quantity are the validated Decimals (an int becomes one).
        oid, price, quantity, side = cmd.order_id, accepted.price, accepted.quantity, accepted.side
        order = Order(oid, cmd.account_id, is_buy, ticks, price, lots, lots, tif, cmd.expires_at,
                      at, cmd.eligibility, 0)
        events: list[Event] = [accepted]
        if tif is _FOK and self._available(order, at) < lots:
            events.append(Cancelled(oid, quantity, "fok_unfillable", side, price))
            return events
        self._match(order, at, events)
        left = order.lots
        if left:
            remaining = quantity if left == lots else self.grid.quantity_of(left)
            if tif is _IOC or tif is _FOK:
                events.append(Cancelled(oid, remaining, "ioc_remainder", side, price))
                return events
            priority = order.priority = self._next_priority
            self._next_priority = priority + 1
            self.orders[oid] = order
            (self.bids if is_buy else self.asks).add(order)
            events.append(Rested(oid, side, price, remaining, priority))
        return events

    def _cancel(self, cmd: Cancel) -> list[Event]:
        """Cancel a resting order's open quantity."""
        # Hot path (most orders end in a cancel): BookSide.kill and _now are inlined.
        oid = cmd.order_id
        order = self.orders.pop(oid, None)
        if order is None:
            return _reject(oid, "unknown_order")
        if cmd.at is not None:
            self.last_at = cmd.at
        lots = order.lots
        order.live = False
        is_buy = order.is_buy
        book_side = self.bids if is_buy else self.asks
        level = book_side.levels[order.ticks]
        level.lots -= lots
        level.live -= 1
        if level.live == 0:
            book_side.drop(level)
        elif level.orders[level.head] is order:
            level.trim()  # only a dead head needs trimming; others wait for compaction
        elif len(level.orders) - level.head > 2 * level.live + 64:
            level.trim()
        quantities = self.grid.quantities
        return [
            Cancelled(
                oid,
                quantities[lots] if lots < SMALL_LOTS else self.grid.quantity_of(lots),
                "cancelled",
                _BUY if is_buy else _SELL,
                order.price,
            )
        ]

    def _cancelled(self, order: Order, reason: str) -> Cancelled:
        return Cancelled(
            order.order_id,
            self.grid.quantity_of(order.lots),
            reason,
            _BUY if order.is_buy else _SELL,
            order.price,
        )

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
            events.append(self._cancelled(order, "expired"))
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
                events.append(self._cancelled(order, "expired"))
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
