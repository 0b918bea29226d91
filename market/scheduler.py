"""The one scheduler process: runs market/jobs.py's jobs on their intervals.

Started with `flask scheduler`, never inside a web worker. Each run holds a PostgreSQL
advisory lock named by its job, so even two scheduler processes never run a job twice at once
(and every job is idempotent besides).
"""

import logging
from contextlib import contextmanager

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from market.extensions import db
from market.jobs import JOBS, Job

log = logging.getLogger("market.scheduler")


@contextmanager
def _exclusive(job: Job):
    """Yield True if this process may run the job now (always, on SQLite)."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection:
        acquired = connection.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": job.lock_id})
        try:
            yield acquired
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": job.lock_id})
                connection.commit()


def run_job(app: Flask, job: Job) -> object:
    """Run one job in its own app context; errors are logged, never fatal to the scheduler."""
    with app.app_context():
        try:
            with _exclusive(job) as mine:
                if not mine:
                    log.info("%s: running elsewhere, skipped", job.name)
                    return None
                result = job.run()
                log.info("%s: %s", job.name, result)
                return result
        except Exception:
            log.exception("%s failed", job.name)
            db.session.rollback()
            return None
        finally:
            db.session.remove()


def run_once(app: Flask) -> dict[str, object]:
    """Run every job once now (operations and tests)."""
    return {job.name: run_job(app, job) for job in JOBS}


def run_forever(app: Flask) -> None:
    """Block, running each job on its interval."""
    scheduler = BlockingScheduler(timezone="UTC")
    for job in JOBS:
        scheduler.add_job(run_job, "interval", args=[app, job], seconds=job.seconds,
                          id=job.name, max_instances=1, coalesce=True)
    log.info("scheduler started with %s", ", ".join(job.name for job in JOBS))
    scheduler.start()
