"""Call auction: pick one clearing price, then fill at it by price-time priority.

Price determination follows the Xetra / Euronext auction rules (Deutsche Börse, "Xetra
Market Model: Auction price determination"; Euronext Rule Book 4401/2, Trading Manual
"Determination of the auction price"), applied to every limit price in the crossing range:

1. the price with the highest executable volume;
2. among those, the lowest surplus (|demand − supply| at that price);
3. among those, market pressure: if every candidate has surplus on the buy side, the
   highest price; if every candidate has it on the sell side, the lowest price;
4. otherwise the candidate nearest the reference price (SZSE 交易规则 3.5.2 likewise takes the
   price "距前收盘价最近"); with no reference price, nearest the middle of the candidates;
   an exact tie goes to the higher price.

Unlike Xetra, the reference price itself is never a candidate: the clearing price is always
one of the submitted limits, so it is on the tick grid and inside the band.

Eligibility and self-trade prevention: when any order in the crossing range carries an
eligibility constraint, or one account has orders on both sides, the volume at each candidate
is the most the eligible pairs can trade there (a maximum flow, ``matching.allocation``; a pair
from the same account is never eligible), and the fills at the clearing price are the
maximum allocation that best keeps price-time priority. The surplus stays the raw demand −
supply, which is what the market pressure rule reads. This path costs a max-flow per
candidate price and is meant for the small constrained books of this market; unconstrained
books use cumulative sums and one linear greedy pass, which is then already maximal.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from matching.allocation import adjacency, best_allocation, max_volume
from matching.eligibility import can_trade
from matching.events import Event, Filled, Uncrossed
from matching.levels import BookSide, Order
from matching.types import BookSpec, Eligibility, Side
from matching.validation import Grid


class OrderBook(Protocol):
    """What an uncross reads and changes of a book (``matching.book.OrderBook`` has it)."""

    spec: BookSpec
    grid: Grid
    bids: BookSide
    asks: BookSide
    orders: dict
    trade_sequence: int
    province_allowed: bool

@dataclass(frozen=True, slots=True)
class Clearing:
    """An auction outcome in integer ticks and lots; surplus > 0 means unmatched demand.

    ``adjacency`` is None for an unconstrained book, else the eligible sells of each buy.
    """

    ticks: int
    volume: int
    surplus: int
    buys: list[Order]
    sells: list[Order]
    adjacency: list[list[int]] | None


def allocate(buys: list[Order], sells: list[Order], adj: list[list[int]] | None) -> list[tuple]:
    """The fills at one price: greedy when unconstrained, else the best maximum allocation."""
    if adj is not None:
        return best_allocation(buys, sells, adj)
    left = [s.lots for s in sells]
    pairs = []
    start, n = 0, len(sells)
    for buy in buys:
        need = buy.lots
        k = start
        while need and k < n:
            if left[k]:
                qty = need if need < left[k] else left[k]
                need -= qty
                left[k] -= qty
                pairs.append((buy, sells[k], qty))
            k += 1
        while start < n and not left[start]:
            start += 1
        if start == n:
            break
    return pairs


def _choose(candidates: list[tuple[int, int, int]], reference: Decimal | None) -> tuple | None:
    """Apply rules 1–4 to (ticks, volume, surplus) candidates."""
    best_volume = max(c[1] for c in candidates)
    if best_volume <= 0:
        return None
    top = [c for c in candidates if c[1] == best_volume]
    least = min(abs(c[2]) for c in top)
    top = [c for c in top if abs(c[2]) == least]
    if len(top) == 1:
        return top[0]
    if all(c[2] > 0 for c in top):
        return max(top)
    if all(c[2] < 0 for c in top):
        return min(top)
    if reference is None:
        reference = Decimal(top[0][0] + top[-1][0]) / 2
    return min(top, key=lambda c: (abs(c[0] - reference), -c[0]))


def clearing(book: OrderBook, at: Any) -> Clearing | None:
    """Find the clearing price, volume and surplus of the book's current orders."""
    bid_levels = list(book.bids.iter_levels())
    ask_levels = list(book.asks.iter_levels())
    if not bid_levels or not ask_levels or bid_levels[0].ticks < ask_levels[0].ticks:
        return None
    low, high = ask_levels[0].ticks, bid_levels[0].ticks
    bid_levels = [lv for lv in bid_levels if lv.ticks >= low]
    ask_levels = [lv for lv in ask_levels if lv.ticks <= high]
    buys = [o for lv in bid_levels for o in lv]
    sells = [o for lv in ask_levels for o in lv]
    prices = sorted({lv.ticks for lv in bid_levels} | {lv.ticks for lv in ask_levels})
    # Cumulative demand (bids at or above p) and supply (asks at or below p).
    demand, acc, k = {}, 0, 0
    for p in reversed(prices):
        while k < len(bid_levels) and bid_levels[k].ticks >= p:
            acc += bid_levels[k].lots
            k += 1
        demand[p] = acc
    supply, acc, k = {}, 0, 0
    for p in prices:
        while k < len(ask_levels) and ask_levels[k].ticks <= p:
            acc += ask_levels[k].lots
            k += 1
        supply[p] = acc
    constrained = any(o.eligibility is not None for o in buys) or any(
        o.eligibility is not None for o in sells
    )
    constrained = constrained or not {o.account_id for o in buys}.isdisjoint(
        o.account_id for o in sells
    )
    adj: list[list[int]] | None = None
    if constrained:
        province = book.province_allowed

        def may_trade(buyer: Eligibility | None, lot: Eligibility | None) -> bool:
            """Whether the buyer may take this lot at the uncross time."""
            return (buyer is None and lot is None) or can_trade(
                buyer, lot, at, province  # type: ignore[arg-type]
            )

        adj = adjacency(buys, sells, may_trade)

    candidates = []
    for p in prices:
        if adj is not None:
            # The buys at or above p and the sells at or below p are prefixes (priority order).
            nb, ns = _prefixes(buys, sells, p)
            volume = max_volume(buys[:nb], sells[:ns], _trim(adj, nb, ns))
        else:
            volume = min(demand[p], supply[p])
        candidates.append((p, volume, demand[p] - supply[p]))
    ref = book.spec.reference_price
    chosen = _choose(candidates, None if ref is None else ref / book.grid.tick)
    if chosen is None:
        return None
    p = chosen[0]
    nb, ns = _prefixes(buys, sells, p)
    return Clearing(
        p, chosen[1], chosen[2], buys[:nb], sells[:ns], None if adj is None else _trim(adj, nb, ns)
    )


def _prefixes(buys: list[Order], sells: list[Order], p: int) -> tuple[int, int]:
    nb = bisect_left([-b.ticks for b in buys], -p + 1)
    ns = bisect_left([s.ticks for s in sells], p + 1)
    return nb, ns


def _trim(adj: list[list[int]], nb: int, ns: int) -> list[list[int]]:
    return [row[: bisect_left(row, ns)] for row in adj[:nb]]


def uncross(book: OrderBook, at: Any) -> list[Event]:
    """Execute the auction at its clearing price; unfilled orders stay for the next call."""
    found = clearing(book, at)
    instrument, quantity_of = book.spec.instrument, book.grid.quantity_of
    if found is None:
        return [Uncrossed(instrument, None, Decimal(0), Decimal(0), at)]
    price = book.grid.price_of(found.ticks)
    pairs = allocate(found.buys, found.sells, found.adjacency)
    events: list[Event] = [
        Uncrossed(
            instrument,
            price,
            quantity_of(sum(q for _, _, q in pairs)),
            quantity_of(found.surplus),
            at,
        )
    ]
    bids, asks = book.bids, book.asks
    for buy, sell, qty in pairs:
        buy.lots -= qty
        sell.lots -= qty
        bids.levels[buy.ticks].lots -= qty
        asks.levels[sell.ticks].lots -= qty
        # No order arrived "against" the book in a call: the older order counts as maker.
        maker, taker = (buy, sell) if buy.priority < sell.priority else (sell, buy)
        book.trade_sequence += 1
        events.append(
            Filled(
                maker.order_id,
                taker.order_id,
                maker.account_id,
                taker.account_id,
                buy.order_id,
                sell.order_id,
                price,
                quantity_of(qty),
                quantity_of(maker.lots),
                quantity_of(taker.lots),
                book.trade_sequence,
                Side.BUY if maker is buy else Side.SELL,
                maker.price,
            )
        )
        if not buy.lots:
            bids.kill(buy)
            del book.orders[buy.order_id]
        if not sell.lots:
            asks.kill(sell)
            del book.orders[sell.order_id]
    return events
