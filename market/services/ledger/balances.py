"""Balance columns moved by journal postings: at once, or summed up and moved per batch.

Every posting changes balance columns (an account's available or held cash, a lot's buckets)
by exactly what its journal entries say. Normally each move is one conditional UPDATE at
once. The order writer posts a dozen moves per command to the same few account and lot rows;
inside `deferring`, every move adds to a per-row sum, and the writer moves every row by its
sum (`take_deferred`, `many_moved`: one UPDATE per table in its batch's closing statement),
guarded so that no balance ends below zero. A move into a row this transaction has
read (`read_now`: the batch's accounts, its locked lots) is also checked at once against the
object's balance and changes it, as the UPDATE would, so a refusal names its command; any
other row (a resting order's account or lot) is checked by the guarded UPDATE alone.
If a row moved meanwhile (a withdrawal in another transaction) and its balance would, nothing
is moved and the caller's transaction fails: the writer then runs its commands one at a
time, without deferring. The journal is the same either way; only the UPDATEs are fewer.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache

from sqlalchemy import and_, bindparam
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from market.extensions import db

# (model, row id) → {attribute key: summed delta}, while deferring.
_deferred: ContextVar[dict | None] = ContextVar("deferred_balances", default=None)
# The rows read in this transaction, whose loaded balances a deferred move may be checked on.
_read_now: ContextVar[set | None] = ContextVar("balances_read_now", default=None)


class BalancesMovedMeanwhile(RuntimeError):
    """A deferred sum would take a balance below zero: another transaction moved it."""


@contextmanager
def deferring() -> Iterator[None]:
    """Sum up the moves into loaded rows until `take_deferred` (which the caller must call,
    and move what it gives, before its transaction commits)."""
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


def move(model, row_id: int, deltas: dict) -> bool:
    """Add `deltas` ({balance attribute: amount}) to one row, unless a balance would end
    below zero; False then. A loaded object of the row gets the new balances."""
    deferred = _deferred.get()
    if deferred is None:
        return _update(model, row_id, {attribute.key: delta
                                       for attribute, delta in deltas.items()})
    loaded = db.session.identity_map.get(identity_key(model, row_id))
    if loaded is not None and (model, row_id) in _read_now.get():
        # Read in this transaction: checked now, so a refusal names its command.
        moved = {attribute.key: getattr(loaded, attribute.key) + delta
                 for attribute, delta in deltas.items()}
        if any(balance < 0 for balance in moved.values()):
            return False
        _set_loaded(loaded, moved)
    # Any other row (a resting order's account or lot) is checked by the guarded UPDATE
    # alone: if it refuses, the batch fails and runs again one by one, each move at once.
    sums = deferred.setdefault((model, row_id), defaultdict(Decimal))
    for attribute, delta in deltas.items():
        sums[attribute.key] += delta
    return True


def take_deferred() -> list[tuple[type, dict[int, dict]]]:
    """The deferred sums by model ({row id: {balance key: sum}}), for the caller to move
    (`many_moved`, in a statement of its own; PostgreSQL); none are left deferred."""
    deferred = _deferred.get()
    if not deferred:
        return []
    by_model: dict = defaultdict(dict)
    for (model, row_id), sums in deferred.items():
        if any(sums.values()):
            by_model[model][row_id] = sums
    deferred.clear()
    return list(by_model.items())


def many_moved(model, rows: dict[int, dict], name: str) -> tuple[str, dict]:
    """`name AS (UPDATE … RETURNING t.id)`: every row's guarded move in one statement, for
    a caller that sends it with more (PostgreSQL), and its values. Fewer ids back than
    rows given means a balance moved meanwhile (`BalancesMovedMeanwhile`)."""
    keys = tuple(sorted({key for sums in rows.values() for key in sums}))
    sql = _many_sql(model, keys, name) + " RETURNING t.id"
    return f"{name} AS ({sql})", _many_params(rows, keys, name)


def _columns(model, keys) -> dict:
    table = model.__table__
    return {key: table.c[getattr(model, key).property.columns[0].name] for key in sorted(keys)}


# The statements by table and balances moved: built (and their cache keys made) once, not on
# every move; the order writer makes a dozen moves a command.
_statements: dict[tuple, object] = {}


def _update(model, row_id: int, deltas: dict[str, Decimal]) -> bool:
    """One row's guarded UPDATE … RETURNING (Core, not the ORM's bulk-update path, which
    costs several times the statement); False if a balance would end below zero."""
    keys = tuple(sorted(deltas))
    statement = _statements.get((model, keys, "one"))
    if statement is None:
        table, columns = model.__table__, _columns(model, keys)
        # The amounts take each column's own type (a scaled integer on SQLite) from the sum.
        statement = _statements[(model, keys, "one")] = (
            table.update().where(table.c.id == bindparam("row_id"))
            .where(and_(*[column + bindparam(f"d_{key}") >= 0
                          for key, column in columns.items()]))
            .values({column: column + bindparam(f"d_{key}") for key, column in columns.items()})
            .returning(*columns.values()))
    balances = db.session.execute(statement, {"row_id": row_id, **{
        f"d_{key}": delta for key, delta in deltas.items()}}).first()
    if balances is None:
        return False
    _set_loaded(db.session.identity_map.get(identity_key(model, row_id)),
                dict(zip(keys, balances, strict=True)))
    return True


@cache  # one text for each shape: the writer asks again every batch
def _many_sql(model, keys: tuple[str, ...], name: str) -> str:
    """The guarded UPDATE … FROM unnest of `keys` (its parameters named after `name`)."""
    table, columns = model.__table__, _columns(model, keys)
    arrays = ", ".join([f"CAST(:{name}_ids AS bigint[])", *[
        f"CAST(:{name}_{key} AS numeric[])" for key in keys]])
    return (f"UPDATE {table.name} AS t SET "
            + ", ".join(f"{column.name} = t.{column.name} + s.d_{key}"
                        for key, column in columns.items())
            + f" FROM unnest({arrays}) AS s(id, {', '.join(f'd_{key}' for key in keys)})"
            " WHERE t.id = s.id AND "
            + " AND ".join(f"t.{column.name} + s.d_{key} >= 0"
                           for key, column in columns.items()))


def _many_params(rows: dict[int, dict], keys: tuple[str, ...], name: str) -> dict:
    # Row ids in order, as the one-row UPDATEs would lock them; the plan usually keeps it,
    # and a deadlock, if it does not, rolls the batch back for the use case to retry.
    ids = sorted(rows)
    return {f"{name}_ids": ids, **{f"{name}_{key}": [rows[row_id].get(key, Decimal(0))
                                                      for row_id in ids] for key in keys}}


def _set_loaded(loaded, balances: dict) -> None:
    # As loaded from the row: not a change the next flush would write back.
    if loaded is not None:
        for key, balance in balances.items():
            set_committed_value(loaded, key, balance)
