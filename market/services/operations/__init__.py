"""Operations: the scheduler's heartbeat, readiness, what a metrics scrape reads, backups.

`record_job_run` is a use case; the rest read, and `backup` copies the database to a file.
"""

from market.services.operations.backups import BackupFailed, backup
from market.services.operations.checks import metrics_snapshot, readiness
from market.services.operations.heartbeat import record_job_run

__all__ = ["BackupFailed", "backup", "metrics_snapshot", "readiness", "record_job_run"]
