"""Declarative base, naming convention and the exact decimal column types."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, DateTime, MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names make Alembic migrations reproducible on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, vocabulary: tuple[str, ...]) -> CheckConstraint:
    """`CHECK (column IN ('a', 'b'))` over a vocabulary tuple, named after its column.

    The vocabulary is defined once, beside its model; the schemas validate against the same
    tuple, so the database and the API can never disagree about the words.
    """
    words = ", ".join(f"'{word}'" for word in vocabulary)
    return CheckConstraint(f"{column} IN ({words})", name=column)


# The one clock every model, service and job reads. Only the demo loader sets it: it replays
# months of trading through the real use cases, each at its moment in the past
# (market/demo_history.py), so trades, ledger, settlements and audit agree on when.
_replayed_now: ContextVar[datetime | None] = ContextVar("replayed_now", default=None)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return _replayed_now.get() or datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Let `utcnow()` answer `moment` (aware) inside the block; for replaying history."""
    if moment.tzinfo is None:
        raise ValueError("clock_at needs an aware time")
    token = _replayed_now.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _replayed_now.reset(token)


class UTCDateTime(TypeDecorator):
    """A timestamp that always comes back timezone-aware in UTC.

    SQLite keeps no zone, so a naive value read back is UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC times")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ScaledDecimal(TypeDecorator):
    """An exact decimal: NUMERIC on PostgreSQL, a scaled BIGINT on SQLite.

    SQLite has no exact decimal type (NUMERIC affinity rounds through a double), so there the
    value is stored as an integer count of the smallest unit; sums and CHECKs stay exact.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int, precision: int = 20):
        super().__init__()
        self.scale = scale
        self.precision = precision
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        if value != value.quantize(self._quantum):
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale))
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Money(ScaledDecimal):
    """CNY, to the fen (2 places)."""

    cache_ok = True

    def __init__(self):
        super().__init__(scale=2)


class Quantity(ScaledDecimal):
    """An indicator quantity (mu, kg, tCO2e) to 4 places; also ledger amounts of any asset."""

    cache_ok = True

    def __init__(self):
        super().__init__(scale=4)


class Ratio(ScaledDecimal):
    """A ratio such as a deposit ratio or a price band, to 4 places (0.2000 = 20 %)."""

    cache_ok = True

    def __init__(self):
        super().__init__(scale=4)
