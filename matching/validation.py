"""Turn a spec's Decimal terms into integer ticks and lots, and check prices and quantities."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Final

from matching.types import BookSpec

_ZERO = Decimal(0)
# Final: a literal the compiled build folds into the code.
SMALL_LOTS: Final = 256


def as_decimal(value: object) -> Decimal | None:
    """Return value as a Decimal if it is one or an int (exact); None for floats and the rest.

    >>> as_decimal(3), as_decimal(0.1)
    (Decimal('3'), None)
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


class Grid:
    """Price and quantity grid of one instrument, with the band and floor in ticks.

    Prices become integer ticks and quantities integer lots so that matching compares ints.

    >>> g = Grid(BookSpec("X", Decimal("0.01"), Decimal("1")))
    >>> g.price_ticks(Decimal("10.25")), g.price_ticks(Decimal("10.255"))
    (1025, 'bad_tick')
    """

    __slots__ = (
        "tick", "lot", "min_ticks", "max_ticks", "floor_ticks", "_price", "_qty", "quantities"
    )

    def __init__(self, spec: BookSpec) -> None:
        self.tick = spec.tick_size
        self.lot = spec.lot_size
        if self.tick <= 0 or self.lot <= 0:
            raise ValueError("tick_size and lot_size must be positive")
        self.min_ticks: int | None = None
        self.max_ticks: int | None = None
        self.floor_ticks: int | None = None
        ref, pct = spec.reference_price, spec.band_pct
        if ref is not None and pct is not None:
            # The band edges rounded inwards onto the tick grid: a price on the grid passes
            # if and only if it lies within ref × (1 ± pct).
            self.min_ticks = int((ref * (1 - pct) / self.tick).to_integral_value(ROUND_CEILING))
            self.max_ticks = int((ref * (1 + pct) / self.tick).to_integral_value(ROUND_FLOOR))
        if spec.floor_price is not None:
            self.floor_ticks = int((spec.floor_price / self.tick).to_integral_value(ROUND_CEILING))
        # Prices and quantities repeat a lot; caching the Decimal division pays.
        self._price: dict[Decimal, int | str] = {}
        self._qty: dict[Decimal, int | str] = {}
        # The Decimal of every small lot count, indexed by lots: the hot paths turn lots back
        # into quantities for each event, and a list index is far cheaper than a multiply.
        self.quantities = [self.lot * n for n in range(SMALL_LOTS)]

    def price_ticks(self, price: Decimal) -> int | str:
        """Return the price in ticks, or a reject code."""
        try:
            cached = self._price.get(price)
        except TypeError:  # unhashable input such as a signalling NaN
            return "non_positive_price"
        if cached is not None:
            return cached
        result = self._price_ticks(price)
        if len(self._price) > 65536:
            self._price.clear()
        self._price[price] = result
        return result

    def _price_ticks(self, price: Decimal) -> int | str:
        if not isinstance(price, Decimal) or not price.is_finite():
            return "non_positive_price"
        if price <= _ZERO:
            return "non_positive_price"
        whole, rest = divmod(price, self.tick)
        if rest:
            return "bad_tick"
        ticks = int(whole)
        if self.floor_ticks is not None and ticks < self.floor_ticks:
            return "below_floor"
        low, high = self.min_ticks, self.max_ticks
        if low is not None and high is not None and not low <= ticks <= high:
            return "outside_band"
        return ticks

    def quantity_lots(self, quantity: Decimal) -> int | str:
        """Return the quantity in lots, or a reject code."""
        try:
            cached = self._qty.get(quantity)
        except TypeError:  # unhashable input such as a signalling NaN
            return "non_positive_quantity"
        if cached is not None:
            return cached
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= _ZERO:
            result: int | str = "non_positive_quantity"
        else:
            whole, rest = divmod(quantity, self.lot)
            result = "bad_lot" if rest else int(whole)
        if len(self._qty) > 65536:
            self._qty.clear()
        self._qty[quantity] = result
        return result

    def price_of(self, ticks: int) -> Decimal:
        """Return the Decimal price of a tick count."""
        return self.tick * ticks

    def quantity_of(self, lots: int) -> Decimal:
        """Return the Decimal quantity of a lot count."""
        return self.quantities[lots] if 0 <= lots < SMALL_LOTS else self.lot * lots


REJECT_MESSAGES = {
    "not_a_decimal": "price and quantity must be Decimal (or int), never float",
    "bad_side": "side must be buy or sell",
    "bad_tif": "time in force must be GTC, GTD, IOC or FOK",
    "non_positive_quantity": "quantity must be positive",
    "non_positive_price": "price must be positive",
    "bad_tick": "price is not a multiple of the tick size",
    "bad_lot": "quantity is not a multiple of the lot size",
    "below_floor": "price is below the floor price",
    "outside_band": "price is outside the band around the reference price",
    "bad_expiry": "GTD needs expires_at; other time-in-force values take none",
    "expired_on_arrival": "expires_at is not after the order's time",
    "bad_eligibility": "a buy takes BuyerEligibility, a sell LotEligibility",
    "tif_not_allowed": "IOC and FOK cannot wait for a call auction",
    "duplicate_order_id": "an order with this id is already open",
    "unknown_order": "no open order with this id",
    "not_a_reduction": "the new quantity must be below the open quantity and above zero",
    "not_an_auction": "this book is not in call auction mode",
    "below_filled": "the new quantity must be above the quantity already filled",
    "no_change": "an amendment must change the price or the quantity",
}
