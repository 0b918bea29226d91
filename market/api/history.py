"""Price history: candles, statistics, regional indices, lineage and file exports."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.downloads import attachment, wanted_format
from market.schemas.history import (
    CandleQuerySchema,
    CandlesSchema,
    IndexQuerySchema,
    LotTradeSchema,
    PriceIndexSchema,
    StatsSchema,
    TradeExportQuerySchema,
    TradeLineageSchema,
)
from market.services import history
from market.tables import XLSX_MEDIA_TYPE

bp = Blueprint("history", __name__, url_prefix="", description="Price history and exports")

FILE_RESPONSE = "CSV (UTF-8 with a BOM, for Excel) or XLSX, as an attachment"
CANDLES_RESPONSE = ("JSON; or a file with format=csv|xlsx, or with an Accept header that "
                    "prefers text/csv or the XLSX type")


@bp.get("/instruments/<code>/candles")
@bp.arguments(CandleQuerySchema, location="query")
@bp.response(200, CandlesSchema, description=CANDLES_RESPONSE)
@bp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                 description=CANDLES_RESPONSE)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=XLSX_MEDIA_TYPE, success=True, description=CANDLES_RESPONSE)
def candles(query, code):
    """Candles per day, ISO week or month over a range of market days; or a CSV/XLSX file."""
    current_actor()
    args = (code, query["interval"], query.get("first"), query.get("last"))
    mechanism = query.get("mechanism")
    file_format = wanted_format(query.get("file_format"))
    if file_format != "json":
        return attachment(history.export_candles(*args, file_format, mechanism=mechanism))
    return history.candles(*args, mechanism=mechanism)


@bp.get("/instruments/<code>/stats")
@bp.response(200, StatsSchema)
def stats(code):
    """Last price and change, previous close, 30-day VWAP, volume and turnover, today's."""
    current_actor()
    return history.stats(code)


@bp.get("/instruments/<code>/index")
@bp.arguments(IndexQuerySchema, location="query")
@bp.response(200, PriceIndexSchema)
def price_index(query, code):
    """A daily VWAP index per origin city or province: 100 on its first traded day in range."""
    current_actor()
    return history.price_index(code, query["level"], query.get("first"),
                                     query.get("last"))


@bp.get("/instruments/<code>/trades/export")
@bp.arguments(TradeExportQuerySchema, location="query")
@bp.response(200, {"type": "string"}, content_type="text/csv", description=FILE_RESPONSE)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=XLSX_MEDIA_TYPE, success=True, description=FILE_RESPONSE)
def export_trades(query, code):
    """Every trade over a range of market days as a CSV (default) or XLSX file."""
    current_actor()
    return attachment(history.export_trades(code, query.get("first"), query.get("last"),
                                            query["file_format"],
                                            mechanism=query.get("mechanism")))


@bp.get("/lots/<serial>/trades")
@roles_required("trader", "regulator")
@bp.response(200, LotTradeSchema(many=True))
def lot_trades(serial):
    """The trade that created this lot (`in`) and the trades that sold out of it (`out`)."""
    return history.lot_trades(current_actor(), serial)


@bp.get("/trades/<int:trade_id>")
@roles_required("trader", "regulator")
@bp.response(200, TradeLineageSchema)
def trade(trade_id):
    """One trade with its source lot, settlement and child lot (its parties and regulators)."""
    return history.trade_detail(current_actor(), trade_id)
