"""The one transaction boundary: a use case commits on success and rolls back on error.

`@use_case` marks a function that owns a transaction. Everything it calls is a part: parts
never commit, so one request or job step is one atomic change. A use case called from inside
another joins the outer transaction instead of committing early.

PostgreSQL may abort a transaction to break a deadlock or a serialization clash (a trade
moves the buyer's cash, the seller's lot and, on instant settlement, the seller's cash, so
transactions can wait on each other across instruments). The whole use case rolled back, so
running it again is safe and is what a client would have to do anyway.

Some records must outlive the rollback they explain — a refused order for surveillance, a
failed login as evidence. A part hands them to `keep_after_rollback`; the boundary writes them
in a short transaction of their own once the failed one is rolled back. Effects that must
happen only if the change is kept (counting a trade in the metrics) go to `after_commit`, so a
retried or rolled-back attempt counts nothing.
"""

import functools
import logging
import random
import time
from collections.abc import Callable
from contextvars import ContextVar

from sqlalchemy.exc import DBAPIError

from market.errors import is_retryable
from market.extensions import db

ATTEMPTS = 5
log = logging.getLogger("market.transaction")

_active: ContextVar[bool] = ContextVar("use_case_active", default=False)
_kept: ContextVar[list[Callable[[], None]] | None] = ContextVar("kept_records", default=None)
_committed: ContextVar[list[Callable[[], None]] | None] = ContextVar("after_commit",
                                                                     default=None)


def keep_after_rollback(write: Callable[[], None]) -> None:
    """Run `write` in its own transaction if the current use case fails (and only then)."""
    kept = _kept.get()
    if kept is None:
        raise RuntimeError("keep_after_rollback needs a use case around it")
    kept.append(write)


def after_commit(effect: Callable[[], None]) -> None:
    """Run `effect` once the current use case has committed (never if it rolls back)."""
    effects = _committed.get()
    if effects is None:
        raise RuntimeError("after_commit needs a use case around it")
    effects.append(effect)


def use_case(function):
    """Own the transaction: commit on success, roll back on error, retry deadlocks."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if _active.get():
            return function(*args, **kwargs)  # a part of the outer use case
        for attempt in range(1, ATTEMPTS + 1):
            active, kept, committed = _active.set(True), _kept.set([]), _committed.set([])
            effects = None
            try:
                result = function(*args, **kwargs)
                if db.session.registry.has():  # else it read nothing: no session to make
                    db.session.commit()
                effects = _committed.get()
            except DBAPIError as error:
                db.session.rollback()
                if not is_retryable(error) or attempt == ATTEMPTS:
                    raise
            except BaseException:
                db.session.rollback()
                _write_kept(_kept.get())
                raise
            finally:
                _active.reset(active)
                _kept.reset(kept)
                _committed.reset(committed)
            if effects is not None:
                _run_after_commit(effects)
                return result
            # Jitter, so the two transactions do not collide again in lock step.
            time.sleep(random.uniform(0, 0.01 * attempt))
        raise AssertionError("unreachable")

    return run


def _run_after_commit(effects: list[Callable[[], None]]) -> None:
    # The change is committed: a failing side effect must not turn it into an error answer.
    for effect in effects:
        try:
            effect()
        except Exception:
            log.exception("an after-commit effect failed")


def _write_kept(records: list[Callable[[], None]]) -> None:
    if not records:
        return
    for write in records:
        write()
    db.session.commit()


def end_read() -> None:
    """End a read-only stretch (a job's look-up before its use cases) without writing."""
    db.session.rollback()
