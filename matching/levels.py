"""Internal order and price-level structures of one book side (not public API)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterator
from decimal import Decimal
from typing import Any

from matching.types import Eligibility, TimeInForce


class Order:
    """A live order inside the engine: integer ticks and lots, mutable remaining."""

    __slots__ = (
        "order_id",
        "account_id",
        "is_buy",
        "ticks",
        "price",
        "lots",
        "orig_lots",
        "tif",
        "expires_at",
        "at",
        "eligibility",
        "priority",
        "live",
    )

    def __init__(
        self,
        order_id: Hashable,
        account_id: Hashable,
        is_buy: bool,
        ticks: int,
        price: Decimal,
        lots: int,
        orig_lots: int,
        tif: TimeInForce,
        expires_at: Any,
        at: Any,
        eligibility: Eligibility | None,
        priority: int,
    ) -> None:
        self.order_id = order_id
        self.account_id = account_id
        self.is_buy = is_buy
        self.ticks = ticks
        self.price = price
        self.lots = lots
        self.orig_lots = orig_lots
        self.tif = tif
        self.expires_at = expires_at
        self.at = at
        self.eligibility = eligibility
        self.priority = priority
        self.live = True


class Level:
    """Orders at one price in arrival order.

    Removal is lazy: a dead order stays in the list until it reaches the head or the list
    is compacted, so cancel is O(1) and orders skipped as ineligible keep their place.
    """

    __slots__ = ("ticks", "orders", "head", "live", "lots")

    def __init__(self, ticks: int) -> None:
        self.ticks = ticks
        self.orders: list[Order] = []
        self.head = 0
        self.live = 0
        self.lots = 0

    def trim(self) -> None:
        """Drop dead orders at the head; compact when dead orders dominate."""
        orders, head = self.orders, self.head
        n = len(orders)
        while head < n and not orders[head].live:
            head += 1
        if head > 64 and head * 2 > n:
            del orders[:head]
            head = 0
        elif n - head > 2 * self.live + 64:
            self.orders = [o for o in orders[head:] if o.live]
            head = 0
        self.head = head

    def __iter__(self) -> Iterator[Order]:
        """Live orders in time priority."""
        return (o for o in self.orders[self.head :] if o.live)


class BookSide:
    """One side of the book: levels keyed by ticks, plus a sorted key list, best last.

    Keys are ticks for bids and -ticks for asks so that the best price is always at the
    end of the list, where insertions near the touch and removal of the best are cheap.
    """

    __slots__ = ("is_buy", "levels", "keys", "sign")

    def __init__(self, is_buy: bool) -> None:
        self.is_buy = is_buy
        self.levels: dict[int, Level] = {}
        self.keys: list[int] = []
        self.sign = 1 if is_buy else -1

    def add(self, order: Order) -> None:
        """Append an order at the back of its price level."""
        level = self.levels.get(order.ticks)
        if level is None:
            level = Level(order.ticks)
            self.levels[order.ticks] = level
            key = order.ticks * self.sign
            keys = self.keys
            if not keys or key > keys[-1]:
                keys.append(key)
            else:
                keys.insert(bisect_left(keys, key), key)
        level.orders.append(order)
        level.live += 1
        level.lots += order.lots

    def kill(self, order: Order) -> None:
        """Mark an order dead and drop its level when it empties."""
        order.live = False
        level = self.levels[order.ticks]
        level.live -= 1
        level.lots -= order.lots
        if level.live == 0:
            self.drop(level)
        else:
            level.trim()

    def drop(self, level: Level) -> None:
        """Remove an empty level."""
        del self.levels[level.ticks]
        key = level.ticks * self.sign
        keys = self.keys
        if keys[-1] == key:
            keys.pop()
        else:
            del keys[bisect_left(keys, key)]

    def best(self) -> Level | None:
        """The level at the best price, or None."""
        keys = self.keys
        return self.levels[keys[-1] * self.sign] if keys else None

    def iter_levels(self) -> Iterator[Level]:
        """Levels from best to worst (a snapshot: safe against removal while iterating)."""
        sign, levels = self.sign, self.levels
        for key in reversed(list(self.keys)):
            level = levels.get(key * sign)
            if level is not None:
                yield level

    def iter_orders(self) -> Iterator[Order]:
        """Live orders in price-time priority."""
        for level in self.iter_levels():
            yield from level
