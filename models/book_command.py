"""The log of every command that changed a continuous or call-auction book."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, Quantity, UTCDateTime, one_of

BOOK_COMMAND_KINDS = ("submit", "cancel", "reduce", "replace", "amend", "expire", "rematch",
                      "uncross")


class BookCommand(Base):
    """One command as the book applied it, in the order it applied them (by `id`).

    A submit names its order (side, limit and eligibility are the order's own); a reduce
    carries the new total quantity, a replace the new price; expire, rematch and uncross
    carry only their time. Replaying them through a fresh book gives the persisted fills.
    """

    __tablename__ = "book_commands"
    __table_args__ = (
        one_of("kind", BOOK_COMMAND_KINDS),
        Index("ix_book_commands_instrument", "instrument_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    kind: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[int | None]
    price: Mapped[Decimal | None] = mapped_column(Money())
    quantity: Mapped[Decimal | None] = mapped_column(Quantity())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
