"""Negotiated transfers (协议转让): propose, accept, approve, and the ways they end early.

proposed → accepted → approved. The seller names a buyer, a quantity and a price; the
quantity is encumbered on the lot while the proposal lives. The buyer's acceptance holds the
deposit the instrument's deposit_ratio asks from its available cash. Regulators approve: one
whose jurisdiction holds the seller's district (or a national one) for the seller's side, and
across provinces also one holding the buyer's district for the buyer's side (跨省域调剂). A
national regulator covers every side it is asked for. The last approval records the deal:
one `negotiated` trade and its settlement (settlement.record_deal), the held deposit becoming
its paid-in deposit. The seller may withdraw and the buyer decline before approval, and a
regulator may reject with a reason; each gives the quantity and the deposit back.

Every use case takes the instrument's lock first, then the transfer's row, as matching and
settlement do, so they never take account and lot rows in opposite orders.
"""

from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError, Forbidden, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, identity, ledger, registry, settlement
from market.services.catalogue import lock_instrument, lock_lot
from market.services.negotiated import rules
from market.services.transaction import use_case
from market.vocabulary import LOT_STATUS, NEGOTIATED_STATUS, word
from models import Account, Lot, NegotiatedTransfer, User
from models.base import utcnow
from models.negotiated import NEGOTIATED_OPEN

# The buyer's acceptance closes the bargain the seller's proposal offered, as a taker's order
# meets a resting offer: the trade's aggressor (final) side is the buy.
FINAL_SIDE = "buy"
PARTY = {"seller": lazy_gettext("seller"), "buyer": lazy_gettext("buyer")}


def _lock(transfer_id: int) -> NegotiatedTransfer:
    instrument_id = db.session.scalar(select(NegotiatedTransfer.instrument_id)
                                      .where(NegotiatedTransfer.id == transfer_id))
    if instrument_id is None:
        raise NotFound("negotiated_transfer", transfer_id)
    lock_instrument(instrument_id)
    return db.session.scalar(
        select(NegotiatedTransfer).where(NegotiatedTransfer.id == transfer_id)
        .with_for_update(of=NegotiatedTransfer).execution_options(populate_existing=True))


def _seller_lot(account: Account, serial: str, quantity) -> Lot:
    found = db.session.execute(select(Lot.instrument_id, Lot.owner_account_id)
                               .where(Lot.serial == serial)).first()
    if found is None or found.owner_account_id != account.id:
        raise DomainError("lot_not_yours", lazy_gettext("you hold no lot %(serial)s",
                                                        serial=serial),
                          {"lot_serial": [lazy_gettext("not a lot of this account")]}, status=422)
    lock_instrument(found.instrument_id)
    lot = lock_lot(serial)
    registry.require_sellable(lot, quantity)
    return lot


def _buyer(seller: Account, buyer_account_id: int) -> Account:
    buyer = db.session.get(Account, buyer_account_id)
    if buyer is None:
        raise InvalidInput("buyer_account_id", lazy_gettext("no such account"),
                           code="unknown_account")
    if buyer.id == seller.id:
        raise InvalidInput("buyer_account_id", lazy_gettext("a transfer needs another account"),
                           code="same_account")
    return buyer


@use_case
def propose(actor: User, account: Account, data: dict) -> NegotiatedTransfer:
    """The seller proposes a quantity of its lot at a price to a named buyer account."""
    price, quantity = data["price"], data["quantity"]
    buyer = _buyer(account, data["buyer_account_id"])
    lot = _seller_lot(account, data["lot_serial"], quantity)
    instrument = lot.instrument
    rules.check_terms(instrument, price, quantity)
    rules.check_open(instrument, account, buyer)
    now = utcnow()
    cross = rules.crosses_provinces(lot, account, buyer)
    rules.check_scope(lot, buyer, cross, now)
    transfer = NegotiatedTransfer(
        instrument_id=instrument.id, lot_id=lot.id, seller_account_id=account.id,
        buyer_account_id=buyer.id, price=price, quantity=quantity,
        amount=ledger.trade_amount(price, quantity), deposit=ledger.ZERO, cross_province=cross,
        status="proposed", proposed_by_user_id=actor.id, proposed_at=now)
    db.session.add(transfer)
    db.session.flush()
    ledger.encumber(lot, quantity, actor, f"negotiated transfer {transfer.id}")
    audit.record(actor, "negotiated.propose", "negotiated_transfer", transfer.id, {
        "lot": lot.serial, "quantity": quantity, "price": price, "buyer_account_id": buyer.id,
        "cross_province": cross})
    return transfer


def _require(transfer: NegotiatedTransfer, *statuses: str) -> None:
    """Refuse (409) unless the transfer is in one of `statuses`: `transfer_closed` once it
    has ended, else `transfer_not_<status>` (e.g. already accepted, so no longer proposed)."""
    if transfer.status not in statuses:
        code = ("transfer_closed" if transfer.status not in NEGOTIATED_OPEN
                else f"transfer_not_{statuses[0]}")
        raise DomainError(code, lazy_gettext(
            "negotiated transfer %(id)s is %(status)s", id=transfer.id,
            status=word(NEGOTIATED_STATUS, transfer.status)))


def _party(account: Account, transfer: NegotiatedTransfer | None, transfer_id: int,
           side: str) -> NegotiatedTransfer:
    """The transfer if `account` is its `side`; another party's is 404 (the other party
    may see it, but cannot act for this side: 403)."""
    if transfer is None or account.id not in (transfer.seller_account_id,
                                              transfer.buyer_account_id):
        raise NotFound("negotiated_transfer", transfer_id)
    if getattr(transfer, f"{side}_account_id") != account.id:
        raise Forbidden(lazy_gettext("only the %(side)s may do this", side=word(
            PARTY, side)))
    return transfer


@use_case
def accept(actor: User, account: Account, transfer_id: int) -> NegotiatedTransfer:
    """The named buyer accepts: the deposit the instrument asks is held from its cash."""
    transfer = _party(account, _lock(transfer_id), transfer_id, "buyer")
    _require(transfer, "proposed")
    instrument = transfer.instrument
    rules.check_open(instrument, transfer.seller, account)
    now = utcnow()
    rules.check_scope(transfer.lot, account, transfer.cross_province, now)
    deposit = ledger.deposit_for(instrument.deposit_ratio, transfer.amount)
    if account.cash_available < deposit:
        raise DomainError("insufficient_funds",
                          lazy_gettext("the deposit %(hold)s exceeds available cash %(cash)s",
                                       hold=deposit, cash=account.cash_available))
    ledger.hold_cash(account.id, deposit, actor, memo=f"deposit for negotiated transfer "
                     f"{transfer.id}", reference=f"negotiated:{transfer.id}")
    transfer.deposit = deposit
    transfer.status = "accepted"
    transfer.accepted_by_user_id = actor.id
    transfer.accepted_at = now
    audit.record(actor, "negotiated.accept", "negotiated_transfer", transfer.id,
                 {"deposit": deposit})
    return transfer


def _release(transfer: NegotiatedTransfer, actor: User, status: str, reason: str | None,
             now: datetime) -> None:
    """End an open transfer: the quantity back to the lot, the deposit back to the buyer."""
    ledger.release_encumbered(transfer.lot, transfer.quantity, actor,
                              f"negotiated transfer {transfer.id} {status}")
    ledger.release_cash(transfer.buyer_account_id, transfer.deposit, actor,
                        memo=f"deposit of negotiated transfer {transfer.id} {status}",
                        reference=f"negotiated:{transfer.id}")
    transfer.deposit = ledger.ZERO
    transfer.status = status
    transfer.closed_by_user_id = actor.id
    transfer.closed_at = now
    transfer.close_reason = reason


@use_case
def withdraw(actor: User, account: Account, transfer_id: int) -> NegotiatedTransfer:
    """The seller withdraws its proposal before approval."""
    transfer = _party(account, _lock(transfer_id), transfer_id, "seller")
    _require(transfer, *NEGOTIATED_OPEN)
    _release(transfer, actor, "withdrawn", None, utcnow())
    audit.record(actor, "negotiated.withdraw", "negotiated_transfer", transfer.id, {})
    return transfer


@use_case
def decline(actor: User, account: Account, transfer_id: int) -> NegotiatedTransfer:
    """The named buyer turns the proposal down before accepting it."""
    transfer = _party(account, _lock(transfer_id), transfer_id, "buyer")
    _require(transfer, "proposed")
    _release(transfer, actor, "declined", None, utcnow())
    audit.record(actor, "negotiated.decline", "negotiated_transfer", transfer.id, {})
    return transfer


def sides_of(actor: User, transfer: NegotiatedTransfer) -> tuple[str, ...]:
    """The required sides this regulator's jurisdiction answers for."""
    if actor.role != "regulator":
        return ()
    jurisdiction = identity.jurisdiction_of(actor)
    districts = {"seller": transfer.seller.district_id, "buyer": transfer.buyer.district_id}
    return tuple(side for side in transfer.required_sides
                 if jurisdiction.covers(districts[side]))


def awaits(actor: User, transfer: NegotiatedTransfer) -> tuple[str, ...]:
    """The sides still awaiting approval that this regulator may approve now."""
    return tuple(side for side in sides_of(actor, transfer) if side in transfer.awaiting_sides)


def _in_sight(actor: User, transfer: NegotiatedTransfer | None,
              transfer_id: int) -> NegotiatedTransfer:
    if transfer is None:
        raise NotFound("negotiated_transfer", transfer_id)
    if actor.role == "trader":
        if actor.account_id not in (transfer.seller_account_id, transfer.buyer_account_id):
            raise NotFound("negotiated_transfer", transfer_id)
    elif not identity.jurisdiction_of(actor).covers(transfer.seller.district_id,
                                                    transfer.buyer.district_id):
        raise NotFound("negotiated_transfer", transfer_id)
    return transfer


def _regulator_sides(actor: User, transfer_id: int) -> tuple[NegotiatedTransfer, tuple]:
    transfer = _in_sight(actor, _lock(transfer_id), transfer_id)
    sides = sides_of(actor, transfer)
    if not sides:
        raise Forbidden(lazy_gettext(
            "only a regulator of the seller's province (and across provinces, of the "
            "buyer's) decides this transfer"))
    return transfer, sides


@use_case
def approve(actor: User, transfer_id: int) -> NegotiatedTransfer:
    """A regulator approves its side(s); the last required approval records the deal."""
    transfer, sides = _regulator_sides(actor, transfer_id)
    if transfer.status == "proposed":
        raise DomainError("transfer_not_accepted", lazy_gettext(
            "the buyer has not accepted negotiated transfer %(id)s yet", id=transfer.id))
    _require(transfer, "accepted")
    mine = [side for side in sides if side in transfer.awaiting_sides]
    if not mine:
        raise DomainError("already_approved", lazy_gettext(
            "your side of negotiated transfer %(id)s is already approved", id=transfer.id))
    lot = transfer.lot
    rules.check_terms(transfer.instrument, transfer.price, transfer.quantity)
    rules.check_open(transfer.instrument, transfer.seller, transfer.buyer)
    if lot.status != "active":
        raise DomainError("lot_not_active", lazy_gettext(
            "%(serial)s is %(status)s; only active lots trade", serial=lot.serial,
            status=word(LOT_STATUS, lot.status)))
    now = utcnow()
    rules.check_scope(lot, transfer.buyer, transfer.cross_province, now)
    for side in mine:
        setattr(transfer, f"{side}_approved_by_user_id", actor.id)
        setattr(transfer, f"{side}_approved_at", now)
    details = {"sides": mine}
    if not transfer.awaiting_sides:
        deal = settlement.record_deal(settlement.Deal(
            lot=lot, buyer_account_id=transfer.buyer_account_id, price=transfer.price,
            quantity=transfer.quantity, mechanism="negotiated", final_side=FINAL_SIDE,
            deposit=transfer.deposit), actor, now)
        transfer.status = "approved"
        transfer.settlement = deal
        transfer.closed_at = now
        details.update(trade_id=deal.trade_id, settlement_id=deal.id)
    audit.record(actor, "negotiated.approve", "negotiated_transfer", transfer.id, details)
    return transfer


@use_case
def reject(actor: User, transfer_id: int, reason: str) -> NegotiatedTransfer:
    """A regulator of a required side rejects it with a reason; everything is given back."""
    transfer, _sides = _regulator_sides(actor, transfer_id)
    _require(transfer, *NEGOTIATED_OPEN)
    _release(transfer, actor, "rejected", reason, utcnow())
    audit.record(actor, "negotiated.reject", "negotiated_transfer", transfer.id,
                 {"reason": reason})
    return transfer


def transfer_visible_to(actor: User, transfer_id: int) -> NegotiatedTransfer:
    """A transfer its parties, or a regulator whose jurisdiction holds a party, may read."""
    return _in_sight(actor, db.session.get(NegotiatedTransfer, transfer_id), transfer_id)


def list_transfers(actor: User, status: str | None = None, awaiting_me: bool = False,
                   party: str | None = None, limit: int = 100,
                   offset: int = 0) -> list[NegotiatedTransfer]:
    """Transfers in sight, newest first: a trader's own (as `seller` or `buyer` when asked),
    a regulator's within its jurisdiction; `awaiting_me` keeps those a regulator may
    approve now."""
    query = select(NegotiatedTransfer).order_by(NegotiatedTransfer.id.desc()).where(
        identity.parties_visible_to(actor, NegotiatedTransfer.seller_account_id,
                                    NegotiatedTransfer.buyer_account_id))
    if status:
        query = query.where(NegotiatedTransfer.status == status)
    if party in ("seller", "buyer") and actor.role == "trader":
        column = getattr(NegotiatedTransfer, f"{party}_account_id")
        query = query.where(column == actor.account_id)
    if not awaiting_me:
        return list(db.session.scalars(query.limit(limit).offset(offset)))
    waiting = [t for t in db.session.scalars(query.where(NegotiatedTransfer.status == "accepted"))
               if awaits(actor, t)]
    return waiting[offset:offset + limit]
