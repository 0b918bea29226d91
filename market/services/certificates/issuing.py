"""Issuing certificates (a part of the act they certify) and voiding them later.

`issue_certificate` writes inside the caller's transaction, so a certificate exists exactly
when its act committed. The registry calls it on verification (issuance) and retirement, the
settlement on completion (transfer); surrenders and pledges call it the same way:

    certificates.issue_certificate("pledge", pledge, certificates.lot_facts(pledge.lot,
                                   pledgee=..., pledged_quantity=...), actor)
"""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import audit, row_ids
from market.services.certificates.signing import canonical_facts, new_code, sign
from models import CERTIFICATE_KINDS, Account, Certificate, Lot, Retirement, Settlement, User
from models.base import utcnow

_QUANTITY = Decimal("0.0001")
_MONEY = Decimal("0.01")
_ATTEMPTS = 8


def _district(account: Account) -> str:
    return f"{account.district.name}（{account.district.code}）"


def lot_facts(lot: Lot, **extra) -> dict:
    """What a lot's certificate states about the lot: instrument, quantity, owner, provenance.

    `extra` adds the act's own facts (a retired quantity, a pledgee); a value of None is left
    out. Only what the certificate states publicly belongs here: no ids of accounts or users,
    no balances.
    """
    facts = {
        "lot_serial": lot.serial,
        "instrument": lot.instrument.code,
        "instrument_name": lot.instrument.name_zh,
        "unit": lot.instrument.unit,
        "lot_quantity": lot.quantity.quantize(_QUANTITY),
        "owner": lot.owner.name,
        "owner_district": _district(lot.owner),
        "origin_district": f"{lot.origin_district.name}（{lot.origin_district.code}）",
        "project_name": lot.project_name,
        "project_code": lot.project_code,
        "accepted_on": lot.accepted_on,
        "vintage_year": lot.vintage_year,
        "quality_grade": lot.quality_grade,
    }
    facts.update(extra)
    return facts


def issuance_facts(lot: Lot) -> dict:
    """A verified lot: its quantity entered the registry."""
    return lot_facts(lot, verified_at=lot.verified_at)


def retirement_facts(retirement: Retirement) -> dict:
    """Quantity used (核销) against a construction project or an obligation."""
    return lot_facts(retirement.lot, retired_quantity=retirement.quantity.quantize(_QUANTITY),
                     use_project_name=retirement.project_name,
                     use_project_code=retirement.project_code,
                     obligation=retirement.obligation, retired_at=retirement.retired_at)


def transfer_facts(settlement: Settlement) -> dict:
    """A completed settlement: who sold what to whom, at what price, delivered where."""
    seller = db.session.get(Account, settlement.seller_account_id)
    buyer = db.session.get(Account, settlement.buyer_account_id)
    trade = settlement.trade
    lot = settlement.lot
    return {
        "settlement_id": settlement.id,
        "trade_id": trade.id,
        "mechanism": trade.mechanism,
        "instrument": lot.instrument.code,
        "instrument_name": lot.instrument.name_zh,
        "unit": lot.instrument.unit,
        "quantity": settlement.quantity.quantize(_QUANTITY),
        "price": trade.price.quantize(_MONEY),
        "amount": settlement.amount.quantize(_MONEY),
        "seller": seller.name,
        "seller_district": _district(seller),
        "buyer": buyer.name,
        "buyer_district": _district(buyer),
        "source_lot": lot.serial,
        "delivered_lot": _delivered(settlement).serial if settlement.child_lot_id else None,
        "origin_district": f"{lot.origin_district.name}（{lot.origin_district.code}）",
        "project_code": lot.project_code,
        "executed_at": trade.executed_at,
        "completed_at": settlement.closed_at,
    }


def _delivered(settlement: Settlement) -> Lot | None:
    # By id: completion sets child_lot_id, and the relationship may have been read before
    # (or the lot is not inserted yet: the order writer's batch).
    return row_ids.get(Lot, settlement.child_lot_id) if settlement.child_lot_id else None


def _parties(subject) -> tuple[Lot | None, Settlement | None, int | None, int | None]:
    """The lot whose standing decides whether the certificate holds, the settlement (for a
    transfer), and the two parties."""
    if isinstance(subject, Settlement):
        return (_delivered(subject), subject, subject.buyer_account_id,
                subject.seller_account_id)
    lot = subject if isinstance(subject, Lot) else getattr(subject, "lot", None)
    holder = lot.owner_account_id if lot is not None else getattr(subject, "account_id", None)
    return lot, None, holder, None


def issue_certificate(kind: str, subject, facts: dict, actor: User | None) -> Certificate:
    """Certify an act in the caller's transaction: store the facts signed under a new code.

    `subject` is the row the act made or changed: a Lot (issuance), a Settlement (transfer),
    a Retirement, or any row with an `id` and a `lot` (a surrender, a pledge). The
    certificate holds while that lot is not revoked (nor frozen), a transfer's settlement
    stays completed, and nobody voids it (`void_certificates`).
    """
    if kind not in CERTIFICATE_KINDS:
        raise ValueError(f"unknown certificate kind {kind!r}")
    lot, settlement, holder, counterparty = _parties(subject)
    facts_json = canonical_facts(facts)
    issued_at = utcnow().replace(microsecond=0)
    code = _unused_code()
    certificate = Certificate(
        code=code, kind=kind, subject_type=subject.__tablename__, subject_id=str(subject.id),
        lot_id=lot.id if lot is not None else None,
        settlement_id=settlement.id if settlement is not None else None,
        holder_account_id=holder, counterparty_account_id=counterparty, facts=facts_json,
        signature=sign(code, kind, issued_at, facts_json), issued_at=issued_at,
        issued_by_user_id=actor.id if actor else None)
    row_ids.add(certificate)
    return certificate


def _unused_code() -> str:
    # A clash is a one-in-10^17 event; looking first keeps it from failing the act at commit.
    for _ in range(_ATTEMPTS):
        code = new_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code
    raise RuntimeError("no free certificate code found")  # pragma: no cover - random source broken


def certificates_of(subject) -> list[Certificate]:
    """The certificates issued about a row (a lot, a settlement, a retirement…), oldest first."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.subject_type == subject.__tablename__,
                                  Certificate.subject_id == str(subject.id))
        .order_by(Certificate.id)))


def void_certificates(subject, reason: str, actor: User | None) -> int:
    """Mark a row's certificates as no longer holding (a pledge released, a surrender
    reversed), audited; the signed facts stay as they were. Returns how many."""
    now = utcnow()
    count = 0
    for certificate in certificates_of(subject):
        if certificate.voided_at is None:
            certificate.voided_at = now
            certificate.void_reason = reason
            audit.record(actor, "certificate.void", "certificate", certificate.code,
                         {"reason": reason, "kind": certificate.kind})
            count += 1
    return count
