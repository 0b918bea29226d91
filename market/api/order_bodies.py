"""The order endpoints' bodies, as the order writer dumps them for the web worker to send.

The writer is a service and never imports schemas: the API hands it these when it is
registered. They are the endpoints' own schemas (PlaceResultSchema nests these two) but for
the lot's serial, which the writer looks up itself: a filled resting sell order's lot is not
loaded in the writer, and a trade not yet flushed has no lot to lazy-load.
"""

from market.schemas.trading import MyTradeSchema, OrderSchema
from market.services import trading

_ORDER = OrderSchema(exclude=("lot_serial",))
_TRADE = MyTradeSchema(exclude=("lot_serial",))


def placed(result, lot_serial) -> dict:
    """PlaceResultSchema's body of a placement or a change that was not a replay."""
    return {"order": order(result.order, lot_serial), "replayed": False,
            "fills": [{**_TRADE.dump(trade), "lot_serial": lot_serial(trade.lot_id)}
                      for trade in result.trades]}


def order(placed_order, lot_serial) -> dict:
    """OrderSchema's body."""
    return {**_ORDER.dump(placed_order), "lot_serial": lot_serial(placed_order.lot_id)}


BODIES = trading.OrderBodies(placed=placed, order=order)
