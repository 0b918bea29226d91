"""The ledger: journal moves, reservations, trading arithmetic and the invariants.

Everything here is a part of some other use case: it writes inside the caller's
transaction and never commits.
"""

from market.services.ledger.amounts import ZERO, deposit_for, fee_for, hold_for, trade_amount
from market.services.ledger.balances import (
    BalancesMovedMeanwhile,
    deferring,
    many_moved,
    read_now,
    take_deferred,
)
from market.services.ledger.invariants import check_all as check_invariants
from market.services.ledger.journal import (
    BANK,
    FEES,
    ISSUANCE,
    REVOKED,
    Book,
    InsufficientBalance,
    Move,
    cash,
    escrow,
    lot,
    owed,
    post,
    system,
)
from market.services.ledger.reservations import (
    encumber,
    hold_cash,
    release_cash,
    release_encumbered,
)

__all__ = [
    "BANK", "BalancesMovedMeanwhile", "Book", "FEES", "ISSUANCE", "InsufficientBalance", "Move",
    "REVOKED", "ZERO", "cash", "check_invariants", "deferring", "deposit_for",
    "encumber", "escrow", "fee_for", "hold_cash", "hold_for", "lot", "many_moved", "owed",
    "post", "read_now", "release_cash", "release_encumbered", "system", "take_deferred",
    "trade_amount",
]
