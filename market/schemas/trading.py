"""Orders, trades, settlements and market data."""

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import models
from market.schemas.fields import Int, Money, Quantity, Text


class OrderCreateSchema(Schema):
    """A new limit order."""

    instrument = Text(16, required=True)
    side = fields.String(required=True, validate=validate.OneOf(models.ORDER_SIDES))
    price = Money(required=True)
    quantity = Quantity(required=True)
    tif = fields.String(load_default="GTC", validate=validate.OneOf(models.TIMES_IN_FORCE))
    expires_at = fields.AwareDateTime(allow_none=True)
    lot_serial = Text(48)
    max_quality_grade = Int(allow_none=True, validate=validate.Range(min=1, max=15))
    client_order_id = fields.String(required=True, validate=[
        validate.Length(min=1, max=64),
        validate.Regexp(r"^[A-Za-z0-9_.:\-]+$",
                        error=lazy_gettext("use letters, digits and _ . : -"))])

    @validates_schema
    def side_specific(self, data, **kwargs):
        """Sells name their lot; grade limits belong to buys; GTD needs an expiry."""
        if data.get("side") == "sell" and not data.get("lot_serial"):
            raise ValidationError(lazy_gettext("a sell order names the lot it sells from"),
                                  "lot_serial")
        if data.get("side") == "buy" and data.get("lot_serial"):
            raise ValidationError(lazy_gettext("a buy order sells no lot"), "lot_serial")
        if data.get("side") == "sell" and data.get("max_quality_grade") is not None:
            raise ValidationError(lazy_gettext("only a buy order can demand a quality grade"),
                                  "max_quality_grade")
        if (data.get("tif") == "GTD") != (data.get("expires_at") is not None):
            raise ValidationError(lazy_gettext("GTD orders, and only they, need expires_at"),
                                  "expires_at")


class OrderChangeSchema(Schema):
    """Reduce the open quantity (keeps priority) or move the price (loses it): one of them."""

    quantity = Quantity()
    price = Money()

    @validates_schema
    def exactly_one(self, data, **kwargs):
        """A change is either a reduction or a price move."""
        if len(data) != 1:
            raise ValidationError(lazy_gettext(
                "send exactly one of quantity (the new open quantity) or price"), "_schema")


class OrderQuerySchema(Schema):
    """Filters for my orders."""

    status = fields.String(validate=validate.OneOf(models.ORDER_STATUSES))
    instrument = Text(16)
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class TradeSchema(Schema):
    """One trade."""

    id = Int()
    instrument = fields.Function(lambda t: t.instrument.code)
    price = Money()
    quantity = Quantity()
    amount = Money()
    aggressor_side = fields.String()
    mechanism = fields.String(metadata={"description": "continuous, call_auction, listing, "
                                                       "procurement or negotiated"})
    executed_at = fields.DateTime()
    lot_serial = fields.Function(lambda t: t.lot.serial)


class MyTradeSchema(TradeSchema):
    """A trade as one of its parties sees it."""

    buy_order_id = Int()
    sell_order_id = Int()
    buyer_account_id = Int()
    seller_account_id = Int()


class OrderSchema(Schema):
    """An order's state."""

    id = Int()
    client_order_id = fields.String()
    instrument = fields.Function(lambda o: o.instrument.code)
    side = fields.String()
    price = Money()
    quantity = Quantity()
    filled = Quantity()
    remaining = Quantity()
    held = Money()
    tif = fields.String()
    expires_at = fields.DateTime(allow_none=True)
    lot_serial = fields.Function(lambda o: o.lot.serial if o.lot else None)
    max_quality_grade = Int(allow_none=True)
    status = fields.String()
    close_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class PlaceResultSchema(Schema):
    """An order and the fills it made at once."""

    order = fields.Nested(OrderSchema)
    fills = fields.List(fields.Nested(MyTradeSchema), attribute="trades")
    replayed = fields.Boolean()


class SettlementPaymentSchema(Schema):
    """A payment toward a settlement."""

    amount = Money()
    method = fields.String()
    reference = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class SettlementSchema(Schema):
    """A settlement with what is still due and by when."""

    id = Int()
    trade_id = Int()
    instrument = fields.Function(lambda s: s.trade.instrument.code)
    buyer_account_id = Int()
    seller_account_id = Int()
    lot_serial = fields.Function(lambda s: s.lot.serial)
    origin_district_code = fields.Function(lambda s: s.lot.origin_district.code)
    price = fields.Function(lambda s: str(s.trade.price))
    quantity = Quantity()
    amount = Money()
    deposit = Money()
    fee = Money()
    paid = Money()
    amount_due = Money()
    status = fields.String()
    due_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.String(allow_none=True)
    child_lot_serial = fields.Function(lambda s: s.child_lot.serial if s.child_lot else None)
    payments = fields.List(fields.Nested(SettlementPaymentSchema))


class SettlementQuerySchema(Schema):
    """Filters for settlements."""

    status = fields.String(validate=validate.OneOf(models.SETTLEMENT_STATUSES))
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class LevelSchema(Schema):
    """One aggregated price level."""

    price = Money()
    quantity = Quantity()
    orders = Int()


class IndicativeSchema(Schema):
    """What a call auction would clear at now."""

    price = Money()
    volume = Quantity()
    surplus = fields.Function(lambda i: str(i["surplus"]))


class BookSchema(Schema):
    """Order book depth."""

    instrument = fields.String()
    trading_mode = fields.String()
    status = fields.String()
    best_bid = Money(allow_none=True)
    best_ask = Money(allow_none=True)
    bids = fields.List(fields.Nested(LevelSchema))
    asks = fields.List(fields.Nested(LevelSchema))
    indicative = fields.Nested(IndicativeSchema, allow_none=True)


class DepthQuerySchema(Schema):
    """How many levels per side."""

    levels = Int(load_default=10, validate=validate.Range(min=1, max=100))


class ListQuerySchema(Schema):
    """Paging."""

    limit = Int(load_default=50, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class TradeQuerySchema(ListQuerySchema):
    """Paging, and optionally one mechanism."""

    mechanism = fields.String(validate=validate.OneOf(models.TRADE_MECHANISMS), metadata={
        "description": "only trades made this way (default: every mechanism)"})
