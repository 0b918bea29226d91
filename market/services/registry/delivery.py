"""Delivery: settled quantity becomes a new lot of the buyer's that names its parent."""

from decimal import Decimal

from market.services import ledger, row_ids
from models import Account, Lot, User


def transfer_to_child(parent: Lot, quantity: Decimal, buyer: Account, actor: User | None,
                      reference: str, source: str = "encumbered", kind: str = "deliver") -> Lot:
    """Deliver encumbered quantity to a buyer as a new child lot that names its parent.

    An enforced pledge delivers from the `pledged` bucket instead, as kind `enforce`.

    The child inherits the parent's provenance (origin district, project, acceptance, vintage,
    grade), so a buyer can prove where its indicator came from; it is active at once because
    the parent was verified.
    """
    # The keys as well as the objects: in the order writer's batch the lot is inserted from
    # its columns, without a flush to copy them from the relationships.
    child = Lot(
        instrument=parent.instrument, instrument_id=parent.instrument_id, owner=buyer,
        owner_account_id=buyer.id, origin_district=parent.origin_district,
        origin_district_id=parent.origin_district_id, parent=parent, parent_id=parent.id,
        project_name=parent.project_name, project_code=parent.project_code,
        accepted_on=parent.accepted_on, vintage_year=parent.vintage_year,
        expires_on=parent.expires_on, quality_grade=parent.quality_grade, quantity=quantity,
        status="active", verified_at=parent.verified_at,
    )
    row_ids.add(child)  # the serial needs its id
    child.assign_serial()
    ledger.post(kind, f"{kind} {quantity} of {parent.serial} to {child.serial}",
                [ledger.Move(parent.instrument.code, ledger.lot(parent.id, source),
                             ledger.lot(child.id, "available"), quantity)],
                actor=actor, reference=reference)
    return child
