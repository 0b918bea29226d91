"""Quantity movements between lot buckets and to new owners, for trading and settlement.

These run inside the caller's transaction and never commit: listing, settling and
cancelling call them as parts of their own use case.
"""

from decimal import Decimal

from market.errors import DomainError
from market.extensions import db
from market.services import ledger
from models import Account, Lot, User


def encumber(lot: Lot, quantity: Decimal, actor: User | None, reason: str) -> None:
    """Set quantity aside for an order or a settlement: available → encumbered."""
    if lot.status != "active":
        raise DomainError("lot_not_active", f"{lot.serial} is {lot.status}; only active lots trade")
    ledger.post("encumber", f"encumber {quantity} of {lot.serial}: {reason}",
                [ledger.Move(lot.instrument.code, ledger.lot(lot.id, "available"),
                             ledger.lot(lot.id, "encumbered"), quantity)],
                actor=actor, reference=lot.serial)


def release(lot: Lot, quantity: Decimal, actor: User | None, reason: str) -> None:
    """Give encumbered quantity back to available (order cancelled, settlement failed)."""
    ledger.post("release", f"release {quantity} of {lot.serial}: {reason}",
                [ledger.Move(lot.instrument.code, ledger.lot(lot.id, "encumbered"),
                             ledger.lot(lot.id, "available"), quantity)],
                actor=actor, reference=lot.serial)


def transfer_to_child(parent: Lot, quantity: Decimal, buyer: Account, actor: User | None,
                      reference: str) -> Lot:
    """Deliver encumbered quantity to a buyer as a new child lot that names its parent.

    The child inherits the parent's provenance (origin district, project, acceptance, vintage,
    grade), so a buyer can prove where its indicator came from; it is active at once because
    the parent was verified.
    """
    child = Lot(
        instrument=parent.instrument, owner=buyer, origin_district=parent.origin_district,
        parent=parent, project_name=parent.project_name, project_code=parent.project_code,
        accepted_on=parent.accepted_on, vintage_year=parent.vintage_year,
        expires_on=parent.expires_on, quality_grade=parent.quality_grade, quantity=quantity,
        status="active", verified_at=parent.verified_at,
    )
    db.session.add(child)
    db.session.flush()

    child.assign_serial()
    ledger.post("deliver", f"deliver {quantity} of {parent.serial} to {child.serial}",
                [ledger.Move(parent.instrument.code, ledger.lot(parent.id, "encumbered"),
                             ledger.lot(child.id, "available"), quantity)],
                actor=actor, reference=reference)
    return child
