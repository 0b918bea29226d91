"""Readiness and the scrape's database figures: a handful of cheap queries, no secrets."""

from functools import lru_cache

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from market.extensions import db
from market.services.transaction import end_read
from models import AuditCheckpoint, SchedulerHeartbeat, Settlement
from models.base import utcnow


@lru_cache(maxsize=4)
def _heads(directory: str) -> tuple[str, ...]:
    # The scripts do not change while the process runs: read them once, not per probe.
    return tuple(ScriptDirectory(directory).get_heads())


def _migrations(revisions: list[str]) -> dict:
    heads = _heads(current_app.extensions["migrate"].directory)
    ok = sorted(revisions) == sorted(heads)
    check = {"ok": ok, "revision": ",".join(revisions) or None, "head": ",".join(heads)}
    if not ok:
        check["error"] = "the database is not at the migrations' head (flask db upgrade)"
    return check


def _scheduler(max_age_seconds: int) -> dict:
    if max_age_seconds <= 0:
        return {"ok": True, "checked": False}
    last = db.session.scalar(select(func.max(SchedulerHeartbeat.last_run_at)))
    if last is None:
        return {"ok": False, "error": "no scheduler job has run yet (flask scheduler)"}
    age = max(0, round((utcnow() - last).total_seconds()))
    check = {"ok": age <= max_age_seconds, "age_seconds": age, "max_age_seconds": max_age_seconds}
    if not check["ok"]:
        check["error"] = "the scheduler's heartbeat is stale"
    return check


def readiness(max_age_seconds: int) -> dict[str, dict]:
    """Each check (database, migrations, scheduler) with `ok` and, when it fails, why."""
    try:
        revisions = list(db.session.scalars(text("SELECT version_num FROM alembic_version")))
        checks = {"database": {"ok": True}, "migrations": _migrations(revisions),
                  "scheduler": _scheduler(max_age_seconds)}
    except SQLAlchemyError as error:
        # The error's text may name the host and user; the answer says only what failed.
        checks = {"database": {"ok": False, "error": f"unreachable ({type(error).__name__})"},
                  "migrations": {"ok": False, "error": "not checked: no database"},
                  "scheduler": {"ok": False, "error": "not checked: no database"}}
    end_read()
    return checks


def metrics_snapshot() -> dict:
    """Settlements pending and overdue, each job's totals, the audit checkpoint's age."""
    now = utcnow()
    try:
        pending, overdue = db.session.execute(
            select(func.count(), func.count().filter(Settlement.due_at < now))
            .where(Settlement.status == "pending_payment")).one()
        jobs = [{"job": row.job, "runs": row.runs, "failures": row.failures,
                 "age_seconds": max(0.0, (now - row.last_run_at).total_seconds())}
                for row in db.session.execute(select(
                    SchedulerHeartbeat.job, SchedulerHeartbeat.runs,
                    SchedulerHeartbeat.failures, SchedulerHeartbeat.last_run_at))]
        last_checkpoint = db.session.scalar(select(func.max(AuditCheckpoint.created_at)))
        snapshot = {"database_up": True, "settlements_pending": pending,
                    "settlements_overdue": overdue, "jobs": jobs,
                    "checkpoint_age_seconds": None if last_checkpoint is None else
                    max(0.0, (now - last_checkpoint).total_seconds())}
    except SQLAlchemyError:
        snapshot = {"database_up": False}
    end_read()
    return snapshot
