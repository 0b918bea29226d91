"""The scheduler's heartbeat: each job run upserts its job's row."""

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from market.extensions import db
from market.services.transaction import use_case
from models import SchedulerHeartbeat

ERROR_MAX = 200


@use_case
def record_job_run(job: str, status: str, at: datetime, duration_ms: int,
                   error: str | None = None) -> None:
    """Note one run of `job` (ok, failed or skipped) and add it to the job's totals."""
    table = SchedulerHeartbeat.__table__
    # One statement, so two schedulers (or the first run of a new job) never race an insert.
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    failed = int(status == "failed")
    statement = insert(table).values(
        job=job, last_run_at=at, last_status=status, last_duration_ms=duration_ms,
        last_error=error[:ERROR_MAX] if error else None, runs=1, failures=failed)
    statement = statement.on_conflict_do_update(index_elements=[table.c.job], set_={
        "last_run_at": statement.excluded.last_run_at,
        "last_status": statement.excluded.last_status,
        "last_duration_ms": statement.excluded.last_duration_ms,
        "last_error": statement.excluded.last_error,
        "runs": table.c.runs + 1,
        "failures": table.c.failures + failed,
    })
    db.session.execute(statement)
