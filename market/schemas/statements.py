"""An account's statement: the period asked for, and what it answers."""

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from market.schemas.fields import Day, Int, Money, Quantity

STATEMENT_FORMATS = ("json", "pdf", "xlsx")


class StatementQuerySchema(Schema):
    """Days (inclusive, Asia/Shanghai): without `to`, today; without `from`, the first of
    `to`'s month. JSON unless `format` (or the Accept header) asks for PDF or XLSX."""

    date_from = Day("first day (default: the first of `to`'s month); not after `to`",
                    data_key="from")
    date_to = Day("last day (default today)", data_key="to")
    format = fields.String(validate=validate.OneOf(STATEMENT_FORMATS))

    @validates_schema
    def _in_order(self, data, **_kwargs):
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise ValidationError(lazy_gettext("must not be after `to`"), field_name="from")


class StatementBalancesSchema(Schema):
    """Cash at one end of the period."""

    available = Money(allow_zero=True)
    held = Money(allow_zero=True)
    total = Money(allow_zero=True)


class StatementAccountSchema(Schema):
    """Whose statement it is."""

    id = Int()
    name = fields.String()
    district_code = fields.String(attribute="district.code")
    district_name = fields.String(attribute="district.name")


class CashMovementSchema(Schema):
    """A journal transaction that changed the account's cash; `amount` is signed."""

    at = fields.DateTime()
    kind = fields.String()
    description = fields.String()
    memo = fields.String()
    reference = fields.String(allow_none=True)
    amount = Money(positive=False)
    balance = Money(positive=False)


class LotLineSchema(Schema):
    """A lot the account registered in the period."""

    serial = fields.String()
    instrument = fields.String()
    quantity = Quantity()
    status = fields.String()
    project_name = fields.String()
    project_code = fields.String()
    registered_at = fields.DateTime()
    verified_at = fields.DateTime(allow_none=True)


class DealLineSchema(Schema):
    """A sale or purchase made or closed in the period, with its counterparty."""

    settlement_id = Int()
    trade_id = Int()
    executed_at = fields.DateTime()
    mechanism = fields.String()
    instrument = fields.String()
    lot_serial = fields.String()
    quantity = Quantity()
    price = Money()
    amount = Money()
    counterparty = fields.String()
    counterparty_district = fields.String()
    status = fields.String()
    paid_at = fields.DateTime(allow_none=True)


class SaleLineSchema(DealLineSchema):
    """A sale: the fee and the net proceeds (once completed)."""

    fee = Money(allow_zero=True)
    net_proceeds = Money(allow_none=True)


class PurchaseLineSchema(DealLineSchema):
    """A purchase: deposit, paid so far, and the lot it delivered."""

    deposit = Money(allow_zero=True)
    paid = Money(allow_zero=True)
    delivered_lot = fields.String(allow_none=True)


class RetirementLineSchema(Schema):
    """Quantity the account used in the period."""

    lot_serial = fields.String()
    instrument = fields.String()
    quantity = Quantity()
    project_name = fields.String()
    project_code = fields.String()
    retired_at = fields.DateTime()


class StatementTotalsSchema(Schema):
    """The period's sums."""

    cash_in = Money(allow_zero=True)
    cash_out = Money(allow_zero=True)
    sales_amount = Money(allow_zero=True)
    sales_fees = Money(allow_zero=True)
    net_proceeds = Money(allow_zero=True)
    purchases_amount = Money(allow_zero=True)


class StatementSchema(Schema):
    """The statement: opening + Σ cash_movements.amount = closing (in total)."""

    account = fields.Nested(StatementAccountSchema)
    date_from = fields.Date(data_key="from", attribute="from")
    date_to = fields.Date(data_key="to", attribute="to")
    opening = fields.Nested(StatementBalancesSchema)
    closing = fields.Nested(StatementBalancesSchema)
    net_movement = Money(positive=False)
    totals = fields.Nested(StatementTotalsSchema)
    cash_movements = fields.List(fields.Nested(CashMovementSchema))
    lots_registered = fields.List(fields.Nested(LotLineSchema))
    sales = fields.List(fields.Nested(SaleLineSchema))
    purchases = fields.List(fields.Nested(PurchaseLineSchema))
    retirements = fields.List(fields.Nested(RetirementLineSchema))
    payouts = fields.List(fields.Dict(), metadata={
        "description": "payouts made to beneficiaries (filled once that subsystem exists)"})
    pledges = fields.List(fields.Dict(), metadata={
        "description": "pledges of the account's lots (filled once that subsystem exists)"})
