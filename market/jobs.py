"""Scheduled work, declared as data: (name, use case, interval). Run by `flask scheduler`."""

from collections.abc import Callable
from dataclasses import dataclass

from market.services import (
    audit,
    history,
    listings,
    obligations,
    settlement,
    surveillance,
    trading,
)


@dataclass(frozen=True)
class Job:
    """A use case the scheduler runs every `seconds`; each is idempotent."""

    name: str
    run: Callable[[], object]
    seconds: int
    lock_id: int


JOBS = [
    Job("expire-gtd-orders", trading.expire_due, seconds=15, lock_id=7_270_101),
    Job("uncross-call-auctions", trading.run_due_auctions, seconds=15, lock_id=7_270_102),
    Job("settlement-deadlines", settlement.default_overdue, seconds=60, lock_id=7_270_103),
    Job("daily-price-statistics", history.refresh_daily_stats, seconds=60,
        lock_id=7_270_104),
    Job("surveillance-detection", surveillance.detect, seconds=60, lock_id=7_270_105),
    Job("rematch-opened-scope-windows", trading.rematch_crossed, seconds=60, lock_id=7_270_106),
    # Verifies only the rows since the last checkpoint, so it stays cheap on a long log.
    Job("audit-checkpoint", audit.write_checkpoint, seconds=600, lock_id=7_270_107),
    # Each due auction closes in its own transaction under its row lock; a repeat does nothing.
    Job("close-listings-and-procurements", listings.close_due, seconds=15, lock_id=7_270_121),
    # Judges obligations whose period ended (met or short, alerted); each only once.
    Job("close-ended-obligations", obligations.close_ended, seconds=300, lock_id=7_270_114),
]
