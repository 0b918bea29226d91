"""The instrument catalogue and changes to its terms."""

from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import DecimalString, Int, Money, Quantity


class InstrumentSchema(Schema):
    """An instrument and its trading terms."""

    code = fields.String()
    kind = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    unit = fields.String()
    tick_size = Money()
    lot_size = Quantity()
    deposit_ratio = DecimalString(places=4)
    settlement_days = Int()
    fee_bps = Int()
    guide_price = Money(allow_none=True)
    floor_price = Money(allow_none=True)
    price_band = DecimalString(places=4, allow_none=True)
    trading_mode = fields.String()
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    cross_city_allowed = fields.Boolean()


class InstrumentPatchSchema(Schema):
    """The terms a regulator may change; send only what changes."""

    guide_price = Money(allow_none=True)
    floor_price = Money(allow_none=True)
    price_band = DecimalString(places=4, allow_none=True, validate=validate.Range(
        min=0, max=1, min_inclusive=False, error="must be a fraction between 0 and 1"))
    deposit_ratio = DecimalString(places=4, validate=validate.Range(
        min=0, max=1, min_inclusive=False, error="must be a fraction between 0 and 1"))
    settlement_days = Int(validate=validate.Range(min=0, max=90))
    fee_bps = Int(validate=validate.Range(min=0, max=1000))
    tick_size = Money()
    lot_size = Quantity()
    trading_mode = fields.String(validate=validate.OneOf(models.TRADING_MODES))
    cross_city_allowed = fields.Boolean()
