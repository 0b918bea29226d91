"""The schema comes only from Alembic migrations, which have one head and match the models."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from market import create_app
from market.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_there_is_exactly_one_head():
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_migrated_schema_matches_the_models(app, db_session):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


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
