"""Pledges (质押): quantity of a lot securing a loan, registered by a regulator.

pending (the owner asked) → registered (the quantity moved available → the lot's `pledged`
bucket, a ledger move, so it cannot be sold, listed, moved, retired or surrendered) →
released (back to available) or enforced (to a new child lot of the lender's account).
A pending pledge a regulator refuses is rejected; nothing moved.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import Account
from models.base import Base, Money, Quantity, UTCDateTime, one_of, utcnow
from models.lot import Lot

PLEDGE_STATUSES = ("pending", "registered", "released", "enforced", "rejected")


class Pledge(Base):
    """A lot's quantity pledged to a named lender for a loan of `amount` under `reference`."""

    __tablename__ = "pledges"
    __table_args__ = (
        one_of("status", PLEDGE_STATUSES),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    pledgee_name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    reference: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    requested_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # On enforcement: the lender's trading account and the child lot it received.
    lender_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    child_lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))

    lot: Mapped[Lot] = relationship(foreign_keys=[lot_id], back_populates="pledges",
                                    lazy="joined")
    child_lot: Mapped[Lot | None] = relationship(foreign_keys=[child_lot_id])
    lender: Mapped[Account | None] = relationship()
