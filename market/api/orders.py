"""Orders: place, list, read, reduce or replace, cancel."""

from flask import jsonify

from market.api.document import Blueprint
from market.auth import current_account, current_actor, roles_required
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
@trading.reading_only  # before the token is looked up
@roles_required("trader")
@bp.arguments(OrderCreateSchema)
@bp.response(201, PlaceResultSchema)
@bp.alt_response(200, schema=PlaceResultSchema, description="a replay of client_order_id")
def place_order(data):
    """Place an order; it may fill at once. Retrying a client_order_id replays the result."""
    result = trading.place_order(current_actor(), current_account(), data)
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
@trading.reading_only  # before the token is looked up
@roles_required("trader")
@bp.arguments(OrderChangeSchema)
@bp.response(200, PlaceResultSchema)
def change_order(changes, order_id):
    """Reduce the open quantity (keeps priority) or move the price (loses priority)."""
    return _as_answered(trading.modify_order(current_actor(), current_account(), order_id,
                                             changes))


@bp.delete("/<int:order_id>")
@trading.reading_only  # before the token is looked up
@roles_required("trader")
@bp.response(200, OrderSchema)
def cancel_order(order_id):
    """Cancel an open order; holds and encumbrances are released."""
    result = trading.cancel_order(current_actor(), current_account(), order_id)
    return _as_answered(result, lambda answered: answered.order)


def _as_answered(result, rows=lambda answered: answered):
    """What the order writer answered goes out as it dumped it, with this endpoint's schema
    (no read after its commit); without a body, and inline, the rows go through the schema."""
    if not isinstance(result, trading.Answered):
        return result
    return jsonify(result.body) if result.body is not None else rows(result)
