"""Trading accounts and the people who act for them."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, UTCDateTime, one_of, utcnow
from models.district import District

USER_ROLES = ("trader", "regulator", "admin")
# Not a CHECK constraint (the schema alone guards it): adding one needs a migration.
ACCOUNT_KINDS = ("bureau", "town", "company", "development_zone", "government")


class Account(Base):
    """A trading party in one district, with CNY balances guarded against going negative."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("cash_available >= 0", name="cash_available_not_negative"),
        CheckConstraint("cash_held >= 0", name="cash_held_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="bureau")
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    cash_available: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    cash_held: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    frozen: Mapped[bool] = mapped_column(default=False)
    frozen_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    district: Mapped[District] = relationship(lazy="joined")


class User(Base):
    """A person who logs in: a trader acting for an account, a regulator or an admin."""

    __tablename__ = "users"
    __table_args__ = (
        one_of("role", USER_ROLES),
        CheckConstraint("role <> 'trader' OR account_id IS NOT NULL", name="trader_has_account"),
        CheckConstraint("role = 'regulator' OR district_id IS NULL",
                        name="only_regulators_have_a_jurisdiction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    display_name: Mapped[str | None] = mapped_column(String(128))
    # A regulator's jurisdiction: the district whose subtree it oversees (None: national).
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every page session's id: raising it ends all sessions made before, which a
    # signed session cookie alone cannot do (logout, deactivation, a new password).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    account: Mapped[Account | None] = relationship(lazy="joined")
    district: Mapped[District | None] = relationship(lazy="joined")

    # flask-login's protocol, kept here so the model needs no Flask import.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"
