"""Continuous matching: an arriving (or re-priced) order trades against the other side.

Makers are taken by price, then time. A maker the taker may not trade with (eligibility) is
skipped and keeps its place; an expired maker is cancelled on sight; a maker of the taker's
own account is cancelled (self-trade prevention, cancel-resting mode: the newer instruction
wins, and the taker goes on matching). Trades are at the maker's price.
"""

from __future__ import annotations

from typing import Any

from matching.eligibility import can_trade
from matching.events import Cancelled, Event, Filled, Rested
from matching.levels import Order
from matching.queries import BookQueries
from matching.types import Side
from matching.validation import SMALL_LOTS

_BUY, _SELL = Side.BUY, Side.SELL


class ContinuousMatching(BookQueries):
    """Matching methods of the book."""

    def _rest(self, order: Order, events: list[Event]) -> None:
        order.priority = self._next_priority
        self._next_priority += 1
        self.orders[order.order_id] = order
        (self.bids if order.is_buy else self.asks).add(order)
        events.append(
            Rested(
                order.order_id,
                _BUY if order.is_buy else _SELL,
                order.price,
                self.grid.quantity_of(order.lots),
                order.priority,
            )
        )

    def eligible(self, buy: Order, sell: Order, at: Any) -> bool:
        """Whether this buy and this sell may trade at time ``at`` (scope, quality)."""
        buyer: Any = buy.eligibility
        lot: Any = sell.eligibility
        if buyer is None and lot is None:
            return True
        return can_trade(buyer, lot, at, self.province_allowed)

    def _available(self, taker: Order, at: Any) -> int:
        """Lots a FOK taker could get, without changing anything."""
        found = 0
        is_buy, limit = taker.is_buy, taker.ticks
        for level in (self.asks if is_buy else self.bids).iter_levels():
            if (level.ticks > limit) if is_buy else (level.ticks < limit):
                break
            for maker in level:
                if maker.expires_at is not None and at is not None and maker.expires_at <= at:
                    continue
                if maker.account_id == taker.account_id:
                    continue
                if (maker.eligibility is not None or taker.eligibility is not None) and not (
                    self.eligible(taker, maker, at) if is_buy else self.eligible(maker, taker, at)
                ):
                    continue
                found += maker.lots
                if found >= taker.lots:
                    return found
        return found

    def _match(self, taker: Order, at: Any, events: list[Event]) -> None:
        """Trade a taker against the opposite side at the makers' prices."""
        is_buy, limit = taker.is_buy, taker.ticks
        book_side = self.asks if is_buy else self.bids
        keys, levels, sign = book_side.keys, book_side.levels, book_side.sign
        orders_by_id, grid = self.orders, self.grid
        small = self.grid.quantities
        taker_id, taker_account, taker_elig = taker.order_id, taker.account_id, taker.eligibility
        maker_side = _SELL if is_buy else _BUY
        lots = taker.lots
        i = len(keys) - 1
        while lots and i >= 0:
            ticks = keys[i] * sign
            if (ticks > limit) if is_buy else (ticks < limit):
                break
            level = levels[ticks]
            # Index loop, not a slice: a deep level must not be copied for every taker.
            level_orders, j, n = level.orders, level.head, len(level.orders)
            while j < n:
                maker = level_orders[j]
                j += 1
                if not maker.live:
                    continue
                reason = None
                if maker.expires_at is not None and at is not None and maker.expires_at <= at:
                    reason = "expired"
                elif (maker.eligibility is not None or taker_elig is not None) and not (
                    self.eligible(taker, maker, at) if is_buy else self.eligible(maker, taker, at)
                ):
                    continue  # ineligible for this taker: skip it, keeping its place
                elif maker.account_id == taker_account:
                    # Self-trade prevention, cancel-resting mode: the newer intent wins.
                    reason = "self_trade_prevented"
                if reason is not None:
                    events.append(
                        Cancelled(maker.order_id, grid.quantity_of(maker.lots), reason, maker_side,
                                  maker.price)
                    )
                    maker.live = False
                    level.live -= 1
                    level.lots -= maker.lots
                    del orders_by_id[maker.order_id]
                    continue
                qty = lots if lots < maker.lots else maker.lots
                lots -= qty
                left = maker.lots = maker.lots - qty
                level.lots -= qty
                self.trade_sequence += 1
                maker_id = maker.order_id
                events.append(
                    Filled(
                        maker_id,
                        taker_id,
                        maker.account_id,
                        taker_account,
                        taker_id if is_buy else maker_id,
                        maker_id if is_buy else taker_id,
                        maker.price,
                        small[qty] if qty < SMALL_LOTS else grid.quantity_of(qty),
                        small[left] if left < SMALL_LOTS else grid.quantity_of(left),
                        small[lots] if lots < SMALL_LOTS else grid.quantity_of(lots),
                        self.trade_sequence,
                        maker_side,
                        maker.price,
                    )
                )
                if not left:
                    maker.live = False
                    level.live -= 1
                    del orders_by_id[maker_id]
                if not lots:
                    break
            if level.live:
                level.trim()
            else:
                del levels[ticks]
                del keys[i]
            i -= 1
        taker.lots = lots
