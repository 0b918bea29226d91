"""A lot's beneficiaries: who its sale proceeds belong to, named by its owner."""

from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import delete

from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, registry
from market.services.catalogue import lock_lot
from market.services.transaction import use_case
from models import Beneficiary, Lot, User
from models.base import utcnow

MAX_BENEFICIARIES = 100
# Lots whose future sales can still owe someone: not refused or cancelled ones.
NAMEABLE = ("pending", "active", "frozen")


@use_case
def name_beneficiaries(actor: User, serial: str, named: list[dict]) -> Lot:
    """Replace the lot's beneficiaries; shares must sum to exactly 1 (audited).

    Only sales that complete afterwards are split by the new list; what earlier sales owe
    stays as it was.
    """
    lot = lock_lot(serial)
    if actor.role != "trader" or lot.owner_account_id != actor.account_id:
        raise NotFound("lot", serial)
    if lot.status not in NAMEABLE:
        raise DomainError("invalid_lot_status", lazy_gettext(
            "%(serial)s can no longer be sold; it needs no beneficiaries", serial=serial))
    if len(named) > MAX_BENEFICIARIES:
        raise InvalidInput("beneficiaries", lazy_gettext(
            "at most %(count)s beneficiaries", count=MAX_BENEFICIARIES), code="too_many")
    total = sum((entry["share"] for entry in named), Decimal(0))
    if total != 1:
        raise InvalidInput("share", lazy_gettext(
            "the shares add up to %(total)s; they must add up to exactly 1", total=total),
            code="shares_not_one")
    names = [entry["name"].strip() for entry in named]
    if len(set(names)) != len(names):
        raise InvalidInput("name", lazy_gettext("each beneficiary may be named only once"),
                           code="duplicate_beneficiary")
    db.session.execute(delete(Beneficiary).where(Beneficiary.lot_id == lot.id))
    now = utcnow()
    for position, (name, entry) in enumerate(zip(names, named, strict=True), start=1):
        db.session.add(Beneficiary(lot_id=lot.id, position=position, name=name,
                                   kind=entry["kind"], share=entry["share"], named_at=now))
    db.session.flush()
    db.session.expire(lot, ["beneficiaries"])
    audit.record(actor, "lot.beneficiaries", "lot", lot.serial,
                 {"beneficiaries": [{"name": name, "kind": entry["kind"],
                                     "share": entry["share"]}
                                    for name, entry in zip(names, named, strict=True)]})
    return lot


def beneficiaries_of(actor: User, serial: str) -> list[Beneficiary]:
    """The beneficiaries of a lot the actor may see, in the owner's order."""
    return list(registry.lot_visible_to(actor, serial).beneficiaries)
