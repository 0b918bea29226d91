"""The instrument catalogue and changes to its terms."""

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates

import models
from market.schemas.fields import DecimalString, Int, Money, Quantity, Text

# A window is counted in days from a lot's verification: its county first, then its city.
WINDOW_DAYS = validate.Range(min=0, max=3650)
AUCTION_TIMES = validate.Regexp(
    r"^([01][0-9]|2[0-3]):[0-5][0-9](,([01][0-9]|2[0-3]):[0-5][0-9])*$",
    error=lazy_gettext("must be times HH:MM separated by commas, e.g. 10:00,15:00"))


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
    forfeit_to = fields.String()
    local_first_days = Int(metadata={"description": "days from verification a lot trades "
                                                    "only within its county"})
    city_first_days = Int(metadata={"description": "days after the county window a lot "
                                                   "trades only within its city; then "
                                                   "province-wide if cross_city_allowed"})
    auction_times = fields.String(allow_none=True)


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
    local_first_days = Int(validate=WINDOW_DAYS)
    city_first_days = Int(validate=WINDOW_DAYS)


def _price_band(**kwargs):
    return DecimalString(places=4, validate=validate.Range(
        min=0, max=1, min_inclusive=False, error="must be a fraction between 0 and 1"),
        **kwargs)


class InstrumentCreateSchema(Schema):
    """A new instrument with every term; guide, floor, band and the windows are optional."""

    code = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$",
        error=lazy_gettext("upper-case letters, digits and single hyphens")),
        metadata={"maxLength": 16})
    kind = fields.String(required=True, validate=validate.OneOf(models.INSTRUMENT_KINDS))
    name_zh = Text(64, required=True)
    name_en = Text(128, required=True)
    unit = fields.String(required=True, validate=validate.OneOf(models.INSTRUMENT_UNITS))
    tick_size = Money(required=True)
    lot_size = Quantity(required=True)
    deposit_ratio = _price_band(required=True)
    settlement_days = Int(required=True, validate=validate.Range(min=0, max=90))
    fee_bps = Int(required=True, validate=validate.Range(min=0, max=1000))
    guide_price = Money(allow_none=True)
    floor_price = Money(allow_none=True)
    price_band = _price_band(allow_none=True)
    trading_mode = fields.String(load_default="continuous",
                                 validate=validate.OneOf(models.TRADING_MODES))
    auction_times = fields.String(validate=[validate.Length(max=64), AUCTION_TIMES])
    cross_city_allowed = fields.Boolean(load_default=False)
    forfeit_to = fields.String(load_default="seller",
                               validate=validate.OneOf(models.FORFEIT_TARGETS))
    local_first_days = Int(load_default=0, validate=WINDOW_DAYS)
    city_first_days = Int(load_default=0, validate=WINDOW_DAYS)

    @validates("code")
    def _short(self, value, **_kwargs):
        if len(value) > 16:
            raise ValidationError(lazy_gettext("at most 16 characters"))


class TermsSchema(Schema):
    """The terms of an instrument in force from valid_from (until the next set's)."""

    instrument = fields.String()
    valid_from = fields.DateTime()
    valid_until = fields.DateTime(allow_none=True)
    tick_size = Money()
    lot_size = Quantity()
    deposit_ratio = DecimalString(places=4)
    settlement_days = Int()
    fee_bps = Int()
    guide_price = Money(allow_none=True)
    floor_price = Money(allow_none=True)
    price_band = DecimalString(places=4, allow_none=True)
    trading_mode = fields.String()
    cross_city_allowed = fields.Boolean()
    forfeit_to = fields.String()
    local_first_days = Int()
    city_first_days = Int()


class TermsQuerySchema(Schema):
    """?at= an instant with its zone (default: now)."""

    at = fields.AwareDateTime(metadata={"description": "ISO 8601 with zone; default now"})
