"""Certificates: read and check by code with no login; the PDF for the parties."""

from dataclasses import asdict

from flask import current_app, url_for
from flask_babel import force_locale

from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.downloads import attachment
from market.extensions import limiter
from market.i18n import CHINESE
from market.pdf import PDF_MEDIA_TYPE
from market.schemas.certificates import CertificateSchema, CopyCheckResultSchema, CopyCheckSchema
from market.services import certificates

bp = Blueprint("certificates", __name__, url_prefix="/certificates",
               description="Certificates of issuance, transfer and use (public by code)")
PUBLIC = {"security": []}


def _public_limit() -> str:
    return current_app.config["CERTIFICATE_RATE_LIMIT"]


def verify_url(code: str) -> str:
    """The public page of a certificate, as a full URL (printed and put in the QR code)."""
    return url_for("web.verify_certificate", code=code, _external=True)


@bp.post("/verify")
@limiter.limit(_public_limit)
@bp.doc(**PUBLIC)
@bp.arguments(CopyCheckSchema)
@bp.response(200, CopyCheckResultSchema)
def check_copy(data):
    """Check the facts printed on a copy (code, quantity, amount…) against the signature; no
    login, rate-limited."""
    return certificates.compare_copy(data["code"], data["facts"], data.get("signature"))


@bp.get("/<code>")
@limiter.limit(_public_limit)
@bp.doc(**PUBLIC)
@bp.response(200, CertificateSchema)
def get_certificate(code):
    """The facts a certificate states and whether it still holds; no login, rate-limited."""
    view = certificates.public_view(code)
    return {**asdict(view), "standing": view.standing, "verify_url": verify_url(view.code)}


@bp.get("/<code>/pdf")
@roles_required("trader", "regulator")
@bp.response(200, {"type": "string", "format": "binary"}, content_type=PDF_MEDIA_TYPE,
             description="the certificate as a Chinese PDF with a QR code of its public page")
def certificate_pdf(code):
    """The certificate's PDF, for its parties and regulators whose jurisdiction holds one."""
    certificate = certificates.certificate_for_party(current_actor(), code)
    with force_locale(CHINESE):  # a PDF is read by a person: Chinese whatever the client asks
        view = certificates.public_view(certificate.code)
        return attachment(certificates.certificate_pdf(view, verify_url(view.code)))
