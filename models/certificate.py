"""Certificates: signed statements of an issuance, transfer, retirement, surrender or pledge."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, one_of, utcnow
from models.lot import Lot
from models.settlement import Settlement

CERTIFICATE_KINDS = ("issuance", "transfer", "retirement", "surrender", "pledge")


class Certificate(Base):
    """What the market certifies, in the words (facts) it signed when it happened.

    `facts` is canonical JSON (sorted keys, every value text) and `signature` the HMAC-SHA256
    of the code, kind, issue time and facts under CERTIFICATE_KEY, so a row changed in the
    database, or a copy with changed numbers, no longer verifies. Whether it still holds is
    read live from `lot` (revoked, frozen) and `settlement` (completed), and from `voided_at`,
    which a later act (a pledge released) sets.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        one_of("kind", CERTIFICATE_KINDS),
        Index("ix_certificates_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    # The row the certificate is about: its table and id (a lot, a settlement, a retirement…).
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    # The parties: who may download the PDF (and regulators whose jurisdiction holds one).
    holder_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    counterparty_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    facts: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    void_reason: Mapped[str | None] = mapped_column(Text)

    lot: Mapped[Lot | None] = relationship()
    settlement: Mapped[Settlement | None] = relationship()
