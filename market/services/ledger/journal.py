"""The double-entry ledger: the only way cash or indicator quantity moves.

A `Move` takes an amount of one asset from one book to another. `post` writes the journal
transaction and applies the same change to the balance columns in one go, inside the caller's
database transaction, so the journal and the balances cannot drift apart. Decrements are
conditional (`WHERE balance >= amount`); the CHECK constraints stay as the last line of defence.
The order writer sums its batch's moves per row and applies them at the end (`balances`).
"""

from dataclasses import dataclass
from decimal import Decimal

from market.errors import DomainError
from market.extensions import db
from market.services import row_ids
from market.services.ledger import balances
from models import Account, JournalEntry, JournalTransaction, Lot, Payout, Settlement, User
from models.base import utcnow
from models.ledger import CASH_ASSET

# Which column holds each guarded book's balance.
_COLUMNS = {
    (Account, "available"): Account.cash_available,
    (Account, "held"): Account.cash_held,
    (Lot, "available"): Lot.available,
    (Lot, "encumbered"): Lot.encumbered,
    (Lot, "retired"): Lot.retired,
    (Lot, "pledged"): Lot.pledged,
    (Settlement, "escrow"): Settlement.escrowed,
    (Payout, "owed"): Payout.owed,
}


@dataclass(frozen=True)
class Book:
    """A place a balance lives: an account's cash bucket, a lot's bucket, or a system book."""

    name: str
    model: type | None = None
    row_id: int | None = None
    bucket: str | None = None

    def column(self):
        """The balance column of a guarded book; None for system books."""
        return _COLUMNS.get((self.model, self.bucket))


def cash(account_id: int, bucket: str) -> Book:
    """An account's CNY bucket: available or held."""
    return Book(f"account:{account_id}:{bucket}", Account, account_id, bucket)


def lot(lot_id: int, bucket: str) -> Book:
    """A lot's quantity bucket: available, encumbered, pledged or retired."""
    return Book(f"lot:{lot_id}:{bucket}", Lot, lot_id, bucket)


def escrow(settlement_id: int) -> Book:
    """The cash a settlement holds: the buyer's deposit and payments until it closes."""
    return Book(f"settlement:{settlement_id}:escrow", Settlement, settlement_id, "escrow")


def owed(payout_id: int) -> Book:
    """The cash a seller has set aside for one beneficiary and not yet paid out."""
    return Book(f"payout:{payout_id}:owed", Payout, payout_id, "owed")


def system(name: str) -> Book:
    """A book outside any account: bank, issuance, revoked, fees. It may go negative."""
    return Book(f"system:{name}")


BANK = system("bank")
ISSUANCE = system("issuance")
REVOKED = system("revoked")
FEES = system("fees")


@dataclass(frozen=True)
class Move:
    """`amount` of `asset` leaves `source` and arrives in `target`."""

    asset: str
    source: Book
    target: Book
    amount: Decimal


class InsufficientBalance(DomainError):
    """A guarded book does not hold enough for the move."""

    def __init__(self, book: Book, asset: str, amount: Decimal):
        code = "insufficient_funds" if asset == CASH_ASSET else "insufficient_quantity"
        super().__init__(code, f"{book.name} holds less than {amount} {asset}")


def _apply(book: Book, delta: Decimal, asset: str) -> None:
    column = book.column()
    if column is None:
        return
    new_row = row_ids.pending_row(book.model, book.row_id)
    if new_row is not None:  # not inserted yet: it goes in with the balance already moved
        balance = getattr(new_row, column.key) + delta
        if balance < 0:
            raise InsufficientBalance(book, asset, -delta)
        setattr(new_row, column.key, balance)
        return
    if not balances.move(book.model, book.row_id, {column: delta}):
        raise InsufficientBalance(book, asset, -delta)


def _apply_within_row(move: Move) -> None:
    """A move between two buckets of one row (held → available, say) in one UPDATE."""
    source, target = move.source.column(), move.target.column()
    if not balances.move(move.source.model, move.source.row_id,
                         {source: -move.amount, target: move.amount}):
        raise InsufficientBalance(move.source, move.asset, move.amount)


def _within_one_row(move: Move) -> bool:
    return (move.source.model is not None and move.source.model is move.target.model
            and move.source.row_id == move.target.row_id
            and move.source.column() is not None and move.target.column() is not None)


def post(kind: str, memo: str, moves: list[Move], actor: User | None = None,
         reference: str | None = None) -> None:
    """Write one balanced journal transaction and apply it to the balances."""
    if not moves:
        raise ValueError("a journal transaction needs at least one move")
    legs = []
    for move in moves:
        if move.amount <= 0:
            raise ValueError(f"a move must be positive, got {move.amount}")
        if _within_one_row(move):
            _apply_within_row(move)  # a reservation: one statement, not two
        else:
            _apply(move.source, -move.amount, move.asset)
            _apply(move.target, move.amount, move.asset)
        legs.append((move.asset, move.source.name, -move.amount))
        legs.append((move.asset, move.target.name, move.amount))
    values = {"kind": kind, "memo": memo[:500], "reference": reference,
              "actor_user_id": actor.id if actor else None}
    if row_ids.drawing():
        # The order writer posts hundreds a batch and reads none of them back: plain rows,
        # inserted with the batch's others in one statement per table.
        values["created_at"] = utcnow()
        transaction_id = row_ids.insert_later(JournalTransaction, values)
        for asset, book, amount in legs:
            row_ids.insert_later(JournalEntry, {"transaction_id": transaction_id,
                                                "asset": asset, "book": book, "amount": amount})
        return
    # Entries given at construction: appending to a new object's collection would first
    # lazy-load it, one wasted query per posting. The flush happens with the caller's next.
    db.session.add(JournalTransaction(**values, entries=[
        JournalEntry(asset=asset, book=book, amount=amount) for asset, book, amount in legs]))
