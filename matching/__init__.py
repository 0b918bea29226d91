"""The matching engine: a pure, deterministic order book per instrument.

Commands (plain dataclasses) go in through ``OrderBook.apply``; frozen event dataclasses come
out. Prices and quantities are ``Decimal`` at the edges and integer ticks and lots inside.
Standard library only: no web framework, database or I/O.
"""

from matching.auction import Clearing
from matching.book import OrderBook
from matching.eligibility import can_trade, scope_at
from matching.events import (
    CANCEL_REASONS,
    REJECT_CODES,
    Accepted,
    Cancelled,
    Event,
    Filled,
    Reduced,
    Rejected,
    Replaced,
    Rested,
    Uncrossed,
)
from matching.queries import Depth, DepthLevel, Indicative
from matching.types import (
    BookSpec,
    BuyerEligibility,
    Cancel,
    Command,
    Eligibility,
    Expire,
    LotEligibility,
    Mode,
    Reduce,
    Rematch,
    Replace,
    RestingOrder,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)

__all__ = [
    "CANCEL_REASONS",
    "REJECT_CODES",
    "Accepted",
    "BookSpec",
    "BuyerEligibility",
    "Cancel",
    "Cancelled",
    "Clearing",
    "Command",
    "Depth",
    "DepthLevel",
    "Eligibility",
    "Event",
    "Expire",
    "Filled",
    "Indicative",
    "LotEligibility",
    "Mode",
    "OrderBook",
    "Reduce",
    "Reduced",
    "Rematch",
    "Rejected",
    "Replace",
    "Replaced",
    "Rested",
    "RestingOrder",
    "Side",
    "Submit",
    "TimeInForce",
    "Uncross",
    "Uncrossed",
    "can_trade",
    "scope_at",
]
