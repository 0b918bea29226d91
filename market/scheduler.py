"""The one scheduler process: runs market/jobs.py's jobs on their intervals.

Started with `flask scheduler`, never inside a web worker. Each run holds a PostgreSQL
advisory lock named by its job, so even two scheduler processes never run a job twice at once
(and every job is idempotent besides).
"""

import time
from contextlib import contextmanager

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from market import logs
from market.extensions import db
from market.jobs import JOBS, Job
from market.services import operations
from models.base import utcnow

log = logs.get_logger("market.scheduler")


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
    """Run one job in its own app context; errors are logged, never fatal to the scheduler.

    Every run writes one JSON log line and its job's heartbeat row; the audit rows it makes
    carry its run id (`job-…`), as a request's carry the request id.
    """
    with app.app_context():
        logs.bind_request_id(logs.new_request_id("job-"))
        started, clock = utcnow(), time.perf_counter()
        status, result, error, caught = "ok", None, None, None
        try:
            with _exclusive(job) as mine:
                if mine:
                    result = job.run()
                else:
                    status = "skipped"  # running in another scheduler process
        except Exception as failure:
            caught = failure  # the name is unbound after the except block
            status, error = "failed", f"{type(failure).__name__}: {failure}".splitlines()[0]
            db.session.rollback()
        duration_ms = round((time.perf_counter() - clock) * 1000)
        fields = {"job": job.name, "status": status, "duration_ms": duration_ms}
        if status == "failed":
            log.error("job", **fields, exc_info=caught)
        else:
            log.info("job", **fields, result=str(result)[:200])
        _beat(job, status, started, duration_ms, error)
        db.session.remove()
        logs.clear_request_id()
        return result


def _beat(job: Job, status: str, started, duration_ms: int, error: str | None) -> None:
    try:
        operations.record_job_run(job.name, status, started, duration_ms, error)
    except Exception:
        # The database is the likely cause, and readiness will say so: keep the scheduler up.
        db.session.rollback()
        log.warning("heartbeat not written", job=job.name, exc_info=True)


def run_once(app: Flask) -> dict[str, object]:
    """Run every job once now (operations and tests)."""
    return {job.name: run_job(app, job) for job in JOBS}


def run_forever(app: Flask) -> None:
    """Block, running each job on its interval."""
    scheduler = BlockingScheduler(timezone="UTC")
    for job in JOBS:
        scheduler.add_job(run_job, "interval", args=[app, job], seconds=job.seconds,
                          id=job.name, max_instances=1, coalesce=True)
    log.info("scheduler started", jobs=[job.name for job in JOBS])
    scheduler.start()
