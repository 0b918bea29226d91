"""Orders: place, reduce, replace and cancel, each matched under the instrument's lock.

Matching is serialized per instrument across any number of processes: every change to an
instrument's open orders first locks its row (`SELECT … FOR NO KEY UPDATE`, see
`catalogue/locks.py`; SQLite serializes writers anyway), then hands the command to the
engine seam (`engine.py`), which builds the book, applies it and writes its events.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from market import metrics
from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import catalogue, identity, ledger, registry, row_ids
from market.services.catalogue import lock_instrument, lock_instrument_by_code, lock_lot
from market.services.trading import engine, live_books, order_gateway, rejections
from market.services.transaction import after_commit, keep_after_rollback, use_case
from market.vocabulary import INSTRUMENT_STATUS, ORDER_STATUS, word
from matching import Rejected
from models import Account, Instrument, Lot, Order, Trade, User
from models.base import utcnow

# Engine reject codes, translated to what a caller sees.
REJECTIONS = {
    "bad_tick": ("price", lazy_gettext("is not a multiple of the tick size")),
    "outside_band": ("price", lazy_gettext("is outside the price band around the guide price")),
    "below_floor": ("price", lazy_gettext("is below the floor price")),
    "bad_lot": ("quantity", lazy_gettext("is not a multiple of the lot size")),
    "non_positive_quantity": ("quantity", lazy_gettext("must be greater than zero")),
    "non_positive_price": ("price", lazy_gettext("must be greater than zero")),
    "expired_on_arrival": ("expires_at", lazy_gettext("is already past")),
    "bad_expiry": ("expires_at", lazy_gettext("is required for GTD and only for GTD")),
    "tif_not_allowed": ("tif", lazy_gettext("IOC and FOK cannot join a call auction")),
    "not_a_reduction": ("quantity", lazy_gettext("must be below the open quantity and above zero")),
}


@dataclass
class PlaceResult:
    """An order and the trades it made when placed; `replayed` on an idempotent retry."""

    order: Order
    trades: list[Trade]
    replayed: bool = False


def request_digest(data: dict) -> str:
    """A fingerprint of an order request, to tell a retry from a different order."""
    def plain(value):
        return value.isoformat() if isinstance(value, date) else str(value)
    canonical = json.dumps({k: plain(v) for k, v in data.items() if v is not None},
                           sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _reject(event: Rejected) -> DomainError:
    field, message = REJECTIONS.get(event.code, ("order", event.message))
    return DomainError(event.code, lazy_gettext("%(field)s %(message)s", field=field,
                                                message=message), {field: [message]}, status=422)


def _check_tradable(account: Account, instrument: Instrument) -> None:
    if account.frozen:
        raise DomainError("account_frozen", lazy_gettext("this account is frozen and cannot trade"))
    if instrument.status != "open":
        raise DomainError("instrument_halted", lazy_gettext(
            "%(code)s is %(status)s: %(reason)s", code=instrument.code,
            status=word(INSTRUMENT_STATUS, instrument.status), reason=instrument.status_reason))


def _sell_lot(account: Account, instrument: Instrument, serial: str | None, quantity) -> Lot:
    if not serial:
        raise InvalidInput("lot_serial", lazy_gettext("a sell order names the lot it sells from"))
    try:
        lot = lock_lot(serial)
    except NotFound:
        lot = None
    if lot is None or lot.owner_account_id != account.id:
        raise DomainError("lot_not_yours", lazy_gettext("you hold no lot %(serial)s",
                                                        serial=serial),
                          {"lot_serial": [lazy_gettext("not a lot of this account")]}, status=422)
    if lot.instrument_id != instrument.id:
        raise InvalidInput("lot_serial", lazy_gettext("%(serial)s is not a %(code)s lot",
                                                      serial=serial, code=instrument.code),
                           code="lot_instrument_mismatch")
    registry.require_sellable(lot, quantity)
    return lot


@use_case
def place_order(actor: User | order_gateway.BearerCaller, account: Account | None,
                data: dict) -> PlaceResult | order_gateway.Answered:
    """Place an order; it may trade at once. The same client_order_id replays the result.

    Through the order writer the result is its `Answered`, which reads the order and trades
    only if asked for (the API sends its body instead). Only through it may the caller be a
    `BearerCaller` (with no account), whom the writer authenticates."""
    digest = request_digest(data)
    writer = order_gateway.enabled()  # the order writer matches it, else this request
    instrument = None if writer else lock_instrument_by_code(data["instrument"])
    code = data["instrument"] if writer else instrument.code  # the counters' label
    try:
        if writer:
            result = order_gateway.place(actor, account, data, digest, fills_on_arrival)
        else:
            result = _place(actor, account, data, instrument, digest)
    except DomainError as refusal:
        # Counted at once: a refusal is final (the boundary retries only database aborts).
        metrics.order_rejected(code, refusal.code)
        raise
    if not result.replayed:
        after_commit(lambda: metrics.order_placed(code))
    return result


def _place(actor: User, account: Account, data: dict, instrument: Instrument,
           digest: str) -> PlaceResult:
    # Looked up under the lock, so a retry racing its original sees the committed order.
    replay = _replay(account, data["client_order_id"], digest)
    if replay is not None:
        return replay
    try:
        return open_order(actor, account, data, instrument, digest)
    except IntegrityError:
        # The same client_order_id was just used for another instrument by a parallel request.
        db.session.rollback()
        return _replay(account, data["client_order_id"], digest)


def open_order(actor: User, account: Account, data: dict, instrument: Instrument,
               digest: str) -> PlaceResult:
    """Check, hold or encumber, insert and match a new order (no replay check: see _place).

    Raises IntegrityError when the account already used the client_order_id: the caller
    decides what to roll back. In the order writer's batch the order takes an id drawn
    ahead and is inserted with the batch's other new rows (`row_ids`).
    """
    # The account was read at the start of this request's transaction; a freeze racing this
    # order cancels it right after, under the same instrument lock.
    _check_tradable(account, instrument)
    side, price, quantity = data["side"], data["price"], data["quantity"]
    hold = ledger.hold_for(instrument.deposit_ratio, price, quantity) if side == "buy" \
        else ledger.ZERO
    # One timestamp for the order and the fills it makes on arrival (see fills_on_arrival).
    now = utcnow()
    order = Order(
        created_at=now,
        # The keys as well as the objects: with its id drawn ahead, the order is matched
        # before any flush would have copied them from the relationships.
        account=account, account_id=account.id, instrument=instrument,
        instrument_id=instrument.id, client_order_id=data["client_order_id"],
        request_digest=digest, side=side, price=price, quantity=quantity,
        filled=Decimal("0"), remaining=quantity, held=hold, tif=data["tif"],
        expires_at=data.get("expires_at"), status="open",
        max_quality_grade=data.get("max_quality_grade") if side == "buy" else None,
    )
    if side == "buy":
        if account.cash_available < hold:
            raise DomainError("insufficient_funds",
                              lazy_gettext("the deposit %(hold)s exceeds available cash "
                                           "%(cash)s", hold=hold, cash=account.cash_available),
                              {"quantity": [lazy_gettext("deposit too large")]})
    else:
        order.lot = _sell_lot(account, instrument, data.get("lot_serial"), quantity)
        order.lot_id = order.lot.id
    row_ids.add(order)  # its id: drawn ahead in the writer's batch, else from a flush now
    if side == "buy":
        ledger.hold_cash(account.id, hold, actor, memo=f"hold for order {order.id}",
                         reference=f"order:{order.id}")
    else:
        ledger.encumber(order.lot, quantity, actor, f"order {order.id}")
    outcome = engine.submit(instrument, order, actor, now)
    if outcome.rejection is not None:
        refused, account_id, instrument_id = outcome.rejection, account.id, instrument.id
        # The refused order changed nothing, but surveillance counts refusals.
        keep_after_rollback(lambda: rejections.record_rejection(
            account_id, instrument_id, refused.code, data))
        raise _reject(refused)
    return PlaceResult(order, outcome.trades)


def _replay(account: Account, client_order_id: str, digest: str) -> PlaceResult | None:
    """The answer to a retry (None if the client_order_id is new), or a refusal if the
    request differs from the one that made the order."""
    existing = db.session.scalar(select(Order).where(
        Order.account_id == account.id, Order.client_order_id == client_order_id))
    if existing is None:
        return None
    check_retry(existing.request_digest, digest)
    return PlaceResult(existing, fills_on_arrival(existing), replayed=True)


def check_retry(stored_digest: str, digest: str) -> None:
    """Refuse a client_order_id used again for a different order (the digests differ)."""
    if stored_digest != digest:
        raise DomainError("duplicate_client_order_id",
                          lazy_gettext("this client_order_id was used for a different order"))


def _own_open_order(account: Account, order_id: int,
                    lock: Callable[[int], Instrument]) -> tuple[Order, Instrument]:
    order = db.session.get(Order, order_id)
    if order is None or order.account_id != account.id:
        raise NotFound("order", order_id)
    instrument = lock(order.instrument_id)
    # Read again under the lock, unless it is current already: this transaction changed it
    # under the lock (the order writer's batch filled it a command ago), and a refresh would
    # undo that; or it is the row the writer keeps (as current as its checked book). No
    # flush here: to the writer a flush is a write, and a refusal after a write splits its
    # batch.
    live = live_books.current()
    if order not in db.session.dirty and not (live is not None and live.holds(order)):
        _read_again(order)
    _refuse_unless_open(order_id, order.status)
    return order, instrument


def refuse_closed(account: Account, order_id: int, owner_id: int, status: str) -> None:
    """What `_own_open_order` answers for a closed order known without reading it (the
    order writer remembers those): 404 unless it is the account's, else 409."""
    if owner_id != account.id:
        raise NotFound("order", order_id)
    _refuse_unless_open(order_id, status)


def _refuse_unless_open(order_id: int, status: str) -> None:
    """409 `order_closed` for an order that is no longer open (filled, cancelled, expired)."""
    if status != "open":
        raise DomainError("order_closed", lazy_gettext(
            "order %(id)s is %(status)s", id=order_id, status=word(ORDER_STATUS, status)))


def _read_again(order: Order) -> None:
    # The order's own row only: a refresh would also read its eagerly loaded instrument and
    # account again and overwrite what the order writer changed in them, unflushed.
    db.session.scalar(select(Order).where(Order.id == order.id).options(lazyload("*"))
                      .execution_options(populate_existing=True))


@use_case
def cancel_order(actor: User | order_gateway.BearerCaller, account: Account | None,
                 order_id: int) -> Order | order_gateway.Answered:
    """Cancel an open order; its hold or encumbrance is released exactly (through the order
    writer, its `Answered`: the order is its `order`)."""
    if order_gateway.enabled():
        return order_gateway.cancel(actor, account, order_id)
    return cancel_open(actor, account, order_id, lock_instrument)


def cancel_open(actor: User, account: Account, order_id: int,
                lock: Callable[[int], Instrument]) -> Order:
    """Cancel one of the account's open orders, taking its instrument with `lock`."""
    order, instrument = _own_open_order(account, order_id, lock)
    outcome = engine.cancel(instrument, [order], actor, utcnow())
    if outcome.rejection is not None:
        # The order is open in its row but not in the book: the book is wrong, not the
        # request. Failing here rolls the change back (the order writer rebuilds the book).
        raise RuntimeError(f"the book refused to cancel open order {order.id}: "
                           f"{outcome.rejection.code}")
    return order


@use_case
def modify_order(actor: User | order_gateway.BearerCaller, account: Account | None,
                 order_id: int, changes: dict) -> PlaceResult | order_gateway.Answered:
    """Reduce the quantity (keeps priority) or move the price (loses priority, may trade).

    Reducing lowers risk, so it is allowed on a halted instrument or a frozen account;
    moving the price is trading and is not.
    """
    if order_gateway.enabled():
        return order_gateway.modify(actor, account, order_id, changes)
    return change_open(actor, account, order_id, changes, lock_instrument)


def change_open(actor: User, account: Account, order_id: int, changes: dict,
                lock: Callable[[int], Instrument]) -> PlaceResult:
    """Reduce or reprice one of the account's open orders, taking its instrument with `lock`."""
    order, instrument = _own_open_order(account, order_id, lock)
    now = utcnow()
    if "quantity" in changes:
        outcome = engine.reduce(instrument, order, changes["quantity"], actor, now)
    else:
        _check_tradable(db.session.get(Account, account.id), instrument)
        outcome = engine.replace(instrument, order, changes["price"], actor, now)
    if outcome.rejection is not None:
        raise _reject(outcome.rejection)
    return PlaceResult(order, outcome.trades)


def cancel_open_orders(actor: User | None, reason: str, *, lot_id: int | None = None,
                       account_id: int | None = None,
                       lock: Callable[[int], Instrument] = lock_instrument) -> int:
    """Cancel every open order of a lot or an account (a regulator's freeze), as a part of the
    caller's use case; instrument by instrument, each under its lock, taken with `lock` (the
    order writer's batch holds it already). Returns how many."""
    condition = Order.lot_id == lot_id if lot_id is not None else Order.account_id == account_id
    instrument_ids = db.session.scalars(select(Order.instrument_id).where(
        Order.status == "open", condition).distinct().order_by(Order.instrument_id)).all()
    now, count = utcnow(), 0
    for instrument_id in instrument_ids:
        instrument = lock(instrument_id)
        # Open in memory too: in the writer's batch a command before may have filled one.
        open_orders = [order for order in db.session.scalars(select(Order).where(
            Order.instrument_id == instrument_id, Order.status == "open", condition))
            if order.status == "open"]
        outcome = engine.cancel(instrument, open_orders, actor, now)
        for order in outcome.closed:
            order.close_reason = reason
        count += len(outcome.closed)
    return count


def fills_on_arrival(order: Order) -> list[Trade]:
    """The trades an order made as the incoming order, i.e. those its placement reported.

    A replay answers with these, not with fills the order made later while resting.
    """
    column = Trade.buy_order_id if order.side == "buy" else Trade.sell_order_id
    return list(db.session.scalars(
        select(Trade).where(column == order.id, Trade.aggressor_side == order.side,
                            Trade.executed_at == order.created_at)
        .order_by(Trade.id)))


def order_visible_to(actor: User, order_id: int) -> Order:
    """An order its owner, or a regulator whose jurisdiction holds its account, may read."""
    order = db.session.get(Order, order_id)
    if order is None or (actor.role == "trader" and order.account_id != actor.account_id):
        raise NotFound("order", order_id)
    if not identity.jurisdiction_of(actor).covers(order.account.district_id):
        raise NotFound("order", order_id)
    return order


def list_orders(account: Account, filters: dict) -> list[Order]:
    """An account's orders, newest first."""
    query = select(Order).where(Order.account_id == account.id)
    if filters.get("status"):
        query = query.where(Order.status == filters["status"])
    if filters.get("instrument"):
        query = query.where(Order.instrument_id == catalogue.instrument_for_input(
            filters["instrument"]).id)
    query = query.order_by(Order.id.desc()).limit(filters["limit"]).offset(filters["offset"])
    return list(db.session.scalars(query))
