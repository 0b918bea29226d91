"""Regulators' reports: the flow matrix and the monthly and quarterly city report."""

from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import Day, DecimalString, Int, Money, Quantity, Text
from market.tables import FILE_FORMATS

FORMATS = ("json", *FILE_FORMATS)


class FlowQuerySchema(Schema):
    """Days (inclusive, Asia/Shanghai) and optionally one instrument.

    Without `to`, today; without `from`, the first day of `to`'s month.
    """

    date_from = Day("first day (default: the first of `to`'s month); not after `to`",
                    data_key="from")
    date_to = Day("last day (default today)", data_key="to")
    instrument = Text(16, metadata={"description": "an instrument code, e.g. FO-QTY"})
    mechanism = fields.String(validate=validate.OneOf(models.TRADE_MECHANISMS), metadata={
        "description": "only trades made this way (default: every mechanism)"})


class FlowRowSchema(Schema):
    """Seller county (the lot's origin) → buyer county, per instrument.

    Completed settlements count as money that flowed; pending ones are shown apart.
    """

    instrument = fields.String()
    seller_district_code = fields.String()
    seller_district_name = fields.String()
    buyer_district_code = fields.String()
    buyer_district_name = fields.String()
    trades = Int()
    quantity = Quantity()
    amount = Money()
    fee = Money()
    net_to_seller = Money()
    pending_trades = Int()
    pending_quantity = Quantity()
    pending_amount = Money()


class DistrictFlowSchema(Schema):
    """A county's money: received as seller (net of fees), paid as buyer, and the balance."""

    code = fields.String()
    name = fields.String()
    received = Money()
    paid = Money()
    net = Money(positive=False, metadata={"description": "received − paid: negative for a "
                                                         "county that paid more than it got"})
    pending_in = Money()
    pending_out = Money()


class FlowMatrixSchema(Schema):
    """The district-to-district flows of a period."""

    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    instrument = fields.String(allow_none=True)
    mechanism = fields.String(allow_none=True)
    rows = fields.List(fields.Nested(FlowRowSchema))
    districts = fields.List(fields.Nested(DistrictFlowSchema))


class ReportQuerySchema(Schema):
    """Which city and period; JSON unless `format` (or the Accept header) asks for a file."""

    city = Text(12, required=True, metadata={"example": "320200"})
    period = Text(16, required=True, metadata={"example": "2026-11 or 2026-Q4"})
    format = fields.String(validate=validate.OneOf(FORMATS))
    mechanism = fields.String(validate=validate.OneOf(models.TRADE_MECHANISMS), metadata={
        "description": "only trades made this way (default: every mechanism)"})


class CitySchema(Schema):
    """The city reported on."""

    code = fields.String()
    name = fields.String()


class TotalsSchema(Schema):
    """The period at a glance."""

    trades = Int()
    turnover = Money()
    settled_amount = Money()
    pending_amount = Money()
    defaults = Int()
    defaulted_amount = Money()


class InstrumentLineSchema(Schema):
    """One instrument's trading; `sold_*` from the city's lots, `bought_*` by its buyers."""

    instrument = fields.String()
    name = fields.String()
    unit = fields.String()
    trades = Int()
    volume = Quantity()
    turnover = Money()
    vwap = Money(allow_none=True)
    guide_price = Money(allow_none=True)
    vwap_vs_guide = DecimalString(places=4, positive=False, allow_none=True)
    low = Money()
    high = Money()
    sold_volume = Quantity()
    sold_turnover = Money()
    bought_volume = Quantity()
    bought_turnover = Money()


class MechanismLineSchema(Schema):
    """The period's trades made one way (continuous, call_auction, listing, ...)."""

    mechanism = fields.String()
    trades = Int()
    turnover = Money()


class SettlementLineSchema(Schema):
    """The period's trades by the state of their settlement."""

    status = fields.String()
    count = Int()
    amount = Money()
    fee = Money()


class DefaultRowSchema(Schema):
    """A settlement that defaulted in the period."""

    settlement_id = Int()
    trade_id = Int()
    instrument = fields.String()
    buyer_account = fields.String()
    buyer_district_code = fields.String()
    origin_district_code = fields.String()
    quantity = Quantity()
    amount = Money()
    deposit_forfeited = Money()
    due_at = fields.DateTime()
    closed_at = fields.DateTime()


class DefaultsSchema(Schema):
    """Defaults in the period."""

    count = Int()
    amount = Money()
    deposit_forfeited = Money()
    rows = fields.List(fields.Nested(DefaultRowSchema))


class AlertKindSchema(Schema):
    """Alerts of one kind raised in the period, by status."""

    kind = fields.String()
    severity = fields.String()
    count = Int()
    open = Int()
    reviewed = Int()
    dismissed = Int()


class AlertRowSchema(Schema):
    """One alert raised in the period."""

    id = Int()
    kind = fields.String()
    severity = fields.String()
    status = fields.String()
    instrument = fields.String(allow_none=True)
    summary = fields.String()
    created_at = fields.DateTime()


class AlertsSummarySchema(Schema):
    """Alerts raised in the period involving an account in the city."""

    count = Int()
    by_kind = fields.List(fields.Nested(AlertKindSchema))
    rows = fields.List(fields.Nested(AlertRowSchema))


class FlowSummarySchema(Schema):
    """Money into the city (its lots, outside buyers), out of it, and within it."""

    direction = fields.String()
    trades = Int()
    amount = Money()
    fee = Money()
    pending_trades = Int()
    pending_amount = Money()


class CityFlowsSchema(Schema):
    """The city's flows."""

    summary = fields.List(fields.Nested(FlowSummarySchema))
    rows = fields.List(fields.Nested(FlowRowSchema))


class ReportSchema(Schema):
    """A monthly (月通报) or quarterly (季分析) report of one city."""

    city = fields.Nested(CitySchema)
    kind = fields.String()
    period = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    generated_at = fields.DateTime()
    basis = fields.String()
    mechanism = fields.String(allow_none=True)
    totals = fields.Nested(TotalsSchema)
    instruments = fields.List(fields.Nested(InstrumentLineSchema))
    mechanisms = fields.List(fields.Nested(MechanismLineSchema))
    settlements = fields.List(fields.Nested(SettlementLineSchema))
    defaults = fields.Nested(DefaultsSchema)
    alerts = fields.Nested(AlertsSummarySchema)
    flows = fields.Nested(CityFlowsSchema)
