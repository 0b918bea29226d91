"""Certificates on the pages: the public verification page (no login) and the parties' PDFs.

/verify/<code> is what a certificate's QR code opens: anyone may read the facts the market
signed and whether they still hold, and nothing else. The PDF goes only to the parties
(/trade) and to regulators whose jurisdiction holds one (/desk). Lot and settlement pages list
their certificates through the template globals below.
"""

from flask import current_app, render_template, url_for

from market.auth import page_user
from market.downloads import attachment
from market.extensions import limiter
from market.services import certificates
from market.web.blueprint import bp


def _public_limit() -> str:
    return current_app.config["CERTIFICATE_RATE_LIMIT"]


def verify_url(code: str) -> str:
    """The public page of a certificate, as a full URL (printed and put in the QR code)."""
    return url_for("web.verify_certificate", code=code, _external=True)


@bp.get("/verify/<code>")
@limiter.limit(_public_limit)
def verify_certificate(code):
    """A certificate's signed facts and whether it still holds, for anyone with its code."""
    view = certificates.public_view(code)
    return render_template("certificates/verify.html", view=view,
                           title=certificates.KIND_TITLES.get(view.kind, view.kind),
                           standing_word=certificates.STANDING_WORDS[view.standing.status],
                           rows=certificates.fact_rows(view.facts))


def _pdf(code: str):
    certificate = certificates.certificate_for_party(page_user(), code)
    view = certificates.public_view(certificate.code)
    return attachment(certificates.certificate_pdf(view, verify_url(view.code)))


@bp.get("/trade/certificates/<code>.pdf")
def trader_certificate_pdf(code):
    """A party's certificate as a PDF."""
    return _pdf(code)


@bp.get("/desk/certificates/<code>.pdf")
def desk_certificate_pdf(code):
    """A certificate as a PDF, for a regulator whose jurisdiction holds a party."""
    return _pdf(code)


def _links(found) -> list[dict]:
    """What a page shows of each certificate: kind, code, standing, page and PDF links."""
    user = page_user()
    pdf_endpoint = ("web.desk_certificate_pdf" if user is not None and user.role == "regulator"
                    else "web.trader_certificate_pdf")
    rows = []
    for certificate in found:
        standing = certificates.standing_of(certificate)
        rows.append({"kind": certificates.KIND_TITLES.get(certificate.kind, certificate.kind),
                     "code": certificates.printed_code(certificate.code),
                     "issued_at": certificate.issued_at,
                     "status": standing.status,
                     "standing": certificates.STANDING_WORDS[standing.status],
                     "page": url_for("web.verify_certificate", code=certificate.code),
                     "pdf": url_for(pdf_endpoint, code=certificate.code)})
    return rows


@bp.app_template_global()
def lot_certificates(lot) -> list[dict]:
    """The certificates about a lot the page already shows (the page checked sight)."""
    return _links(certificates.certificates_for_lot(lot))


@bp.app_template_global()
def settlement_certificates(settlement) -> list[dict]:
    """The transfer certificate of a settlement the page already shows."""
    return _links(certificates.certificates_for_settlement(settlement))
