"""Books kept in memory by an order writer, one per instrument, fenced by a version.

Inline (per-request) matching rebuilds the few orders it needs from rows under the
instrument's lock. The order writer instead keeps each of its instruments' whole book alive
between commands. Anything else that changes a book — a freeze's cancels, GTD expiry, an
auction's uncrossing, rematching, another process matching inline — runs the engine seam
inline and bumps `instruments.book_version` under the same lock; before it uses a book, the
writer compares the version (and the terms) it built the book from with the locked row and
rebuilds from the rows if either moved. So the live book is always exactly the open orders in
the database, whoever changed them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from market.services.trading import book_rows
from matching import BookSpec, OrderBook
from models import Instrument, Order

_serving: ContextVar["LiveBooks | None"] = ContextVar("live_books", default=None)


@dataclass
class _Entry:
    book: OrderBook
    version: int
    spec: BookSpec


@dataclass
class LiveBooks:
    """The writer's books, and the commands they applied that are not logged yet."""

    _entries: dict[int, _Entry] = field(default_factory=dict)
    pending_log: list[dict] = field(default_factory=list)
    # The instruments whose book the command being run has changed (to drop if it fails).
    changed: set[int] = field(default_factory=set)
    # Orders submitted in the current batch, not flushed yet: a later command's fills find
    # them here (a query would not).
    recent: dict[int, Order] = field(default_factory=dict)
    rebuilds: int = 0

    def book_for(self, instrument: Instrument) -> OrderBook:
        """The live book of an instrument whose row the caller has locked."""
        entry = self._entries.get(instrument.id)
        spec = book_rows.spec_for(instrument)
        if entry is None or entry.version != instrument.book_version or entry.spec != spec:
            book = book_rows.whole_book(instrument)
            entry = self._entries[instrument.id] = _Entry(book, instrument.book_version, spec)
            self.rebuilds += 1
        return entry.book

    def applied(self, instrument: Instrument) -> None:
        """The book of `instrument` changed and the row's version with it: they agree again."""
        self._entries[instrument.id].version = instrument.book_version
        self.changed.add(instrument.id)

    def drop(self, instrument_id: int) -> None:
        self._entries.pop(instrument_id, None)

    def resting_count(self) -> int:
        return sum(len(entry.book.orders) for entry in self._entries.values())

    def forget(self) -> None:
        """Drop every book: after a failed batch they may hold what was rolled back."""
        self._entries.clear()
        self.pending_log.clear()
        self.recent.clear()


def current() -> LiveBooks | None:
    """The live books the engine seam should use now, or None for inline matching."""
    return _serving.get()


@contextmanager
def serving(books: LiveBooks) -> Iterator[LiveBooks]:
    """Let the engine seam match on `books` for the commands run inside."""
    token = _serving.set(books)
    try:
        yield books
    finally:
        _serving.reset(token)
