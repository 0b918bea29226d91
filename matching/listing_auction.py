"""Listing auctions (挂牌竞价) and procurements (指标收购, reverse auctions), as pure rules.

One `Auction` class serves both directions: a listing's buyers bid the price UP from the start
price by at least the increment, up to an optional ceiling; a procurement's sellers offer it
DOWN from the start price by at least the decrement, never below the floor. Commands go in
through `Auction.apply`, a list of frozen events comes out; nothing here reads a clock (every
time comes in a command) or draws a random number (the lottery's seed comes in `Close`).

Rules in one place:

- a registrant's deposit is held at registration (`DepositHeld`); only approved registrants
  bid, and only while bidding is open: `opens_at <= at < closes_at`;
- UP: the first bid is at least the start, each later one at least best + increment, none
  above the ceiling; a bid at the ceiling accepts it, and once the ceiling is reached the only
  bids left are other registrants' acceptances. DOWN: the first offer is at most the start,
  each later one at most best − decrement, none below the floor; an offer at the floor is
  always allowed (once per seller), so several sellers may stand at the floor;
- every price is on the instrument's tick grid, inside its band and above its floor;
- a bid in the last `extension` before the close moves the close to `extension` after the bid;
  the close only ever moves later;
- at the close, UP: the highest bid wins; if several accepted the ceiling, `draw` picks one of
  them from the revealed seed. DOWN: the lowest offer wins, the earliest breaks ties. UP's
  winner's deposit goes to escrow (it becomes the settlement's paid-in deposit); every other
  deposit is released. DOWN's winning seller delivers from quantity already set aside, so every
  seller's deposit is released. No bid: the auction fails and every deposit is released;
- deposits held always equal deposits released plus deposits escrowed once it is over.

The lottery anyone can re-check: the seed's SHA-256 (`commitment`) is published before any
bid; after the close the seed itself is published, and the winner is
``acceptors[int(sha256(seed + ":" + ",".join(acceptors)), 16) % len(acceptors)]`` with the
acceptors (their ids as text) in the order they accepted.

>>> commitment("s3cret")[:16]
'1ec1c26b50d5d3c5'
>>> draw("s3cret", ["11", "12", "13"])
'12'
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from matching.types import BookSpec
from matching.validation import Grid


class Direction(StrEnum):
    """Which way the price moves: a listing's bids go up, a procurement's offers go down."""

    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Terms:
    """What an auction announces. Times are any comparable values (datetimes in the app)."""

    direction: Direction
    start_price: Decimal
    step: Decimal
    registration_until: Any
    opens_at: Any
    closes_at: Any
    # How long a late bid extends the close; None or a zero duration: never extended.
    extension: Any = None
    # UP: the ceiling (optional); DOWN: the floor (required).
    limit_price: Decimal | None = None
    # The instrument's tick, band and floor, which every price must meet.
    spec: BookSpec | None = None


# --- commands ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Register:
    """A bidder registers and its deposit is held; `approved` under open qualification."""

    bidder: Hashable
    deposit: Decimal
    at: Any
    approved: bool = True


@dataclass(frozen=True, slots=True)
class Approve:
    """A regulator approves a pending registrant."""

    bidder: Hashable


@dataclass(frozen=True, slots=True)
class Reject:
    """A regulator rejects a pending registrant; its deposit is released at once."""

    bidder: Hashable


@dataclass(frozen=True, slots=True)
class Bid:
    """A bid (UP) or an offer (DOWN) at `price`, made at `at`."""

    bidder: Hashable
    price: Decimal
    at: Any


@dataclass(frozen=True, slots=True)
class Close:
    """Close the auction at `at` (no earlier than its close); `seed` decides a lottery."""

    at: Any
    seed: str | None = None


@dataclass(frozen=True, slots=True)
class Cancel:
    """A regulator cancels the auction before it closes; every deposit is released."""

    at: Any


Command = Register | Approve | Reject | Bid | Close | Cancel


# --- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registered:
    """A registrant's deposit is held; approved or pending review."""

    bidder: Hashable
    deposit: Decimal
    approved: bool


@dataclass(frozen=True, slots=True)
class Approved:
    """A pending registrant may now bid."""

    bidder: Hashable


@dataclass(frozen=True, slots=True)
class BidAccepted:
    """A valid bid; `sequence` orders the bids; `at_limit` when it is at the ceiling/floor."""

    bidder: Hashable
    price: Decimal
    at: Any
    sequence: int
    at_limit: bool


@dataclass(frozen=True, slots=True)
class Extended:
    """A late bid moved the close later."""

    previous: Any
    closes_at: Any


@dataclass(frozen=True, slots=True)
class DepositReleased:
    """A deposit goes back to its registrant (rejected, lost, not needed, cancelled)."""

    bidder: Hashable
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DepositEscrowed:
    """The winner's deposit becomes the settlement's paid-in deposit."""

    bidder: Hashable
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Awarded:
    """The auction closed with a winner; `lottery` names the acceptors when one was drawn."""

    bidder: Hashable
    price: Decimal
    bids: int
    lottery: tuple[str, ...] | None = None
    seed: str | None = None


@dataclass(frozen=True, slots=True)
class Failed:
    """The auction closed without a valid bid."""

    at: Any


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The auction was cancelled."""

    at: Any


@dataclass(frozen=True, slots=True)
class Refused:
    """A command was refused; nothing changed. `code` is one of REFUSALS."""

    bidder: Hashable | None
    code: str


Event = (Registered | Approved | BidAccepted | Extended | DepositReleased | DepositEscrowed
         | Awarded | Failed | Cancelled | Refused)

REFUSALS = frozenset({
    "auction_over", "registration_closed", "already_registered", "not_registered",
    "not_pending", "not_approved", "not_open_yet", "bidding_closed", "bad_tick", "outside_band",
    "below_floor", "non_positive_price", "below_start", "above_start", "increment_too_small",
    "decrement_too_small", "above_ceiling", "below_floor_price", "ceiling_reached",
    "already_accepted", "not_due", "no_seed", "too_late_to_cancel",
})


# --- the lottery ------------------------------------------------------------------------


def commitment(seed: str) -> str:
    """The SHA-256 (hex) of a seed: published before the draw, checked against it after."""
    return hashlib.sha256(seed.encode()).hexdigest()


def draw(seed: str, acceptors: Sequence[str]) -> str:
    """The lottery's winner: a function of the seed and the ordered acceptors alone."""
    if not acceptors:
        raise ValueError("a lottery needs at least one acceptor")
    text = seed + ":" + ",".join(acceptors)
    return acceptors[int(hashlib.sha256(text.encode()).hexdigest(), 16) % len(acceptors)]


# --- the auction ------------------------------------------------------------------------


@dataclass
class Registrant:
    """A registrant's deposit, whether it may bid, and whether its deposit went back."""

    deposit: Decimal
    approved: bool
    released: bool = False


@dataclass
class Auction:
    """One auction's state: registrants, accepted bids, the (extended) close, the outcome."""

    terms: Terms
    registrants: dict[Hashable, Registrant] = field(default_factory=dict)
    bids: list[BidAccepted] = field(default_factory=list)
    closes_at: Any = None
    state: str = "open"  # open, closed, failed, cancelled

    def __post_init__(self) -> None:
        if self.closes_at is None:
            self.closes_at = self.terms.closes_at
        self._grid = Grid(self.terms.spec) if self.terms.spec is not None else None

    @property
    def up(self) -> bool:
        """Whether bids go up (a listing)."""
        return self.terms.direction is Direction.UP

    @property
    def best(self) -> BidAccepted | None:
        """The leading bid: highest (UP) or lowest, the earliest at that price (DOWN)."""
        if not self.bids:
            return None
        if self.up:
            return max(self.bids, key=lambda bid: (bid.price, -bid.sequence))
        return min(self.bids, key=lambda bid: (bid.price, bid.sequence))

    def limit_reached(self) -> bool:
        """Whether the leading bid stands at the ceiling (UP) or the floor (DOWN)."""
        best = self.best
        return best is not None and best.at_limit

    def acceptors(self) -> list[Hashable]:
        """Who bid at the limit, in the order they did."""
        return [bid.bidder for bid in self.bids if bid.at_limit]

    def apply(self, command: Command) -> list[Event]:
        """Apply one command; a refusal is a `Refused` event and changes nothing."""
        if self.state != "open":
            return [Refused(getattr(command, "bidder", None), "auction_over")]
        handler = {Register: self._register, Approve: self._approve, Reject: self._reject,
                   Bid: self._bid, Close: self._close, Cancel: self._cancel}[type(command)]
        return handler(command)

    def _register(self, command: Register) -> list[Event]:
        if command.at >= self.terms.registration_until:
            return [Refused(command.bidder, "registration_closed")]
        if command.bidder in self.registrants:
            return [Refused(command.bidder, "already_registered")]
        self.registrants[command.bidder] = Registrant(command.deposit, command.approved)
        return [Registered(command.bidder, command.deposit, command.approved)]

    def _approve(self, command: Approve) -> list[Event]:
        registrant = self.registrants.get(command.bidder)
        if registrant is None or registrant.approved or registrant.released:
            return [Refused(command.bidder, "not_pending")]
        registrant.approved = True
        return [Approved(command.bidder)]

    def _reject(self, command: Reject) -> list[Event]:
        registrant = self.registrants.get(command.bidder)
        if registrant is None or registrant.approved or registrant.released:
            return [Refused(command.bidder, "not_pending")]
        registrant.released = True
        return [DepositReleased(command.bidder, registrant.deposit)]

    def _bid(self, command: Bid) -> list[Event]:
        code = self._refusal(command)
        if code is not None:
            return [Refused(command.bidder, code)]
        limit = self.terms.limit_price
        bid = BidAccepted(command.bidder, command.price, command.at, len(self.bids) + 1,
                          at_limit=limit is not None and command.price == limit)
        self.bids.append(bid)
        events: list[Event] = [bid]
        extension = self.terms.extension
        if extension and command.at >= self.closes_at - extension:
            later = command.at + extension
            if later > self.closes_at:
                events.append(Extended(self.closes_at, later))
                self.closes_at = later
        return events

    def _refusal(self, command: Bid) -> str | None:
        registrant = self.registrants.get(command.bidder)
        if registrant is None or registrant.released:
            return "not_registered"
        if not registrant.approved:
            return "not_approved"
        if command.at < self.terms.opens_at:
            return "not_open_yet"
        if command.at >= self.closes_at:
            return "bidding_closed"
        price = command.price
        if self._grid is not None:
            ticks = self._grid.price_ticks(price)
            if isinstance(ticks, str):
                return ticks
        elif price <= 0:
            return "non_positive_price"
        return self._beats_best(command.bidder, price)

    def _beats_best(self, bidder: Hashable, price: Decimal) -> str | None:
        terms, best, limit = self.terms, self.best, self.terms.limit_price
        at_limit = limit is not None and price == limit
        if self.up:
            if limit is not None and price > limit:
                return "above_ceiling"
            if self.limit_reached():
                if not at_limit:
                    return "ceiling_reached"
                return "already_accepted" if bidder in self.acceptors() else None
            if best is None:
                return "below_start" if price < terms.start_price else None
            if at_limit and price > best.price:
                return None
            return "increment_too_small" if price < best.price + terms.step else None
        if limit is not None and price < limit:
            return "below_floor_price"
        if at_limit and bidder in self.acceptors():
            return "already_accepted"
        if best is None:
            return "above_start" if price > terms.start_price else None
        if at_limit:
            return None
        return "decrement_too_small" if price > best.price - terms.step else None

    def _close(self, command: Close) -> list[Event]:
        if command.at < self.closes_at:
            return [Refused(None, "not_due")]
        best = self.best
        if best is None:
            self.state = "failed"
            return [Failed(command.at), *self._release_all()]
        winner, lottery = best.bidder, None
        acceptors = [str(bidder) for bidder in self.acceptors()]
        if self.up and len(acceptors) > 1:
            if command.seed is None:
                return [Refused(None, "no_seed")]
            lottery = tuple(acceptors)
            chosen = draw(command.seed, lottery)
            winner = next(b for b in self.acceptors() if str(b) == chosen)
        self.state = "closed"
        events: list[Event] = [Awarded(winner, best.price, len(self.bids), lottery,
                                       command.seed if lottery else None)]
        if self.up:
            registrant = self.registrants[winner]
            registrant.released = True
            events.append(DepositEscrowed(winner, registrant.deposit))
        return events + self._release_all()

    def _cancel(self, command: Cancel) -> list[Event]:
        if command.at >= self.closes_at:
            return [Refused(None, "too_late_to_cancel")]
        self.state = "cancelled"
        return [Cancelled(command.at), *self._release_all()]

    def _release_all(self) -> list[Event]:
        events: list[Event] = []
        for bidder, registrant in self.registrants.items():
            if not registrant.released:
                registrant.released = True
                events.append(DepositReleased(bidder, registrant.deposit))
        return events


def phase(terms: Terms, state: str, closes_at: Any, at: Any) -> str:
    """What a person sees: announced, bidding, or the outcome once closed.

    An auction past its close that the job has not closed yet still reads `bidding`; no bid
    is taken then (`bidding_closed`).
    """
    if state != "open":
        return state
    return "announced" if at < terms.opens_at else "bidding"
