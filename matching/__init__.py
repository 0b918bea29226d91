"""The matching engine: a pure, deterministic order book per instrument.

Commands (plain dataclasses: ``Submit``, ``Cancel``, ``Reduce``, ``Replace``, ``Amend``,
``Expire``, ``Rematch``, ``Uncross``) go in through ``OrderBook.apply``; a list of frozen event
dataclasses (``Accepted``, ``Rested``, ``Filled``, ``Cancelled``, ``Rejected``, ``Reduced``,
``Replaced``, ``Amended``, ``Uncrossed``) comes out. Events carry what a gateway needs without
asking the book: the side and price of a cancel, reduce or replace, the maker's side and limit
on a fill, the new state on an amend; ``matching.reports`` turns them into execution reports.
Prices and quantities are ``Decimal`` at the edges and integer ticks and lots inside.
Standard library only: no web framework, database, I/O or clock; every time the engine
compares comes from the commands, so the same commands give the same events.

Rules in one place:

- limit orders, price-time priority, trades at the resting order's price; GTC, GTD, IOC, FOK;
- amendments: a decrease at the same price keeps time priority; a new price or a larger
  quantity loses it (``Amend``; ``Reduce`` and ``Replace`` are its two classic halves);
- a bad order is a ``Rejected`` event with a code from ``REJECT_CODES``, never an exception;
- self-trade prevention cancels the *resting* order (``Cancelled(reason=
  "self_trade_prevented")``) and the incoming order goes on matching;
- eligibility (``matching.eligibility``): a taker skips makers it may not trade with, and they
  keep their place; ``Rematch(at)`` lets crossed orders trade once a scope window has opened;
- call auctions uncross at one price chosen by the Xetra/Euronext rules (``matching.auction``)
  and trade the most volume the eligible pairs allow there, in price-time priority among the
  allocations that do (``matching.allocation``).
"""

from matching.auction import Clearing
from matching.book import OrderBook
from matching.eligibility import can_trade, scope_at
from matching.events import (
    CANCEL_REASONS,
    REJECT_CODES,
    Accepted,
    Amended,
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
    Amend,
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
    "Amend",
    "Amended",
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
