"""Market data: depth, recent trades, my trades."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.trading import (
    BookSchema,
    DepthQuerySchema,
    MyTradeSchema,
    TradeQuerySchema,
    TradeSchema,
)
from market.services import catalogue, trading

bp = Blueprint("market_data", __name__, url_prefix="", description="Market data")


@bp.get("/instruments/<code>/book")
@bp.arguments(DepthQuerySchema, location="query")
@bp.response(200, BookSchema)
def book(query, code):
    """Aggregated depth with the best bid and ask; the indicative price in a call auction."""
    current_actor()
    return trading.depth(catalogue.instrument_by_code(code), query["levels"])


@bp.get("/instruments/<code>/trades")
@bp.arguments(TradeQuerySchema, location="query")
@bp.response(200, TradeSchema(many=True))
def recent_trades(query, code):
    """The latest trades of every mechanism (or ?mechanism=), newest first (no party names)."""
    current_actor()
    return trading.recent_trades(catalogue.instrument_by_code(code), query["limit"],
                                 query.get("mechanism"))


@bp.get("/trades")
@roles_required("trader", "regulator")
@bp.arguments(TradeQuerySchema, location="query")
@bp.response(200, MyTradeSchema(many=True))
def my_trades(query):
    """My trades as buyer or seller (all trades, for a regulator); ?mechanism= for one way."""
    return trading.trades_of_account(current_actor(), query["limit"], query["offset"],
                                     query.get("mechanism"))
