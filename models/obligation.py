"""Obligations (限额): a quota a regulator sets on a district for a period (seed 000 §17)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Quantity, UTCDateTime, one_of, utcnow
from models.district import District
from models.instrument import INSTRUMENT_KINDS, Instrument

# open until the period has ended and the scheduler has judged it; then met or short.
OBLIGATION_STATUSES = ("open", "met", "short")


class Obligation(Base):
    """A district must surrender `quantity` of one instrument, or of any instrument of a kind,
    within [period_start, period_end] (inclusive days, Shanghai calendar).

    Surrenders are retirements that name the obligation (`Retirement.obligation_id`), so the
    surrendered quantity is never stored twice: it is the sum of those retirements.
    """

    __tablename__ = "obligations"
    __table_args__ = (
        one_of("status", OBLIGATION_STATUSES),
        one_of("kind", INSTRUMENT_KINDS),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        Index("ix_obligations_status_end", "status", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    # One instrument, or (instrument_id NULL) any instrument of `kind`.
    instrument_id: Mapped[int | None] = mapped_column(ForeignKey("instruments.id"))
    kind: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    district: Mapped[District] = relationship(lazy="joined")
    instrument: Mapped[Instrument | None] = relationship(lazy="joined")

    @property
    def target(self) -> str:
        """What must be surrendered, as the API names it: an instrument code or a kind."""
        return self.instrument.code if self.instrument is not None else self.kind
