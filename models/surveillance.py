"""Market surveillance: alerts with the trades and accounts behind them, and thresholds."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import Account, User
from models.base import Base, Money, Quantity, UTCDateTime, one_of, utcnow
from models.instrument import Instrument
from models.order import Trade

# Not a CHECK constraint (detectors alone write kinds): adding one needs a migration.
ALERT_KINDS = ("guide_deviation", "vwap_deviation", "band_rejection_storm", "wash_trade",
               "cross_trade", "circular", "concentration", "cancel_fill_ratio",
               "negotiated_deviation",
               "listing_single_bidder", "listing_ceiling_rush", "listing_same_district_bidders",
               "obligation_shortfall", "payout_overdue")
# A regulator closes an open alert as reviewed (acted on) or dismissed (nothing wrong).
REVIEW_STATUSES = ("reviewed", "dismissed")
ALERT_STATUSES = ("open", *REVIEW_STATUSES)
# How urgently a regulator should look; a property of the kind, so it needs no column.
ALERT_SEVERITY = {
    "guide_deviation": "medium", "vwap_deviation": "medium", "band_rejection_storm": "medium",
    "wash_trade": "high", "cross_trade": "low", "circular": "high", "concentration": "medium",
    "cancel_fill_ratio": "low", "negotiated_deviation": "medium",
    "listing_single_bidder": "medium",
    "listing_ceiling_rush": "medium", "listing_same_district_bidders": "high",
    "obligation_shortfall": "medium",
    "payout_overdue": "medium",
}

alert_trades = Table(
    "alert_trades", Base.metadata,
    Column("alert_id", ForeignKey("alerts.id"), primary_key=True),
    Column("trade_id", ForeignKey("trades.id"), primary_key=True),
)
alert_accounts = Table(
    "alert_accounts", Base.metadata,
    Column("alert_id", ForeignKey("alerts.id"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
)


class Alert(Base):
    """Something a regulator should look at; `dedup_key` makes detection safe to repeat."""

    __tablename__ = "alerts"
    __table_args__ = (one_of("status", ALERT_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    dedup_key: Mapped[str] = mapped_column(String(128), unique=True)
    instrument_id: Mapped[int | None] = mapped_column(ForeignKey("instruments.id"))
    summary: Mapped[str] = mapped_column(String(500))
    details: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str | None] = mapped_column(Text)

    trades: Mapped[list[Trade]] = relationship(secondary=alert_trades, order_by=Trade.id)
    accounts: Mapped[list[Account]] = relationship(secondary=alert_accounts,
                                                   order_by=Account.id)
    instrument: Mapped[Instrument | None] = relationship()
    reviewed_by: Mapped[User | None] = relationship()

    @property
    def severity(self) -> str | None:
        """How urgently a regulator should look at this kind of alert."""
        return ALERT_SEVERITY.get(self.kind)


class SurveillanceSetting(Base):
    """A threshold a regulator can change (e.g. guide_deviation = 0.10 for 10 %)."""

    __tablename__ = "surveillance_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(48), unique=True)
    value: Mapped[Decimal] = mapped_column(Quantity())
    description: Mapped[str] = mapped_column(String(300))


class OrderRejection(Base):
    """An order the market refused, kept for surveillance (e.g. a price-band rejection storm).

    Written in its own transaction after the refused request rolled back: the refusal changed
    nothing in the market, but the attempt is evidence.
    """

    __tablename__ = "order_rejections"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(4))
    price: Mapped[Decimal] = mapped_column(Money())
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
