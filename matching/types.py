"""Value types of the matching core: enums, the book specification, eligibility and commands."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Side(StrEnum):
    """Which side of the book an order is on."""

    BUY = "buy"
    SELL = "sell"


class TimeInForce(StrEnum):
    """How long an order may live: until cancelled, until a time, or only at arrival."""

    GTC = "GTC"
    GTD = "GTD"
    IOC = "IOC"
    FOK = "FOK"


class Mode(StrEnum):
    """Continuous price-time matching, or a call auction that only matches on uncross."""

    CONTINUOUS = "continuous"
    CALL_AUCTION = "call_auction"


@dataclass(frozen=True, slots=True)
class BookSpec:
    """The trading terms of one instrument that the engine enforces."""

    instrument: str
    tick_size: Decimal
    lot_size: Decimal
    reference_price: Decimal | None = None
    band_pct: Decimal | None = None
    floor_price: Decimal | None = None
    mode: Mode = Mode.CONTINUOUS
    # The instrument's own rule; a lot must also opt in (LotEligibility.province_wide).
    province_wide_allowed: bool = False


@dataclass(frozen=True, slots=True)
class BuyerEligibility:
    """What a buy order brings to the eligibility check: the buyer's district chain."""

    county: str | None = None
    city: str | None = None
    province: str | None = None
    # 占优补优: a buyer may demand a lot of grade no worse (numerically no higher) than this.
    max_quality_grade: int | None = None


@dataclass(frozen=True, slots=True)
class LotEligibility:
    """What a sell order brings: the lot's origin, quality grade and scope windows."""

    county: str | None = None
    city: str | None = None
    province: str | None = None
    quality_grade: int | None = None
    # Local-first window: only buyers of the same county while at < local_until.
    local_until: Any = None
    # Then city-wide while at < city_until.
    city_until: Any = None
    # After the windows: province-wide if this and BookSpec.province_wide_allowed, else city.
    province_wide: bool = False


Eligibility = BuyerEligibility | LotEligibility


@dataclass(frozen=True, slots=True)
class Submit:
    """Place a new limit order."""

    order_id: Hashable
    account_id: Hashable
    side: Side
    price: Decimal
    quantity: Decimal
    tif: TimeInForce = TimeInForce.GTC
    expires_at: Any = None
    at: Any = None
    eligibility: Eligibility | None = None


@dataclass(frozen=True, slots=True)
class Cancel:
    """Cancel the open quantity of a resting order."""

    order_id: Hashable
    at: Any = None


@dataclass(frozen=True, slots=True)
class Reduce:
    """Lower an order's quantity, keeping its time priority.

    Give either ``new_quantity`` (the new total quantity, filled part included, FIX-style)
    or ``by`` (the amount to take off the open quantity).
    """

    order_id: Hashable
    new_quantity: Decimal | None = None
    by: Decimal | None = None
    at: Any = None


@dataclass(frozen=True, slots=True)
class Replace:
    """Move an order to a new price; it loses time priority and may trade at once."""

    order_id: Hashable
    new_price: Decimal
    at: Any = None


@dataclass(frozen=True, slots=True)
class Amend:
    """Change an order's price, its total quantity (filled part included, FIX-style) or both.

    The standard rule: a decrease at the same price keeps time priority; an increase or a new
    price loses it (cancel and reinsert), and a new price may trade at once.
    """

    order_id: Hashable
    new_quantity: Decimal | None = None
    new_price: Decimal | None = None
    at: Any = None


@dataclass(frozen=True, slots=True)
class Expire:
    """Expire every GTD order whose expiry is at or before ``now``."""

    now: Any


@dataclass(frozen=True, slots=True)
class Rematch:
    """Let crossed resting orders trade if they have become eligible (a scope window ended).

    Continuous mode only. The crossed orders are replayed in their priority order as if they
    arrived at ``at``, keeping their priority numbers: the older order of a pair is the maker.
    """

    at: Any


@dataclass(frozen=True, slots=True)
class Uncross:
    """Run the call auction: one clearing price, fills by price-time priority."""

    at: Any = None


Command = Submit | Cancel | Reduce | Replace | Amend | Expire | Rematch | Uncross


@dataclass(frozen=True, slots=True)
class RestingOrder:
    """A resting order as the book holds it; enough to persist it and rebuild the book."""

    order_id: Hashable
    account_id: Hashable
    side: Side
    price: Decimal
    quantity: Decimal
    remaining: Decimal
    tif: TimeInForce
    priority: int
    expires_at: Any = None
    at: Any = None
    eligibility: Eligibility | None = None

    @property
    def filled(self) -> Decimal:
        """Quantity already traded."""
        return self.quantity - self.remaining
