"""A dropped or absent database is a 503 the client may retry, never a 500."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.pool import NullPool

from market import create_app, db_liveness
from market.extensions import db


def _in_own_context(app, call):
    """One request as a server runs it: its own app context, so its session ends with it."""
    with app.app_context():
        return call()


def test_the_pool_checks_connections_before_use(app, database):
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    with app.app_context():
        by_socket = sa.event.contains(db.engine, "checkout", db_liveness._checkout)
    if database["dialect"] == "postgresql":  # by the socket, not a ping per checkout
        assert by_socket and options["pool_pre_ping"] is False
    else:
        assert not by_socket and options["pool_pre_ping"] is True


def test_a_live_connection_back_from_a_request_is_not_pinged(app, database, world,
                                                             monkeypatch):
    if database["dialect"] != "postgresql":
        pytest.skip("only PostgreSQL's connections are checked by their sockets")
    trader = world.trader("yixing", "320282")
    db.session.rollback()
    assert _in_own_context(app, lambda: trader.get("/api/v1/accounts/me")).status_code == 200
    pings = []
    real_ping = db_liveness._ping
    monkeypatch.setattr(db_liveness, "_ping", lambda connection: pings.append(
        real_ping(connection)))
    for _ in range(3):
        assert _in_own_context(app, lambda: trader.get("/api/v1/accounts/me")).status_code == 200
    assert pings == []  # its socket said it was alive: no round trip to ask
    monkeypatch.setattr(db_liveness, "PING_AFTER", 0.0)  # idle "too long": asked
    assert _in_own_context(app, lambda: trader.get("/api/v1/accounts/me")).status_code == 200
    assert pings


def test_requests_after_the_servers_connections_were_killed_succeed(app, database, world):
    if database["dialect"] != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    trader = world.trader("yixing", "320282")
    for _ in range(2):  # a connection or two in the pool, as a worker has after a while
        assert _in_own_context(app, lambda: trader.get("/api/v1/accounts/me")).status_code == 200
    db.session.rollback()  # the fixture's own session gives its connection back too
    killer = sa.create_engine(database["url"], poolclass=NullPool)
    with killer.connect() as connection:
        killed = connection.execute(sa.text(
            # Waiting (up to 5 s) until each backend has gone, as a restart's would have:
            # pg_terminate_backend alone only signals, and a request sent at once can still
            # find a socket that has not heard the goodbye yet.
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    killer.dispose()
    assert killed >= 1
    response = _in_own_context(app, lambda: trader.get("/api/v1/accounts/me"))
    assert response.status_code == 200, response.json


@pytest.fixture
def unreachable_app(database, tmp_path):
    """A second app whose database cannot be reached (a closed port, a missing directory)."""
    if database["dialect"] == "postgresql":
        url = "postgresql://postgres@127.0.0.1:9/market?connect_timeout=2"
    else:
        url = f"sqlite:///{tmp_path / 'no-such-directory' / 'market.db'}"
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                       "RATELIMIT_STORAGE_URI": "memory://"})


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/api/v1/auth/token", {"username": "admin", "password": "whatever-password"}),
    ("get", "/api/v1/districts", None),
    ("get", "/api/v1/orders", None),
])
def test_a_database_that_is_away_is_a_503_with_retry_after(unreachable_app, method, path, body):
    client = unreachable_app.test_client()
    response = client.open(path, method=method, json=body,
                           headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503, response.data
    assert response.headers["Retry-After"]
    assert response.json["error"]["code"] == "database_unavailable"
    assert response.json["error"]["message"]


@pytest.mark.parametrize("error", [
    OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly")),
    InterfaceError("SELECT 1", {}, Exception("connection already closed")),
    sa.exc.DisconnectionError("pool could not reconnect"),
    sa.exc.TimeoutError("QueuePool limit reached, connection timed out"),
])
def test_a_connection_failure_inside_a_request_is_a_503(world, monkeypatch, error):
    trader = world.trader("yixing", "320282")

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr("market.auth.identity.live_token", fail)
    response = trader.get("/api/v1/accounts/me")
    assert response.status_code == 503, response.data
    assert response.headers["Retry-After"]
    assert response.json["error"]["code"] == "database_unavailable"
