"""A batch's changed rows of one table, written in one UPDATE (PostgreSQL).

The unit of work writes changed objects one statement per set of changed columns: the order
writer's batch fills, holds and closes orders in four or five different ways, so a flush
sent that many UPDATEs of `orders`, each through the unit of work's bookkeeping per object.
Here every changed object of a model goes in one `UPDATE … FROM unnest(arrays)`, each row
with all the columns it may change (`update` gives it as a common table expression, for a
statement that does more; `params` its values). `changed` finds the objects and
`mark_written` marks them written and clean, so the flush that follows leaves them alone. An
object with any other change is left to that flush, which writes it as it always has.
"""

from sqlalchemy import bindparam, inspect
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm.state import InstanceState

from market.extensions import db


def changed(model, keys: tuple[str, ...]) -> list:
    """The loaded `model` objects whose changes are all among `keys` (attribute names), in
    id order (as the flush would lock them), with their `onupdate` columns set."""
    allowed, rows = set(keys), []
    for row in db.session.dirty:
        if type(row) is not model:
            continue
        # The attributes set since the row was loaded are the keys of its committed state
        # (their loaded values): far cheaper than every attribute's history. One set back
        # to its loaded value counts as changed and is written unchanged.
        touched = inspect(row).committed_state.keys()
        if touched and touched <= allowed:
            rows.append(row)
    mapper = inspect(model)
    for key in keys:  # onupdate values, as the flush would have set them
        default = mapper.columns[key].onupdate
        if default is not None and rows:
            value = default.arg(None) if default.is_callable else default.arg
            for row in rows:
                setattr(row, key, value)
    rows.sort(key=lambda row: row.id)
    return rows


def update(model, keys: tuple[str, ...], name: str) -> tuple[str, list]:
    """`name AS (UPDATE … RETURNING t.id)` for rows of `model` setting `keys`, and its bind
    parameters (named after `name`, so several fit in one statement)."""
    dialect = db.session.get_bind().dialect
    mapper, table = inspect(model), model.__table__
    columns = {key: mapper.columns[key] for key in keys}
    arrays = ", ".join([f"CAST(:{name}_ids AS bigint[])", *[
        f"CAST(:{name}_{key} AS {column.type.compile(dialect)}[])"
        for key, column in columns.items()]])
    sql = (f"{name} AS (UPDATE {table.name} AS t SET "
           + ", ".join(f"{column.name} = s.v_{key}" for key, column in columns.items())
           + f" FROM unnest({arrays}) AS s(id, {', '.join(f'v_{key}' for key in keys)})"
           " WHERE t.id = s.id RETURNING t.id)")
    return sql, [bindparam(f"{name}_{key}", type_=ARRAY(column.type))
                 for key, column in columns.items()]


def params(rows: list, keys: tuple[str, ...], name: str) -> dict:
    """The values of `update(…, name)` for these rows."""
    return {f"{name}_ids": [row.id for row in rows],
            **{f"{name}_{key}": [getattr(row, key) for row in rows] for key in keys}}


def mark_written(rows: list) -> None:
    """Each row is now as written: what the unit of work itself does to an object after its
    UPDATE (there is no public call for it). Every change was among the keys written, so
    nothing is lost, and the objects leave the session's dirty set: a flush then has nothing
    to look at (marking each value committed alone left them dirty, and the flush went
    through its whole bookkeeping for them to find no change)."""
    InstanceState._commit_all_states([(inspect(row), inspect(row).dict) for row in rows],
                                     db.session.identity_map)
