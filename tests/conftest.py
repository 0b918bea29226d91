"""Fixtures for tests that need the app and a real database.

`TEST_DATABASE_URL` (a PostgreSQL server URL) makes the suite create its own database on that
server and drop it afterwards; without it the suite runs on a throwaway SQLite file. Under CI
(`CI=true`) a missing or unreachable PostgreSQL server fails the run instead of skipping.
Tests in tests/matching/ use none of this.
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.factories import World

DATA_TABLES_TO_KEEP = {"alembic_version", "districts", "instruments", "instrument_terms",
                       "surveillance_settings"}
# Kept tables whose rows tests change (terms, halts, thresholds, new instruments and their
# terms' history): emptied and filled again with the rows as migrated.
TABLES_TO_RESTORE = ("instrument_terms", "instruments", "surveillance_settings")


def _postgres_database(server_url: str):
    """Create a fresh database on the server; return its URL and a function that drops it."""
    url = make_url(server_url)
    name = f"market_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.exit(f"TEST_DATABASE_URL points at no reachable PostgreSQL server: {error}", 2)

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """The test database: (url, dialect name, template path for SQLite)."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        if os.environ.get("CI"):
            pytest.exit("CI must run on PostgreSQL: set TEST_DATABASE_URL", 2)
        path = tmp_path_factory.mktemp("db") / "market.db"
        yield {"url": f"sqlite:///{path}", "dialect": "sqlite", "path": path}
        return
    url, drop = _postgres_database(server)
    try:
        yield {"url": url, "dialect": "postgresql", "path": None}
    finally:
        drop()


TEST_CONFIG = {
    "TESTING": True,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Failed logins count in the test database, reset between tests (the Redis counter has its
    # own tests, on a key prefix of their own).
    "REDIS_URL": None,
    "SECRET_KEY": "test",
}


@pytest.fixture(scope="session")
def app(database):
    """The app on the test database, schema built by the migrations."""
    from flask_migrate import upgrade

    from market import create_app

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database["url"]})
    with app.app_context():
        upgrade()
        from market.extensions import db

        if database["dialect"] == "postgresql":
            database["migrated_rows"] = _rows_to_restore(db)
            database["reset_sql"] = _reset_sql(db)
        db.engine.dispose()
    if database["path"] is not None:
        # A pristine copy to restore between tests: faster than re-running migrations.
        shutil.copy(database["path"], Path(str(database["path"]) + ".template"))
    return app


def _rows_to_restore(db) -> dict[str, list[dict]]:
    """The rows of TABLES_TO_RESTORE as the migrations left them."""
    with db.engine.connect() as connection:
        return {name: [dict(row) for row in connection.execute(
                    db.metadata.tables[name].select()).mappings()]
                for name in TABLES_TO_RESTORE}


def _reset_sql(db) -> str:
    """One batch that empties every table not kept and puts each sequence of an emptied or
    restored table back where the migrations left it (an unused one gives id 1 next).

    DELETE, not TRUNCATE: truncating 34 tables costs PostgreSQL new files and exclusive locks,
    0.15 s a test on an idle server and far more on a busy one, while deleting the few rows a
    test made takes milliseconds.
    """
    emptied = [t.name for t in db.metadata.sorted_tables if t.name not in DATA_TABLES_TO_KEEP]
    with db.engine.connect() as connection:
        # The sequences a serial or identity column of these tables owns, as TRUNCATE …
        # RESTART IDENTITY finds them; last_value is null while a sequence is unused.
        sequences = connection.execute(sa.text(
            "SELECT format('%I.%I', schemaname, sequencename), start_value, last_value "
            "FROM pg_sequences JOIN pg_depend ON objid = format('%I.%I', schemaname, "
            "sequencename)::regclass AND classid = 'pg_class'::regclass AND deptype IN ('a', 'i') "
            "WHERE refobjid::regclass::text = ANY(:tables)"),
            {"tables": [*emptied, *TABLES_TO_RESTORE]}).all()
    values = ", ".join(f"('{name}', {last or start}, {last is not None})"
                       for name, start, last in sequences)
    return ("".join(f"DELETE FROM {name};" for name in emptied)
            + f"SELECT setval(name::regclass, value, called) FROM (VALUES {values}) "
              "AS sequence(name, value, called);")


def _reset(app, database) -> None:
    from market.extensions import db, limiter

    limiter.reset()
    with app.app_context():
        if database["dialect"] == "sqlite":
            db.session.remove()
            db.engine.dispose()
            template = Path(str(database["path"]) + ".template")
            shutil.copy(template, database["path"])
            for suffix in ("-wal", "-shm"):
                Path(str(database["path"]) + suffix).unlink(missing_ok=True)
            return
        with db.engine.begin() as connection:
            # A superuser's replica role fires no triggers: neither the audit tables'
            # append-only guard nor the foreign keys, so no order of deletes is needed.
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for name, rows in database["migrated_rows"].items():
                table = db.metadata.tables[name]
                connection.execute(table.delete())
                if rows:
                    connection.execute(table.insert(), rows)
            connection.exec_driver_sql(database["reset_sql"])
        db.session.remove()


@pytest.fixture
def db_session(app, database):
    """An app context on a clean database; the ledger invariants are checked afterwards."""
    from market.extensions import db
    from market.services import ledger

    with app.app_context():
        yield db.session
        db.session.rollback()
        problems = ledger.check_invariants()
        db.session.remove()
    _reset(app, database)
    assert problems == [], problems


@pytest.fixture(scope="session")
def demo_app(database, tmp_path_factory):
    """An app on a database of its own holding the demo, loaded once by `flask demo-data`: it
    takes ~25 s, and the tests that look at what the demo holds only read it. On PostgreSQL
    the database is then read-only, so no test can change what the next one sees."""
    from flask_migrate import upgrade

    from market import create_app
    from market.extensions import db

    folder = tmp_path_factory.mktemp("demo")
    drop = None
    if database["dialect"] == "postgresql":
        url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
    else:
        url = f"sqlite:///{folder / 'demo.db'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url,
                      "EVIDENCE_DIR": str(folder / "evidence")})
    try:
        with app.app_context():
            upgrade()
            loaded = app.test_cli_runner().invoke(args=["demo-data"])
            assert loaded.exit_code == 0, loaded.output
            assert "demo data loaded" in loaded.output
            if drop:
                db.session.execute(sa.text(f'ALTER DATABASE "{make_url(url).database}" '
                                           "SET default_transaction_read_only = on"))
                db.session.commit()
            db.engine.dispose()  # new connections are read-only
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        if drop:
            drop()


@pytest.fixture
def demo_session(demo_app):
    """An app context on the demo database; the ledger invariants are checked afterwards."""
    from market.extensions import db
    from market.services import ledger

    with demo_app.app_context():
        yield db.session
        db.session.rollback()
        problems = ledger.check_invariants()
        db.session.remove()
    assert problems == [], problems


@pytest.fixture
def client(app, db_session):
    """A test client on a clean database."""
    return app.test_client()


@pytest.fixture
def world(app, db_session, client):
    """Factories for users, accounts and lots, and an API client per user."""
    return World(app, client)


@pytest.fixture
def evidence_dir(app, tmp_path):
    """Lot evidence kept in a folder of this test's own, created on demand by the upload."""
    folder = tmp_path / "evidence"
    previous = app.config["EVIDENCE_DIR"]
    app.config["EVIDENCE_DIR"] = str(folder)
    yield folder
    app.config["EVIDENCE_DIR"] = previous
