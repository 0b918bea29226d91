"""What the order writer answers a web worker with, within one notification.

A command's answer carries the endpoint's JSON body, dumped by the endpoint's own schema
(`OrderBodies`, which the API registers) where the objects are at hand: the order and the
trades the command just made. The web worker sends it on without reading anything again.
The body shows the order as its own command left it, as an inline request's answer does,
even if a later command of the same batch fills it.

PostgreSQL refuses a notification of 8,000 bytes or more: an answer that would not fit
(an order that swept dozens of resting orders) leaves the body out and names the command's
trades by their first and last id, which the web worker then reads itself. A command's
trades take consecutive ids from the writer's pool, and nothing else trades on the
instrument while it runs, so that range and the order's id find exactly its trades. Each
answer also says where its time went in the writer (`timing`), for the request's log line.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm.util import identity_key

from market.extensions import db
from market.services.trading import command_bus
from models import Lot

_BODIES = "market.order_bodies"


@dataclass(frozen=True)
class OrderBodies:
    """How the order endpoints write their bodies (each given the result and a function from
    a lot id to its serial): the API's schemas, which it registers (`register_bodies`)."""

    placed: Callable[..., dict]  # PlaceResultSchema's body of an order placed or changed
    order: Callable[..., dict]  # OrderSchema's body


def register_bodies(app: Flask, bodies: OrderBodies) -> None:
    app.extensions[_BODIES] = bodies


class LotSerials:
    """Lots' serials by id, each read once (a serial never changes); forgotten when the
    writer takes the lead, as its books are."""

    def __init__(self):
        self._known: dict[int, str] = {}

    def forget(self) -> None:
        self._known.clear()

    def __call__(self, lot_id: int | None) -> str | None:
        if lot_id is None:
            return None
        serial = self._known.get(lot_id)
        if serial is None:
            loaded = db.session.identity_map.get(identity_key(Lot, lot_id))
            serial = loaded.serial if loaded is not None else db.session.scalar(
                select(Lot.serial).where(Lot.id == lot_id))
            self._known[lot_id] = serial
        return serial


def placed(result, serials: LotSerials) -> dict:
    """The answer to a placement or a change: the order, its trades and the body."""
    answer = {"order_id": result.order.id, "replayed": False, **trade_range(result.trades)}
    return _with_body(answer, lambda bodies: bodies.placed(result, serials))


def cancelled(order, serials: LotSerials) -> dict:
    """The answer to a cancel: the order and its body."""
    return _with_body({"order_id": order.id}, lambda bodies: bodies.order(order, serials))


def _with_body(answer: dict, body: Callable[[OrderBodies], dict]) -> dict:
    # Without the API (a writer in an app that serves none), the web worker reads the rows.
    bodies = current_app.extensions.get(_BODIES)
    return {**answer, "body": body(bodies)} if bodies is not None else answer


def timing(began: float, commands: int) -> dict:
    """Where an answer's time went inside the writer, for the web worker's log line: how
    long its batch ran, from its start (`began`, `time.perf_counter()`) up to its closing
    statement, and the batch's size. A duration of this process's own clock: no two hosts'
    clocks are compared."""
    return {"writer": {"batch_ms": round((time.perf_counter() - began) * 1000, 2),
                       "batch": commands}}


def trade_range(trades: list) -> dict:
    return {"trade_range": [trades[0].id, trades[-1].id]} if trades else {}


def encode(command_id: str, answer: dict) -> str:
    """The notification payload: with the body if it fits, else without it."""
    payload = command_bus.encode_reply(command_id, answer)
    if len(payload.encode()) <= command_bus.MAX_PAYLOAD or "body" not in answer:
        return payload
    return command_bus.encode_reply(
        command_id, {key: value for key, value in answer.items() if key != "body"})
