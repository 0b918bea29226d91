"""Pledges (质押): the owner requests; a regulator registers, rejects, releases or enforces."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.common import ReasonSchema
from market.schemas.pledges import (
    PledgeCreateSchema,
    PledgeEnforceSchema,
    PledgeQuerySchema,
    PledgeSchema,
)
from market.services import pledges

bp = Blueprint("pledges", __name__, description="Pledges of lot quantity")


@bp.post("/lots/<serial>/pledges")
@roles_required("trader")
@bp.arguments(PledgeCreateSchema)
@bp.response(201, PledgeSchema)
def request_pledge(data, serial):
    """Ask to pledge quantity of one of my lots to a lender; it waits for a regulator."""
    return pledges.request_pledge(current_actor(), serial, data)


@bp.get("/pledges")
@roles_required("trader", "regulator")
@bp.arguments(PledgeQuerySchema, location="query")
@bp.response(200, PledgeSchema(many=True))
def list_pledges(query):
    """Pledges on my lots (a regulator: in its jurisdiction), newest first."""
    return pledges.list_pledges(current_actor(), query)


@bp.get("/pledges/<int:pledge_id>")
@roles_required("trader", "regulator")
@bp.response(200, PledgeSchema)
def get_pledge(pledge_id):
    """One pledge."""
    return pledges.pledge_visible_to(current_actor(), pledge_id)


@bp.post("/pledges/<int:pledge_id>/register")
@roles_required("regulator")
@bp.response(200, PledgeSchema)
def register(pledge_id):
    """Register a pending pledge: its quantity moves to the lot's pledged bucket."""
    return pledges.register_pledge(current_actor(), pledge_id)


@bp.post("/pledges/<int:pledge_id>/reject")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, PledgeSchema)
def reject(data, pledge_id):
    """Refuse a pending pledge, with a reason."""
    return pledges.reject_pledge(current_actor(), pledge_id, data["reason"])


@bp.post("/pledges/<int:pledge_id>/release")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, PledgeSchema)
def release(data, pledge_id):
    """Release a registered pledge: the quantity is available again."""
    return pledges.release_pledge(current_actor(), pledge_id, data["reason"])


@bp.post("/pledges/<int:pledge_id>/enforce")
@roles_required("regulator")
@bp.arguments(PledgeEnforceSchema)
@bp.response(200, PledgeSchema)
def enforce(data, pledge_id):
    """Enforce a registered pledge: the quantity goes to the lender's account as a child lot."""
    return pledges.enforce_pledge(current_actor(), pledge_id, data["lender_account_id"],
                                  data["reason"])
