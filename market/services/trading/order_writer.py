"""The order writer: the one process that matches, with the books in memory, in batches.

`flask order-writer` runs one. It competes for a PostgreSQL advisory lock; the holder leads,
any other waits as a standby and takes over within a fraction of a second when the leader's
connection goes (a crash, a kill, a dropped connection). The leader listens for commands
(`command_bus`: traders' placements, changes and cancels, and the scheduler's book jobs
on one instrument), takes every command that has arrived, and runs them as one use case
against the live books (`live_books`): new rows with ids drawn ahead (`row_ids`) and
balance moves summed per row (`ledger.deferring`), written with the fills' changes, the log
of book commands and the answers (notifications) in two round trips (`row_ids.insert_now`,
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
from dataclasses import dataclass, field

from flask import Flask
from flask_babel import force_locale, lazy_gettext
from sqlalchemy import Row, bindparam, event, select
from sqlalchemy.orm import lazyload

from market.errors import DomainError, NotFound, Unauthorized
from market.extensions import db
from market.services import catalogue, identity, ledger, row_ids
from market.services.trading import (
    auctions,
    batch_end,
    command_bus,
    engine,
    live_books,
    orders,
    writer_answers,
)
from market.services.transaction import after_commit, use_case
from models import Account, ApiToken, Instrument, Order, User

log = logging.getLogger("market.order_writer")

# The advisory lock key of the one writer (all instruments): "market order writer".
LEADER_LOCK = 0x6D6B_6F77
MAX_BATCH = 500


# What every batch reads first, built once (not a statement and its cache key per batch).
_INSTRUMENTS_OF_ORDERS = select(Order.instrument_id).where(
    Order.id.in_(bindparam("ids", expanding=True)))
_LOCK_INSTRUMENTS = (
    select(Instrument).where(Instrument.code.in_(bindparam("codes", expanding=True))
                             | Instrument.id.in_(bindparam("ids", expanding=True)))
    .order_by(Instrument.id).with_for_update(of=Instrument, key_share=True)
    .options(lazyload("*")).execution_options(populate_existing=True))
_ACCOUNTS = (select(Account).where(Account.id.in_(bindparam("ids", expanding=True)))
             .options(lazyload("*")).execution_options(populate_existing=True))
# The API callers of a batch, by their tokens' digests, with the accounts they act for: what
# `identity.is_live` judges, and who the token's user is.
_CALLERS = (select(ApiToken.digest, ApiToken.revoked_at, ApiToken.expires_at, User.active,
                   User.id, User.role, User.account_id, Account)
            .select_from(ApiToken).join(User, User.id == ApiToken.user_id)
            .outerjoin(Account, Account.id == User.account_id)
            .where(ApiToken.digest.in_(bindparam("digests", expanding=True)))
            .options(lazyload("*")).execution_options(populate_existing=True))
# Only what a replay answers with: the id, and the digest a retry must match.
_EXISTING = select(Order.id, Order.request_digest, Order.account_id, Order.client_order_id).where(
    Order.account_id.in_(bindparam("accounts", expanding=True)),
    Order.client_order_id.in_(bindparam("keys", expanding=True)))


@dataclass(frozen=True)
class _Caller:
    """The user a live bearer token authenticates, as the batch read them."""

    user_id: int
    role: str
    account_id: int | None


@dataclass
class _Batch:
    """What one batch looked up once for all its commands."""

    instruments_by_code: dict[str, Instrument] = field(default_factory=dict)
    instruments_by_id: dict[int, Instrument] = field(default_factory=dict)
    accounts: dict[int, Account] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    callers: dict[str, _Caller] = field(default_factory=dict)  # by token digest: live ones
    # Orders placed earlier in this batch, by (account, client_order_id): a retry that arrives
    # while its original is still in the batch is a replay of it.
    placed: dict[tuple[int, str], Order] = field(default_factory=dict)
    existing: dict[tuple[int, str], Row] = field(default_factory=dict)  # id, request_digest

    def instrument(self, instrument_id: int) -> Instrument:
        return self.instruments_by_id[instrument_id]

    def account_id(self, command: command_bus.Command) -> int | None:
        """The account a command acts for: as sent, or its live token's user's."""
        if command.token is None:
            return command.account_id
        caller = self.callers.get(command.token)
        return None if caller is None else caller.account_id


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
        if self._unsure:
            self.books.forget()
        self._unsure = True
        after_commit(self._committed)
        self.books.begin_batch()
        deferring = ledger.deferring() if defer else nullcontext()
        with live_books.serving(self.books), row_ids.drawing_ahead(self.ids), deferring:
            batch = self._prefetch(commands)
            # No flush between commands: the batch's new rows (orders with ids drawn ahead,
            # journal transactions, entries) go in a few multi-row INSERTs at the end.
            with db.session.no_autoflush:
                replies = [(command, self._execute(batch, command)) for command in commands]
            row_ids.insert_now()  # the batch's new rows, in one INSERT per table
            # The balances moved, the fills' orders, the books' counters, the log and the
            # answers (sent by the commit, and only by it): one statement.
            last = batch_end.write(ledger.take_deferred(), self.books.pending_log, [
                (command.reply_to, writer_answers.encode(command.id, reply))
                for command, reply in replies])
            self.books.pending_log = []
            self.books.logged(last)
        db.session.flush()  # whatever else changed (rare: a settlement completed at once)

    def _committed(self) -> None:
        self._unsure = False
        self.books.committed()

    def _prefetch(self, commands: list[command_bus.Command]) -> _Batch:
        """Lock the batch's instruments (in id order, as every use case does) and its sell
        orders' lots, then read its accounts, users and the orders its retries name."""
        batch = _Batch()
        # The instruments of the orders to cancel or change: those the writer keeps name
        # theirs (it never changes); the others are read.
        instrument_ids, unknown = set(), []
        for command in commands:
            order_id = command.body.get("order_id")
            if command.kind in ("cancel", "modify") and order_id not in self.books.closed:
                kept = self.books.rows.get(order_id)
                if kept is None:
                    unknown.append(order_id)
                else:
                    instrument_ids.add(kept.instrument_id)
        if unknown:
            instrument_ids.update(db.session.scalars(_INSTRUMENTS_OF_ORDERS, {"ids": unknown}))
        instrument_ids.update(command.body["instrument_id"] for command in commands
                              if command.kind in command_bus.BOOK_JOBS)
        codes = {command.body["instrument"] for command in commands if command.kind == "place"}
        for instrument in db.session.scalars(_LOCK_INSTRUMENTS, {
                "codes": sorted(codes), "ids": sorted(instrument_ids)}):
            batch.instruments_by_code[instrument.code] = instrument
            batch.instruments_by_id[instrument.id] = instrument
            # Checked now, before any command: the order rows the writer keeps are then
            # current for the whole batch (those of a book that moved behind it are dropped).
            self.books.book_for(instrument)
        # The lots the batch's sell orders name, locked after the instruments (the order
        # inline matching takes them in); `lock_lot` then finds them locked already.
        lots = catalogue.lock_lots({command.body["lot_serial"] for command in commands
                                    if command.kind == "place" and command.body.get("lot_serial")})
        self._authenticate(batch, commands)
        account_ids = {command.account_id for command in commands} - batch.accounts.keys() - \
            {None}
        if account_ids:
            batch.accounts.update((account.id, account) for account in db.session.scalars(
                _ACCOUNTS, {"ids": sorted(account_ids)}))
        ledger.read_now([*lots.values(), *batch.accounts.values()])
        # A page's command names its user, whom the web worker authenticated just before
        # sending it; an API command's user is its token's. The writer needs the user object
        # only as the actor its journal rows and audit name.
        missing = ({command.actor_id for command in commands}
                   | {caller.user_id for caller in batch.callers.values()}) \
            - self._users.keys() - {None}
        if missing:
            self._users.update((user.id, user) for user in db.session.scalars(
                select(User).where(User.id.in_(missing)).options(lazyload("*"))))
        batch.users = self._users
        keys = [(batch.account_id(command), command.body["client_order_id"])
                for command in commands if command.kind == "place"]
        if keys:
            for row in db.session.execute(_EXISTING, {
                    "accounts": sorted({account for account, _ in keys}),
                    "keys": sorted({key for _, key in keys})}):
                batch.existing[(row.account_id, row.client_order_id)] = row
        return batch

    @staticmethod
    def _authenticate(batch: _Batch, commands: list[command_bus.Command]) -> None:
        """Read the batch's bearer tokens, their users and accounts, in one statement after
        the instruments' locks (so a freeze committed before them is seen), and keep the live
        ones (`identity.is_live`, the rule of every request's own lookup)."""
        digests = {command.token for command in commands} - {None}
        if not digests:
            return
        for row in db.session.execute(_CALLERS, {"digests": sorted(digests)}):
            if identity.is_live(row.revoked_at, row.expires_at, row.active):
                batch.callers[row.digest] = _Caller(row.id, row.role, row.account_id)
                if row.Account is not None:
                    batch.accounts[row.Account.id] = row.Account

    def _execute(self, batch: _Batch, command: command_bus.Command) -> dict:
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
                actor, account = _caller(batch, command)
                reply = self._carry_out(batch, command, actor, account)
                if command.token is not None:  # for the web worker's log line
                    reply["user_id"] = actor.id
                return reply
            except DomainError as refusal:
                if _pending_state(self.books) == before:
                    return _refusal(refusal)  # it wrote nothing: the batch goes on
                raise _Refused(command, _refusal(refusal), self.books.changed) from refusal

    def _carry_out(self, batch: _Batch, command, actor: User, account: Account) -> dict:
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
            owner, status = closed
            if owner != account.id:
                raise NotFound("order", body["order_id"])
            orders.refuse_unless_open(body["order_id"], status)
        if command.kind == "cancel":
            order = orders.cancel_open(actor, account, body["order_id"], batch.instrument)
            return writer_answers.cancelled(order, self.serials)
        changes = {key: body[key] for key in ("quantity", "price") if key in body}
        result = orders.change_open(actor, account, body["order_id"], changes, batch.instrument)
        return writer_answers.placed(result, self.serials)

    def _replay(self, batch: _Batch, command, account: Account):
        key = (account.id, command.body["client_order_id"])
        existing = batch.placed.get(key) or batch.existing.get(key)
        if existing is None:
            return None
        orders.check_retry(existing.request_digest, command.body["digest"])
        # The web worker reads the fills itself, after the commit.
        return {"order_id": existing.id, "replayed": True}


def _caller(batch: _Batch, command: command_bus.Command) -> tuple[User, Account]:
    """Who a trader's command acts for, and their account: 401 or 403 as a request's own
    checks would answer (`auth.order_command`)."""
    if command.token is None:
        actor = batch.users.get(command.actor_id)
        account = batch.accounts.get(command.account_id)
        if actor is None or account is None:
            raise Unauthorized()
        return actor, account
    caller = batch.callers.get(command.token)
    if caller is None:
        raise Unauthorized()
    identity.require_role(caller.role, ("trader",))
    account = batch.accounts.get(caller.account_id) if caller.account_id else None
    return batch.users[caller.user_id], identity.require_trading_account(account)


def _run_book_job(batch: _Batch, command: command_bus.Command, actor: User | None) -> dict:
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
