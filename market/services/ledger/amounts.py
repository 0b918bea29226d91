"""Cash arithmetic of trading: deposits, trade amounts and fees, rounded to the fen.

Holds round up and per-fill deposits round down. Then the deposit of a fill plus the hold
still needed for the rest never exceeds what was held before the fill
(floor(a) + ceil(b) ≤ ceil(a + b)), so a fill can always be paid out of its order's hold.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def hold_for(deposit_ratio: Decimal, price: Decimal, quantity: Decimal) -> Decimal:
    """Cash a buy order holds for `quantity` still open at its limit `price`."""
    return (deposit_ratio * price * quantity).quantize(FEN, rounding=ROUND_CEILING)


def deposit_for(deposit_ratio: Decimal, amount: Decimal) -> Decimal:
    """The deposit a fill moves to escrow."""
    return (deposit_ratio * amount).quantize(FEN, rounding=ROUND_FLOOR)


def trade_amount(price: Decimal, quantity: Decimal) -> Decimal:
    """Price × quantity; exact in fen because tick × lot size is a whole number of fen."""
    amount = price * quantity
    if amount != amount.quantize(FEN):
        raise ValueError(f"{price} × {quantity} is not a whole number of fen")
    return amount.quantize(FEN)


def fee_for(fee_bps: int, amount: Decimal) -> Decimal:
    """The platform fee on a trade, charged to the seller, rounded half up."""
    return (amount * fee_bps / Decimal(10_000)).quantize(FEN, rounding=ROUND_HALF_UP)
