"""Paying beneficiaries: the seller records each bank payment; nobody pays more than owed."""

from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import InvalidInput, NotFound
from market.extensions import db
from market.services import audit, identity, ledger
from market.services.transaction import use_case
from models import Account, Disbursement, Lot, Payout, User
from models.base import utcnow
from models.ledger import CASH_ASSET


def _visible(actor: User):
    """An SQL condition: payouts a trader sold itself, or a regulator oversees (the seller's
    district or the lot's origin lies in its jurisdiction)."""
    if actor.role == "trader":
        return Payout.seller_account_id == actor.account_id
    inside = identity.jurisdiction_of(actor)
    return Payout.seller_account_id.in_(inside.accounts()) | Payout.lot_id.in_(
        select(Lot.id).where(inside.where(Lot.origin_district_id)).scalar_subquery())


def list_payouts(actor: User, filters: dict) -> list[Payout]:
    """Payouts the actor may see, oldest owed first; `unpaid` keeps those still owing."""
    query = select(Payout).where(_visible(actor)).order_by(Payout.owed_since, Payout.id)
    if filters.get("unpaid"):
        query = query.where(Payout.owed > 0)
    if filters.get("lot_serial"):
        query = query.join(Lot, Lot.id == Payout.lot_id).where(
            Lot.serial == filters["lot_serial"])
    if filters.get("settlement_id"):
        query = query.where(Payout.settlement_id == filters["settlement_id"])
    query = query.limit(filters.get("limit", 100)).offset(filters.get("offset", 0))
    return list(db.session.scalars(query))


def payout_visible_to(actor: User, payout_id: int) -> Payout:
    """One payout the actor may see, or 404."""
    payout = db.session.scalar(select(Payout).where(Payout.id == payout_id, _visible(actor)))
    if payout is None:
        raise NotFound("payout", payout_id)
    return payout


@use_case
def record_disbursement(actor: User, payout_id: int, amount: Decimal,
                        reference: str) -> Payout:
    """The seller records a bank payment to the beneficiary: it leaves the owed book."""
    payout = db.session.scalar(
        select(Payout).where(Payout.id == payout_id).with_for_update(of=Payout)
        .execution_options(populate_existing=True))
    if payout is None or actor.role != "trader" or payout.seller_account_id != actor.account_id:
        raise NotFound("payout", payout_id)
    if amount > payout.owed:
        raise InvalidInput("amount", lazy_gettext(
            "exceeds the %(owed)s still owed to %(name)s", owed=payout.owed,
            name=payout.beneficiary_name), code="over_disbursement")
    now = utcnow()
    ledger.post("disbursement", f"paid {payout.beneficiary_name} from settlement "
                f"{payout.settlement_id}", [ledger.Move(CASH_ASSET, ledger.owed(payout.id),
                                                        ledger.BANK, amount)],
                actor=actor, reference=f"payout:{payout.id}")
    db.session.add(Disbursement(payout=payout, amount=amount, reference=reference,
                                recorded_by_user_id=actor.id, recorded_at=now))
    if payout.owed == 0:
        payout.paid_at = now
    audit.record(actor, "payout.disburse", "payout", payout.id,
                 {"amount": amount, "reference": reference, "owed": payout.owed,
                  "beneficiary": payout.beneficiary_name,
                  "seller": db.session.get(Account, payout.seller_account_id).name})
    return payout
