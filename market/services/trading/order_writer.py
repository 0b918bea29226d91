"""The order writer: the one process that matches, with the books in memory, in batches.

`flask order-writer` runs one. It competes for a PostgreSQL advisory lock; the holder leads,
any other waits as a standby and takes over within a fraction of a second when the leader's
connection goes (a crash, a kill, a dropped connection). The leader listens for commands
(`command_bus`: traders' placements, changes and cancels, and the scheduler's book jobs
on one instrument), takes every command that has arrived, and runs them as one use case
against the live books (`live_books`): what the batch reads first, its locks and callers,
once for all its commands (`writer_batch`); new rows with ids drawn ahead (`row_ids`) and
balance moves summed per row (`ledger.deferring`), written with the fills' changes, the log
of book commands and the answers (notifications) in one round trip (`row_ids.inserts_ahead`,
`batch_end`), then one commit. Nothing is answered before that commit. A command refused
before it wrote is answered and the batch goes on; one refused after it wrote rolls the
batch back and splits it there; a batch that fails otherwise is rolled back, its books
dropped (they are rebuilt from the rows) and its commands run again one by one, so one bad
command cannot sink the others.
"""

import logging
import threading
import time
from contextlib import nullcontext

from flask import Flask
from flask_babel import force_locale, lazy_gettext
from sqlalchemy import event

from market.errors import DomainError
from market.extensions import db
from market.services import catalogue, ledger, row_ids
from market.services.trading import (
    auctions,
    batch_end,
    command_bus,
    engine,
    live_books,
    orders,
    writer_answers,
    writer_batch,
)
from market.services.transaction import after_commit, use_case
from models import Account, Settlement, Trade, User

log = logging.getLogger("market.order_writer")

# The advisory lock key of the one writer (all instruments): "market order writer".
LEADER_LOCK = 0x6D6B_6F77
MAX_BATCH = 500


class OrderWriter:
    """Lead (or stand by), and run the commands of every batch."""

    def __init__(self, app: Flask, *, max_batch: int = MAX_BATCH):
        self.app = app
        self.max_batch = max_batch
        self.books = live_books.LiveBooks()
        self.ids = row_ids.IdPool()  # new orders, trades and settlements: no flush for an id
        self.serials = writer_answers.LotSerials()  # for the answers
        self._users: dict[int, User] = {}  # the actors of earlier batches, by id
        self._unsure = False  # the last batch may not have committed: the books may be wrong
        self.leading = threading.Event()
        self.batches = 0
        self.commands = 0
        self.busy_seconds = 0.0  # wall time spent running batches (commit included)
        # Batches that failed otherwise than by a refusal (run again one by one), and the
        # commands that then failed alone, answered 503: a rising count is a writer that
        # cannot write (a book its rows contradict, a broken constraint), worth an alert.
        self.failed_batches = 0
        self.failed_commands = 0

    # ---- leadership -------------------------------------------------------------------

    def run(self, stop: threading.Event | None = None) -> None:
        """Serve until `stop` is set: lead when the lock is free, otherwise wait for it."""
        stop = stop or threading.Event()
        with self.app.app_context():
            count_writes(db.engine)
            self._serve_until(stop)

    def _serve_until(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self._stand_by_then_lead(stop)
            except Exception:
                log.exception("order writer: lost its connection; standing by again")
                self.leading.clear()
                self.books.forget()
                self._users.clear()
                db.session.remove()
                stop.wait(0.5)

    def _stand_by_then_lead(self, stop: threading.Event) -> None:
        raw = command_bus.dedicated_connection(db.engine)
        try:
            with raw.cursor() as cursor:
                while not stop.is_set():
                    cursor.execute("SELECT pg_try_advisory_lock(%s)", (LEADER_LOCK,))
                    if cursor.fetchone()[0]:
                        break
                    stop.wait(0.2)
                else:
                    return
            # Listen before rebuilding, so nothing sent meanwhile is missed.
            command_bus.listen(raw, command_bus.COMMANDS)
            self.books.forget()
            self.serials.forget()
            self.leading.set()
            log.info("order writer: leading")
            while not stop.is_set():
                notes = command_bus.wait_for_notifications(raw, 0.5)
                while notes:
                    batch, notes = notes[:self.max_batch], notes[self.max_batch:]
                    self.serve([command_bus.decode(note.payload) for note in batch], raw)
        finally:
            self.leading.clear()
            raw.close()  # ends the session: the advisory lock goes with it

    # ---- batches ----------------------------------------------------------------------

    def serve(self, commands: list[command_bus.Command], raw) -> None:
        """Carry out one batch of commands and answer each (unexpired) one."""
        now = time.time()
        commands = [command for command in commands if command.deadline > now]
        if not commands:
            return
        started = time.perf_counter()
        self._run(commands, raw)
        self.batches += 1
        self.commands += len(commands)
        self.busy_seconds += time.perf_counter() - started

    def _run(self, commands: list[command_bus.Command], raw, defer: bool = True) -> None:
        """Commit `commands` as one batch, or split it where a command was refused.

        A batch sums its balance moves per account and lot and moves each row once at its
        end (`defer`). If another transaction moved one of those balances meanwhile so that
        the sum no longer fits, the batch is rolled back and its commands go again one at a
        time, each move at once, so a refusal names its command.
        """
        try:
            self._persist(commands, defer)
        except ledger.BalancesMovedMeanwhile as moved:
            log.info("order writer: %s; running the batch of %d one by one", moved,
                     len(commands))
            self.books.forget()
            for command in commands:
                self._run([command], raw, defer=False)
        except _Refused as refused:
            # Refused after it had written: the whole batch was rolled back. Those before it
            # go again as a batch, it is answered alone, those after it go on as a batch.
            self._forget(refused.touched)
            index = commands.index(refused.command)
            if index:
                self._run(commands[:index], raw, defer)
            command_bus.notify(raw, refused.command.reply_to,
                               command_bus.encode_reply(refused.command.id, refused.reply))
            if index + 1 < len(commands):
                self._run(commands[index + 1:], raw, defer)
        except Exception:
            log.exception("order writer: a batch of %d failed; running them one by one",
                          len(commands))
            self.failed_batches += 1
            self.books.forget()
            if len(commands) > 1:
                for command in commands:
                    self._run([command], raw, defer=False)
                return
            command = commands[0]
            self.failed_commands += 1
            with force_locale(command.locale):
                failure = _refusal(DomainError("order_writer_failed", lazy_gettext(
                    "the order writer could not carry this out; retry with the same "
                    "client_order_id"), status=503))
            command_bus.notify(raw, command.reply_to,
                               command_bus.encode_reply(command.id, failure))

    def _forget(self, instrument_ids: set[int]) -> None:
        for instrument_id in instrument_ids:
            self.books.drop(instrument_id)
        self.books.forget_rows()  # the rollback expired them all

    @use_case
    def _persist(self, commands: list[command_bus.Command], defer: bool) -> None:
        began = time.perf_counter()
        if self._unsure:
            self.books.forget()
        self._unsure = True
        after_commit(self._committed)
        self.books.begin_batch()
        deferring = ledger.deferring() if defer else nullcontext()
        with live_books.serving(self.books), row_ids.drawing_ahead(self.ids), deferring:
            batch = writer_batch.read(commands, self.books, self._users)
            # No flush between commands: the batch's new rows (orders with ids drawn ahead,
            # journal transactions, entries) go in a few multi-row INSERTs at the end.
            with db.session.no_autoflush:
                replies = [(command, self._execute(batch, command)) for command in commands]
            # The batch's new rows, in one INSERT per table (its trades and settlements are
            # done with, answered, settled at once or not: they stay out of the session),
            # then the balances moved, the fills' orders, the books' counters, the log and
            # the answers (sent by the commit, and only by it) in one statement: one round
            # trip.
            timing = writer_answers.timing(began, len(commands))
            last = batch_end.write(
                ledger.take_deferred(), self.books.pending_log,
                [(command.reply_to, writer_answers.encode(command.id, {**reply, **timing}))
                 for command, reply in replies],
                row_ids.inserts_ahead(left_out=(Trade, Settlement)))
            self.books.pending_log = []
            self.books.logged(last)
        db.session.flush()  # whatever else changed (rare: a settlement completed at once)

    def _committed(self) -> None:
        self._unsure = False
        self.books.committed()

    def _execute(self, batch: writer_batch.Batch, command: command_bus.Command) -> dict:
        """Run one command; its answer, or its refusal, as a dict.

        Most refusals (a frozen account, too little cash, an order already closed) come
        before the command writes anything: the batch goes on. A refusal after a write (the
        engine refusing a price after the order row and its hold were written, say) cannot
        be undone alone without a savepoint per command (two round trips each, on every
        command): it rolls the batch back instead (`_Refused`), and `_run` splits it.
        """
        with force_locale(command.locale):
            before = _pending_state(self.books)
            try:
                if command.kind in command_bus.BOOK_JOBS:
                    return _run_book_job(batch, command, batch.users.get(command.actor_id))
                actor, account = writer_batch.caller(batch, command)
                reply = self._carry_out(batch, command, actor, account)
                if command.token is not None:  # for the web worker's log line
                    reply["user_id"] = actor.id
                return reply
            except DomainError as refusal:
                if _pending_state(self.books) == before:
                    return _refusal(refusal)  # it wrote nothing: the batch goes on
                raise _Refused(command, _refusal(refusal), self.books.changed) from refusal

    def _carry_out(self, batch: writer_batch.Batch, command, actor: User, account: Account) -> dict:
        body = command.body
        if command.kind == "place":
            replayed = self._replay(batch, command, account)
            if replayed is not None:
                return replayed
            instrument = batch.instruments_by_code.get(body["instrument"]) or \
                catalogue.instrument_for_input(body["instrument"])
            data = {key: value for key, value in body.items() if key != "digest"}
            result = orders.open_order(actor, account, data, instrument, body["digest"])
            batch.placed[(account.id, body["client_order_id"])] = result.order
            return writer_answers.placed(result, self.serials)
        closed = self.books.closed.get(body["order_id"])
        if closed is not None:  # the answer `orders.cancel_open` or `change_open` would give
            orders.refuse_closed(account, body["order_id"], *closed)
        if command.kind == "cancel":
            order = orders.cancel_open(actor, account, body["order_id"], batch.instrument)
            return writer_answers.cancelled(order, self.serials)
        changes = {key: body[key] for key in ("quantity", "price") if key in body}
        result = orders.change_open(actor, account, body["order_id"], changes, batch.instrument)
        return writer_answers.placed(result, self.serials)

    def _replay(self, batch: writer_batch.Batch, command, account: Account):
        key = (account.id, command.body["client_order_id"])
        existing = batch.placed.get(key) or batch.existing.get(key)
        if existing is None:
            return None
        orders.check_retry(existing.request_digest, command.body["digest"])
        # The web worker reads the fills itself, after the commit.
        return {"order_id": existing.id, "replayed": True}


def _run_book_job(batch: writer_batch.Batch, command: command_bus.Command,
                  actor: User | None) -> dict:
    """Expire, rematch or uncross one instrument's live book, or withdraw an expired lot's
    offers from it: the scheduler's jobs, run here like any other change to a book so that
    no book changes behind the writer."""
    instrument, now = batch.instrument(command.body["instrument_id"]), command.body["now"]
    if command.kind == "expire":
        return {"closed": len(engine.expire(instrument, now).closed)}
    if command.kind == "rematch":
        return {"trades": len(engine.rematch(instrument, now).trades)}
    if command.kind == "withdraw":  # the lot's orders are all of this instrument
        return {"closed": orders.cancel_open_orders(None, "lot_expired",
                                                    lot_id=command.body["lot_id"],
                                                    lock=batch.instrument)}
    result = auctions.uncross_locked(instrument, actor, command.body.get("slot_at"), now)
    return {"result": None if result is None else {
        "instrument": result.instrument, "price": _text(result.price),
        "volume": str(result.volume), "trades": result.trades}}


def _text(amount) -> str | None:
    return None if amount is None else str(amount)


class _Refused(Exception):
    """A command refused after it had written: its batch must be rolled back and split."""

    def __init__(self, command: command_bus.Command, reply: dict, touched: set[int]):
        super().__init__(command.id)
        self.command, self.reply, self.touched = command, reply, set(touched)


class _WriteCounter(threading.local):
    """Statements that change rows, counted per thread (the writer's is its only one)."""

    count = 0


_writes = _WriteCounter()


def _pending_state(books: live_books.LiveBooks) -> tuple:
    """What a command could have changed: rows written or kept to insert, objects added or
    changed, books."""
    return (_writes.count, row_ids.later_count(), frozenset(map(id, db.session.new)),
            frozenset(map(id, db.session.dirty)), frozenset(books.changed))


def count_writes(engine) -> None:
    """Count the statements that change rows on `engine` (once per engine)."""
    if not event.contains(engine, "before_cursor_execute", _count_writes):
        event.listen(engine, "before_cursor_execute", _count_writes)


def _count_writes(connection, cursor, statement, parameters, context, executemany):
    if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        _writes.count += 1


def _refusal(refusal: DomainError) -> dict:
    """A refusal as the web worker re-raises it, its words in the requester's language."""
    return {"error": {"code": refusal.code, "status": refusal.status,
                      "message": str(refusal.message),
                      "fields": {name: [str(words) for words in texts]
                                 for name, texts in (refusal.fields or {}).items()}}}
