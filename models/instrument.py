"""The catalogue of tradable indicator kinds and their trading terms."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, Quantity, Ratio, UTCDateTime, one_of, utcnow

# construction_land_scale: planned construction-land scale (建设用地规模指标, seed 002 §4(四)).
INSTRUMENT_KINDS = ("farmland_offset", "linkage_surplus", "eco_product", "construction_land_scale")
# The units a quantity may be counted in (the schemas validate against this tuple).
INSTRUMENT_UNITS = ("mu", "kg", "tCO2e")
TRADING_MODES = ("continuous", "call_auction")
INSTRUMENT_STATUSES = ("open", "halted", "closed")
# Where a defaulting buyer's forfeited deposit goes.
FORFEIT_TARGETS = ("seller", "fees")


class Instrument(Base):
    """A tradable indicator kind: unit, tick, lot size, bands and settlement terms."""

    __tablename__ = "instruments"
    __table_args__ = (
        one_of("kind", INSTRUMENT_KINDS),
        one_of("trading_mode", TRADING_MODES),
        one_of("status", INSTRUMENT_STATUSES),
        CheckConstraint("tick_size > 0", name="tick_size_positive"),
        CheckConstraint("lot_size > 0", name="lot_size_positive"),
        # Upper bounds live in the schemas: scaled SQLite storage makes decimal literals differ.
        CheckConstraint("deposit_ratio > 0", name="deposit_ratio_positive"),
        CheckConstraint("settlement_days >= 0", name="settlement_days"),
        CheckConstraint("fee_bps >= 0 AND fee_bps <= 1000", name="fee_bps"),
        one_of("forfeit_to", FORFEIT_TARGETS),
        CheckConstraint("local_first_days >= 0 AND city_first_days >= 0", name="scope_windows"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    unit: Mapped[str] = mapped_column(String(16))
    tick_size: Mapped[Decimal] = mapped_column(Money())
    lot_size: Mapped[Decimal] = mapped_column(Quantity())
    deposit_ratio: Mapped[Decimal] = mapped_column(Ratio())
    settlement_days: Mapped[int]
    fee_bps: Mapped[int]
    guide_price: Mapped[Decimal | None] = mapped_column(Money())
    floor_price: Mapped[Decimal | None] = mapped_column(Money())
    price_band: Mapped[Decimal | None] = mapped_column(Ratio())
    trading_mode: Mapped[str] = mapped_column(String(16), default="continuous")
    status: Mapped[str] = mapped_column(String(16), default="open")
    status_reason: Mapped[str | None] = mapped_column(String(500))
    cross_city_allowed: Mapped[bool] = mapped_column(default=False)
    # A defaulting buyer's deposit goes to the seller (compensation) or to the fee account.
    forfeit_to: Mapped[str] = mapped_column(String(8), default="seller",
                                            server_default="seller")
    # Scope windows counted from a lot's verification: same county first, then same city,
    # then province-wide if cross-city trading is allowed (seed 002 §4(四)).
    local_first_days: Mapped[int] = mapped_column(default=0, server_default="0")
    city_first_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # Call-auction uncross times, local (Asia/Shanghai) "HH:MM" separated by commas.
    auction_times: Mapped[str | None] = mapped_column(String(64))
    # Time priority across processes: the next priority number, taken under the row lock.
    next_priority: Mapped[int] = mapped_column(default=1, server_default="1")
    # Changes made to the book by anything but the order writer (which keeps the book in
    # memory and rebuilds it when this moved): see services/trading/live_books.py.
    book_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    @property
    def has_quality_grade(self) -> bool:
        """Farmland indicators carry a quality grade (耕地质量等别 1–15)."""
        return self.kind == "farmland_offset"


# The terms the history keeps: what prices, deposits and windows a trade was made under.
HISTORY_TERMS = ("tick_size", "lot_size", "deposit_ratio", "settlement_days", "fee_bps",
                 "guide_price", "floor_price", "price_band", "trading_mode",
                 "cross_city_allowed", "forfeit_to", "local_first_days", "city_first_days")


class InstrumentTerms(Base):
    """The terms of an instrument in force from `valid_from` until the next row's.

    Written on every change (and on creation), never updated, so the guide price, floor and
    band in force at any moment can be read back: reports and surveillance judge each trade
    by the terms in force when it was made.
    """

    __tablename__ = "instrument_terms"
    __table_args__ = (Index("ix_instrument_terms_in_force", "instrument_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    tick_size: Mapped[Decimal] = mapped_column(Money())
    lot_size: Mapped[Decimal] = mapped_column(Quantity())
    deposit_ratio: Mapped[Decimal] = mapped_column(Ratio())
    settlement_days: Mapped[int]
    fee_bps: Mapped[int]
    guide_price: Mapped[Decimal | None] = mapped_column(Money())
    floor_price: Mapped[Decimal | None] = mapped_column(Money())
    price_band: Mapped[Decimal | None] = mapped_column(Ratio())
    trading_mode: Mapped[str] = mapped_column(String(16))
    cross_city_allowed: Mapped[bool]
    forfeit_to: Mapped[str] = mapped_column(String(8))
    local_first_days: Mapped[int]
    city_first_days: Mapped[int]
