"""Price history: candles, statistics, regional indices, lineage and export queries."""

from decimal import Decimal

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from market.schemas.fields import Day, DecimalString, Int, Money, Quantity
from market.tables import FILE_FORMATS
from models.order import TRADE_MECHANISMS
from models.statistics import REGION_LEVELS


class FlatList(fields.List):
    """A list of rows (dicts) of a flat schema, dumped exactly as List(Nested(schema)) would be.

    marshmallow's generic dump costs a few microseconds per value; a three-year daily chart
    has ~800 candles of 11 values, which it takes ~30 ms to dump. This field resolves each
    value's formatter once, and is documented in OpenAPI as the nested schema it stands for.
    """

    def __init__(self, schema: type[Schema], **kwargs):
        super().__init__(fields.Nested(schema), **kwargs)
        self.plan = [(name, field.data_key or name, _formatter(field))
                     for name, field in schema._declared_fields.items()]

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        plan = self.plan
        return [{key: format_(row[name]) for name, key, format_ in plan} for row in value]


def _formatter(field: fields.Field):
    """What `field` does to a value when dumping, for the value types a flat row holds."""
    if isinstance(field, DecimalString):
        quantum = Decimal(1).scaleb(-field.places)
        return lambda value: None if value is None else str(Decimal(value).quantize(quantum))
    if isinstance(field, fields.Date):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(field, fields.Integer | fields.String):
        return lambda value: value
    raise TypeError(f"FlatList cannot dump a {type(field).__name__} field")


class RangeQuerySchema(Schema):
    """Market days (Asia/Shanghai), both ends included; by default the year up to today."""

    first = Day("first market day (default: a year before `to`)", data_key="from")
    last = Day("last market day (default today); not before `from`", data_key="to")

    @validates_schema
    def ordered(self, data, **kwargs):
        """`from` may not come after `to`."""
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise ValidationError(lazy_gettext("must not be after to"), "from")


class FileQuerySchema(RangeQuerySchema):
    """A range and, for a file rather than JSON, its format (or send an Accept header)."""

    file_format = fields.String(data_key="format", validate=validate.OneOf(FILE_FORMATS),
                                metadata={"description": "csv (UTF-8 with BOM) or xlsx"})


def _mechanism():
    return fields.String(validate=validate.OneOf(TRADE_MECHANISMS), metadata={
        "description": "only trades made this way (default: every mechanism)"})


class CandleQuerySchema(FileQuerySchema):
    """Candles over a range of days."""

    mechanism = _mechanism()

    interval = fields.String(load_default="day",
                             validate=validate.OneOf(["day", "week", "month"]),
                             metadata={"description": "day, week (ISO, from Monday) or month"})


class IndexQuerySchema(RangeQuerySchema):
    """Regional price index over a range of days."""

    level = fields.String(load_default="city", validate=validate.OneOf(REGION_LEVELS))


class TradeExportQuerySchema(RangeQuerySchema):
    """Trades of a range of days as a file."""

    mechanism = _mechanism()
    file_format = fields.String(data_key="format", load_default="csv",
                                validate=validate.OneOf(FILE_FORMATS))


class CandleSchema(Schema):
    """One period's trading; `start`/`end` are the days of the period inside the range."""

    period = fields.String(metadata={"example": "2024-W18"})
    start = fields.Date()
    end = fields.Date()
    open = Money()
    high = Money()
    low = Money()
    close = Money()
    volume = Quantity()
    turnover = Money()
    trades = Int()
    vwap = Money()


class CandlesSchema(Schema):
    """Candles of one instrument, oldest first; periods without trades are left out."""

    instrument = fields.String()
    interval = fields.String()
    first = fields.Date(data_key="from", attribute="from")
    last = fields.Date(data_key="to", attribute="to")
    mechanism = fields.String(allow_none=True, metadata={
        "description": "the one mechanism counted, or null for every mechanism"})
    candles = FlatList(CandleSchema)


def Percent(**kwargs) -> DecimalString:  # noqa: N802 - reads like a field type
    """A percentage or index level to 2 places (may be negative)."""
    return DecimalString(places=2, positive=False, **kwargs)


class StatsSchema(Schema):
    """Last price, its change on the previous trading day's close, 30-day and today's totals."""

    instrument = fields.String()
    as_of = fields.Date()
    last_price = Money(allow_none=True)
    last_trade_at = fields.DateTime(allow_none=True)
    last_trade_day = fields.Date(allow_none=True)
    previous_close = Money(allow_none=True)
    previous_close_day = fields.Date(allow_none=True)
    change = Money(allow_none=True, positive=False)
    change_percent = Percent(allow_none=True)
    vwap_30d = Money(allow_none=True)
    volume_30d = Quantity()
    turnover_30d = Money()
    trades_30d = Int()
    vwap_today = Money(allow_none=True)
    volume_today = Quantity()
    turnover_today = Money()
    trades_today = Int()


class IndexPointSchema(Schema):
    """One region's day: its VWAP and the index on the region's base day."""

    day = fields.Date()
    index = Percent()
    vwap = Money()
    volume = Quantity()
    turnover = Money()
    trades = Int()


class RegionIndexSchema(Schema):
    """One origin city or province's index series."""

    code = fields.String()
    name = fields.String(allow_none=True)
    base_day = fields.Date()
    base_vwap = Money()
    points = FlatList(IndexPointSchema)


class PriceIndexSchema(Schema):
    """Per-region price indices (100 on each region's first traded day in the range)."""

    instrument = fields.String()
    level = fields.String()
    first = fields.Date(data_key="from", attribute="from")
    last = fields.Date(data_key="to", attribute="to")
    regions = fields.List(fields.Nested(RegionIndexSchema))


class TradeLineageSchema(Schema):
    """A trade with the lot it sold from, its settlement and the child lot it delivered into."""

    id = Int(attribute="trade.id")
    instrument = fields.String(attribute="trade.instrument.code")
    price = Money(attribute="trade.price")
    quantity = Quantity(attribute="trade.quantity")
    amount = Money(attribute="trade.amount")
    aggressor_side = fields.String(attribute="trade.aggressor_side")
    mechanism = fields.String(attribute="trade.mechanism")
    executed_at = fields.DateTime(attribute="trade.executed_at")
    buyer_account_id = Int(attribute="trade.buyer_account_id")
    seller_account_id = Int(attribute="trade.seller_account_id")
    lot_serial = fields.String()
    origin_district_code = fields.String()
    child_lot_serial = fields.String(allow_none=True)
    settlement_id = Int(allow_none=True)
    settlement_status = fields.String(allow_none=True)


class LotTradeSchema(TradeLineageSchema):
    """A trade seen from one lot: `in` created the lot, `out` sold quantity out of it."""

    direction = fields.String(validate=validate.OneOf(["in", "out"]))
