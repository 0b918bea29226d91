"""Events the engine emits; the service layer persists them in order.

Each event is a frozen slotted dataclass with a hand-written ``__init__`` (``init=False``).
Compiled (mypyc, see ``setup.py``) that ``__init__`` writes the fields natively, about ten
times cheaper than a dataclass's generated one; interpreted, the frozen ``__setattr__`` would
refuse it, so ``_interpreted_init`` swaps in one that writes the slots directly. Either way
the classes are frozen dataclasses: setattr raises, ``fields()``, eq, hash, repr and
``replace()`` work as usual.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from types import FunctionType
from typing import Any

from matching.types import Side, TimeInForce


@dataclass(frozen=True, slots=True, init=False)
class Accepted:
    """A submitted order passed validation."""

    order_id: Hashable
    account_id: Hashable
    side: Side
    price: Decimal
    quantity: Decimal
    tif: TimeInForce

    def __init__(
        self,
        order_id: Hashable,
        account_id: Hashable,
        side: Side,
        price: Decimal,
        quantity: Decimal,
        tif: TimeInForce,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.account_id = account_id  # type: ignore[misc]
        self.side = side  # type: ignore[misc]
        self.price = price  # type: ignore[misc]
        self.quantity = quantity  # type: ignore[misc]
        self.tif = tif  # type: ignore[misc]


@dataclass(frozen=True, slots=True, init=False)
class Rested:
    """An order (or its remainder) now rests in the book with this priority number."""

    order_id: Hashable
    side: Side
    price: Decimal
    remaining: Decimal
    priority: int

    def __init__(
        self,
        order_id: Hashable,
        side: Side,
        price: Decimal,
        remaining: Decimal,
        priority: int,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.side = side  # type: ignore[misc]
        self.price = price  # type: ignore[misc]
        self.remaining = remaining  # type: ignore[misc]
        self.priority = priority  # type: ignore[misc]


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(
        self,
        maker_order_id: Hashable,
        taker_order_id: Hashable,
        maker_account_id: Hashable,
        taker_account_id: Hashable,
        buy_order_id: Hashable,
        sell_order_id: Hashable,
        price: Decimal,
        quantity: Decimal,
        maker_remaining: Decimal,
        taker_remaining: Decimal,
        sequence: int,
        maker_side: Side,
        maker_price: Decimal,
    ) -> None:
        self.maker_order_id = maker_order_id  # type: ignore[misc]
        self.taker_order_id = taker_order_id  # type: ignore[misc]
        self.maker_account_id = maker_account_id  # type: ignore[misc]
        self.taker_account_id = taker_account_id  # type: ignore[misc]
        self.buy_order_id = buy_order_id  # type: ignore[misc]
        self.sell_order_id = sell_order_id  # type: ignore[misc]
        self.price = price  # type: ignore[misc]
        self.quantity = quantity  # type: ignore[misc]
        self.maker_remaining = maker_remaining  # type: ignore[misc]
        self.taker_remaining = taker_remaining  # type: ignore[misc]
        self.sequence = sequence  # type: ignore[misc]
        self.maker_side = maker_side  # type: ignore[misc]
        self.maker_price = maker_price  # type: ignore[misc]


@dataclass(frozen=True, slots=True, init=False)
class Cancelled:
    """Open quantity removed from the order's side and price: reason is one of CANCEL_REASONS."""

    order_id: Hashable
    remaining_cancelled: Decimal
    reason: str
    side: Side
    price: Decimal

    def __init__(
        self,
        order_id: Hashable,
        remaining_cancelled: Decimal,
        reason: str,
        side: Side,
        price: Decimal,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.remaining_cancelled = remaining_cancelled  # type: ignore[misc]
        self.reason = reason  # type: ignore[misc]
        self.side = side  # type: ignore[misc]
        self.price = price  # type: ignore[misc]


CANCEL_REASONS = frozenset(
    {"cancelled", "ioc_remainder", "fok_unfillable", "expired", "self_trade_prevented"}
)


@dataclass(frozen=True, slots=True, init=False)
class Rejected:
    """A command was refused; nothing changed. code is one of REJECT_CODES."""

    order_id: Hashable
    code: str
    message: str

    def __init__(
        self,
        order_id: Hashable,
        code: str,
        message: str,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.code = code  # type: ignore[misc]
        self.message = message  # type: ignore[misc]


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


@dataclass(frozen=True, slots=True, init=False)
class Reduced:
    """An order's open quantity went down at its side and price; its priority is unchanged."""

    order_id: Hashable
    old_remaining: Decimal
    new_remaining: Decimal
    side: Side
    price: Decimal

    def __init__(
        self,
        order_id: Hashable,
        old_remaining: Decimal,
        new_remaining: Decimal,
        side: Side,
        price: Decimal,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.old_remaining = old_remaining  # type: ignore[misc]
        self.new_remaining = new_remaining  # type: ignore[misc]
        self.side = side  # type: ignore[misc]
        self.price = price  # type: ignore[misc]


@dataclass(frozen=True, slots=True, init=False)
class Replaced:
    """An order moved price; it is now a new arrival for priority and may trade at once."""

    order_id: Hashable
    old_price: Decimal
    new_price: Decimal
    remaining: Decimal
    side: Side

    def __init__(
        self,
        order_id: Hashable,
        old_price: Decimal,
        new_price: Decimal,
        remaining: Decimal,
        side: Side,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.old_price = old_price  # type: ignore[misc]
        self.new_price = new_price  # type: ignore[misc]
        self.remaining = remaining  # type: ignore[misc]
        self.side = side  # type: ignore[misc]


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(
        self,
        order_id: Hashable,
        side: Side,
        price: Decimal,
        quantity: Decimal,
        remaining: Decimal,
        old_price: Decimal,
        old_remaining: Decimal,
        kept_priority: bool,
    ) -> None:
        self.order_id = order_id  # type: ignore[misc]
        self.side = side  # type: ignore[misc]
        self.price = price  # type: ignore[misc]
        self.quantity = quantity  # type: ignore[misc]
        self.remaining = remaining  # type: ignore[misc]
        self.old_price = old_price  # type: ignore[misc]
        self.old_remaining = old_remaining  # type: ignore[misc]
        self.kept_priority = kept_priority  # type: ignore[misc]


@dataclass(frozen=True, slots=True, init=False)
class Uncrossed:
    """A call auction ran; price is None when nothing crossed."""

    instrument: str
    price: Decimal | None
    volume: Decimal
    surplus: Decimal
    at: Any = None

    def __init__(
        self,
        instrument: str,
        price: Decimal | None,
        volume: Decimal,
        surplus: Decimal,
        at: Any = None,
    ) -> None:
        self.instrument = instrument  # type: ignore[misc]
        self.price = price  # type: ignore[misc]
        self.volume = volume  # type: ignore[misc]
        self.surplus = surplus  # type: ignore[misc]
        self.at = at  # type: ignore[misc]


Event = (
    Accepted | Rested | Filled | Cancelled | Rejected | Reduced | Replaced | Amended | Uncrossed
)


def _interpreted_init(cls: type) -> None:
    """Interpreted only: give the class an __init__ that writes its slots directly.

    A frozen dataclass's own __init__ goes through object.__setattr__ once per field, which
    costs more than the rest of handling a passive order; writing through the slot
    descriptors is about twice as fast. A compiled class's __init__ is native: left alone.
    """
    if not isinstance(cls.__dict__["__init__"], FunctionType):
        return
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
    setattr(cls, "__init__", init)  # noqa: B010


for _event_class in (Accepted, Rested, Filled, Cancelled, Rejected, Reduced, Replaced, Amended,
                     Uncrossed):
    _interpreted_init(_event_class)
