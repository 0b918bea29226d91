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

from collections import OrderedDict
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
# The resting orders' rows a writer keeps between batches (about 1.8 KB each: 18 MB when
# full), and the closed orders it remembers (about 150 bytes each: 15 MB when full).
MAX_ROWS = 10_000
MAX_CLOSED = 100_000


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
    # Order rows as this writer has them: those the current batch placed or touched (its new
    # ones are not flushed, so a query would not find them) and, between batches, the resting
    # ones it touched last (at most MAX_ROWS, least recently used out first). Each is current
    # while its book is: every change to an order goes through a book, and an instrument
    # whose book moved behind the writer has its rows dropped when the batch checks it. So a
    # fill or a cancel of a kept resting order reads nothing.
    rows: OrderedDict[int, Order] = field(default_factory=OrderedDict)
    # Instruments whose book was checked against the locked row in the current batch: the
    # lock is held to the commit, so nothing else can change them meanwhile, and a rebuild
    # now would miss the batch's orders that are not flushed yet.
    checked: set[int] = field(default_factory=set)
    # Orders this writer saw close, for good (a closed order never opens again), as
    # (account id, status), the latest MAX_CLOSED: a cancel or change of one is refused
    # from here, reading nothing (clients often cancel what has just filled).
    closed: OrderedDict[int, tuple[int, str]] = field(default_factory=OrderedDict)
    rebuilds: int = 0
    catch_ups: int = 0
    _touched: set[int] = field(default_factory=set)  # ids of the rows the batch remembered

    def begin_batch(self) -> None:
        self.changed.clear()
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
        if entry is not None and entry.version != instrument.book_version:
            self._drop_rows(instrument.id)  # changed behind the writer: read them again
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
        self.forget_rows()
        self.checked.clear()

    # ---- the orders' rows ----------------------------------------------------------

    def remember(self, orders) -> None:
        """Orders the current command placed or touched: current now (see `rows`)."""
        for order in orders:
            self.rows[order.id] = order
            self.rows.move_to_end(order.id)
            self._touched.add(order.id)

    def row(self, order_id: int) -> Order | None:
        """The order's row as this writer has it, if it has it."""
        order = self.rows.get(order_id)
        if order is not None:
            self.rows.move_to_end(order_id)
        return order

    def holds(self, order: Order) -> bool:
        """Whether `order` is the row this writer keeps, current as its book is."""
        return self.rows.get(order.id) is order

    def committed(self) -> None:
        """The batch committed: keep the rows of resting orders only, the latest MAX_ROWS,
        and remember the ones that closed (only the batch's can have)."""
        for order_id in self._touched:
            order = self.rows.get(order_id)
            if order is not None and order.status != "open":
                del self.rows[order_id]
                self.closed[order_id] = (order.account_id, order.status)
        self._touched.clear()
        while len(self.rows) > MAX_ROWS:
            self.rows.popitem(last=False)
        while len(self.closed) > MAX_CLOSED:
            self.closed.popitem(last=False)

    def forget_rows(self) -> None:
        """After a rollback (which expired them all) or a commit in doubt."""
        self.rows.clear()
        self._touched.clear()

    def _drop_rows(self, instrument_id: int) -> None:
        for order in [order for order in self.rows.values()
                      if order.instrument_id == instrument_id]:
            del self.rows[order.id]
            if order in db.session:  # a reference elsewhere may keep it: read it again
                db.session.expire(order)


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
