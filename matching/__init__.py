"""The matching engine: a pure, deterministic order book per instrument.

Commands (plain dataclasses: ``Submit``, ``Cancel``, ``Reduce``, ``Replace``, ``Expire``,
``Rematch``, ``Uncross``) go in through ``OrderBook.apply``; a list of frozen event dataclasses
(``Accepted``, ``Rested``, ``Filled``, ``Cancelled``, ``Rejected``, ``Reduced``, ``Replaced``,
``Uncrossed``) comes out. Prices and quantities are ``Decimal`` at the edges and integer ticks
and lots inside. Standard library only: no web framework, database, I/O or clock; every time
the engine compares comes from the commands, so the same commands give the same events.

Rules in one place:

- limit orders, price-time priority, trades at the resting order's price; GTC, GTD, IOC, FOK;
- a bad order is a ``Rejected`` event with a code from ``REJECT_CODES``, never an exception;
- self-trade prevention cancels the *resting* order (``Cancelled(reason=
  "self_trade_prevented")``) and the incoming order goes on matching;
- eligibility (``matching.eligibility``): a taker skips makers it may not trade with, and they
  keep their place; ``Rematch(at)`` lets crossed orders trade once a scope window has opened;
- call auctions uncross at one price chosen by the Xetra/Euronext rules (``matching.auction``).
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
