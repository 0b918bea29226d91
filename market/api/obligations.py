"""Obligations (限额): regulators set them, the district's traders surrender against them."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.obligations import (
    ObligationCreateSchema,
    ObligationQuerySchema,
    ObligationSchema,
    SurrenderCreateSchema,
    SurrenderSchema,
)
from market.services import obligations

bp = Blueprint("obligations", __name__, url_prefix="/obligations",
               description="Obligations (quotas) and their surrender")


@bp.post("")
@roles_required("regulator")
@bp.arguments(ObligationCreateSchema)
@bp.response(201, ObligationSchema)
def create_obligation(data):
    """Set a quota on a district in your jurisdiction (audited)."""
    return obligations.create_obligation(current_actor(), data)


@bp.get("")
@roles_required("trader", "regulator")
@bp.arguments(ObligationQuerySchema, location="query")
@bp.response(200, ObligationSchema(many=True))
def list_obligations(filters):
    """Obligations in sight (a trader: its district's) with surrendered and shortfall."""
    return obligations.list_obligations(current_actor(), filters)


@bp.get("/<int:obligation_id>")
@roles_required("trader", "regulator")
@bp.response(200, ObligationSchema)
def get_obligation(obligation_id):
    """One obligation with surrendered and shortfall."""
    return obligations.get_obligation(current_actor(), obligation_id)


@bp.get("/<int:obligation_id>/surrenders")
@roles_required("trader", "regulator")
@bp.response(200, SurrenderSchema(many=True))
def list_surrenders(obligation_id):
    """What has been surrendered against the obligation."""
    obligations.get_obligation(current_actor(), obligation_id)
    return obligations.surrenders_of(obligation_id)


@bp.post("/<int:obligation_id>/surrenders")
@roles_required("trader")
@bp.arguments(SurrenderCreateSchema)
@bp.response(201, SurrenderSchema)
def surrender(data, obligation_id):
    """Retire quantity of one of your active lots against the obligation."""
    return obligations.surrender(current_actor(), obligation_id, data)
