"""The one place listings read the time, so tests can walk an auction through its phases."""

from datetime import datetime

from models.base import utcnow


def now() -> datetime:
    """The current time (UTC)."""
    return utcnow()
