"""Statements prepared once per connection and executed by name (services/prepared.py)."""

import os
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, event, text
from sqlalchemy.dialects.postgresql import ARRAY

from market.extensions import db
from market.services import prepared
from models.base import UTC, ScaledDecimal, UTCDateTime

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="PREPARE and EXECUTE are PostgreSQL's")

ECHO = text(
    "SELECT (SELECT sum(a) FROM unnest(CAST(:amounts AS NUMERIC(18, 2)[])) AS a) AS total, "
    "CAST(:at AS TIMESTAMP WITH TIME ZONE) AS at, "
    "(SELECT count(*) FROM unnest(CAST(:ids AS bigint[]))) AS ids"
).bindparams(bindparam("amounts", type_=ARRAY(ScaledDecimal(2))),
             bindparam("at", type_=UTCDateTime()), bindparam("ids", type_=ARRAY(db.BigInteger)))


@pytest.fixture
def sent(db_session):
    db.engine.dispose()  # connections that have prepared nothing yet
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0])

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


def _echo(**values):
    params = {"amounts": [Decimal("1.25"), Decimal("2.50")],
              "at": datetime(2026, 12, 4, 1, 0, tzinfo=UTC), "ids": [3, None, 5], **values}
    return prepared.execute(db.session, ECHO, params).one()


def test_prepared_once_then_executed_by_name_with_the_values_as_given(sent):
    first = _echo()
    assert (first.total, first.at, first.ids) == (
        Decimal("3.75"), datetime(2026, 12, 4, 1, 0, tzinfo=UTC), 3)
    assert _echo(amounts=[], ids=[None]).ids == 1
    db.session.rollback()  # a PREPARE outlives the transaction it ran in
    assert _echo(amounts=[Decimal("0.01")]).total == Decimal("0.01")
    assert sent == ["PREPARE", "EXECUTE", "EXECUTE", "EXECUTE"]


def test_a_new_connection_prepares_again(sent):
    _echo()
    db.session.rollback()
    db.engine.dispose()
    _echo()
    assert sent == ["PREPARE", "EXECUTE", "PREPARE", "EXECUTE"]


def test_the_values_go_through_their_types_first(db_session):
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        _echo(amounts=[Decimal("1.001")])
    db.session.rollback()
    with pytest.raises(ValueError, match="naive datetime"):
        _echo(at=datetime(2026, 12, 4, 1, 0))


def test_a_parameter_not_written_as_a_cast_is_refused(db_session):
    with pytest.raises(ValueError, match="CAST"):
        prepared.execute(db.session, text("SELECT :loose AS loose"), {"loose": 1})
