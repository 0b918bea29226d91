"""Listing auctions (挂牌竞价): announce, register, review, bid, cancel, confirm."""

from flask import request

from market.api.document import Blueprint
from market.auth import current_account, current_actor, roles_required
from market.downloads import attachment
from market.pdf import PDF_MEDIA_TYPE
from market.schemas.common import ReasonSchema
from market.schemas.listings import (
    AuctionQuerySchema,
    BidCreateSchema,
    BidSchema,
    ConfirmationSchema,
    ListingCreateSchema,
    ListingSchema,
    RegistrationSchema,
)
from market.services import listings

bp = Blueprint("listings", __name__, url_prefix="/listings", description="Listing auctions")
KIND = "listing"
CONFIRMATION = ("JSON; or the deal confirmation as a PDF with an Accept header that prefers "
                "application/pdf")


def wants_pdf() -> bool:
    """Whether the client's Accept header prefers a PDF to JSON."""
    best = request.accept_mimetypes.best_match(["application/json", PDF_MEDIA_TYPE])
    return best == PDF_MEDIA_TYPE


@bp.post("")
@roles_required("trader")
@bp.arguments(ListingCreateSchema)
@bp.response(201, ListingSchema)
def create_listing(data):
    """List part or all of one of your lots; the quantity is encumbered until it ends."""
    actor = current_actor()
    return listings.view(actor, listings.create_listing(actor, current_account(), data))


@bp.get("")
@roles_required("trader", "regulator", "admin")
@bp.arguments(AuctionQuerySchema, location="query")
@bp.response(200, ListingSchema(many=True))
def list_listings(filters):
    """Listings, newest first (a regulator: those in its jurisdiction)."""
    actor = current_actor()
    return [listings.view(actor, row) for row in listings.list_visible(actor, KIND, filters)]


@bp.get("/<int:listing_id>")
@roles_required("trader", "regulator", "admin")
@bp.response(200, ListingSchema)
def get_listing(listing_id):
    """One listing: its phase, best bid, close after extensions, bidders and result."""
    actor = current_actor()
    return listings.view(actor, listings.get_visible(actor, KIND, listing_id))


@bp.post("/<int:listing_id>/registrations")
@roles_required("trader")
@bp.response(201, RegistrationSchema)
def register(listing_id):
    """Register to bid: the bidding deposit is held from your available cash."""
    return listings.register(current_actor(), current_account(), KIND, listing_id)


@bp.get("/<int:listing_id>/registrations")
@roles_required("regulator", "admin")
@bp.response(200, RegistrationSchema(many=True))
def list_registrations(listing_id):
    """The registrants, for the qualification review."""
    return listings.registrations_for(current_actor(), KIND, listing_id)


@bp.post("/<int:listing_id>/registrations/<int:registration_id>/approve")
@roles_required("regulator")
@bp.response(200, RegistrationSchema)
def approve(listing_id, registration_id):
    """Find a pending registrant qualified: it may bid."""
    return listings.approve(current_actor(), KIND, listing_id, registration_id)


@bp.post("/<int:listing_id>/registrations/<int:registration_id>/reject")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, RegistrationSchema)
def reject(data, listing_id, registration_id):
    """Refuse a pending registrant, with a reason; its deposit is released at once."""
    return listings.reject(current_actor(), KIND, listing_id, registration_id, data["reason"])


@bp.post("/<int:listing_id>/bids")
@roles_required("trader")
@bp.arguments(BidCreateSchema)
@bp.response(201, BidSchema)
def bid(data, listing_id):
    """Bid: the first at least the start, each later one at least best + increment; at the
    ceiling, bidding the ceiling accepts it."""
    return listings.place_bid(current_actor(), current_account(), KIND, listing_id,
                              data["price"])


@bp.post("/<int:listing_id>/cancel")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, ListingSchema)
def cancel(data, listing_id):
    """Cancel before the close, with a reason: every deposit and the quantity come back."""
    actor = current_actor()
    return listings.view(actor, listings.cancel_auction(actor, KIND, listing_id,
                                                        data["reason"]))


@bp.get("/<int:listing_id>/confirmation")
@roles_required("trader", "regulator", "admin")
@bp.response(200, ConfirmationSchema, description=CONFIRMATION)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=PDF_MEDIA_TYPE, success=True, description=CONFIRMATION)
def confirmation(listing_id):
    """The 成交确认书 of a closed listing: for the buyer, the seller and the officials."""
    found = listings.confirmation_for(current_actor(), KIND, listing_id)
    return attachment(listings.confirmation_pdf(found)) if wants_pdf() else found
