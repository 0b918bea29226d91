"""The one place listings read the time, so an auction can be walked through its phases:
tests replace `now`, and the demo replays a listing's past with `replaying`."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from models.base import utcnow

_replayed: list[datetime] = []


def now() -> datetime:
    """The current time (UTC), or the moment being replayed."""
    return _replayed[-1] if _replayed else utcnow()


@contextmanager
def replaying(moment: datetime) -> Iterator[None]:
    """Act as if it were `moment` (the demo's listings that ran before it was loaded)."""
    _replayed.append(moment)
    try:
        yield
    finally:
        _replayed.pop()
