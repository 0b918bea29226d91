"""Pledges (质押): a lot's owner pledges quantity to a lender; a regulator registers it.

Registration moves the quantity from the lot's available bucket to `pledged` (a ledger move),
so selling, listing, moving, retiring or surrendering it fails by construction: each of those
takes quantity from `available`. A sale of what stays available changes nothing for the
lender. A release moves it back; enforcement delivers it to the lender's trading account as a
child lot (the lender must hold an account on the platform; the regulator names it).
"""

from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, catalogue, certificates, identity, ledger, registry
from market.services.transaction import use_case
from market.vocabulary import PLEDGE_STATUS, word
from models import Account, Lot, Pledge, User
from models.base import utcnow


def _inside(actor: User):
    """An SQL condition: pledges on the trader's own lots, or on lots the regulator oversees."""
    if actor.role == "trader":
        return Lot.owner_account_id == actor.account_id
    return Lot.owner_account_id.in_(identity.jurisdiction_of(actor).accounts()) | \
        identity.jurisdiction_of(actor).where(Lot.origin_district_id)


def list_pledges(actor: User, filters: dict) -> list[Pledge]:
    """Pledges the actor may see, newest first, optionally of one status or lot."""
    query = select(Pledge).join(Lot, Lot.id == Pledge.lot_id).where(_inside(actor)) \
        .order_by(Pledge.id.desc())
    if filters.get("status"):
        query = query.where(Pledge.status == filters["status"])
    if filters.get("lot_serial"):
        query = query.where(Lot.serial == filters["lot_serial"])
    query = query.limit(filters.get("limit", 100)).offset(filters.get("offset", 0))
    return list(db.session.scalars(query))


def pledge_visible_to(actor: User, pledge_id: int) -> Pledge:
    """One pledge the actor may see, or 404."""
    pledge = db.session.scalar(select(Pledge).join(Lot, Lot.id == Pledge.lot_id)
                               .where(Pledge.id == pledge_id, _inside(actor)))
    if pledge is None:
        raise NotFound("pledge", pledge_id)
    return pledge


@use_case
def request_pledge(actor: User, serial: str, data: dict) -> Pledge:
    """The owner asks to pledge quantity of an active lot; it waits for a regulator."""
    lot = catalogue.lock_lot(serial)
    if actor.role != "trader" or lot.owner_account_id != actor.account_id:
        raise NotFound("lot", serial)
    if lot.owner.frozen:
        raise DomainError("account_frozen",
                          lazy_gettext("a frozen account cannot pledge indicators"))
    registry.require_status(lot, "active", "pledge")
    _require_available(lot, data["quantity"])
    pledge = Pledge(lot=lot, quantity=data["quantity"], pledgee_name=data["pledgee_name"],
                    amount=data["amount"], reference=data["reference"], status="pending",
                    requested_by_user_id=actor.id, requested_at=utcnow())
    db.session.add(pledge)
    db.session.flush()
    audit.record(actor, "pledge.request", "pledge", pledge.id,
                 {"lot": lot.serial, "quantity": pledge.quantity, "pledgee": pledge.pledgee_name,
                  "amount": pledge.amount, "reference": pledge.reference})
    return pledge


def _require_available(lot: Lot, quantity: Decimal) -> None:
    if quantity > lot.available:
        raise DomainError("insufficient_quantity", lazy_gettext(
            "%(serial)s has %(available)s available, less than %(quantity)s",
            serial=lot.serial, available=lot.available, quantity=quantity),
            {"quantity": [lazy_gettext("exceeds the available quantity")]})


def _lock(actor: User, pledge_id: int, status: str) -> Pledge:
    """The pledge (in the regulator's sight) and its lot, locked as matching takes them:
    the instrument first, then the lot, then the pledge."""
    pledge = pledge_visible_to(actor, pledge_id)
    catalogue.lock_instrument(pledge.lot.instrument_id)
    catalogue.lock_lot(pledge.lot.serial)
    pledge = db.session.scalar(select(Pledge).where(Pledge.id == pledge_id)
                               .with_for_update(of=Pledge)
                               .execution_options(populate_existing=True))
    if pledge.status != status:
        raise DomainError("invalid_pledge_status", lazy_gettext(
            "pledge %(id)s is %(status)s, not %(needed)s", id=pledge.id,
            status=word(PLEDGE_STATUS, pledge.status), needed=word(PLEDGE_STATUS, status)))
    return pledge


def _move(pledge: Pledge, source: str, target: str, kind: str, actor: User) -> None:
    lot = pledge.lot
    ledger.post(kind, f"{kind} {pledge.quantity} of {lot.serial} (pledge {pledge.id} to "
                f"{pledge.pledgee_name})",
                [ledger.Move(lot.instrument.code, ledger.lot(lot.id, source),
                             ledger.lot(lot.id, target), pledge.quantity)],
                actor=actor, reference=f"pledge:{pledge.id}")


@use_case
def register_pledge(actor: User, pledge_id: int) -> Pledge:
    """A regulator registers a pending pledge: its quantity leaves available for `pledged`."""
    pledge = _lock(actor, pledge_id, "pending")
    registry.require_status(pledge.lot, "active", "pledge")
    _require_available(pledge.lot, pledge.quantity)
    _move(pledge, "available", "pledged", "pledge", actor)
    pledge.status = "registered"
    pledge.registered_at = utcnow()
    audit.record(actor, "pledge.register", "pledge", pledge.id,
                 {"lot": pledge.lot.serial, "quantity": pledge.quantity,
                  "pledgee": pledge.pledgee_name})
    certificates.issue_certificate("pledge", pledge, certificates.lot_facts(
        pledge.lot, pledgee=pledge.pledgee_name, pledged_quantity=pledge.quantity,
        loan_amount=pledge.amount, contract_reference=pledge.reference,
        registered_at=pledge.registered_at), actor)
    return pledge


@use_case
def reject_pledge(actor: User, pledge_id: int, reason: str) -> Pledge:
    """A regulator refuses a pending pledge; nothing had moved."""
    pledge = _lock(actor, pledge_id, "pending")
    return _close(actor, pledge, "rejected", "pledge.reject", reason)


@use_case
def release_pledge(actor: User, pledge_id: int, reason: str) -> Pledge:
    """A regulator releases a registered pledge (loan repaid): the quantity is free again."""
    pledge = _lock(actor, pledge_id, "registered")
    _move(pledge, "pledged", "available", "unpledge", actor)
    return _close(actor, pledge, "released", "pledge.release", reason)


@use_case
def enforce_pledge(actor: User, pledge_id: int, lender_account_id: int, reason: str) -> Pledge:
    """A regulator enforces a registered pledge (loan in default): the pledged quantity goes
    to the lender's account as a child lot that names the pledged lot as its parent."""
    pledge = _lock(actor, pledge_id, "registered")
    registry.require_status(pledge.lot, "active", "enforce a pledge on")
    lender = db.session.get(Account, lender_account_id)
    if lender is None:
        raise InvalidInput("lender_account_id", lazy_gettext("no such account"),
                           code="unknown_account")
    if lender.id == pledge.lot.owner_account_id:
        raise InvalidInput("lender_account_id", lazy_gettext(
            "the lender's account must not be the lot owner's"), code="lender_is_owner")
    if lender.frozen:
        raise DomainError("account_frozen",
                          lazy_gettext("a frozen account cannot receive indicators"))
    child = registry.transfer_to_child(pledge.lot, pledge.quantity, lender, actor,
                                       reference=f"pledge:{pledge.id}", source="pledged",
                                       kind="enforce")
    pledge.lender_account_id = lender.id
    pledge.child_lot_id = child.id
    return _close(actor, pledge, "enforced", "pledge.enforce", reason,
                  {"lender_account_id": lender.id, "child_lot": child.serial})


def _close(actor: User, pledge: Pledge, status: str, action: str, reason: str,
           details: dict | None = None) -> Pledge:
    pledge.status = status
    pledge.status_reason = reason
    pledge.closed_at = utcnow()
    # A released or enforced pledge no longer burdens the lot: its certificate stops holding.
    certificates.void_certificates(pledge, reason, actor)
    audit.record(actor, action, "pledge", pledge.id,
                 {"lot": pledge.lot.serial, "quantity": pledge.quantity, "reason": reason,
                  **(details or {})})
    return pledge
