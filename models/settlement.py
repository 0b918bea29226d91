"""Settlements: each trade's payment and delivery, and the payments made against them."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, Quantity, UTCDateTime, one_of, utcnow
from models.lot import Lot
from models.order import Trade

SETTLEMENT_STATUSES = ("pending_payment", "completed", "defaulted", "cancelled")
# Cash from the buyer's account, or a bank transfer a regulator confirms.
PAYMENT_METHODS = ("cash", "bank")


class Settlement(Base):
    """Turns one trade into payment and transfer, exactly once.

    `escrowed` is the cash held for this settlement (the buyer's deposit plus payments so far);
    it is a ledger book like any balance, and empties when the settlement closes.
    """

    __tablename__ = "settlements"
    __table_args__ = (
        one_of("status", SETTLEMENT_STATUSES),
        CheckConstraint("escrowed >= 0", name="escrowed_not_negative"),
        CheckConstraint("amount > 0 AND deposit >= 0 AND fee >= 0", name="amounts"),
        Index("ix_settlements_status_due", "status", "due_at"),
        # The monitor's closed buckets: a recent window, and the latest of each status.
        Index("ix_settlements_status_closed", "status", "closed_at"),
        # A seller's proceeds received in a month (the trader's home page).
        Index("ix_settlements_seller_closed", "seller_account_id", "status", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), unique=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    buyer_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    seller_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    amount: Mapped[Decimal] = mapped_column(Money())
    deposit: Mapped[Decimal] = mapped_column(Money())
    fee: Mapped[Decimal] = mapped_column(Money())
    escrowed: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(16), default="pending_payment")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[str | None] = mapped_column(Text)
    child_lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)

    trade: Mapped[Trade] = relationship(lazy="joined")
    lot: Mapped[Lot] = relationship(foreign_keys=[lot_id], lazy="joined")
    child_lot: Mapped[Lot | None] = relationship(foreign_keys=[child_lot_id])
    payments: Mapped[list["SettlementPayment"]] = relationship(
        back_populates="settlement", order_by="SettlementPayment.id"
    )

    @property
    def paid(self) -> Decimal:
        """The buyer's deposit plus every payment made toward this settlement."""
        return self.deposit + sum((p.amount for p in self.payments), Decimal("0"))

    @property
    def amount_due(self) -> Decimal:
        """What the buyer still owes (zero once closed)."""
        return self.amount - self.escrowed if self.status == "pending_payment" else Decimal("0")


class SettlementPayment(Base):
    """A payment toward a settlement: from the buyer's cash, or a bank transfer confirmed."""

    __tablename__ = "settlement_payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        one_of("method", PAYMENT_METHODS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    method: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str | None] = mapped_column(String(128))
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    settlement: Mapped[Settlement] = relationship(back_populates="payments")


class AuctionRun(Base):
    """One scheduled call-auction uncross; the unique slot makes the job safe to run twice."""

    __tablename__ = "auction_runs"
    __table_args__ = (
        Index("uq_auction_runs_slot", "instrument_id", "slot_at", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    price: Mapped[Decimal | None] = mapped_column(Money())
    volume: Mapped[Decimal] = mapped_column(Quantity())
    trades: Mapped[int] = mapped_column(default=0)
