"""The registry: register, search, verify, retire."""

from flask_smorest import Blueprint

from market.auth import current_account, current_actor, roles_required
from market.schemas.common import ReasonSchema
from market.schemas.lots import (
    LotCreateSchema,
    LotDetailSchema,
    LotQuerySchema,
    LotSchema,
    RetirementCreateSchema,
    RetirementSchema,
)
from market.services import lots

bp = Blueprint("lots", __name__, url_prefix="/lots", description="The indicator registry")


@bp.post("")
@roles_required("trader")
@bp.arguments(LotCreateSchema)
@bp.response(201, LotDetailSchema)
def register_lot(data):
    """Register a lot from an accepted project; it waits for verification."""
    return lots.register(current_actor(), current_account(), data)


@bp.get("")
@roles_required("trader", "regulator")
@bp.arguments(LotQuerySchema, location="query")
@bp.response(200, LotSchema(many=True))
def search_lots(filters):
    """Search the registry (traders see their own lots only)."""
    return lots.search(current_actor(), filters)


@bp.get("/<serial>")
@roles_required("trader", "regulator")
@bp.response(200, LotDetailSchema)
def get_lot(serial):
    """One lot with its parent, children and retirements."""
    return lots.visible_to(current_actor(), serial)


@bp.post("/<serial>/verify")
@roles_required("regulator")
@bp.response(200, LotDetailSchema)
def verify(serial):
    """Accept a pending lot; its quantity becomes available to trade."""
    return lots.verify(current_actor(), serial)


@bp.post("/<serial>/reject")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def reject(data, serial):
    """Refuse a pending lot, with a reason."""
    return lots.reject(current_actor(), serial, data["reason"])


@bp.post("/<serial>/freeze")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def freeze(data, serial):
    """Freeze an active lot."""
    return lots.freeze(current_actor(), serial, data["reason"])


@bp.post("/<serial>/unfreeze")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def unfreeze(data, serial):
    """Unfreeze a lot."""
    return lots.unfreeze(current_actor(), serial, data["reason"])


@bp.post("/<serial>/revoke")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def revoke(data, serial):
    """Revoke a lot: its free quantity leaves the market."""
    return lots.revoke(current_actor(), serial, data["reason"])


@bp.post("/<serial>/retirements")
@roles_required("trader")
@bp.arguments(RetirementCreateSchema)
@bp.response(201, RetirementSchema)
def retire(data, serial):
    """Retire quantity against a construction project or an obligation."""
    return lots.retire(current_actor(), current_account(), serial, data)
