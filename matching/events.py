"""Events the engine emits; the service layer persists them in order."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from typing import Any

from matching.types import Side, TimeInForce


def _fast_init(cls: type) -> type:
    """Give a frozen slotted dataclass an __init__ that writes its slots directly.

    A frozen dataclass's own __init__ goes through object.__setattr__ once per field, which
    costs more than the rest of handling a passive order. Writing through the slot
    descriptors is about twice as fast; the class stays a frozen dataclass (setattr raises,
    fields(), eq, hash, repr and replace() are unchanged).
    """
    names = [f.name for f in fields(cls)]
    scope = {f"_set_{n}": getattr(cls, n).__set__ for n in names}
    params = []
    for f in fields(cls):
        if f.default is MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{n}(self, {n})\n" for n in names)
    namespace: dict = {}
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", scope, namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__name__}.__init__"
    init.__doc__ = f"Create a {cls.__name__} event."
    cls.__init__ = init  # type: ignore[misc]
    return cls


@_fast_init
@dataclass(frozen=True, slots=True)
class Accepted:
    """A submitted order passed validation."""

    order_id: Hashable
    account_id: Hashable
    side: Side
    price: Decimal
    quantity: Decimal
    tif: TimeInForce


@_fast_init
@dataclass(frozen=True, slots=True)
class Rested:
    """An order (or its remainder) now rests in the book with this priority number."""

    order_id: Hashable
    side: Side
    price: Decimal
    remaining: Decimal
    priority: int


@_fast_init
@dataclass(frozen=True, slots=True)
class Filled:
    """A trade between a resting (maker) and an incoming (taker) order."""

    maker_order_id: Hashable
    taker_order_id: Hashable
    maker_account_id: Hashable
    taker_account_id: Hashable
    buy_order_id: Hashable
    sell_order_id: Hashable
    price: Decimal
    quantity: Decimal
    maker_remaining: Decimal
    taker_remaining: Decimal
    sequence: int
    # The resting order's side and limit: the level a market-data feed takes the fill from
    # (in a call auction the trade price is the clearing price, not the maker's limit).
    maker_side: Side
    maker_price: Decimal


@_fast_init
@dataclass(frozen=True, slots=True)
class Cancelled:
    """Open quantity removed from the order's side and price: reason is one of CANCEL_REASONS."""

    order_id: Hashable
    remaining_cancelled: Decimal
    reason: str
    side: Side
    price: Decimal


CANCEL_REASONS = frozenset(
    {"cancelled", "ioc_remainder", "fok_unfillable", "expired", "self_trade_prevented"}
)


@_fast_init
@dataclass(frozen=True, slots=True)
class Rejected:
    """A command was refused; nothing changed. code is one of REJECT_CODES."""

    order_id: Hashable
    code: str
    message: str


REJECT_CODES = frozenset(
    {
        "not_a_decimal",
        "bad_side",
        "bad_tif",
        "non_positive_quantity",
        "non_positive_price",
        "bad_tick",
        "bad_lot",
        "below_floor",
        "outside_band",
        "bad_expiry",
        "expired_on_arrival",
        "bad_eligibility",
        "tif_not_allowed",
        "duplicate_order_id",
        "unknown_order",
        "not_a_reduction",
        "not_an_auction",
        "below_filled",
        "no_change",
    }
)


@_fast_init
@dataclass(frozen=True, slots=True)
class Reduced:
    """An order's open quantity went down at its side and price; its priority is unchanged."""

    order_id: Hashable
    old_remaining: Decimal
    new_remaining: Decimal
    side: Side
    price: Decimal


@_fast_init
@dataclass(frozen=True, slots=True)
class Replaced:
    """An order moved price; it is now a new arrival for priority and may trade at once."""

    order_id: Hashable
    old_price: Decimal
    new_price: Decimal
    remaining: Decimal
    side: Side


@_fast_init
@dataclass(frozen=True, slots=True)
class Amended:
    """An order's price or total quantity changed: its new state, and whether it kept priority.

    A decrease at the same price keeps time priority (nothing follows). A price change or a
    quantity increase makes it a new arrival: fills may follow, then a ``Rested`` with its new
    priority number if anything is left. ``remaining`` is the open quantity before any fill.
    """

    order_id: Hashable
    side: Side
    price: Decimal
    quantity: Decimal
    remaining: Decimal
    old_price: Decimal
    old_remaining: Decimal
    kept_priority: bool


@_fast_init
@dataclass(frozen=True, slots=True)
class Uncrossed:
    """A call auction ran; price is None when nothing crossed."""

    instrument: str
    price: Decimal | None
    volume: Decimal
    surplus: Decimal
    at: Any = None


Event = (
    Accepted | Rested | Filled | Cancelled | Rejected | Reduced | Replaced | Amended | Uncrossed
)
