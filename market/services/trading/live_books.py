"""Books kept in memory by an order writer, one per instrument, fenced by a version.

Inline (per-request) matching rebuilds the few orders it needs from rows under the
instrument's lock. The order writer instead keeps each of its instruments' whole book alive
between commands, and the scheduler's book jobs (GTD expiry, an expired lot's offers,
rematching, uncrossing) are commands to it too. What else changes a book — a freeze's
cancels, which commit with the freeze, another process matching inline — runs the engine
seam inline and bumps `instruments.book_version` under the same lock; before it uses a
book, the writer compares the version (and the terms) it built the book from with the locked row and
rebuilds from the rows if either moved. So the live book is always exactly the open orders in
the database, whoever changed them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import func, select

from market.extensions import db
from market.services.trading import book_replay, book_rows
from matching import BookSpec, OrderBook, Rejected
from models import BookCommand, Instrument, Order

_serving: ContextVar["LiveBooks | None"] = ContextVar("live_books", default=None)


@dataclass
class _Entry:
    book: OrderBook
    version: int
    spec: BookSpec
    logged: int  # the last book_commands row this book has applied (or was built after)


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
    # Instruments whose book was checked against the locked row in the current batch: the
    # lock is held to the commit, so nothing else can change them meanwhile, and a rebuild
    # now would miss the batch's orders that are not flushed yet.
    checked: set[int] = field(default_factory=set)
    rebuilds: int = 0
    catch_ups: int = 0

    def begin_batch(self) -> None:
        self.changed.clear()
        self.recent.clear()
        self.checked.clear()

    def book_for(self, instrument: Instrument) -> OrderBook:
        """The live book of an instrument whose row the caller has locked."""
        entry = self._entries.get(instrument.id)
        if instrument.id in self.checked:
            if entry is None:
                raise RuntimeError(f"the book of instrument {instrument.id} went mid-batch")
            return entry.book
        self.checked.add(instrument.id)
        spec = book_rows.spec_for(instrument)
        if entry is not None and entry.spec == spec and entry.version != instrument.book_version:
            if self._catch_up(entry, instrument):
                self.catch_ups += 1
            else:
                entry = None
        if entry is None or entry.spec != spec:
            logged = db.session.scalar(select(func.max(BookCommand.id)).where(
                BookCommand.instrument_id == instrument.id)) or 0
            entry = self._entries[instrument.id] = _Entry(
                book_rows.whole_book(instrument), instrument.book_version, spec, logged)
            self.rebuilds += 1
        return entry.book

    def _catch_up(self, entry: _Entry, instrument: Instrument) -> bool:
        """Apply to the live book what others changed, from the log, instead of rebuilding.

        Inline changes (an expiry job, a freeze's cancels, a rematch) log their commands like
        the writer does; replaying them on the whole book gives what they gave on the rows
        they loaded. If anything does not add up, the caller rebuilds from the rows.
        """
        missed = list(db.session.scalars(select(BookCommand).where(
            BookCommand.instrument_id == instrument.id, BookCommand.id > entry.logged)
            .order_by(BookCommand.id)))
        if not missed:
            return False
        named = {row.order_id for row in missed if row.kind == "submit"}
        orders = {order.id: order for order in db.session.scalars(
            select(Order).where(Order.id.in_(named)))} if named else {}
        try:
            for row in missed:
                events = entry.book.apply(book_replay.command_from_log(row, orders, instrument))
                if events and type(events[0]) is Rejected:
                    return False
        except (KeyError, ValueError):
            return False
        if entry.book.next_priority != instrument.next_priority:
            return False
        entry.version, entry.logged = instrument.book_version, missed[-1].id
        return True

    def logged(self, ids_by_instrument: dict[int, int]) -> None:
        """The writer's own commands are in the log up to these ids."""
        for instrument_id, last in ids_by_instrument.items():
            entry = self._entries.get(instrument_id)
            if entry is not None:
                entry.logged = max(entry.logged, last)

    def applied(self, instrument: Instrument) -> None:
        """The book of `instrument` changed and the row's version with it: they agree again."""
        self._entries[instrument.id].version = instrument.book_version
        self.changed.add(instrument.id)

    def drop(self, instrument_id: int) -> None:
        self._entries.pop(instrument_id, None)

    def forget(self) -> None:
        """Drop every book: after a failed batch they may hold what was rolled back."""
        self._entries.clear()
        self.pending_log.clear()
        self.recent.clear()
        self.checked.clear()


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
