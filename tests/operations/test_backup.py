"""`flask backup`: a consistent copy, its default name, and pg_dump called safely.

The PostgreSQL round trip (dump mid-trading, pg_restore, checks) is tests/system/
test_backup_restore.py.
"""

import sqlite3
import subprocess

import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from market import create_app, demo
from market.extensions import db
from market.services.operations import backups as backup_module


@pytest.fixture
def sqlite_market(tmp_path):
    """A market of its own on a fresh SQLite file, with the demo's data, whatever database
    the suite runs on: the SQLite copy is what the one-command demo backs up."""
    market = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI":
                         f"sqlite:///{tmp_path / 'market.db'}", "SECRET_KEY": "test",
                         "REDIS_URL": None, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                         "BACKUP_DIR": str(tmp_path / "backups"),
                         "EVIDENCE_DIR": str(tmp_path / "evidence")})
    with market.app_context():
        upgrade()
        demo.load(history_days=5)
        db.session.remove()
    yield market
    with market.app_context():
        db.engine.dispose()


def test_the_sqlite_copy_opens_and_passes_the_checks(sqlite_market, tmp_path):
    target = tmp_path / "copy.sqlite3"
    result = sqlite_market.test_cli_runner().invoke(args=["backup", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"backup written: {target}" in result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM trades").fetchone()[0] > 0
    # The copy's audit chain verifies only with the key it was written with.
    restored = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}",
                           "SECRET_KEY": sqlite_market.config["SECRET_KEY"],
                           "AUDIT_KEY": sqlite_market.config["AUDIT_KEY"]})
    runner = restored.test_cli_runner()
    for command, said in (("verify-audit", "audit chain intact"),
                          ("check-invariants", "ledger invariants hold")):
        checked = runner.invoke(args=[command])
        assert (checked.exit_code, said in checked.output) == (0, True), checked.output
    with restored.app_context():
        db.engine.dispose()
    assert not list(tmp_path.glob("*.partial"))


def test_by_default_the_copy_is_named_by_its_time_in_backup_dir(sqlite_market, tmp_path):
    result = sqlite_market.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [made] = (tmp_path / "backups").iterdir()
    assert made.name.startswith("market-20") and made.name.endswith("Z.sqlite3")


def test_pg_dump_gets_the_password_in_its_environment_never_its_arguments(monkeypatch,
                                                                          tmp_path):
    calls = []

    def fake_run(args, env, **_kwargs):
        calls.append((args, env))
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup_module.shutil, "which", lambda _name: "/usr/bin/pg_dump")
    monkeypatch.setattr(backup_module.subprocess, "run", fake_run)
    url = make_url("postgresql+psycopg2://market:pa55-w0rd@db.internal:5433/market"
                   "?sslmode=require")
    backup_module._pg_dump(url, tmp_path / "x.dump")
    [(args, env)] = calls
    assert not any("pa55-w0rd" in arg for arg in args)
    assert env["PGPASSWORD"] == "pa55-w0rd"
    assert "--format=custom" in args
    assert "--dbname=postgresql://market@db.internal:5433/market?sslmode=require" in args


def test_without_pg_dump_the_backup_fails_saying_so(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_module.shutil, "which", lambda _name: None)
    with pytest.raises(backup_module.BackupFailed, match="pg_dump is not installed"):
        backup_module._pg_dump(make_url("postgresql://market@db/market"), tmp_path / "x")
