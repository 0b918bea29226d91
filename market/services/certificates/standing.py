"""Reading certificates: by code, whether they still hold, and checking a copy's facts.

Anyone may read a certificate by its code (the code is the secret that proves you were given
it); only the facts it states are shown, never the rows behind it. Its PDF goes to the
parties and to regulators whose jurisdiction holds a party.
"""

import hmac
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext
from sqlalchemy import or_, select

from market.errors import NotFound
from market.extensions import db
from market.services import identity
from market.services.certificates.signing import (
    canonical_facts,
    normalise_code,
    printed_code,
    sign,
    signature_holds,
)
from models import Account, Certificate, Lot, Settlement, User

# Whether a certificate holds: valid; suspended while its lot is frozen; void when its lot
# was revoked, its transfer undone or it was voided; tampered when the signature fails.
STANDINGS = ("valid", "suspended", "void", "tampered")


@dataclass(frozen=True)
class Standing:
    """Whether a certificate still holds, and why not."""

    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Only a valid certificate holds."""
        return self.status == "valid"


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone with the code may read: the signed facts and whether they hold."""

    code: str
    printed_code: str
    kind: str
    issued_at: object
    facts: dict
    signature: str
    standing: Standing


@dataclass(frozen=True)
class Comparison:
    """A copy's facts against the signed ones: `matches` only if the copy's facts, put in
    place of the signed ones, give the same signature."""

    code: str
    matches: bool
    mismatched: list[str]
    unknown: list[str]
    standing: Standing


def find(code_text: str) -> Certificate:
    """The certificate with this code (as typed), or 404."""
    code = normalise_code(code_text)
    # Always as stored now: a check must never answer from rows read earlier in the session.
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.code == code)
        .execution_options(populate_existing=True)) if code else None
    if certificate is None:
        raise NotFound("certificate", code_text)
    return certificate


def standing_of(certificate: Certificate) -> Standing:
    """Whether the certificate holds now: its signature, its voiding, its lot, its transfer."""
    if not signature_holds(certificate.code, certificate.kind, certificate.issued_at,
                           certificate.facts, certificate.signature):
        return Standing("tampered", [str(lazy_gettext(
            "the stored facts do not match their signature"))])
    void, suspended = [], []
    if certificate.voided_at is not None:
        void.append(str(lazy_gettext("voided: %(reason)s", reason=certificate.void_reason)))
    settlement = certificate.settlement
    if settlement is not None and settlement.status != "completed":
        void.append(str(lazy_gettext("the transfer did not complete")))
    lot = certificate.lot
    if lot is not None and lot.status == "revoked":
        void.append(str(lazy_gettext("lot %(serial)s was revoked: %(reason)s",
                                     serial=lot.serial, reason=lot.status_reason or "—")))
    elif lot is not None and lot.status == "frozen":
        suspended.append(str(lazy_gettext("lot %(serial)s is frozen by a regulator",
                                          serial=lot.serial)))
    if void:
        return Standing("void", void + suspended)
    if suspended:
        return Standing("suspended", suspended)
    return Standing("valid")


def public_view(code_text: str) -> PublicCertificate:
    """A certificate as anyone with its code may read it."""
    certificate = find(code_text)
    return PublicCertificate(
        code=certificate.code, printed_code=printed_code(certificate.code),
        kind=certificate.kind, issued_at=certificate.issued_at,
        facts=json.loads(certificate.facts), signature=certificate.signature,
        standing=standing_of(certificate))


def _same_number(given: str, signed: str) -> bool:
    # "100" typed from a copy that printed "100.0000" is the same fact.
    try:
        return Decimal(given) == Decimal(signed)
    except (InvalidOperation, ValueError):
        return False


def compare_copy(code_text: str, facts: dict[str, str], signature: str | None = None) -> \
        Comparison:
    """Check the facts printed on a copy against the signature: each fact given replaces the
    signed one, and the copy matches only if the signature comes out the same."""
    certificate = find(code_text)
    signed = json.loads(certificate.facts)
    unknown = sorted(key for key in facts if key not in signed)
    claimed = dict(signed)
    for key, value in facts.items():
        if key in signed:
            text = str(value).strip()
            claimed[key] = signed[key] if _same_number(text, signed[key]) else text
    mismatched = sorted(key for key in signed if claimed[key] != signed[key])
    recomputed = sign(certificate.code, certificate.kind, certificate.issued_at,
                      canonical_facts(claimed))
    matches = (not unknown and hmac.compare_digest(recomputed, certificate.signature)
               and signature_holds(certificate.code, certificate.kind, certificate.issued_at,
                                   certificate.facts, certificate.signature)
               and (signature is None
                    or hmac.compare_digest(signature.strip().lower(), certificate.signature)))
    return Comparison(code=certificate.code, matches=matches, mismatched=mismatched,
                      unknown=unknown, standing=standing_of(certificate))


def certificate_for_party(actor: User, code_text: str) -> Certificate:
    """A certificate whose PDF the actor may have: a party's, or a regulator's within its
    jurisdiction; others get a 404, as for any row they may not see."""
    certificate = find(code_text)
    parties = [certificate.holder_account_id, certificate.counterparty_account_id]
    if actor.role == "trader":
        if actor.account_id not in parties:
            raise NotFound("certificate", code_text)
        return certificate
    if actor.role != "regulator":
        raise NotFound("certificate", code_text)
    districts = list(db.session.scalars(select(Account.district_id).where(
        Account.id.in_([party for party in parties if party is not None]))))
    if certificate.lot is not None:
        # As for the lot itself: a regulator also oversees the lots produced in its area.
        districts.append(certificate.lot.origin_district_id)
    if not identity.jurisdiction_of(actor).covers(*districts):
        raise NotFound("certificate", code_text)
    return certificate


def certificates_for_lot(lot: Lot) -> list[Certificate]:
    """Every certificate about a lot: its issuance and retirements, the transfers that
    delivered it and the transfers out of it (for the lot's page, which checks sight)."""
    sold_from = select(Settlement.id).where(Settlement.lot_id == lot.id)
    return list(db.session.scalars(
        select(Certificate).where(or_(Certificate.lot_id == lot.id,
                                      Certificate.settlement_id.in_(sold_from)))
        .order_by(Certificate.id)))


def certificates_for_settlement(settlement: Settlement) -> list[Certificate]:
    """A settlement's transfer certificate(s) (for the settlement's page, which checks sight)."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.settlement_id == settlement.id)
        .order_by(Certificate.id)))
