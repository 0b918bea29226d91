"""Balance columns moved by journal postings: at once, or summed up and moved per batch.

Every posting changes balance columns (an account's available or held cash, a lot's buckets)
by exactly what its journal entries say. Normally each move is one conditional UPDATE at
once. The order writer posts a dozen moves per command to the same few account and lot rows;
inside `deferring`, a move into a row this transaction has read (`read_now`: the batch's
accounts, its locked lots) changes the object's balance (checked against what it holds, as
the UPDATE would) and adds to a per-row sum, and `apply_deferred` moves every row by its sum
in one UPDATE per table, guarded so that no balance ends below zero. Any other row (a resting
order's account, loaded in some earlier transaction) is moved at once, as always.
If a row moved meanwhile (a withdrawal in another transaction) and its balance would, nothing
is moved and the caller's transaction fails: the writer then runs its commands one at a
time, without deferring. The journal is the same either way; only the UPDATEs are fewer.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from sqlalchemy import and_, bindparam, column, values
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import Integer, Numeric

from market.extensions import db

# (model, row id) → {attribute key: summed delta}, while deferring.
_deferred: ContextVar[dict | None] = ContextVar("deferred_balances", default=None)
# The rows read in this transaction, whose loaded balances a deferred move may be checked on.
_read_now: ContextVar[set | None] = ContextVar("balances_read_now", default=None)


class BalancesMovedMeanwhile(RuntimeError):
    """A deferred sum would take a balance below zero: another transaction moved it."""


@contextmanager
def deferring() -> Iterator[None]:
    """Sum up the moves into loaded rows until `apply_deferred` (which the caller must call
    before its transaction commits)."""
    token, read = _deferred.set({}), _read_now.set(set())
    try:
        yield
    finally:
        _deferred.reset(token)
        _read_now.reset(read)


def read_now(rows) -> None:
    """These loaded rows were just read (or locked) in this transaction: a deferred move may
    be checked against their balances (a no-op when not deferring)."""
    read = _read_now.get()
    if read is not None:
        read.update((type(row), row.id) for row in rows)


def move(model, row_id: int, deltas: dict, guard: tuple | None) -> bool:
    """Add `deltas` ({balance attribute: amount}) to one row, if `guard` (an attribute and
    the amount it must hold) allows; False if it does not. A loaded object of the row gets
    the new balances."""
    deferred = _deferred.get()
    loaded = db.session.identity_map.get(identity_key(model, row_id))
    if deferred is not None and loaded is not None and (model, row_id) in _read_now.get():
        if guard is not None and getattr(loaded, guard[0].key) < guard[1]:
            return False
        sums = deferred.setdefault((model, row_id), defaultdict(Decimal))
        for attribute, delta in deltas.items():
            set_committed_value(loaded, attribute.key, getattr(loaded, attribute.key) + delta)
            sums[attribute.key] += delta
        return True
    return _update(model, row_id, deltas, guard, loaded)


def _update(model, row_id: int, deltas: dict, guard: tuple | None, loaded) -> bool:
    # A Core UPDATE … RETURNING, not an ORM one: the ORM's bulk-update path costs several
    # times the statement, and the writer moves balances a dozen times a batch.
    table = model.__table__
    columns = {attribute.key: table.c[attribute.property.columns[0].name]
               for attribute in deltas}
    statement = table.update().where(table.c.id == row_id)
    if guard is not None:
        statement = statement.where(columns[guard[0].key] >= guard[1])
    statement = statement.values({columns[attribute.key]: columns[attribute.key] + delta
                                  for attribute, delta in deltas.items()})
    balances = db.session.execute(statement.returning(*columns.values())).first()
    if balances is None:
        return False
    if loaded is not None:
        for key, balance in zip(columns, balances, strict=True):
            set_committed_value(loaded, key, balance)
    return True


def apply_deferred() -> None:
    """Move every row by its deferred sums: one UPDATE … FROM (VALUES …) per table."""
    deferred = _deferred.get()
    if not deferred:
        return
    by_model: dict = defaultdict(dict)
    for (model, row_id), sums in deferred.items():
        if any(sums.values()):
            by_model[model][row_id] = sums
    deferred.clear()
    for model, rows in by_model.items():
        _apply_sums(model, rows)


# Up to this many rows of a table are moved one UPDATE each: a statement of one shape is
# compiled once, while a VALUES list is compiled anew for every batch.
ONE_BY_ONE = 4


def _apply_sums(model, rows: dict[int, dict]) -> None:
    table = model.__table__
    keys = sorted({key for sums in rows.values() for key in sums})
    columns = {key: table.c[getattr(model, key).property.columns[0].name] for key in keys}
    if len(rows) <= ONE_BY_ONE:
        for row_id in sorted(rows):
            _apply_row(model, row_id, rows[row_id], columns)
        return
    # Row ids in order: the rows are locked in the order every UPDATE of one row would.
    sums = values(column("id", Integer), *[column(f"d_{key}", Numeric) for key in keys],
                  name="sums").data(
        [(row_id, *[rows[row_id].get(key, Decimal(0)) for key in keys])
         for row_id in sorted(rows)])
    statement = (table.update().where(table.c.id == sums.c.id)
                 .where(and_(*[columns[key] + sums.c[f"d_{key}"] >= 0 for key in keys]))
                 .values({columns[key]: columns[key] + sums.c[f"d_{key}"] for key in keys})
                 .returning(table.c.id, *columns.values()))
    moved = db.session.execute(statement).all()
    if len(moved) != len(rows):
        raise BalancesMovedMeanwhile(
            f"{len(rows) - len(moved)} {table.name} rows moved meanwhile")
    for row_id, *balances in moved:
        loaded = db.session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            for key, balance in zip(keys, balances, strict=True):
                set_committed_value(loaded, key, balance)


def _apply_row(model, row_id: int, sums: dict, columns: dict) -> None:
    table = model.__table__
    keys = sorted(sums)
    statement = (table.update().where(table.c.id == bindparam("row_id"))
                 .where(and_(*[columns[key] + bindparam(f"d_{key}", type_=Numeric) >= 0
                               for key in keys]))
                 .values({columns[key]: columns[key] + bindparam(f"d_{key}", type_=Numeric)
                          for key in keys})
                 .returning(*[columns[key] for key in keys]))
    balances = db.session.execute(statement, {"row_id": row_id, **{
        f"d_{key}": sums[key] for key in keys}}).first()
    if balances is None:
        raise BalancesMovedMeanwhile(f"{table.name} row {row_id} moved meanwhile")
    loaded = db.session.identity_map.get(identity_key(model, row_id))
    if loaded is not None:
        for key, balance in zip(keys, balances, strict=True):
            set_committed_value(loaded, key, balance)
