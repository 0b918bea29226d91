"""Row ids drawn ahead from their sequences, so a batch of new rows needs no flush to learn them.

A use case that inserts one row and then refers to it (a trade, then its settlement, then the
deposit moved into that settlement's escrow) normally flushes after each insert to get the id
back from the database: a round trip and a unit-of-work pass per row. The order writer runs
hundreds of such inserts in one transaction; inside `drawing_ahead` they take ids from a pool
drawn a block at a time (`nextval` is never rolled back, so an id drawn is never reused, and
gaps are as harmless as the ones any rolled-back insert leaves) and every new row goes in
with the batch's one flush, as multi-row INSERTs.

A ledger move into a row that is not inserted yet cannot be an UPDATE: `pending_row` finds
the new object, and the move changes it before its INSERT instead.

Rows nothing in the batch reads again (the journal's: two thirds of the rows a command
writes) need no ORM object at all: `insert_later` keeps them as plain values, and they go
in as one Core multi-row INSERT per table (`insert_now`, at the latest before the commit),
without the unit of work's cost per object.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from market.extensions import db

BLOCK = 100


class IdPool:
    """Ids drawn ahead, per table; kept across transactions (a drawn id stays unused)."""

    def __init__(self, block: int = BLOCK):
        self.block = block
        self._free: dict[str, list[int]] = {}

    def take(self, table: str) -> int:
        free = self._free.setdefault(table, [])
        if not free:
            free.extend(reversed(db.session.scalars(text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count)"), {"table": table, "count": self.block}).all()))
        return free.pop()


_pool: ContextVar[IdPool | None] = ContextVar("row_id_pool", default=None)


@contextmanager
def drawing_ahead(pool: IdPool) -> Iterator[None]:
    """Inside, `add` gives new rows ids from `pool` and leaves them unflushed."""
    token = _pool.set(pool)
    try:
        yield
    finally:
        _pool.reset(token)


def add(row) -> None:
    """Add a new row to the session with its id known: drawn ahead inside `drawing_ahead`
    (inserted at the next flush), otherwise from a flush now."""
    pool = _pool.get()
    if pool is None:
        db.session.add(row)
        db.session.flush()
        return
    row.id = pool.take(row.__table__.name)
    db.session.add(row)
    _pending(db.session)[(type(row), row.id)] = row


def drawing() -> bool:
    """Whether new rows take ids drawn ahead here (inside `drawing_ahead`)."""
    return _pool.get() is not None


def insert_later(model: type, values: dict) -> int:
    """Keep a new row of `model` as plain values, to be inserted with the batch's others
    (inside `drawing_ahead` only); its id, drawn ahead. Rows of one model go in in the order
    given, models in the order first given (a parent's before its children's)."""
    row_id = _pool.get().take(model.__table__.name)
    _later(db.session).setdefault(model, []).append({"id": row_id, **values})
    return row_id


def later_count() -> int:
    """How many rows wait for `insert_now` (to tell whether a command wrote anything)."""
    return sum(map(len, db.session.info.get("row_ids_later", {}).values()))


def insert_now(session=None) -> None:
    """Insert the rows kept by `insert_later`: one multi-row INSERT per model."""
    session = session or db.session
    later = session.info.pop("row_ids_later", None)
    for model, rows in (later or {}).items():
        # The table, not the mapped class: a Core INSERT, not the ORM's bulk path.
        session.execute(insert(model.__table__), rows)


def _later(session) -> dict:
    return session.info.setdefault("row_ids_later", {})


def pending_row(model: type, row_id: int):
    """The new, unflushed row of `model` with this id (added by `add`), or None."""
    return db.session.info.get("row_ids_pending", {}).get((model, row_id))


def _pending(session) -> dict:
    return session.info.setdefault("row_ids_pending", {})


@event.listens_for(Session, "after_flush")
def _inserted(session, _flush_context) -> None:
    # Flushed rows exist in the database now: moves into them are UPDATEs again.
    session.info.pop("row_ids_pending", None)


@event.listens_for(Session, "before_commit")
def _insert_before_commit(session) -> None:
    # Whoever kept rows for later, they are in before anything commits.
    insert_now(session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    # Committed (flushed first), or rolled back or closed: nothing is pending any more.
    session.info.pop("row_ids_pending", None)
    if transaction.parent is None:  # a savepoint's end leaves its transaction's rows
        session.info.pop("row_ids_later", None)
