"""The scheduler's heartbeat: one row per job, updated by every run of it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, one_of

JOB_RUN_STATUSES = ("ok", "failed", "skipped")


class SchedulerHeartbeat(Base):
    """A job's last run and its running totals.

    Kept in the database rather than in the scheduler's memory, so that readiness and metrics
    on any web host see the one scheduler, wherever it runs, and the totals survive restarts.
    """

    __tablename__ = "scheduler_heartbeats"
    __table_args__ = (
        one_of("last_status", JOB_RUN_STATUSES),
        CheckConstraint("runs >= 0 AND failures >= 0", name="totals_not_negative"),
    )

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_status: Mapped[str] = mapped_column(String(8))
    last_duration_ms: Mapped[int] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
