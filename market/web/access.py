"""Who may see the pages, the headers every page carries, and refusals as pages."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from market.errors import DomainError
from market.extensions import db
from market.web.blueprint import bp
from market.web.messages import error_text
from market.web.navigation import area_of, home_of, menu_context

# A certificate's page is public: its QR code is printed for anyone to check.
PUBLIC = {"web.index", "web.login", "web.verify_certificate"}
ANY_USER = {"web.logout", "web.home"}

# Pages load scripts, styles and images from this app only: the chart library is vendored
# under static/, and the chart data is embedded as JSON rather than as inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@bp.before_request
def require_the_areas_role():
    """Every page but the landing and login pages needs a login, and each area its role:
    regulators at /desk, traders at /trade, admins at /admin (see navigation.py)."""
    if request.endpoint in PUBLIC:
        return None
    if not current_user.is_authenticated:
        target = request.path + (f"?{request.query_string.decode()}"
                                 if request.query_string else "")
        return redirect(url_for("web.login", next=target))
    area = area_of(request.path)
    if request.endpoint not in ANY_USER and area is not None and current_user.role != area[0]:
        return render_template("forbidden.html", home=home_of(current_user.role)), 403
    return None


@bp.app_context_processor
def header():
    """The menu and area title of the logged-in user's role, for base.html."""
    if not current_user.is_authenticated:
        return menu_context(None)
    return menu_context(current_user.role, national=current_user.district_id is None)


@bp.after_request
def page_headers(response):
    """Lock pages to this origin and keep regulator data out of shared caches."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def refused(error: DomainError) -> str:
    """Discard the refused use case's transaction and say why in Chinese."""
    db.session.rollback()
    return error_text(error)


@bp.errorhandler(CSRFError)
def csrf_failed(_error):
    """A form without a valid token: stale page, or a post from another site."""
    message = _("The form has expired or came from elsewhere (the CSRF check failed); go back, "
                "reload the page and try again.")
    return render_template("error.html", title=_("Request refused"), message=message), 400


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    """A refusal no view caught (e.g. an unknown instrument code in the address)."""
    return render_template("error.html", title=_("Could not be done"),
                           message=refused(error)), error.status


@bp.errorhandler(429)
def too_many_attempts(_error):
    """Failed logins over the limit."""
    message = _("Too many failed logins; try again later.")
    return render_template("error.html", title=_("Try again later"), message=message), 429
