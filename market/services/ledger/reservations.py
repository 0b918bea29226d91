"""Reservations: cash held for a bid and lot quantity set aside for an offer or a settlement.

Both are moves between a book's free and reserved buckets, posted like any other ledger
move inside the caller's transaction; nothing here commits.
"""

from decimal import Decimal

from flask_babel import lazy_gettext

from market.errors import DomainError
from market.services.ledger import journal
from market.vocabulary import LOT_STATUS, word
from models import Lot, User
from models.ledger import CASH_ASSET


def hold_cash(account_id: int, amount: Decimal, actor: User | None, *, memo: str,
              reference: str) -> None:
    """Move `amount` of an account's available cash into held."""
    if amount > 0:
        journal.post("hold", memo,
                     [journal.Move(CASH_ASSET, journal.cash(account_id, "available"),
                                   journal.cash(account_id, "held"), amount)],
                     actor=actor, reference=reference)


def release_cash(account_id: int, amount: Decimal, actor: User | None, *, memo: str,
                 reference: str) -> None:
    """Give `amount` of an account's held cash back to available."""
    if amount > 0:
        journal.post("release", memo,
                     [journal.Move(CASH_ASSET, journal.cash(account_id, "held"),
                                   journal.cash(account_id, "available"), amount)],
                     actor=actor, reference=reference)


def encumber(lot: Lot, quantity: Decimal, actor: User | None, reason: str) -> None:
    """Set quantity aside for an order or a settlement: available → encumbered."""
    if lot.status != "active":
        raise DomainError("lot_not_active", lazy_gettext(
            "%(serial)s is %(status)s; only active lots trade", serial=lot.serial,
            status=word(LOT_STATUS, lot.status)))
    journal.post("encumber", f"encumber {quantity} of {lot.serial}: {reason}",
                 [journal.Move(lot.instrument.code, journal.lot(lot.id, "available"),
                               journal.lot(lot.id, "encumbered"), quantity)],
                 actor=actor, reference=lot.serial)


def release_encumbered(lot: Lot, quantity: Decimal, actor: User | None, reason: str) -> None:
    """Give encumbered quantity back to available (order cancelled, settlement failed)."""
    journal.post("release", f"release {quantity} of {lot.serial}: {reason}",
                 [journal.Move(lot.instrument.code, journal.lot(lot.id, "encumbered"),
                               journal.lot(lot.id, "available"), quantity)],
                 actor=actor, reference=lot.serial)
