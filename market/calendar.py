"""The market's calendar: Asia/Shanghai days, whatever zone the server runs in.

Times are stored in UTC; "today", market days, report periods and auction slots are Shanghai
days. Use these instead of `date.today()`, which is the server's own zone.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.base import utcnow

MARKET_TIME = ZoneInfo("Asia/Shanghai")


def market_day(at: datetime | None = None) -> date:
    """The Shanghai calendar day of a UTC time (now by default)."""
    return (at or utcnow()).astimezone(MARKET_TIME).date()
