"""The end of an order writer batch in one statement (PostgreSQL).

After its new rows (`row_ids`), a batch still moves the balances its commands summed per
row (`ledger.deferring`) and writes the resting orders its fills changed, its instruments'
book counters, its log of book commands (whose ids it needs back) and its answers. Each was
a round trip of its own, and each round trip costs the writer more in the driver and
SQLAlchemy than the statement costs the server; so they go as one statement of
data-modifying common table expressions:

    WITH accounts_moved AS (UPDATE accounts … guarded … RETURNING t.id),
         lots_moved AS (UPDATE lots … guarded … RETURNING t.id),
         orders_written AS (UPDATE orders … RETURNING t.id),
         instruments_written AS (UPDATE instruments … RETURNING t.id),
         logged AS (INSERT INTO book_commands … RETURNING instrument_id, id),
         answered AS (SELECT pg_notify(…) …)
    SELECT the rows each wrote

Every part runs exactly once whatever the final SELECT reads (data-modifying ones always;
`answered` because it is counted). The counts are checked as the separate statements'
were: a balance move's guard that held back a row is `BalancesMovedMeanwhile`. The
notifications are sent by the commit, and only by it. Each shape of the statement is
prepared once on the writer's connection (`services/prepared.py`): planning it was most of
what it cost the server.
"""

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from market.extensions import db
from market.services import ledger, prepared, row_ids, row_updates
from models import BookCommand, Instrument, Order

# What the engine's events change in a resting order (event_writer), and in an instrument's
# row (engine._run): the other changes of either go to the flush.
ORDER_CHANGES = ("price", "quantity", "filled", "remaining", "held", "status", "close_reason",
                 "priority", "updated_at")
INSTRUMENT_CHANGES = ("next_priority", "book_version")
_WRITTEN = (("orders_written", Order, ORDER_CHANGES),
            ("instruments_written", Instrument, INSTRUMENT_CHANGES))
_LOGGED = ("instrument_id", "kind", "order_id", "price", "quantity", "at")

# The statement for each set of parts present, built once.
_statements: dict[tuple, object] = {}


def write(moves: list[tuple[type, dict]], log_rows: list[dict],
          answers: list[tuple[str, str]], new_rows: row_ids.Kept | None = None) -> dict[int, int]:
    """Insert `new_rows` (`row_ids.inserts_ahead`), move the balances of `moves`
    (`ledger.take_deferred`), write the batch's changed orders and instruments, log
    `log_rows` and queue `answers` ((channel, payload) pairs): the INSERTs, then one
    statement, in one round trip; the last logged id of each instrument. The changed
    objects are marked clean (`row_updates.mark_written`) first, so a flush before the
    commit leaves them alone; the new ones join the session after."""
    present, params, expected, moved = [], {}, {}, {}
    for model, rows in moves:
        name = f"{model.__tablename__}_moved"
        sql, values = ledger.many_moved(model, rows, name)
        present.append((name, sql))
        params.update(values)
        moved[name] = len(rows)
    for name, model, keys in _WRITTEN:
        rows = row_updates.changed(model, keys)
        if rows:
            present.append((name, None))
            params.update(row_updates.params(rows, keys, name))
            expected[name] = len(rows)
            row_updates.mark_written(rows)
    if log_rows:
        present.append(("logged", None))
        params.update({f"log_{column}": [row[column] for row in log_rows]
                       for column in _LOGGED})
    params.update(channels=[channel for channel, _ in answers],
                  payloads=[payload for _, payload in answers])
    ahead = None if new_rows is None else new_rows.sql(db.session.connection())
    result = prepared.execute(db.session, _statement(tuple(present)), params,
                              ahead=ahead).one()._mapping
    if new_rows is not None:
        new_rows.join(db.session)
    for name, count in moved.items():
        if result[name] != count:
            raise ledger.BalancesMovedMeanwhile(
                f"{count - result[name]} rows moved meanwhile ({name})")
    for name, count in expected.items():
        if result[name] != count:
            raise RuntimeError(f"{count - result[name]} rows to update ({name}) were not there")
    if result["answered"] != len(answers):
        raise RuntimeError("not every answer was queued")
    last: dict[int, int] = {}
    for instrument_id, row_id in zip(result["logged_instruments"] or [],
                                     result["logged_ids"] or [], strict=True):
        last[instrument_id] = max(last.get(instrument_id, 0), row_id)
    return last


def _statement(present: tuple[tuple[str, str | None], ...]):
    statement = _statements.get(present)
    if statement is not None:
        return statement
    parts, binds, selected = [], [], []
    for name, sql in present:  # the balance moves, each its own shape
        if sql is not None:
            parts.append(sql)
            selected.append(f"(SELECT count(*) FROM {name}) AS {name}")
    names = {name for name, _ in present}
    for name, model, keys in _WRITTEN:
        if name in names:
            sql, more = row_updates.update(model, keys, name)
            parts.append(sql)
            binds.extend(more)
            selected.append(f"(SELECT count(*) FROM {name}) AS {name}")
    if "logged" in names:
        dialect, columns = db.session.get_bind().dialect, BookCommand.__table__.c
        arrays = ", ".join(f"CAST(:log_{column} AS {columns[column].type.compile(dialect)}[])"
                           for column in _LOGGED)
        # In the order given: the log's ids are the order the book applied the commands in.
        parts.append(f"logged AS (INSERT INTO book_commands ({', '.join(_LOGGED)}) "
                     f"SELECT {', '.join(_LOGGED)} FROM unnest({arrays}) WITH ORDINALITY "
                     f"AS l({', '.join(_LOGGED)}, n) ORDER BY n RETURNING instrument_id, id)")
        binds.extend(bindparam(f"log_{column}", type_=ARRAY(columns[column].type))
                     for column in _LOGGED)
        selected.append("(SELECT array_agg(instrument_id ORDER BY id) FROM logged) "
                        "AS logged_instruments")
        selected.append("(SELECT array_agg(id ORDER BY id) FROM logged) AS logged_ids")
    else:
        selected.append("NULL AS logged_instruments, NULL AS logged_ids")
    parts.append("answered AS (SELECT pg_notify(r.channel, r.payload) FROM unnest("
                 "CAST(:channels AS text[]), CAST(:payloads AS text[])) AS r(channel, payload))")
    selected.append("(SELECT count(*) FROM answered) AS answered")
    statement = _statements[present] = text(
        "WITH " + ",\n     ".join(parts) + "\nSELECT " + ", ".join(selected)
    ).bindparams(*binds)
    return statement
