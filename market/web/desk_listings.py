"""A regulator's listings and procurements: review registrants, cancel before the close."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import listings
from market.web.access import refused
from market.web.blueprint import bp
from market.web.listing_forms import ReasonForm
from market.web.trader.listings import SECTIONS, section_routes


def both(method: str, rule: str):
    """A regulator's view in both sections."""
    return section_routes("desk", method, rule)


@bp.get("/desk/listings")
def desk_listings():
    """Listings and procurements in the jurisdiction, with registrants waiting for review."""
    user = page_user()
    tables = {section: [listings.view(user, row) for row in listings.list_visible(
        user, kind, {"limit": 200, "offset": 0})] for section, kind in SECTIONS.items()}
    return render_template("desk/auctions.html", tables=tables)


@both("GET", "/<int:auction_id>")
def desk_auction(section, auction_id):
    """One auction: its terms, bids and registrants, and the review and cancel forms."""
    return _page(section, auction_id)


def _page(section, auction_id, error=None, status=200):
    user = page_user()
    kind = SECTIONS[section]
    auction = listings.get_visible(user, kind, auction_id)
    return render_template(
        "desk/auction.html", section=section, auction=auction, seen=listings.view(user, auction),
        registrations=listings.registrations_for(user, kind, auction_id), error=error,
        reason_form=ReasonForm(formdata=None)), status


def _act(section, auction_id, act, done):
    try:
        act()
    except DomainError as error:
        return _page(section, auction_id, error=refused(error), status=error.status)
    flash(done, "success")
    return redirect(url_for("web.desk_auction", section=section, auction_id=auction_id))


@both("POST", "/<int:auction_id>/registrations/<int:registration_id>/approve")
def desk_approve_registration(section, auction_id, registration_id):
    """The registrant is qualified: it may bid."""
    return _act(section, auction_id, lambda: listings.approve(
        page_user(), SECTIONS[section], auction_id, registration_id), _("Registrant approved."))


@both("POST", "/<int:auction_id>/registrations/<int:registration_id>/reject")
def desk_reject_registration(section, auction_id, registration_id):
    """The registrant is refused, with a reason; its deposit goes back at once."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(section, auction_id, error=_("Give a reason"), status=422)
    return _act(section, auction_id, lambda: listings.reject(
        page_user(), SECTIONS[section], auction_id, registration_id, form.reason.data.strip()),
        _("Registrant rejected; the deposit is released."))


@both("POST", "/<int:auction_id>/cancel")
def desk_cancel_auction(section, auction_id):
    """Cancel before the close, with a reason: deposits and the quantity come back."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(section, auction_id, error=_("Give a reason"), status=422)
    return _act(section, auction_id, lambda: listings.cancel_auction(
        page_user(), SECTIONS[section], auction_id, form.reason.data.strip()),
        _("Cancelled; every deposit and the quantity are released."))
