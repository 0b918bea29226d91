"""Negotiated transfers (协议转让): a seller's proposal to a named buyer, approved by regulators."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import Account
from models.base import Base, Money, Quantity, UTCDateTime, one_of, utcnow
from models.instrument import Instrument
from models.lot import Lot
from models.settlement import Settlement

# proposed (quantity encumbered) → accepted (the buyer's deposit held) → approved (one trade
# and its settlement); before approval it may end as withdrawn (the seller), declined (the
# buyer) or rejected (a regulator), each of which gives the quantity and deposit back.
NEGOTIATED_STATUSES = ("proposed", "accepted", "approved", "withdrawn", "declined", "rejected")
# The statuses in which a transfer still holds the seller's quantity.
NEGOTIATED_OPEN = ("proposed", "accepted")
# Whose regulators must approve: the seller's side always, the buyer's across provinces.
APPROVAL_SIDES = ("seller", "buyer")


class NegotiatedTransfer(Base):
    """A price and quantity agreed between two named accounts, off the book.

    While it is open the quantity sits encumbered on the seller's lot; once accepted the
    buyer's deposit sits in its held cash. The last required approval records the deal.
    """

    __tablename__ = "negotiated_transfers"
    __table_args__ = (
        one_of("status", NEGOTIATED_STATUSES),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("deposit >= 0", name="deposit_not_negative"),
        CheckConstraint("seller_account_id <> buyer_account_id", name="two_parties"),
        Index("ix_negotiated_transfers_status", "status", "instrument_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    seller_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    buyer_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    price: Mapped[Decimal] = mapped_column(Money())
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    amount: Mapped[Decimal] = mapped_column(Money())
    # The buyer's cash held since acceptance; it becomes the settlement's paid-in deposit.
    deposit: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    cross_province: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    proposed_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seller_approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    seller_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    buyer_approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    buyer_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[str | None] = mapped_column(Text)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"))

    instrument: Mapped[Instrument] = relationship(lazy="joined")
    lot: Mapped[Lot] = relationship(lazy="joined")
    seller: Mapped[Account] = relationship(foreign_keys=[seller_account_id], lazy="joined")
    buyer: Mapped[Account] = relationship(foreign_keys=[buyer_account_id], lazy="joined")
    settlement: Mapped[Settlement | None] = relationship()

    @property
    def required_sides(self) -> tuple[str, ...]:
        """Whose regulators must approve: the seller's, and across provinces the buyer's."""
        return APPROVAL_SIDES if self.cross_province else ("seller",)

    @property
    def approved_sides(self) -> tuple[str, ...]:
        """The sides whose approval is in."""
        return tuple(side for side in APPROVAL_SIDES
                     if getattr(self, f"{side}_approved_at") is not None)

    @property
    def awaiting_sides(self) -> tuple[str, ...]:
        """The required sides still to approve (only once the buyer has accepted)."""
        if self.status != "accepted":
            return ()
        return tuple(side for side in self.required_sides if side not in self.approved_sides)

    @property
    def trade_id(self) -> int | None:
        """The deal's trade, once approved."""
        return self.settlement.trade_id if self.settlement else None
