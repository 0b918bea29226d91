"""Bearer tokens for the API (only their SHA-256 digest is stored) and failed logins."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import User
from models.base import Base, UTCDateTime, utcnow


class ApiToken(Base):
    """An API token: expires at a fixed time and can be revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """One failed login, counted against its address and user name while its window lasts.

    Kept in the database every worker shares, so the limit holds across workers and hosts;
    rows older than the longest window are pruned as new failures arrive.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(140))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
