"""Operations: the scheduler's heartbeat, readiness, what a metrics scrape reads, backups.

`record_job_run` is a use case; the rest read, and `backup` copies the database to a file.
"""

from market.services.operations.backup import BackupFailed, backup
from market.services.operations.heartbeat import record_job_run
from market.services.operations.readiness import metrics_snapshot, readiness

__all__ = ["BackupFailed", "backup", "metrics_snapshot", "readiness", "record_job_run"]
