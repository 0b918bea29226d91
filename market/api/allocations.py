"""Allocations (下达/奖励): a regulator issues verified lots to an account."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.lots import LotDetailSchema
from market.schemas.obligations import AllocationCreateSchema
from market.services import registry

bp = Blueprint("allocations", __name__, url_prefix="/allocations",
               description="Allocations of new indicators (issued or rewarded)")


@bp.post("")
@roles_required("regulator")
@bp.arguments(AllocationCreateSchema)
@bp.response(201, LotDetailSchema)
def allocate(data):
    """Issue a verified lot (source: allocation) to an account in your jurisdiction."""
    return registry.allocate_lot(current_actor(), data)
