"""The schema comes only from Alembic migrations, which have one head and match the models."""

import hashlib
import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint

from market import create_app
from market.extensions import db
from market.services import audit
from market.services.audit import utc_iso
from models.base import utcnow
from tests.conftest import _postgres_database

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Declared by the models, never created by any migration (0014 created the last two).
MISSING_FROM_MIGRATIONS: set[str] = set()


def test_there_is_exactly_one_head():
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_migrated_schema_matches_the_models(app, db_session):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_the_migrated_check_constraints_match_the_models(app, db_session):
    # Autogenerate compares no CHECK constraints, so this does: their names everywhere, and
    # their text on SQLite, which keeps it as written (PostgreSQL normalises it).
    inspector = db.inspect(db.engine)
    declared, migrated = {}, {}
    for table in db.metadata.sorted_tables:
        declared |= {c.name: str(c.sqltext) for c in table.constraints
                     if isinstance(c, CheckConstraint)}
        migrated |= {c["name"]: c["sqltext"]
                     for c in inspector.get_check_constraints(table.name)}
    assert set(migrated) - set(declared) == set()
    assert set(declared) - set(migrated) == MISSING_FROM_MIGRATIONS
    if db.engine.dialect.name == "sqlite":
        assert {name: text for name, text in migrated.items() if declared[name] != text} == {}


def test_upgrade_builds_an_empty_sqlite_file_and_downgrade_removes_everything(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        assert {"lots", "journal_entries", "audit_events"} <= set(db.inspect(db.engine)
                                                                  .get_table_names())
        downgrade(revision="base")
        assert set(db.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


@pytest.fixture
def fresh_database(database, tmp_path):
    """An empty database of the suite's dialect, apart from the suite's own."""
    if database["dialect"] != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
    try:
        yield url
    finally:
        drop()


def _unkeyed_digest(row: dict, previous: str) -> str:
    """The digest as revision 0005 computed it: plain SHA-256."""
    content = [row["seq"], utc_iso(row["at"]), None, row["actor"], row["action"],
               row["target_type"], row["target_id"], row["details"], previous]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _append_unkeyed(count: int, corrupt: bool = False) -> None:
    events = db.metadata.tables["audit_events"]
    with db.engine.begin() as connection:
        last = connection.execute(sa.select(events.c.seq, events.c.digest)
                                  .order_by(events.c.seq.desc()).limit(1)).first()
        seq, previous = (last.seq, last.digest) if last else (0, "0" * 64)
        for _ in range(count):
            seq += 1
            row = {"seq": seq, "at": utcnow(), "actor": "root", "action": "user.create",
                   "target_type": "user", "target_id": str(seq), "details": "{}"}
            digest = "f" * 64 if corrupt else _unkeyed_digest(row, previous)
            connection.execute(events.insert().values(prev_digest=previous, digest=digest, **row))
            previous = digest


def _unkeyed_chain_holds() -> bool:
    events = db.metadata.tables["audit_events"]
    previous = "0" * 64
    with db.engine.connect() as connection:
        # The columns of revision 0005: later revisions add some (0009: request_id).
        columns = [column for column in events.c if column.name != "request_id"]
        for row in connection.execute(sa.select(*columns).order_by(events.c.seq)).mappings():
            if row["prev_digest"] != previous or _unkeyed_digest(row, previous) != row["digest"]:
                return False
            previous = row["digest"]
    return True


def test_0006_rekeys_an_existing_chain_and_refuses_a_broken_one(fresh_database, capfd):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade(revision="0005")
        _append_unkeyed(3)
        upgrade()
        report = audit.verify_chain()
        assert (report.ok, report.checked) == (True, 3)
        db.session.remove()     # its read would hold off the downgrade's DDL on PostgreSQL
        downgrade(revision="0005")
        assert _unkeyed_chain_holds()
        _append_unkeyed(1, corrupt=True)
        with pytest.raises(SystemExit):     # Flask-Migrate logs the error and exits
            upgrade()
        assert "audit chain broken at seq 4" in capfd.readouterr().err
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0005"
        assert "audit_checkpoints" not in db.inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()
