"""Whether a pooled PostgreSQL connection is still alive, without a round trip per request.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` on every checkout: on the order path that is
one round trip in four, and a fifth of a web worker's time. A connection the server dropped
(a restart, a failover, `pg_terminate_backend`, an idle timeout) has told the client so: the
server sends its error or closes the socket, so the idle socket is readable. Nothing else
arrives on an idle pooled connection (none of them LISTENs). So at checkout a zero-timeout
`select` on the socket decides: readable, or idle longer than `PING_AFTER` (a dead peer whose
goodbye was lost on the network), and the connection is pinged as pre-ping would; otherwise it
is used at once. A failed ping raises `DisconnectionError`, and the pool replaces the
connection before the request sees it, as with pre-ping.

Only PostgreSQL's sockets are checked this way; other databases keep `pool_pre_ping`.
"""

import select
import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

# Seconds a connection may lie idle in the pool before it is pinged whatever its socket says.
PING_AFTER = 30.0


def install(engine: Engine) -> None:
    """Check `engine`'s connections this way (once per engine; PostgreSQL only)."""
    if engine.dialect.name != "postgresql" or event.contains(engine, "checkout", _checkout):
        return
    event.listen(engine, "checkin", _checkin)
    event.listen(engine, "checkout", _checkout)


def _checkin(dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _checkout(dbapi_connection, record, _proxy) -> None:
    idle_since = record.info.pop("idle_since", None)
    if idle_since is None:
        return  # just connected
    if time.monotonic() - idle_since < PING_AFTER and not _readable(dbapi_connection):
        return
    _ping(dbapi_connection)


def _ping(dbapi_connection) -> None:
    try:
        dbapi_connection.cursor().execute("SELECT 1")
        dbapi_connection.rollback()  # the ping's own transaction, not the request's
    except Exception as error:
        raise exc.DisconnectionError(f"pooled connection is gone: {error}") from error


def _readable(dbapi_connection) -> bool:
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # the socket itself is closed
        return True
    return bool(readable)
