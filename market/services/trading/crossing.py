"""Why a crossed book does not trade: the scope windows and grade limits that keep a bid
and an offer apart although their prices meet."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from market.services.trading import book_rows, engine
from matching import can_trade, scope_at
from models import Instrument, Order
from models.base import utcnow

# Enough pairs to explain a book to a person; the rest repeat the same reasons.
SHOWN = 5


@dataclass(frozen=True)
class Blocked:
    """One crossing bid and offer that may not trade, and why.

    `reason` is "grade" (the offered lot is worse than the bid's limit, or has no grade),
    "county_only" or "city_only" (the lot is still inside that window, until `until`; a
    None `until` means it never leaves the city) or "province" (it never leaves its
    province). Names, not accounts: the page shows where, never who.
    """

    bid_price: Decimal
    ask_price: Decimal
    reason: str
    until: datetime | None
    lot_place: str
    buyer_place: str
    lot_grade: int | None
    max_grade: int | None


@dataclass(frozen=True)
class Crossing:
    """Whether the book is crossed, whether any crossing pair may trade, and the blocked."""

    crossed: bool
    tradable: bool
    blocked: list[Blocked]


def _blocked(bid: Order, ask: Order, instrument: Instrument, now: datetime) -> Blocked | None:
    buyer = book_rows.buyer_eligibility(bid.account, bid.max_quality_grade)
    lot = book_rows.lot_eligibility(ask.lot, instrument)
    allowed = instrument.cross_city_allowed
    if can_trade(buyer, lot, now, allowed):
        return None
    wanted = bid.max_quality_grade
    stage = scope_at(lot, now, allowed)
    if wanted is not None and (lot.quality_grade is None or lot.quality_grade > wanted):
        reason, until = "grade", None
    elif stage == "county":
        reason, until = "county_only", lot.local_until
    elif stage == "city":
        reason, until = "city_only", lot.city_until
    else:
        reason, until = "province", None
    return Blocked(bid.price, ask.price, reason, until, _place(ask.lot.origin_district),
                   _place(bid.account.district), lot.quality_grade, wanted)


def _place(district) -> str:
    county = district.ancestor("county") or district
    return county.name


def explain_crossing(instrument: Instrument, now: datetime | None = None) -> Crossing:
    """For a crossed book (best bid ≥ best ask), which crossing pairs the eligibility
    rules keep apart (matching/eligibility.py), as the engine would judge them now."""
    now = now or utcnow()
    best = engine.crossed_prices(instrument.id)
    if best is None:
        return Crossing(False, False, [])
    best_bid, best_ask = best
    asks = book_rows.crossing_orders(instrument, "buy", best_bid)
    bids = book_rows.crossing_orders(instrument, "sell", best_ask)
    blocked, seen, tradable = [], set(), False
    for bid in sorted(bids, key=lambda order: (-order.price, order.priority or 0)):
        for ask in asks:
            if ask.price > bid.price or ask.account_id == bid.account_id:
                continue
            found = _blocked(bid, ask, instrument, now)
            if found is None:
                tradable = True
                continue
            key = (found.reason, found.lot_place, found.buyer_place, found.lot_grade,
                   found.max_grade, found.until)
            if key not in seen and len(blocked) < SHOWN:
                seen.add(key)
                blocked.append(found)
    return Crossing(True, tradable, blocked)
