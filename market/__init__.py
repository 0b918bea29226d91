"""The indicator market's Flask application."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from market import db_liveness
from market.config import INSTANCE_DIR, Config, refuse_unsafe, require_secrets


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config, extensions, error map, API, pages, CLI. Never touches the schema."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR),
                template_folder="../templates")
    app.config.from_object(Config)
    app.config.update(overrides or {})
    # Before anything else is bound: an unsafe production configuration never serves (every
    # reason at once), and outside tests nothing serves without a secret.
    refuse_unsafe(app.config)
    require_secrets(app.config)
    # The embedded SQLite default lives in instance/, which a fresh clone does not have.
    INSTANCE_DIR.mkdir(exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from market import (
        api,
        auth,
        cli,
        errors,
        i18n,
        logs,
        observability,
        operations,
        request_guard,
        web,
    )
    from market.api.document import api as smorest_api
    from market.extensions import csrf, db, limiter, login_manager, migrate
    from market.services import identity

    logs.configure(app.config["LOG_LEVEL"], json=app.config["LOG_FORMAT"] != "text")
    # First, so that every request gets its id before another hook can answer it.
    observability.init_app(app)
    _engine_options_for_postgresql(app.config)
    db.init_app(app)
    with app.app_context():
        db_liveness.install(db.engine)
    # Batch mode lets the same migrations alter tables on SQLite; compare_type keeps the
    # drift test honest about column types.
    migrate.init_app(app, db, directory=str(INSTANCE_DIR.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    # The language first, so even the earliest refusal answers in the request's language.
    i18n.init_app(app)
    # Then the guard, before the limiter, CSRF check and login, which all read the request.
    request_guard.install(app)
    app.session_interface = auth.PageSessions()
    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    limiter.init_app(app)
    identity.init_login_failures(app)
    csrf.init_app(app)
    smorest_api.init_app(app)
    errors.register_error_handlers(app)
    api.register(app)
    # The API takes only bearer tokens, which no other site can make a browser send, so it
    # needs no CSRF token; the pages post with a session cookie, so theirs are checked.
    for blueprint in api.BLUEPRINTS:
        csrf.exempt(blueprint)
    web.register(app)
    app.register_blueprint(operations.bp)
    cli.register(app)
    app.after_request(_no_sniffing)
    return app


def _engine_options_for_postgresql(config) -> None:
    """Send a flush's many UPDATEs of one shape in pages, not one round trip each (psycopg2's
    execute_batch): the order writer's batch updates dozens of orders at its one flush. And
    check pooled connections by their sockets (db_liveness), not a ping per checkout."""
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {**config["SQLALCHEMY_ENGINE_OPTIONS"],
                                               "executemany_mode": "values_plus_batch",
                                               "pool_pre_ping": False}


def _no_sniffing(response):
    """Tell browsers to take every response as the type it declares."""
    # A JSON error that echoes its input must never be sniffed into HTML and run.
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, let readers run beside the writer, wait for locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
