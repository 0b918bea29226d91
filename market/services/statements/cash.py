"""A statement's cash: balances at the period's ends and every movement between, from the
journal itself, so the statement reconciles with the ledger by construction and by test."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import func, select

from market.extensions import db
from market.services import ledger
from models import JournalEntry, JournalTransaction
from models.ledger import CASH_ASSET

ZERO = Decimal("0.00")
_MONEY = Decimal("0.01")

# What a movement is, by its journal kind and direction (in to the account, or out).
_WORDS = {
    ("deposit", "in"): lazy_gettext("Bank deposit"),
    ("deposit", "out"): lazy_gettext("Trade deposit into settlement escrow"),
    ("withdrawal", "out"): lazy_gettext("Bank withdrawal"),
    ("payment", "out"): lazy_gettext("Settlement payment"),
    ("proceeds", "in"): lazy_gettext("Sale proceeds (after fee)"),
    ("refund", "in"): lazy_gettext("Settlement refund"),
    ("forfeit", "in"): lazy_gettext("Forfeited deposit received"),
}


@dataclass(frozen=True)
class Balances:
    """An account's cash at one instant: available, held (for orders and bids), and both."""

    available: Decimal
    held: Decimal

    @property
    def total(self) -> Decimal:
        """Available plus held: what the account owns."""
        return self.available + self.held


def _books(account_id: int) -> dict[str, str]:
    return {ledger.cash(account_id, "available").name: "available",
            ledger.cash(account_id, "held").name: "held"}


def balances_before(account_id: int, moment) -> Balances:
    """The account's cash as the journal had it just before `moment`."""
    books = _books(account_id)
    rows = db.session.execute(
        select(JournalEntry.book, func.sum(JournalEntry.amount))
        .join(JournalTransaction, JournalTransaction.id == JournalEntry.transaction_id)
        .where(JournalEntry.asset == CASH_ASSET, JournalEntry.book.in_(books),
               JournalTransaction.created_at < moment)
        .group_by(JournalEntry.book)).all()
    found = {books[book]: Decimal(total or 0).quantize(_MONEY) for book, total in rows}
    return Balances(found.get("available", ZERO), found.get("held", ZERO))


def movements(account_id: int, start, end) -> list[dict]:
    """Every journal transaction in [start, end) that changed the account's own cash.

    Holds and releases only move cash between available and held, so they net to zero and are
    left out; each line carries the running total after it.
    """
    books = _books(account_id)
    rows = db.session.execute(
        select(JournalTransaction.id, JournalTransaction.created_at, JournalTransaction.kind,
               JournalTransaction.memo, JournalTransaction.reference,
               func.sum(JournalEntry.amount))
        .join(JournalEntry, JournalEntry.transaction_id == JournalTransaction.id)
        .where(JournalEntry.asset == CASH_ASSET, JournalEntry.book.in_(books),
               JournalTransaction.created_at >= start, JournalTransaction.created_at < end)
        .group_by(JournalTransaction.id, JournalTransaction.created_at,
                  JournalTransaction.kind, JournalTransaction.memo,
                  JournalTransaction.reference)
        .order_by(JournalTransaction.created_at, JournalTransaction.id)).all()
    lines = []
    running = balances_before(account_id, start).total
    for _id, at, kind, memo, reference, amount in rows:
        amount = Decimal(amount).quantize(_MONEY)
        if amount == 0:
            continue
        running += amount
        direction = "in" if amount > 0 else "out"
        lines.append({"at": at, "kind": kind,
                      "description": str(_WORDS.get((kind, direction), kind)),
                      "memo": memo, "reference": reference,
                      "amount_in": amount if amount > 0 else None,
                      "amount_out": -amount if amount < 0 else None,
                      "amount": amount, "balance": running})
    return lines
