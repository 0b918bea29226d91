"""Money back (经济反哺): a lot's beneficiaries, what each is owed from a sale, and payments.

A lot's owner names who the proceeds belong to (villagers, the village collective, a 乡村振兴
company) with shares summing to 1. When a sale of that lot settles, the seller's net proceeds
(amount less fee) are split into one `Payout` per beneficiary; the unpaid part of each is a
ledger book (`payout:<id>:owed`), so the seller can neither withdraw nor spend it, and each
`Disbursement` the seller records with a bank reference moves money out of it.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, Ratio, UTCDateTime, one_of, utcnow
from models.lot import Lot
from models.settlement import Settlement

# 村民, 村集体, 乡村振兴公司, anyone else the owner names.
BENEFICIARY_KINDS = ("villager", "collective", "company", "other")


class Beneficiary(Base):
    """One party a lot's proceeds belong to, with its share (0 < share ≤ 1)."""

    __tablename__ = "beneficiaries"
    __table_args__ = (
        one_of("kind", BENEFICIARY_KINDS),
        CheckConstraint("share > 0", name="share_positive"),
        Index("uq_beneficiaries_lot_name", "lot_id", "name", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    # The owner's order: it breaks rounding ties, so the split is reproducible.
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    share: Mapped[Decimal] = mapped_column(Ratio())
    named_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lot: Mapped[Lot] = relationship(back_populates="beneficiaries")


class Payout(Base):
    """What one beneficiary is owed from one completed settlement, and how much still is.

    The beneficiary's name, kind and share are copied: renaming a lot's beneficiaries later
    changes future sales, never what a past sale already owes.
    """

    __tablename__ = "payouts"
    __table_args__ = (
        one_of("beneficiary_kind", BENEFICIARY_KINDS),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("owed >= 0 AND owed <= amount", name="owed_range"),
        Index("ix_payouts_owed_since", "owed", "owed_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    seller_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    beneficiary_name: Mapped[str] = mapped_column(String(200))
    beneficiary_kind: Mapped[str] = mapped_column(String(16))
    share: Mapped[Decimal] = mapped_column(Ratio())
    amount: Mapped[Decimal] = mapped_column(Money())
    # A ledger book: the money set aside for the beneficiary and not yet paid out.
    owed: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    owed_since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    settlement: Mapped[Settlement] = relationship()
    lot: Mapped[Lot] = relationship()
    disbursements: Mapped[list["Disbursement"]] = relationship(
        back_populates="payout", order_by="Disbursement.id")

    @property
    def paid(self) -> Decimal:
        """What has been paid out to the beneficiary so far."""
        return self.amount - self.owed


class Disbursement(Base):
    """A payment the seller made to a beneficiary, with the bank's reference."""

    __tablename__ = "disbursements"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payout_id: Mapped[int] = mapped_column(ForeignKey("payouts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    reference: Mapped[str] = mapped_column(String(128))
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    payout: Mapped[Payout] = relationship(back_populates="disbursements")
