"""Retry a use case when PostgreSQL aborts it to break a deadlock or a serialization clash.

Transactions that touch several accounts and lots (a trade moves the buyer's cash, the seller's
lot and, on instant settlement, the seller's cash) can wait on each other across instruments.
PostgreSQL then aborts one of them; the whole use case rolled back, so running it again is
safe and is what a client would have to do anyway.
"""

import functools
import random
import time

from sqlalchemy.exc import DBAPIError

from market.extensions import db

RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure
ATTEMPTS = 5


def is_retryable(error: DBAPIError) -> bool:
    """Whether the database aborted the transaction only to let another one finish."""
    return getattr(error.orig, "pgcode", None) in RETRYABLE


def retrying(use_case):
    """Run `use_case` again (up to ATTEMPTS times) when the database asks for a retry."""

    @functools.wraps(use_case)
    def wrapped(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return use_case(*args, **kwargs)
            except DBAPIError as error:
                db.session.rollback()
                if not is_retryable(error) or attempt == ATTEMPTS:
                    raise
                # Jitter, so the two transactions do not collide again in lock step.
                time.sleep(random.uniform(0, 0.01 * attempt))
        raise AssertionError("unreachable")

    return wrapped
