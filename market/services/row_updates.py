"""A batch's changed rows of one table, written in one UPDATE (PostgreSQL).

The unit of work writes changed objects one statement per set of changed columns: the order
writer's batch fills, holds and closes orders in four or five different ways, so a flush
sent that many UPDATEs of `orders`, each through the unit of work's bookkeeping per object.
`write_changed` sends every changed object of a model in one
`UPDATE … FROM unnest(arrays)`, each row with all the columns it may change, and then marks
those objects as written and clean, so the flush that follows leaves them alone. An object
with any other change is left to that flush, which writes it as it always has.
"""

from sqlalchemy import bindparam, inspect, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm.state import InstanceState

from market.extensions import db

# (model, columns) → the statement, built once.
_statements: dict[tuple, object] = {}


def write_changed(model, keys: tuple[str, ...]) -> int:
    """Write every loaded `model` object whose changes are among `keys` (attribute names)
    in one UPDATE, setting all of `keys`; how many rows it wrote. PostgreSQL only."""
    session = db.session
    allowed = set(keys)
    changed = []
    for row in session.dirty:
        if type(row) is not model:
            continue
        # The attributes set since the row was loaded are the keys of its committed state
        # (their loaded values): far cheaper than every attribute's history. One set back
        # to its loaded value counts as changed and is written unchanged.
        touched = inspect(row).committed_state.keys()
        if touched and touched <= allowed:
            changed.append(row)
    if not changed:
        return 0
    mapper = inspect(model)
    for key in keys:  # onupdate values, as the flush would have set them
        default = mapper.columns[key].onupdate
        if default is not None:
            value = default.arg(None) if default.is_callable else default.arg
            for row in changed:
                setattr(row, key, value)
    changed.sort(key=lambda row: row.id)  # locked in id order, as the flush would
    statement = _statement(model, keys)
    written = session.execute(statement, {"ids": [row.id for row in changed], **{
        f"v_{key}": [getattr(row, key) for row in changed] for key in keys}}).all()
    if len(written) != len(changed):
        raise RuntimeError(f"{len(changed) - len(written)} {model.__tablename__} rows to "
                           "update were not there")
    # Each row is now as written: what the unit of work itself does to an object after its
    # UPDATE (there is no public call for it). Every change was among `keys`, so nothing is
    # lost, and the objects leave the session's dirty set: a flush then has nothing to look
    # at (marking each value committed alone left them dirty, and the flush went through
    # its whole bookkeeping for them to find no change).
    InstanceState._commit_all_states([(inspect(row), inspect(row).dict) for row in changed],
                                     session.identity_map)
    return len(changed)


def _statement(model, keys: tuple[str, ...]):
    statement = _statements.get((model, keys))
    if statement is None:
        dialect = db.session.get_bind().dialect
        mapper, table = inspect(model), model.__table__
        columns = {key: mapper.columns[key] for key in keys}
        arrays = ", ".join(["CAST(:ids AS bigint[])", *[
            f"CAST(:v_{key} AS {column.type.compile(dialect)}[])"
            for key, column in columns.items()]])
        statement = _statements[(model, keys)] = text(
            f"UPDATE {table.name} AS t SET "
            + ", ".join(f"{column.name} = s.v_{key}" for key, column in columns.items())
            + f" FROM unnest({arrays}) AS s(id, {', '.join(f'v_{key}' for key in keys)})"
            " WHERE t.id = s.id RETURNING t.id"
        ).bindparams(*[bindparam(f"v_{key}", type_=ARRAY(column.type))
                       for key, column in columns.items()])
    return statement
