"""Fixed-shape statements prepared once per connection (PostgreSQL): PREPARE, then EXECUTE.

psycopg2 sends a statement as text with its values quoted in, so the server parses, analyses
and plans it on every execution; for the order writer's statement that ends a batch (a
`WITH` of six data-modifying parts) that is most of what the statement costs the server. A
statement whose every parameter is written `CAST(:name AS type)` is prepared once on a
connection instead (`PREPARE`, which no rollback undoes) and then executed by name with its
values (`EXECUTE`), each cast as in the statement, so that they mean what they meant inline.
The values go through the parameters' own types first (a `ScaledDecimal`'s scale check, a
`UTCDateTime`'s zone), as SQLAlchemy would send them. What a connection has prepared lives in
its `info`, which SQLAlchemy clears when it replaces the connection.
"""

import re

from sqlalchemy import TextClause

# `CAST(:name AS type)`: the only form of parameter a prepared statement here may have.
_CAST = re.compile(r"CAST\(:(\w+) AS ((?:[^()]|\([^()]*\))+?)\)")  # NUMERIC(18, 2)[] too
_ANY_PARAMETER = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


class _Prepared:
    """One statement as prepared on one connection: its name, parameters and their types."""

    def __init__(self, name: str, statement: TextClause, dialect):
        self.name = name
        self.parameters: list[tuple[str, str]] = []
        numbers: dict[str, int] = {}

        def positional(match: re.Match) -> str:
            parameter, sql_type = match.groups()
            if parameter not in numbers:
                self.parameters.append((parameter, sql_type))
                numbers[parameter] = len(self.parameters)
            return f"${numbers[parameter]}"

        self.sql = _CAST.sub(positional, statement.text)
        loose = _ANY_PARAMETER.findall(self.sql)
        if loose:
            raise ValueError(f"parameters not written CAST(:name AS type): {loose}")
        types = {bind.key: bind.type for bind in statement._bindparams.values()}
        self.processors = {parameter: processor for parameter, _ in self.parameters
                           if parameter in types and (
                               processor := types[parameter]._cached_bind_processor(dialect))}
        self.execute_sql = f"EXECUTE {name}(" + ", ".join(
            f"CAST(%({parameter})s AS {sql_type})" for parameter, sql_type in self.parameters
        ) + ")"

    def values(self, params: dict) -> dict:
        return {parameter: self.processors[parameter](params[parameter])
                if parameter in self.processors else params[parameter]
                for parameter, _ in self.parameters}


def mogrify(connection, sql: str, values) -> str:
    """`sql` with `values` quoted in by psycopg2 (in C) as its own `execute` would, as text
    to send with no parameters (nothing in it is then read as a placeholder)."""
    from psycopg2.extensions import encodings  # PostgreSQL only: SQLite never comes here

    raw = connection.connection.dbapi_connection
    with raw.cursor() as cursor:  # its bytes are in the connection's encoding
        return cursor.mogrify(sql, values).decode(encodings[raw.encoding])


def execute(session, statement: TextClause, params: dict, *, ahead: str | None = None):
    """Run `statement` (built once, kept by the caller) with `params` as a prepared
    statement of the session's connection; its result. Statements `ahead` (complete, with
    their values in) run first, in the same round trip: the result is still the prepared
    statement's, the last one's."""
    connection = session.connection()
    prepared = connection.info.setdefault("market_prepared", {})
    known = prepared.get(statement)
    if known is None:
        known = _Prepared(f"market_prepared_{len(prepared)}", statement, connection.dialect)
        types = ", ".join(sql_type for _, sql_type in known.parameters)
        connection.exec_driver_sql(f"PREPARE {known.name} ({types}) AS {known.sql}",
                                   execution_options={"no_parameters": True})
        prepared[statement] = known
    if ahead is None:
        return connection.exec_driver_sql(known.execute_sql, known.values(params))
    return connection.exec_driver_sql(
        ahead + ";\n" + mogrify(connection, known.execute_sql, known.values(params)),
        execution_options={"no_parameters": True})
