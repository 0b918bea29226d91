"""The registry: serial-numbered indicator lots, their quantity buckets and retirements."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import Account
from models.base import Base, Quantity, UTCDateTime, one_of, utcnow
from models.district import District
from models.instrument import Instrument

LOT_STATUSES = ("pending", "active", "rejected", "frozen", "revoked")
# Where a lot came from: an accepted project, or a regulator's allocation (下达/奖励).
LOT_SOURCES = ("project", "allocation")


class Lot(Base):
    """A registered quantity of one instrument from one accepted source project.

    Quantity lives in four buckets: available (free to list or retire), encumbered (listed or
    in settlement), pledged (securing a registered loan; models/pledge.py) and retired (used
    against a project; never trades again). A pending lot has
    nothing in its buckets: quantity is issued into `available` only when a regulator verifies
    it ("先补后占": nothing unaccepted trades).
    """

    __tablename__ = "lots"
    __table_args__ = (
        one_of("status", LOT_STATUSES),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("available >= 0", name="available_not_negative"),
        CheckConstraint("encumbered >= 0", name="encumbered_not_negative"),
        CheckConstraint("retired >= 0", name="retired_not_negative"),
        CheckConstraint("pledged >= 0", name="pledged_not_negative"),
        CheckConstraint(
            "quality_grade IS NULL OR (quality_grade >= 1 AND quality_grade <= 15)",
            name="quality_grade_range",
        ),
        Index("ix_lots_search", "instrument_id", "status", "vintage_year"),
        one_of("source", LOT_SOURCES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str | None] = mapped_column(String(48), unique=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    owner_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    origin_district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    project_name: Mapped[str] = mapped_column(String(200))
    project_code: Mapped[str] = mapped_column(String(64))
    accepted_on: Mapped[date]
    vintage_year: Mapped[int]
    expires_on: Mapped[date | None]
    quality_grade: Mapped[int | None]
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    available: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    encumbered: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    retired: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    pledged: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    status_reason: Mapped[str | None] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16), default="project", server_default="project")
    # An allocation's why (a reward under seed 001 §二(六), a provincial allocation) and the
    # number of the document that decided it.
    allocation_reason: Mapped[str | None] = mapped_column(String(500))
    document_number: Mapped[str | None] = mapped_column(String(64))

    instrument: Mapped[Instrument] = relationship(lazy="joined")
    owner: Mapped[Account] = relationship(lazy="joined")
    origin_district: Mapped[District] = relationship(lazy="joined")
    parent: Mapped["Lot | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Lot"]] = relationship(back_populates="parent", order_by="Lot.id")
    retirements: Mapped[list["Retirement"]] = relationship(
        back_populates="lot", order_by="Retirement.id"
    )
    # Defined in models/payout.py and models/pledge.py; a child lot has its own (none).
    beneficiaries: Mapped[list["Beneficiary"]] = relationship(  # noqa: F821
        back_populates="lot", order_by="Beneficiary.position")
    pledges: Mapped[list["Pledge"]] = relationship(  # noqa: F821
        back_populates="lot", order_by="Pledge.id", foreign_keys="Pledge.lot_id")

    def assign_serial(self) -> str:
        """Give a flushed lot its readable serial: instrument, origin county, vintage, number.

        e.g. FO-QTY-320281-2024-000123; a town's lot carries its county's code.
        """
        county = self.origin_district.ancestor("county") or self.origin_district
        self.serial = f"{self.instrument.code}-{county.code}-{self.vintage_year}-{self.id:06d}"
        return self.serial


class Retirement(Base):
    """Quantity used up against a construction project (用地报批) or an obligation."""

    __tablename__ = "retirements"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    project_name: Mapped[str] = mapped_column(String(200))
    project_code: Mapped[str] = mapped_column(String(64))
    obligation: Mapped[str | None] = mapped_column(String(200))
    # Set when the quantity was surrendered against a regulator's obligation (限额).
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"), index=True)
    retired_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lot: Mapped[Lot] = relationship(back_populates="retirements")
