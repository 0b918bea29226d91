"""The double-entry journal: every movement of cash or indicator quantity."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Quantity, UTCDateTime, utcnow

CASH_ASSET = "CNY"


class JournalTransaction(Base):
    """One balanced movement: its entries sum to zero per asset."""

    __tablename__ = "journal_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    memo: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(128))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entries: Mapped[list["JournalEntry"]] = relationship(
        back_populates="transaction", order_by="JournalEntry.id"
    )


class JournalEntry(Base):
    """One leg of a transaction: a signed change to one book in one asset.

    A book is named `account:<id>:available|held`,
    `lot:<id>:available|encumbered|pledged|retired`, `settlement:<id>:escrow`,
    `payout:<id>:owed` or `system:<name>` (the bank, issuance, revocation, fees).
    Positive means the book grew.
    """

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("journal_transactions.id"), index=True)
    asset: Mapped[str] = mapped_column(String(16))
    book: Mapped[str] = mapped_column(String(64), index=True)
    amount: Mapped[Decimal] = mapped_column(Quantity())

    transaction: Mapped[JournalTransaction] = relationship(back_populates="entries")
