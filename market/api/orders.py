"""Orders: place, list, read, reduce or replace, cancel."""

from flask import jsonify

from market.api.document import Blueprint
from market.auth import current_account, current_actor, order_caller, order_command, roles_required
from market.observability import note_user, note_writer
from market.schemas.trading import (
    OrderChangeSchema,
    OrderCreateSchema,
    OrderQuerySchema,
    OrderSchema,
    PlaceResultSchema,
)
from market.services import trading

bp = Blueprint("orders", __name__, url_prefix="/orders", description="Orders")


@bp.post("")
@order_command
@bp.arguments(OrderCreateSchema)
@bp.response(201, PlaceResultSchema)
@bp.alt_response(200, schema=PlaceResultSchema, description="a replay of client_order_id")
def place_order(data):
    """Place an order; it may fill at once. Retrying a client_order_id replays the result."""
    result = trading.place_order(*order_caller(), data)
    return _as_answered(result), 200 if result.replayed else 201


@bp.get("")
@roles_required("trader")
@bp.arguments(OrderQuerySchema, location="query")
@bp.response(200, OrderSchema(many=True))
def list_orders(filters):
    """My orders, newest first."""
    return trading.list_orders(current_account(), filters)


@bp.get("/<int:order_id>")
@roles_required("trader", "regulator")
@bp.response(200, OrderSchema)
def get_order(order_id):
    """One order (its owner or a regulator)."""
    return trading.order_visible_to(current_actor(), order_id)


@bp.patch("/<int:order_id>")
@order_command
@bp.arguments(OrderChangeSchema)
@bp.response(200, PlaceResultSchema)
def change_order(changes, order_id):
    """Reduce the open quantity (keeps priority) or move the price (loses priority)."""
    return _as_answered(trading.modify_order(*order_caller(), order_id, changes))


@bp.delete("/<int:order_id>")
@order_command
@bp.response(200, OrderSchema)
def cancel_order(order_id):
    """Cancel an open order; holds and encumbrances are released."""
    result = trading.cancel_order(*order_caller(), order_id)
    return _as_answered(result, lambda answered: answered.order)


def _as_answered(result, rows=lambda answered: answered):
    """What the order writer answered goes out as it dumped it, with this endpoint's schema
    (no read after its commit); without a body, and inline, the rows go through the schema."""
    if not isinstance(result, trading.Answered):
        return result
    if result.user_id is not None:  # the writer authenticated the caller: name them in the log
        note_user(result.user_id)
    note_writer(result.timing)
    return jsonify(result.body) if result.body is not None else rows(result)
