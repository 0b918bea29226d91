"""The registry: register, verify, reject and retire indicator lots, and find them."""

from datetime import date

from flask_babel import lazy_gettext, lazy_pgettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from market.calendar import market_day
from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, catalogue, certificates, identity, ledger
from market.services.catalogue import lock_lot
from market.services.transaction import use_case
from market.vocabulary import LOT_STATUS, word
from models import Account, Lot, Retirement, User
from models.base import utcnow


def get_lot(serial: str) -> Lot:
    """The lot, or 404."""
    lot = db.session.scalar(select(Lot).where(Lot.serial == serial))
    if lot is None:
        raise NotFound("lot", serial)
    return lot


def lot_visible_to(actor: User, serial: str) -> Lot:
    """A lot the actor may see: traders their own, regulators those owned or produced in
    their jurisdiction (others look like 404)."""
    return _in_sight(actor, get_lot(serial))


def _in_sight(actor: User, lot: Lot) -> Lot:
    if actor.role == "trader" and lot.owner_account_id != actor.account_id:
        raise NotFound("lot", lot.serial)
    if not identity.jurisdiction_of(actor).covers(lot.owner.district_id,
                                                   lot.origin_district_id):
        raise NotFound("lot", lot.serial)
    return lot


@use_case
def register_lot(actor: User, account: Account, data: dict) -> Lot:
    """Register a lot from an accepted project; it waits as `pending` for a regulator."""
    instrument = catalogue.instrument_for_input(data["instrument"])
    origin = catalogue.district_for_input(data["origin_district_code"],
                                          field="origin_district_code")
    if not catalogue.DistrictTree().within(origin.id, account.district_id):
        raise InvalidInput("origin_district_code",
                           lazy_gettext("%(origin)s is outside the account's district "
                                        "%(district)s", origin=origin.name,
                                        district=account.district.name),
                           code="origin_outside_district")
    grade = data.get("quality_grade")
    if instrument.has_quality_grade and grade is None:
        raise InvalidInput("quality_grade",
                           lazy_gettext("farmland indicators need a quality grade 1–15"))
    if not instrument.has_quality_grade and grade is not None:
        raise InvalidInput("quality_grade", lazy_gettext("%(code)s carries no quality grade",
                                                         code=instrument.code))
    accepted_on: date = data["accepted_on"]
    today = market_day()
    if accepted_on > today:
        raise InvalidInput("accepted_on", lazy_gettext("acceptance cannot be in the future"))
    if data["vintage_year"] > today.year or data["vintage_year"] < accepted_on.year - 30:
        raise InvalidInput("vintage_year",
                           lazy_gettext("vintage year is not plausible for the acceptance"))
    if data.get("expires_on") and data["expires_on"] <= accepted_on:
        raise InvalidInput("expires_on", lazy_gettext("expiry must come after acceptance"))
    if account.frozen:
        raise DomainError("account_frozen", lazy_gettext("a frozen account cannot register lots"))
    lot = Lot(
        instrument=instrument, owner=account, origin_district=origin,
        project_name=data["project_name"], project_code=data["project_code"],
        accepted_on=accepted_on, vintage_year=data["vintage_year"],
        expires_on=data.get("expires_on"), quality_grade=grade, quantity=data["quantity"],
        status="pending",
    )
    db.session.add(lot)
    db.session.flush()
    lot.assign_serial()
    audit.record(actor, "lot.register", "lot", lot.serial,
                 {"quantity": lot.quantity, "instrument": instrument.code,
                  "project_code": lot.project_code, "origin": origin.code})
    return lot


@use_case
def verify_lot(actor: User, serial: str) -> Lot:
    """Accept a pending lot: its quantity is issued into the available bucket."""
    lot = _in_sight(actor, lock_lot(serial))
    require_status(lot, "pending", "verify")
    ledger.post("issue", f"issue {lot.serial}",
                [ledger.Move(lot.instrument.code, ledger.ISSUANCE, ledger.lot(lot.id, "available"),
                             lot.quantity)], actor=actor, reference=lot.serial)
    lot.status = "active"
    lot.verified_at = utcnow()
    audit.record(actor, "lot.verify", "lot", lot.serial, {"quantity": lot.quantity})
    certificates.issue_certificate("issuance", lot, certificates.issuance_facts(lot), actor)
    return lot


def transition(actor: User, serial: str, source: str, target: str, verb: str,
                reason: str) -> Lot:
    """Move a lot between statuses with a reason, audited; nothing is issued or moved."""
    lot = _in_sight(actor, lock_lot(serial))
    require_status(lot, source, verb)
    lot.status = target
    lot.status_reason = reason
    audit.record(actor, f"lot.{verb}", "lot", lot.serial, {"reason": reason})
    return lot


@use_case
def reject_lot(actor: User, serial: str, reason: str) -> Lot:
    """Refuse a pending lot; nothing was issued, so nothing moves."""
    return transition(actor, serial, "pending", "rejected", "reject", reason)


@use_case
def retire_from_lot(actor: User, account: Account, serial: str, data: dict) -> Retirement:
    """Use quantity against a construction project or an obligation; it never trades again."""
    lot = lock_lot(serial)
    if lot.owner_account_id != account.id:
        raise NotFound("lot", serial)
    return retire_quantity(actor, account, lot, data)


def retire_quantity(actor: User, account: Account, lot: Lot, data: dict) -> Retirement:
    """Move `quantity` of a locked, owned lot from available to retired (a part).

    `data` names the project (`project_name`, `project_code`) and, for a surrender, the
    obligation it counts against (`obligation_id`).
    """
    serial = lot.serial
    if account.frozen:
        raise DomainError("account_frozen",
                          lazy_gettext("a frozen account cannot retire indicators"))
    require_status(lot, "active", "retire from")
    quantity = data["quantity"]
    if quantity > lot.available:
        raise DomainError("insufficient_quantity",
                          lazy_gettext("%(serial)s has %(available)s available, less than "
                                       "%(quantity)s", serial=lot.serial,
                                       available=lot.available, quantity=quantity),
                          {"quantity": [lazy_gettext("exceeds the available quantity")]})
    if lot.expires_on is not None and lot.expires_on < market_day():
        raise DomainError("lot_expired", lazy_gettext("%(serial)s expired on %(day)s",
                                                      serial=serial, day=lot.expires_on))
    ledger.post("retire", f"retire {quantity} of {lot.serial} for {data['project_code']}",
                [ledger.Move(lot.instrument.code, ledger.lot(lot.id, "available"),
                             ledger.lot(lot.id, "retired"), quantity)],
                actor=actor, reference=data["project_code"])
    retirement = Retirement(lot=lot, quantity=quantity, project_name=data["project_name"],
                            project_code=data["project_code"], obligation=data.get("obligation"),
                            obligation_id=data.get("obligation_id"),
                            retired_by_user_id=actor.id)
    db.session.add(retirement)
    db.session.flush()
    certificates.issue_certificate("retirement", retirement,
                                   certificates.retirement_facts(retirement), actor)
    audit.record(actor, "lot.retire", "lot", lot.serial,
                 {"quantity": quantity, "project_code": data["project_code"],
                  "project_name": data["project_name"],
                  **({"obligation_id": data["obligation_id"]}
                     if data.get("obligation_id") else {})})
    return retirement


# What require_status names a refused action by, in the reader's language.
LOT_ACTIONS = {
    "verify": lazy_pgettext("lot action", "verify"),
    "reject": lazy_pgettext("lot action", "reject"),
    "freeze": lazy_pgettext("lot action", "freeze"),
    "unfreeze": lazy_pgettext("lot action", "unfreeze"),
    "retire from": lazy_pgettext("lot action", "retire from"),
    "pledge": lazy_pgettext("lot action", "pledge"),
    "enforce a pledge on": lazy_pgettext("lot action", "enforce a pledge on"),
}


def require_status(lot: Lot, status: str, verb: str) -> None:
    if lot.status != status:
        raise DomainError("invalid_lot_status",
                          lazy_gettext("cannot %(verb)s %(serial)s: it is %(status)s, not "
                                       "%(needed)s", verb=LOT_ACTIONS.get(verb, verb),
                                       serial=lot.serial,
                                       status=word(LOT_STATUS, lot.status),
                                       needed=word(LOT_STATUS, status)))


def holdings_of(actor: User, limit: int, offset: int = 0) -> list[Lot]:
    """The trader's lots delivered by settlements (child lots), each with its parent and its
    retirements loaded in two queries for all (a holdings page shows both for every lot)."""
    return list(db.session.scalars(
        select(Lot).where(Lot.owner_account_id == actor.account_id, Lot.parent_id.is_not(None))
        .order_by(Lot.id).limit(limit).offset(offset)
        .options(selectinload(Lot.parent), selectinload(Lot.retirements))))


def search_lots(actor: User, filters: dict) -> list[Lot]:
    """Lots matching the filters; traders only ever see their own."""
    query = select(Lot).order_by(Lot.id)
    if actor.role == "trader":
        query = query.where(Lot.owner_account_id == actor.account_id)
    else:
        query = query.join(Account, Account.id == Lot.owner_account_id).where(
            identity.jurisdiction_of(actor).where(Account.district_id, Lot.origin_district_id))
    if actor.role != "trader" and filters.get("owner_account_id"):
        query = query.where(Lot.owner_account_id == filters["owner_account_id"])
    if filters.get("instrument"):
        query = query.where(Lot.instrument_id == catalogue.instrument_for_input(
            filters["instrument"]).id)
    if filters.get("origin_district_code"):
        origin = catalogue.district_for_input(filters["origin_district_code"],
                                              "origin_district_code")
        query = query.where(Lot.origin_district_id.in_(
            catalogue.DistrictTree().descendants(origin.id)))
    for field in ("status", "vintage_year", "quality_grade"):
        if filters.get(field) is not None:
            query = query.where(getattr(Lot, field) == filters[field])
    if filters.get("max_quality_grade") is not None:
        query = query.where(Lot.quality_grade <= filters["max_quality_grade"])
    query = query.limit(filters.get("limit", 100)).offset(filters.get("offset", 0))
    return list(db.session.scalars(query))


def require_sellable(lot: Lot, quantity) -> None:
    """Refuse to offer `quantity` of a lot that is not active, has expired or lacks it.

    The one check before quantity is offered: a sell order, a negotiated transfer.
    """
    serial = lot.serial
    if lot.status != "active":
        raise DomainError("lot_not_active", lazy_gettext(
            "%(serial)s is %(status)s; only active lots trade", serial=serial,
            status=word(LOT_STATUS, lot.status)))
    if lot.expires_on is not None and lot.expires_on < market_day():
        raise DomainError("lot_expired", lazy_gettext("%(serial)s expired on %(day)s",
                                                      serial=serial, day=lot.expires_on))
    if lot.available < quantity:
        raise DomainError("insufficient_quantity",
                          lazy_gettext("%(serial)s has %(available)s available, less than "
                                       "%(quantity)s", serial=serial, available=lot.available,
                                       quantity=quantity),
                          {"quantity": [lazy_gettext("exceeds the lot's available quantity")]})
