"""The append-only, hash-chained audit log of every state change made by a person."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """One audited act. `digest` = HMAC-SHA256 over the previous digest and this row."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text)
    prev_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    # The request (X-Request-ID) or scheduler run that made the change, to find its log lines.
    # Not covered by the digest: the chain's content is fixed, and rows from before 0009 have
    # none. It is a pointer into the logs, not a statement the log vouches for.
    request_id: Mapped[str | None] = mapped_column(String(64), index=True)


class AuditCheckpoint(Base):
    """The chain's head at one moment: a later chain must still hold this row, unchanged."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
