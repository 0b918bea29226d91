"""The market's calendar: Asia/Shanghai days, whatever zone the server runs in.

Times are stored in UTC; "today", market days, report periods and auction slots are Shanghai
days. Use these instead of `date.today()`, which is the server's own zone.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.base import utcnow

MARKET_TIME = ZoneInfo("Asia/Shanghai")


def market_day(at: datetime | None = None) -> date:
    """The Shanghai calendar day of a UTC time (now by default)."""
    return (at or utcnow()).astimezone(MARKET_TIME).date()


def day_start(day: date) -> datetime:
    """Midnight at the start of a Shanghai day, as an aware time."""
    return datetime.combine(day, time(), MARKET_TIME)


def utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of `first`, start of the day after `last`) in UTC, for index range scans."""
    return (day_start(first).astimezone(UTC),
            day_start(last + timedelta(days=1)).astimezone(UTC))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[first instant of the Shanghai month, first instant of the next)."""
    start = datetime(year, month, 1, tzinfo=MARKET_TIME)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=MARKET_TIME)
    return start, end


def local(moment: datetime) -> datetime:
    """A time on the market's calendar (Asia/Shanghai)."""
    return moment.astimezone(MARKET_TIME)
