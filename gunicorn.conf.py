"""gunicorn settings the service relies on: `gunicorn -c gunicorn.conf.py wsgi:app`.

Only what the app needs of its server is here (bind address, workers and the rest stay on
the command line, see docs/DEPLOYMENT.md): the Prometheus multiprocess directory is emptied
when the master starts, and a dead worker's live gauges are forgotten. Without
PROMETHEUS_MULTIPROC_DIR both hooks do nothing.
"""

import os
from pathlib import Path


def on_starting(server):
    """Empty the metrics directory: counters of a previous master's workers must not add up."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    for stale in Path(directory).glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """Let the metrics forget a worker that exited (its counters stay counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
