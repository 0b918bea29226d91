"""Read-only views of a book: best prices, depth, one order, the snapshot, the auction."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from matching import auction
from matching.levels import BookSide, Order
from matching.state import BookState
from matching.types import RestingOrder, Side


@dataclass(frozen=True, slots=True)
class DepthLevel:
    """One aggregated price level."""

    price: Decimal
    quantity: Decimal
    orders: int


@dataclass(frozen=True, slots=True)
class Depth:
    """Aggregated levels of both sides, best first."""

    bids: tuple[DepthLevel, ...]
    asks: tuple[DepthLevel, ...]


@dataclass(frozen=True, slots=True)
class Indicative:
    """What an uncross would do now: clearing price, executed volume, signed surplus.

    A positive surplus is unmatched demand at that price, a negative one unmatched supply.
    """

    price: Decimal
    volume: Decimal
    surplus: Decimal


class BookQueries(BookState):
    """Query methods of the book."""

    def _top(self, side: BookSide) -> tuple[Decimal, Decimal] | None:
        level = side.best()
        if level is None:
            return None
        return self.grid.price_of(level.ticks), self.grid.quantity_of(level.lots)

    def best_bid(self) -> tuple[Decimal, Decimal] | None:
        """Best bid as (price, total quantity), or None."""
        return self._top(self.bids)

    def best_ask(self) -> tuple[Decimal, Decimal] | None:
        """Best ask as (price, total quantity), or None."""
        return self._top(self.asks)

    def depth(self, levels: int | None = 10) -> Depth:
        """Aggregated price levels per side, best first, at most ``levels`` each."""

        def side_depth(side: BookSide) -> tuple[DepthLevel, ...]:
            """The first ``levels`` levels of one side."""
            out: list[DepthLevel] = []
            for level in side.iter_levels():
                if levels is not None and len(out) >= levels:
                    break
                out.append(
                    DepthLevel(
                        self.grid.price_of(level.ticks),
                        self.grid.quantity_of(level.lots),
                        level.live,
                    )
                )
            return tuple(out)

        return Depth(side_depth(self.bids), side_depth(self.asks))

    def _view(self, order: Order) -> RestingOrder:
        q = self.grid.quantity_of
        return RestingOrder(
            order.order_id,
            order.account_id,
            Side.BUY if order.is_buy else Side.SELL,
            order.price,
            q(order.orig_lots),
            q(order.lots),
            order.tif,
            order.priority,
            order.expires_at,
            order.at,
            order.eligibility,
        )

    def order(self, order_id: Hashable) -> RestingOrder | None:
        """The resting order with this id, or None."""
        order = self.orders.get(order_id)
        return None if order is None else self._view(order)

    def resting_orders(self) -> list[RestingOrder]:
        """All resting orders: bids then asks, each in price-time priority."""
        return [self._view(o) for side in (self.bids, self.asks) for o in side.iter_orders()]

    def __len__(self) -> int:
        """Number of resting orders."""
        return len(self.orders)

    def indicative(self, at: Any = None) -> Indicative | None:
        """The indicative auction price, volume and surplus now, or None if nothing crosses."""
        found = auction.clearing(self, self.last_at if at is None else at)  # type: ignore[arg-type]
        if found is None:
            return None
        q = self.grid.quantity_of
        return Indicative(self.grid.price_of(found.ticks), q(found.volume), q(found.surplus))
