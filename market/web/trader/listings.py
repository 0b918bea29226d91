"""A trader's listings and procurements: announce, follow, register, bid or offer, confirm.

One set of views serves both sections (/trade/listings, /trade/procurements); the live panel
of a page polls its `live` JSON (static/listings.js) for the best price and the close.
"""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.downloads import attachment
from market.errors import DomainError
from market.services import catalogue, identity, listings, registry
from market.web.access import refused
from market.web.blueprint import bp
from market.web.filters import local_time, money
from market.web.listing_forms import ListingForm, OfferLotForm, PriceForm, ProcurementForm

SECTIONS = {"listings": "listing", "procurements": "procurement"}



def section_routes(area: str, method: str, rule: str):
    """Route a view at /<area>/listings… and /<area>/procurements…, `section` set by the rule.

    Two plain rules rather than an `any` converter: url_for(view, section=…) builds the
    right one, and each path stays a literal a person (or a test) can read.
    """

    def decorator(view):
        for section in SECTIONS:
            bp.route(f"/{area}/{section}{rule}", methods=[method],
                     defaults={"section": section})(view)
        return view

    return decorator


def both(method: str, rule: str):
    """A trader's view in both sections."""
    return section_routes("trade", method, rule)


def _kind(section: str) -> str:
    return SECTIONS[section]


def _account():
    return identity.get_account(page_user().account_id)


def _active_lots(instrument_id=None, at_least=None):
    lots = registry.search_lots(page_user(), {"status": "active", "limit": 1000, "offset": 0})
    return [lot for lot in lots if lot.available > 0
            and (instrument_id is None or lot.instrument_id == instrument_id)
            and (at_least is None or lot.available >= at_least)]


@bp.get("/trade/listings")
def trader_listings():
    """Every listing of the market, newest first."""
    return _list("listings")


@bp.get("/trade/procurements")
def trader_procurements():
    """Every procurement of the market, newest first."""
    return _list("procurements")


def _list(section: str):
    user = page_user()
    mine = request.args.get("mine") == "1"
    rows = listings.list_visible(user, _kind(section), {"limit": 200, "offset": 0,
                                                        "mine": mine})
    return render_template("trader/auctions.html", section=section, kind=_kind(section),
                           views=[listings.view(user, row) for row in rows], mine=mine)


def _listing_form(submitted: bool) -> ListingForm:
    form = ListingForm() if submitted else ListingForm(formdata=None)
    form.lot_serial.choices = [(lot.serial, f"{lot.serial}（{lot.available}）")
                               for lot in _active_lots()]
    return form


def _procurement_form(submitted: bool) -> ProcurementForm:
    form = ProcurementForm() if submitted else ProcurementForm(formdata=None)
    form.instrument.choices = [(i.code, f"{i.code} {i.name_zh}")
                               for i in catalogue.list_instruments() if i.status == "open"]
    return form


@both("GET", "/new")
def new_auction(section):
    """The form to list a lot, or to announce a demand."""
    form = _listing_form(False) if section == "listings" else _procurement_form(False)
    return render_template("trader/new_auction.html", section=section, form=form)


@both("POST", "/new")
def create_auction(section):
    """List the lot, or announce the demand."""
    listing = section == "listings"
    form = _listing_form(True) if listing else _procurement_form(True)
    if not form.validate_on_submit():
        return render_template("trader/new_auction.html", section=section, form=form), 422
    try:
        if listing:
            auction = listings.create_listing(page_user(), _account(), form.listing())
        else:
            auction = listings.create_procurement(page_user(), _account(), form.procurement())
    except DomainError as error:
        return render_template("trader/new_auction.html", section=section, form=form,
                               error=refused(error)), error.status
    flash(_("Announced: no. %(id)s.", id=auction.id), "success")
    return redirect(url_for("web.trader_auction", section=section, auction_id=auction.id))


@both("GET", "/<int:auction_id>")
def trader_auction(section, auction_id):
    """One listing or procurement: terms, the live best price and close, my registration."""
    return _page(section, auction_id)


def _page(section: str, auction_id: int, error: str | None = None, price_form=None,
          status: int = 200):
    user = page_user()
    auction = listings.get_visible(user, _kind(section), auction_id)
    seen = listings.view(user, auction)
    lot_form = OfferLotForm(formdata=None)
    if auction.kind == "procurement":
        lot_form.lot_serial.choices = [
            (lot.serial, f"{lot.serial}（{lot.available}）")
            for lot in _active_lots(auction.instrument_id, auction.quantity)]
    return render_template(
        "trader/auction.html", section=section, seen=seen, auction=auction,
        own=auction.owner_account_id == user.account_id, error=error,
        price_form=price_form or PriceForm(formdata=None), lot_form=lot_form,
        bids=auction.bids), status


@both("GET", "/<int:auction_id>/live")
def auction_live(section, auction_id):
    """The live panel's figures, for the page's poll."""
    user = page_user()
    seen = listings.view(user, listings.get_visible(user, _kind(section), auction_id))
    return jsonify({
        "status": seen.status, "status_text": str(listings.AUCTION_STATUS[seen.status]),
        "best_price": money(seen.best_price) if seen.best_price is not None else "—",
        "closes_at": local_time(seen.auction.closes_at), "bid_count": seen.bid_count})


def _act(section: str, auction_id: int, act, done: str):
    try:
        act()
    except DomainError as error:
        return _page(section, auction_id, error=refused(error), status=error.status)
    flash(done, "success")
    return redirect(url_for("web.trader_auction", section=section, auction_id=auction_id))


@both("POST", "/<int:auction_id>/register")
def register_for_auction(section, auction_id):
    """Register: the deposit is held (a seller also names its lot). CSRF is checked for
    every page form by CSRFProtect; the service checks the lot."""
    serial = request.form.get("lot_serial") if section == "procurements" else None
    if section == "procurements" and not serial:
        return _page(section, auction_id, error=_("Choose a lot"), status=422)
    return _act(section, auction_id, lambda: listings.register(
        page_user(), _account(), _kind(section), auction_id, serial),
        _("Registered; the bidding deposit is held."))


@both("POST", "/<int:auction_id>/bid")
def bid_on_auction(section, auction_id):
    """Bid (listing) or offer (procurement) at the typed price."""
    form = PriceForm()
    if not form.validate_on_submit():
        return _page(section, auction_id, price_form=form, status=422)
    return _act(section, auction_id, lambda: listings.place_bid(
        page_user(), _account(), _kind(section), auction_id, form.price.data),
        _("Your price is in."))


@bp.post("/trade/listings/<int:auction_id>/accept")
def accept_ceiling(auction_id):
    """Accept the ceiling price of a listing."""
    user = page_user()
    auction = listings.get_visible(user, "listing", auction_id)
    if auction.ceiling_price is None:
        abort(404)
    return _act("listings", auction_id, lambda: listings.place_bid(
        user, _account(), "listing", auction_id, auction.ceiling_price),
        _("You accepted the ceiling price."))


@both("GET", "/<int:auction_id>/confirmation.pdf")
def auction_confirmation(section, auction_id):
    """The 成交确认书 as a PDF, for the two parties."""
    found = listings.confirmation_for(page_user(), _kind(section), auction_id)
    return attachment(listings.confirmation_pdf(found))


# The auction word tables, for the listing pages of both areas.
for _name in ("AUCTION_STATUS", "AUCTION_KIND", "REGISTRATION_STATUS", "DEPOSIT_STATE",
              "QUALIFICATION"):
    bp.add_app_template_global(getattr(listings, _name), _name)
