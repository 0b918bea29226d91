"""Negotiated transfers (协议转让): propose, accept, decline, withdraw, approve, reject."""


from market.api.document import Blueprint
from market.auth import current_account, current_actor, roles_required
from market.schemas.common import ReasonSchema
from market.schemas.negotiated import (
    NegotiatedCreateSchema,
    NegotiatedQuerySchema,
    NegotiatedTransferSchema,
)
from market.services import negotiated

bp = Blueprint("negotiated", __name__, url_prefix="/negotiated-transfers",
               description="Negotiated transfers")


@bp.post("")
@roles_required("trader")
@bp.arguments(NegotiatedCreateSchema)
@bp.response(201, NegotiatedTransferSchema)
def propose(data):
    """The seller proposes part of its lot at a price to a named buyer; quantity encumbered."""
    return negotiated.propose(current_actor(), current_account(), data)


@bp.get("")
@roles_required("trader", "regulator")
@bp.arguments(NegotiatedQuerySchema, location="query")
@bp.response(200, NegotiatedTransferSchema(many=True))
def list_transfers(query):
    """My transfers as seller or buyer; a regulator's in its jurisdiction (awaiting=me)."""
    return negotiated.list_transfers(current_actor(), query.get("status"),
                                     query.get("awaiting") == "me", query.get("party"),
                                     query["limit"], query["offset"])


@bp.get("/<int:transfer_id>")
@roles_required("trader", "regulator")
@bp.response(200, NegotiatedTransferSchema)
def get_transfer(transfer_id):
    """One transfer with its approvals."""
    return negotiated.transfer_visible_to(current_actor(), transfer_id)


@bp.post("/<int:transfer_id>/accept")
@roles_required("trader")
@bp.response(200, NegotiatedTransferSchema)
def accept(transfer_id):
    """The named buyer accepts; the instrument's deposit is held from available cash."""
    return negotiated.accept(current_actor(), current_account(), transfer_id)


@bp.post("/<int:transfer_id>/decline")
@roles_required("trader")
@bp.response(200, NegotiatedTransferSchema)
def decline(transfer_id):
    """The named buyer turns the proposal down; the quantity returns to the lot."""
    return negotiated.decline(current_actor(), current_account(), transfer_id)


@bp.post("/<int:transfer_id>/withdraw")
@roles_required("trader")
@bp.response(200, NegotiatedTransferSchema)
def withdraw(transfer_id):
    """The seller withdraws before approval; quantity and deposit return."""
    return negotiated.withdraw(current_actor(), current_account(), transfer_id)


@bp.post("/<int:transfer_id>/approve")
@roles_required("regulator")
@bp.response(200, NegotiatedTransferSchema)
def approve(transfer_id):
    """A regulator approves its side; the last approval makes the trade and its settlement."""
    return negotiated.approve(current_actor(), transfer_id)


@bp.post("/<int:transfer_id>/reject")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, NegotiatedTransferSchema)
def reject(data, transfer_id):
    """A regulator of a required side rejects, with a reason; quantity and deposit return."""
    return negotiated.reject(current_actor(), transfer_id, data["reason"])
