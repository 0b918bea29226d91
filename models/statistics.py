"""Daily price statistics, kept by a scheduled job so history queries stay fast."""

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, Quantity

# The regions a price index is kept for (a lot counts toward its origin city and province).
REGION_LEVELS = ("city", "province")

class DailyStat(Base):
    """One instrument's trading on one market day (Asia/Shanghai): a daily candle."""

    __tablename__ = "daily_stats"
    __table_args__ = (UniqueConstraint("instrument_id", "day", name="uq_daily_stats_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    day: Mapped[date]
    open: Mapped[Decimal] = mapped_column(Money())
    high: Mapped[Decimal] = mapped_column(Money())
    low: Mapped[Decimal] = mapped_column(Money())
    close: Mapped[Decimal] = mapped_column(Money())
    volume: Mapped[Decimal] = mapped_column(Quantity())
    turnover: Mapped[Decimal] = mapped_column(Money())
    trades: Mapped[int]


class DailyRegionStat(Base):
    """One instrument's trading on one day by the city or province the lots came from."""

    __tablename__ = "daily_region_stats"
    __table_args__ = (
        UniqueConstraint("instrument_id", "day", "region_code", name="uq_daily_region_stats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    day: Mapped[date]
    region_code: Mapped[str] = mapped_column(String(12))
    region_level: Mapped[str] = mapped_column(String(16))
    volume: Mapped[Decimal] = mapped_column(Quantity())
    turnover: Mapped[Decimal] = mapped_column(Money())
    trades: Mapped[int]
