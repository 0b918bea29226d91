"""Backups: pg_dump on PostgreSQL, the sqlite3 backup API on SQLite; both consistent.

pg_dump reads one snapshot (a repeatable-read transaction), so a dump taken mid-trading
holds every transaction committed before it began and none after: the ledger balances and
the audit chain is whole. Restoring is an operator's deliberate act (docs/DEPLOYMENT.md).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import URL

from market.extensions import db
from models.base import utcnow


class BackupFailed(Exception):
    """The copy could not be made; the message says why (never the password)."""


def _default_target(suffix: str) -> Path:
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.config["BACKUP_DIR"]) / f"market-{stamp}{suffix}"


def _pg_dump(url, target: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupFailed("pg_dump is not installed (the PostgreSQL client of the server's "
                           "major version or newer)")
    # The password travels in the environment, never on a command line others can read.
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    # Built anew: URL.set(password=None) would keep the password.
    libpq_uri = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                           database=url.database, query=url.query).render_as_string()
    result = subprocess.run(
        [program, "--format=custom", "--no-password", f"--file={target}",
         f"--dbname={libpq_uri}"],
        env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupFailed(f"pg_dump exited with {result.returncode}: {result.stderr.strip()}")


def _sqlite_copy(url, target: Path) -> None:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("an in-memory SQLite database has nothing to back up")
    source = sqlite3.connect(url.database)
    copy = sqlite3.connect(target)
    try:
        # One step: the copy is one consistent read of the file, even with a writer beside.
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def backup(target: Path | None = None) -> Path:
    """Copy the database to `target` (default: BACKUP_DIR/market-<UTC time>.dump|.sqlite3)."""
    url = db.engine.url
    postgres = url.get_backend_name() == "postgresql"
    if not postgres and url.get_backend_name() != "sqlite":
        raise BackupFailed(f"no backup method for {url.get_backend_name()}")
    target = Path(target or _default_target(".dump" if postgres else ".sqlite3"))
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and renamed at the end, so a file under the final name is
    # always a complete copy.
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        (_pg_dump if postgres else _sqlite_copy)(url, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
