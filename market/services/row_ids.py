"""Row ids drawn ahead from their sequences, so a batch of new rows needs no flush to learn them.

A use case that inserts one row and then refers to it (a trade, then its settlement, then the
deposit moved into that settlement's escrow) normally flushes after each insert to get the id
back from the database: a round trip and a unit-of-work pass per row. The order writer runs
hundreds of such inserts in one transaction; inside `drawing_ahead` they take ids from a pool
drawn a block at a time (`nextval` is never rolled back, so an id drawn is never reused, and
gaps are as harmless as the ones any rolled-back insert leaves).

Inside, the new rows also skip the unit of work, whose bookkeeping per object costs more
than the row's share of a multi-row INSERT: `add` keeps a new object out of the session
(nothing else needs it there: the batch finds its own new rows by id, not by query), and
`insert_later` keeps a row that nothing reads again (the journal's: two thirds of what a
command writes) as plain values. `insert_now` writes them all, in the order the foreign keys
need, one Core INSERT per table with each row as it stands then, so an order filled later in
its own batch is inserted filled, not inserted and updated. It runs before any flush and
before the commit, and the objects then join the session as loaded rows: a later change is
an UPDATE, as for any row.

A ledger move into a row that is not inserted yet cannot be an UPDATE: `pending_row` finds
the new object, and the move changes it before its INSERT instead.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, insert, inspect, text
from sqlalchemy.orm import Session, make_transient_to_detached

from market.extensions import db
from market.services import prepared
from models import Base

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
    """A new row with its id known: drawn ahead inside `drawing_ahead` (inserted by
    `insert_now`), otherwise added to the session and flushed now."""
    add_all([row])


def add_all(rows) -> None:
    """`add` for several new rows (outside `drawing_ahead`, one flush for them all)."""
    pool = _pool.get()
    if pool is None:
        db.session.add_all(rows)
        db.session.flush()
        return
    for row in rows:
        row.id = pool.take(row.__table__.name)
        _fill_defaults(row)  # a ledger move into it finds its balances at their start
        _later(db.session).setdefault(type(row), []).append(row)
        _pending(db.session)[(type(row), row.id)] = row


def drawing() -> bool:
    """Whether new rows take ids drawn ahead here (inside `drawing_ahead`)."""
    return _pool.get() is not None


def insert_later(model: type, values: dict) -> int:
    """Keep a new row of `model` as plain values, to be inserted with the batch's others
    (inside `drawing_ahead` only); its id, drawn ahead."""
    row_id = _pool.get().take(model.__table__.name)
    _later(db.session).setdefault(model, []).append({"id": row_id, **values})
    return row_id


def later_count() -> int:
    """How many rows wait for `insert_now` (to tell whether a command wrote anything)."""
    return sum(map(len, db.session.info.get("row_ids_later", {}).values()))


def insert_now(session=None, *, left_out: tuple[type, ...] = ()) -> None:
    """Insert the rows kept by `add` and `insert_later`: one multi-row INSERT per table,
    parents' tables first; `add`'s objects then join the session as loaded rows.

    Objects of the models `left_out` stay out of the session instead (joining costs more
    than their INSERT): only for a caller that changes none of them again in the
    transaction, and none of whose joined rows refers to one by a relationship."""
    session = session or db.session
    kept = _take_kept(session, left_out)
    if kept is None:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(kept.sql(connection),
                                   execution_options={"no_parameters": True})
    else:
        for table, rows in kept.tables:
            # The table, not the mapped class: a Core INSERT, not the ORM's bulk path.
            connection.execute(insert(table), rows)
    kept.join(session)


def inserts_ahead(session=None, *, left_out: tuple[type, ...] = ()) -> "Kept | None":
    """The rows `insert_now` would insert, taken to go in the round trip of the caller's
    next statement (PostgreSQL): their INSERTs as one string (`Kept.sql`) to send ahead
    of it, and `Kept.join` once it has run. None if no row is kept."""
    return _take_kept(session or db.session, left_out)


class Kept:
    """A transaction's kept rows, by table in the order the foreign keys need, and the
    objects to join the session once they are inserted."""

    def __init__(self, tables: list[tuple], joining: list):
        self.tables, self.joining = tables, joining

    def sql(self, connection) -> str:
        """Every table's rows as one multi-row INSERT each, all in one string: one round
        trip, the statements run in order (parents first). The values are bound by the
        column types and quoted by psycopg2 itself (`mogrify`), as its own `execute` would;
        the string then goes with no parameters, so nothing in it is read as a
        placeholder."""
        dialect, statements, values = connection.dialect, [], []
        for table, rows in self.tables:
            names = tuple(rows[0])
            template, binds = _insert_template(dialect, table, names)
            statements.append(template + ", ".join([_row_placeholders(len(names))] * len(rows)))
            for row in rows:
                values.extend(bind(row[name]) if bind else row[name]
                              for name, bind in zip(names, binds, strict=True))
        return prepared.mogrify(connection, ";\n".join(statements), values)

    def join(self, session) -> None:
        # All made rows first, then added: adding one cascades to the others it refers to.
        for row in self.joining:
            make_transient_to_detached(row)
        session.add_all(self.joining)


def _take_kept(session, left_out: tuple[type, ...]) -> Kept | None:
    later = session.info.pop("row_ids_later", None)
    if not later:
        return None
    joining, tables = [], []
    for model in sorted(later, key=_table_order):
        rows = []
        for row in later[model]:
            if type(row) is dict:
                rows.append(row)
            elif inspect(row).transient:  # one a flush has not taken in by a cascade
                rows.append(_values(row))
                if model not in left_out:
                    joining.append(row)
        if rows:
            tables.append((model.__table__, rows))
    return Kept(tables, joining) if tables else None  # an object to join has a row too


# (table, columns) → "INSERT INTO t (a, b) VALUES " and each column's bind processor.
_templates: dict[tuple, tuple[str, list]] = {}


def _insert_template(dialect, table, names: tuple[str, ...]) -> tuple[str, list]:
    known = _templates.get((table, names))
    if known is None:
        quote = dialect.identifier_preparer.quote
        known = _templates[(table, names)] = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
            "VALUES ",
            [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
             for name in names])
    return known


def _row_placeholders(count: int) -> str:
    return "(" + ", ".join(["%s"] * count) + ")"


def _table_order(model) -> int:
    return _TABLE_ORDER[model.__table__.name]


_TABLE_ORDER = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}


def _fill_defaults(row) -> None:
    """Give a new object's unset columns their Python-side defaults, as a flush would."""
    for attribute in inspect(type(row)).column_attrs:
        default = attribute.columns[0].default
        if default is None or getattr(row, attribute.key) is not None:
            continue
        if not (default.is_scalar or default.is_callable):
            raise TypeError(f"{attribute.columns[0]} has a SQL default: add it to the session")
        setattr(row, attribute.key, default.arg(None) if default.is_callable else default.arg)


def _values(row) -> dict:
    """Every column of a new object (its defaults filled in when it was added)."""
    values = {}
    for attribute in inspect(type(row)).column_attrs:
        if attribute.key not in row.__dict__:
            setattr(row, attribute.key, None)  # else it would be expired, and read back
        values[attribute.columns[0].name] = getattr(row, attribute.key)
    return values


def _later(session) -> dict:
    return session.info.setdefault("row_ids_later", {})


def pending_row(model: type, row_id: int):
    """The new, unflushed row of `model` with this id (added by `add`), or None."""
    return db.session.info.get("row_ids_pending", {}).get((model, row_id))


def get(model: type, row_id: int):
    """The row of `model` with this id: a new one not inserted yet, or from the session."""
    return pending_row(model, row_id) or db.session.get(model, row_id)


def _pending(session) -> dict:
    return session.info.setdefault("row_ids_pending", {})


@event.listens_for(Session, "before_flush")
def _insert_before_flush(session, _flush_context, _instances) -> None:
    # A flush may write rows that refer to the ones kept for later (a child lot to its
    # settlement, a payout to its lot): those go in first.
    insert_now(session)


@event.listens_for(Session, "after_flush")
def _inserted(session, _flush_context) -> None:
    # Flushed rows exist in the database now: moves into them are UPDATEs again.
    session.info.pop("row_ids_pending", None)


@event.listens_for(Session, "before_commit")
def _insert_before_commit(session) -> None:
    # Whoever kept rows for later, they are in before anything commits (a commit flushes
    # only when the session has changes).
    insert_now(session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    # Committed (flushed first), or rolled back or closed: nothing is pending any more.
    session.info.pop("row_ids_pending", None)
    if transaction.parent is None:  # a savepoint's end leaves its transaction's rows
        session.info.pop("row_ids_later", None)
