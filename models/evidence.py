"""Acceptance documents (验收材料) attached to a lot: the file lives on disk, its facts here."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, one_of, utcnow
from models.lot import Lot

EVIDENCE_TYPES = ("application/pdf", "image/jpeg", "image/png")


class LotEvidence(Base):
    """One file proving a lot's source project was accepted, named on disk by its SHA-256."""

    __tablename__ = "lot_evidence"
    __table_args__ = (
        one_of("content_type", EVIDENCE_TYPES),
        CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lot: Mapped[Lot] = relationship()
