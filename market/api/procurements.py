"""Procurements (指标收购, reverse auctions): announce, register, review, offer, confirm."""


from market.api.document import Blueprint
from market.api.listings import CONFIRMATION, wants_pdf
from market.auth import current_account, current_actor, roles_required
from market.downloads import attachment
from market.pdf import PDF_MEDIA_TYPE
from market.schemas.common import ReasonSchema
from market.schemas.listings import (
    AuctionQuerySchema,
    BidCreateSchema,
    BidSchema,
    ConfirmationSchema,
    ProcurementCreateSchema,
    ProcurementRegistrationSchema,
    ProcurementSchema,
    RegistrationSchema,
)
from market.services import listings

bp = Blueprint("procurements", __name__, url_prefix="/procurements",
               description="Procurements (reverse auctions)")
KIND = "procurement"


@bp.post("")
@roles_required("trader")
@bp.arguments(ProcurementCreateSchema)
@bp.response(201, ProcurementSchema)
def create_procurement(data):
    """Announce a demand; your deposit on it at the start price is held until it ends."""
    actor = current_actor()
    return listings.view(actor, listings.create_procurement(actor, current_account(), data))


@bp.get("")
@roles_required("trader", "regulator", "admin")
@bp.arguments(AuctionQuerySchema, location="query")
@bp.response(200, ProcurementSchema(many=True))
def list_procurements(filters):
    """Procurements, newest first (a regulator: those in its jurisdiction)."""
    actor = current_actor()
    return [listings.view(actor, row) for row in listings.list_visible(actor, KIND, filters)]


@bp.get("/<int:procurement_id>")
@roles_required("trader", "regulator", "admin")
@bp.response(200, ProcurementSchema)
def get_procurement(procurement_id):
    """One procurement: its phase, best offer, close after extensions, bidders and result."""
    actor = current_actor()
    return listings.view(actor, listings.get_visible(actor, KIND, procurement_id))


@bp.post("/<int:procurement_id>/registrations")
@roles_required("trader")
@bp.arguments(ProcurementRegistrationSchema)
@bp.response(201, RegistrationSchema)
def register(data, procurement_id):
    """Register to offer with a lot able to deliver the whole quantity: it is set aside and
    the bidding deposit held from your available cash."""
    return listings.register(current_actor(), current_account(), KIND, procurement_id,
                             data["lot_serial"])


@bp.get("/<int:procurement_id>/registrations")
@roles_required("regulator", "admin")
@bp.response(200, RegistrationSchema(many=True))
def list_registrations(procurement_id):
    """The registrants, for the qualification review."""
    return listings.registrations_for(current_actor(), KIND, procurement_id)


@bp.post("/<int:procurement_id>/registrations/<int:registration_id>/approve")
@roles_required("regulator")
@bp.response(200, RegistrationSchema)
def approve(procurement_id, registration_id):
    """Find a pending registrant qualified: it may bid."""
    return listings.approve(current_actor(), KIND, procurement_id, registration_id)


@bp.post("/<int:procurement_id>/registrations/<int:registration_id>/reject")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, RegistrationSchema)
def reject(data, procurement_id, registration_id):
    """Refuse a pending registrant, with a reason; its deposit is released at once."""
    return listings.reject(current_actor(), KIND, procurement_id, registration_id, data["reason"])


@bp.post("/<int:procurement_id>/offers")
@roles_required("trader")
@bp.arguments(BidCreateSchema)
@bp.response(201, BidSchema)
def offer(data, procurement_id):
    """Offer: the first at most the start, each later one at most best − decrement, never
    below the floor (where several sellers may stand; the earliest wins)."""
    return listings.place_bid(current_actor(), current_account(), KIND, procurement_id,
                              data["price"])


@bp.post("/<int:procurement_id>/cancel")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, ProcurementSchema)
def cancel(data, procurement_id):
    """Cancel before the close, with a reason: every deposit and the quantity come back."""
    actor = current_actor()
    return listings.view(actor, listings.cancel_auction(actor, KIND, procurement_id,
                                                        data["reason"]))


@bp.get("/<int:procurement_id>/confirmation")
@roles_required("trader", "regulator", "admin")
@bp.response(200, ConfirmationSchema, description=CONFIRMATION)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=PDF_MEDIA_TYPE, success=True, description=CONFIRMATION)
def confirmation(procurement_id):
    """The 成交确认书 of a closed procurement: for the buyer, the seller and the officials."""
    found = listings.confirmation_for(current_actor(), KIND, procurement_id)
    return attachment(listings.confirmation_pdf(found)) if wants_pdf() else found
