"""Splitting a sum of money by shares to the fen, exactly (the largest-remainder method).

Each party first gets its exact share rounded down to the fen; the fen left over (fewer than
the number of parties) go one each to the parties whose exact share lost the most in that
rounding, and between equal losses to the one named first. So the parts always add up to the
total, no part is ever more than a fen away from its exact share, and the same inputs always
give the same split.
"""

from decimal import ROUND_FLOOR, Decimal

FEN = Decimal("0.01")


def split_by_shares(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """`total` (in fen) split by `shares` (summing to 1), in the order the shares were given.

    >>> split_by_shares(Decimal("100.00"), [Decimal("0.3333"), Decimal("0.3333"),
    ...                                     Decimal("0.3334")])
    [Decimal('33.33'), Decimal('33.33'), Decimal('33.34')]
    >>> split_by_shares(Decimal("0.05"), [Decimal("0.5"), Decimal("0.5")])
    [Decimal('0.03'), Decimal('0.02')]
    """
    if sum(shares, Decimal(0)) != 1:
        raise ValueError("shares must sum to exactly 1")
    exact = [total * share for share in shares]
    parts = [value.quantize(FEN, rounding=ROUND_FLOOR) for value in exact]
    left_over = int((total - sum(parts, Decimal(0))) / FEN)
    by_loss = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_loss[:left_over]:
        parts[index] += FEN
    return parts
