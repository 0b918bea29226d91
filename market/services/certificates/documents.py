"""Certificates in words a person reads: the fact labels, and the Chinese PDF."""

from datetime import datetime

from flask_babel import gettext, lazy_gettext

from market import pdf
from market.calendar import local
from market.services.certificates.standing import PublicCertificate
from market.tables import Export
from market.vocabulary import UNIT, word

KIND_TITLES = {
    "issuance": lazy_gettext("Certificate of issuance"),
    "transfer": lazy_gettext("Certificate of transfer"),
    "retirement": lazy_gettext("Certificate of retirement"),
    "surrender": lazy_gettext("Certificate of surrender"),
    "pledge": lazy_gettext("Certificate of pledge registration"),
}
STANDING_WORDS = {
    "valid": lazy_gettext("Valid"),
    "suspended": lazy_gettext("Suspended"),
    "void": lazy_gettext("No longer valid"),
    "tampered": lazy_gettext("Signature does not verify"),
}
# Labels of the facts the market's own certificates state; a fact another kind adds
# (a pledgee, an obligation) shows under its key until it is given a label here.
FACT_LABELS = {
    "lot_serial": lazy_gettext("Lot serial"),
    "instrument": lazy_gettext("Instrument code"),
    "instrument_name": lazy_gettext("Instrument"),
    "unit": lazy_gettext("Unit"),
    "lot_quantity": lazy_gettext("Lot quantity"),
    "owner": lazy_gettext("Owner"),
    "owner_district": lazy_gettext("Owner's district"),
    "origin_district": lazy_gettext("Origin"),
    "project_name": lazy_gettext("Source project"),
    "project_code": lazy_gettext("Source project code"),
    "accepted_on": lazy_gettext("Accepted on"),
    "vintage_year": lazy_gettext("Vintage"),
    "quality_grade": lazy_gettext("Quality grade"),
    "verified_at": lazy_gettext("Verified at"),
    "retired_quantity": lazy_gettext("Quantity retired"),
    "use_project_name": lazy_gettext("Used for project"),
    "use_project_code": lazy_gettext("Used for project code"),
    "obligation": lazy_gettext("Obligation"),
    "retired_at": lazy_gettext("Retired at"),
    "settlement_id": lazy_gettext("Settlement number"),
    "trade_id": lazy_gettext("Trade number"),
    "mechanism": lazy_gettext("How it was traded"),
    "quantity": lazy_gettext("Quantity"),
    "price": lazy_gettext("Price (yuan)"),
    "amount": lazy_gettext("Amount (yuan)"),
    "seller": lazy_gettext("Seller"),
    "seller_district": lazy_gettext("Seller's district"),
    "buyer": lazy_gettext("Buyer"),
    "buyer_district": lazy_gettext("Buyer's district"),
    "source_lot": lazy_gettext("Lot sold from"),
    "delivered_lot": lazy_gettext("Lot delivered"),
    "executed_at": lazy_gettext("Traded at"),
    "completed_at": lazy_gettext("Completed at"),
    "pledgee": lazy_gettext("Pledgee (lender)"),
    "pledged_quantity": lazy_gettext("Quantity pledged"),
    "loan_amount": lazy_gettext("Loan amount (yuan)"),
    "contract_reference": lazy_gettext("Loan contract"),
    "registered_at": lazy_gettext("Pledge registered at"),
}
MECHANISMS = {
    "continuous": lazy_gettext("continuous trading"),
    "call_auction": lazy_gettext("call auction"),
    "listing": lazy_gettext("listing auction"),
    "procurement": lazy_gettext("procurement"),
    "negotiated": lazy_gettext("negotiated transfer"),
}
_TIMES = {"verified_at", "retired_at", "executed_at", "completed_at", "registered_at"}


def fact_rows(facts: dict) -> list[tuple[str, str, str]]:
    """(key, label, value as read) for each fact, the known ones in a fixed order.

    The value shown beside a code adds its word (a unit, a mechanism) and gives times in
    Beijing time; the key and the signed text stay what a copy is checked against.
    """
    order = {key: index for index, key in enumerate(FACT_LABELS)}
    rows = []
    for key in sorted(facts, key=lambda k: (order.get(k, len(order)), k)):
        value = facts[key]
        if key == "unit":
            value = f"{word(UNIT, value)}（{value}）"
        elif key == "mechanism":
            value = f"{MECHANISMS.get(value, value)}（{value}）"
        elif key in _TIMES:
            value = _beijing(value)
        rows.append((key, str(FACT_LABELS.get(key, key)), str(value)))
    return rows


def _beijing(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return f"{local(moment):%Y-%m-%d %H:%M:%S}（{gettext('Beijing time')}）"


def certificate_pdf(view: PublicCertificate, verify_url: str) -> Export:
    """The certificate as a Chinese PDF: facts, code, signature, and a QR code of the page
    that verifies it."""
    standing = view.standing
    status = [(gettext("Status at printing"), str(STANDING_WORDS[standing.status]))]
    status += [(gettext("Why"), reason) for reason in standing.reasons]
    document = pdf.Document(
        title=str(KIND_TITLES.get(view.kind, view.kind)),
        subtitle=gettext("Verification code %(code)s", code=view.printed_code),
        sections=[
            pdf.Facts(gettext("Certified facts"),
                      [(label, value) for _key, label, value in fact_rows(view.facts)]),
            pdf.Facts(gettext("Verification"), [
                (gettext("Verification code"), view.printed_code),
                (gettext("Issued at"), _beijing(view.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"))),
                (gettext("Signature (HMAC-SHA256)"), view.signature),
                (gettext("Verify at"), verify_url),
                *status,
            ]),
        ],
        footer=gettext("Scan the code or open the address above to see the facts the market "
                       "signed and whether this certificate still holds. A copy whose facts "
                       "differ from the page does not verify."),
        qr_url=verify_url)
    return pdf.export(document, f"certificate-{view.code}.pdf")
