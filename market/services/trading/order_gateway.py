"""The web worker's side of the order writer: send a command, wait for its committed answer.

With `ORDER_WRITER = "writer"` (PostgreSQL only), placing, changing and cancelling orders are
commands to the order writer process (`flask order-writer`), which keeps the books in memory
and commits commands in batches. Each web process keeps one listening connection with a
thread that hands each answer to the request waiting for it, and each request thread one
sending connection. A request that gets no answer within `ORDER_WRITER_TIMEOUT` seconds is
answered 503 `order_writer_unavailable`: the command may or may not have been carried out, and
retrying the same client_order_id places it at most once.
"""

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from flask import current_app
from flask_babel import get_locale, lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from market.errors import DomainError
from market.extensions import db
from market.services.trading import command_bus
from models import Account, Lot, Order, Trade, User

log = logging.getLogger("market.order_gateway")


class WriterUnavailable(DomainError):
    """No order writer answered in time; nothing acknowledged, the client may retry."""

    status = 503

    def __init__(self):
        super().__init__("order_writer_unavailable", lazy_gettext(
            "the order writer did not answer in time; retry with the same client_order_id"))


# How long the reply listener waits before listening again: doubling from the first to the
# longest while the database stays away (replies are lost meanwhile, so not long).
RECONNECT_FIRST, RECONNECT_LONGEST = 0.5, 5.0


def enabled() -> bool:
    return current_app.config.get("ORDER_WRITER") == "writer"


@dataclass(frozen=True)
class BearerCaller:
    """An API caller known by the digest of their bearer token only. The order writer
    authenticates it (the token live, its user an active trader with an account) in the
    batch that carries the command out, so the web worker reads nothing for an order, and a
    token revoked before that batch commits places nothing."""

    digest: str


class Answered:
    """The order writer's answer to one command.

    `body` is the endpoint's JSON as the writer dumped it (writer_answers), which the API
    sends on as it is; None when it did not fit in a notification, or for a replay. The order
    and trades behind it are read only when asked for: the pages ask, the API does not.
    """

    def __init__(self, reply: dict, fills_on_arrival: Callable[[Order], list[Trade]] | None):
        self.body: dict | None = reply.get("body")
        self.replayed: bool = reply.get("replayed", False)
        self.user_id: int | None = reply.get("user_id")  # whom the writer authenticated
        # Where the answer's time went (writer_answers.timing), with the whole round trip as
        # this worker saw it: for the request's log line.
        self.timing: dict | None = reply.get("writer")
        self._order_id, self._trade_range = reply["order_id"], reply.get("trade_range")
        self._fills_on_arrival = fills_on_arrival

    @cached_property
    def order(self) -> Order:
        # The writer changed the row in another transaction: never from this session's cache.
        return db.session.get(Order, self._order_id, populate_existing=True,
                              options=_with_lot_serial(Order))

    @cached_property
    def trades(self) -> list[Trade]:
        if self.replayed:  # the writer did not match it again: the fills it made back then
            return self._fills_on_arrival(self.order)
        if self._trade_range is None:  # most orders trade nothing on arrival
            return []
        first, last = self._trade_range
        # The command's trades have consecutive ids from the writer's pool, and nothing else
        # traded on the instrument while it ran (see writer_answers).
        return list(db.session.scalars(
            select(Trade).where(Trade.id.between(first, last),
                                (Trade.buy_order_id == self._order_id)
                                | (Trade.sell_order_id == self._order_id))
            .options(*_with_lot_serial(Trade)).order_by(Trade.id)))


Caller = User | BearerCaller


def place(actor: Caller, account: Account | None, data: dict, digest: str,
          fills_on_arrival: Callable[[Order], list[Trade]]) -> Answered:
    """Place an order through the writer (a replay's fills are read by `fills_on_arrival`).
    A `BearerCaller` comes with no account: the writer finds it with the token."""
    return Answered(_call("place", actor, account, {**data, "digest": digest}),
                    fills_on_arrival)


def cancel(actor: Caller, account: Account | None, order_id: int) -> Answered:
    return Answered(_call("cancel", actor, account, {"order_id": order_id}), None)


def modify(actor: Caller, account: Account | None, order_id: int, changes: dict) -> Answered:
    """Reduce or reprice an order through the writer."""
    return Answered(_call("modify", actor, account, {"order_id": order_id, **changes}), None)


def _with_lot_serial(model) -> list:
    # An answer names the lot by serial: read it with the order or trade, not by a query of
    # its own (and not the lot's own eager joins).
    return [joinedload(model.lot).load_only(Lot.serial).lazyload("*")]


def run_book_job(kind: str, instrument_id: int, now: datetime, *,
                 slot_at: datetime | None = None, lot_id: int | None = None,
                 actor: User | None = None) -> dict:
    """Have the writer expire (`closed`: how many), rematch (`trades`), uncross (`result`:
    the AuctionResult's fields, or None if the slot has run) one instrument's book at `now`,
    or withdraw the offers of an expired lot (`closed`): the scheduler's jobs, in the name
    of no user unless `actor` is given."""
    body = {"instrument_id": instrument_id, "now": now}
    if slot_at is not None:
        body["slot_at"] = slot_at
    if lot_id is not None:
        body["lot_id"] = lot_id
    return _call(kind, actor, None, body)


def _call(kind: str, actor: Caller | None, account: Account | None, body: dict) -> dict:
    timeout = current_app.config["ORDER_WRITER_TIMEOUT"]
    port = _port()
    token = actor.digest if isinstance(actor, BearerCaller) else None
    command = command_bus.new_command(kind, port.channel, time.time() + timeout,
                                      str(get_locale() or "zh_CN"),
                                      None if actor is None or token else actor.id,
                                      account.id if account else None, body, token)
    sent = time.perf_counter()
    reply = port.call(command, timeout)
    if reply is None:
        raise WriterUnavailable()
    if "writer" in reply:
        reply["writer"]["round_trip_ms"] = round((time.perf_counter() - sent) * 1000, 2)
    # The writer changed rows in its own transaction: nothing this session loaded before
    # (the caller's account, say) is current any more. No query now; one on the next read.
    # (An API order request has no session at all: it read nothing.)
    if db.session.registry.has():
        db.session.expire_all()
    error = reply.get("error")
    if error is not None:
        raise DomainError(error["code"], error["message"], error.get("fields") or {},
                          status=error["status"])
    return reply


class _Port:
    """One process's listening connection and the requests waiting on it."""

    def __init__(self, engine):
        self.engine = engine
        self.channel = f"market_order_replies_{uuid.uuid4().hex}"
        self._waiting: dict[str, list] = {}
        self._lock = threading.Lock()
        self._senders = threading.local()
        self._closed = threading.Event()
        self._listener = command_bus.dedicated_connection(engine)
        command_bus.listen(self._listener, self.channel)
        self._thread = threading.Thread(target=self._dispatch, name="order-replies",
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop listening (the thread ends within its wait)."""
        self._closed.set()
        self._thread.join(10)

    def call(self, command: command_bus.Command, timeout: float) -> dict | None:
        slot = [threading.Event(), None]
        with self._lock:
            self._waiting[command.id] = slot
        try:
            self._send(command_bus.encode(command))
            slot[0].wait(timeout)
            return slot[1]
        finally:
            with self._lock:
                self._waiting.pop(command.id, None)

    def _send(self, payload: str) -> None:
        raw = getattr(self._senders, "connection", None)
        if raw is None or raw.closed:
            raw = command_bus.dedicated_connection(self.engine)
            with raw.cursor() as cursor:
                # The notification itself is not a durable fact: no need to wait for a flush.
                cursor.execute("SET synchronous_commit = off")
            self._senders.connection = raw
        try:
            command_bus.notify(raw, command_bus.COMMANDS, payload)
        except Exception:
            self._senders.connection = None
            raise

    def _dispatch(self) -> None:
        pause = RECONNECT_FIRST
        while not self._closed.is_set():
            try:
                for note in command_bus.wait_for_notifications(self._listener, 0.5):
                    reply = json.loads(note.payload)
                    with self._lock:
                        slot = self._waiting.get(reply["id"])
                    if slot is not None:
                        slot[1] = reply
                        slot[0].set()
                pause = RECONNECT_FIRST
            except Exception:
                # The listening connection broke: listen again on a new one, waiting longer
                # after each failure (one line per attempt in the log, not two a second).
                # Requests waiting meanwhile time out (503) and their clients retry.
                log.warning("order replies: listening connection lost; listening again in "
                            "%.1f s", pause, exc_info=pause == RECONNECT_FIRST)
                time.sleep(pause)
                pause = min(pause * 2, RECONNECT_LONGEST)
                try:
                    self._listener = command_bus.dedicated_connection(self.engine)
                    command_bus.listen(self._listener, self.channel)
                except Exception as error:
                    log.warning("order replies: cannot listen again yet: %s", error)
        self._listener.close()


_ports: dict[tuple[int, int], _Port] = {}
_ports_lock = threading.Lock()


def _port() -> _Port:
    # One per process and engine: gunicorn forks workers, and a fork must not share the
    # parent's connections or thread.
    key = (os.getpid(), id(db.engine))
    port = _ports.get(key)
    if port is None:
        with _ports_lock:
            port = _ports.get(key)
            if port is None:
                port = _ports[key] = _Port(db.engine)
    return port


def close_ports() -> None:
    """Stop this process's reply listeners (before its database goes: tests, shutdown)."""
    with _ports_lock:
        ports = list(_ports.values())
        _ports.clear()
    for port in ports:
        port.close()
