"""Settlements: amounts due and deadlines; payment, bank confirmation, cancellation."""


from market.api.document import Blueprint
from market.auth import current_account, current_actor, roles_required
from market.schemas.common import BankMovementSchema, ReasonSchema
from market.schemas.trading import SettlementQuerySchema, SettlementSchema
from market.services import settlement

bp = Blueprint("settlements", __name__, url_prefix="/settlements", description="Settlement")


@bp.get("")
@roles_required("trader", "regulator")
@bp.arguments(SettlementQuerySchema, location="query")
@bp.response(200, SettlementSchema(many=True))
def list_settlements(query):
    """My settlements as buyer or seller (all, for a regulator), newest first."""
    return settlement.list_settlements(current_actor(), query.get("status"), query["limit"],
                                query["offset"])


@bp.get("/<int:settlement_id>")
@roles_required("trader", "regulator")
@bp.response(200, SettlementSchema)
def get_settlement(settlement_id):
    """One settlement with its payments."""
    return settlement.settlement_visible_to(current_actor(), settlement_id)


@bp.post("/<int:settlement_id>/pay")
@roles_required("trader")
@bp.response(200, SettlementSchema)
def pay(settlement_id):
    """The buyer pays the balance due from available cash; delivery follows at once."""
    return settlement.pay_from_cash(current_actor(), current_account(), settlement_id)


@bp.post("/<int:settlement_id>/payments")
@roles_required("regulator")
@bp.arguments(BankMovementSchema)
@bp.response(200, SettlementSchema)
def confirm_bank_payment(data, settlement_id):
    """A regulator confirms the buyer's bank transfer, with its reference."""
    return settlement.confirm_bank_payment(current_actor(), settlement_id, data["amount"],
                                            data["reference"])


@bp.post("/<int:settlement_id>/cancel")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, SettlementSchema)
def cancel(data, settlement_id):
    """A regulator annuls a settlement; cash and quantity return."""
    return settlement.cancel_settlement(current_actor(), settlement_id, data["reason"])
