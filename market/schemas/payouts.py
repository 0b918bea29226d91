"""Money back: beneficiaries, payouts and disbursements, and the regulators' report."""

from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import DecimalString, Int, Money, Text
from market.tables import FILE_FORMATS


class BeneficiaryInSchema(Schema):
    """One beneficiary as the owner names it; the shares of all must sum to exactly 1."""

    name = Text(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(models.BENEFICIARY_KINDS))
    share = DecimalString(places=4, required=True, validate=validate.Range(
        min=0, max=1, min_inclusive=False, error="must be a fraction above 0, at most 1"))


class BeneficiarySchema(Schema):
    """A beneficiary of a lot."""

    name = fields.String()
    kind = fields.String()
    share = DecimalString(places=4)


class DisbursementSchema(Schema):
    """A payment recorded to a beneficiary."""

    id = Int()
    amount = Money()
    reference = fields.String()
    recorded_at = fields.DateTime()


class DisbursementCreateSchema(Schema):
    """A bank payment to the beneficiary, never more than is still owed."""

    amount = Money(required=True)
    reference = Text(128, required=True)


class PayoutSchema(Schema):
    """What one beneficiary is owed from one completed settlement, and what is left."""

    id = Int()
    settlement_id = Int()
    lot_serial = fields.Function(lambda payout: payout.lot.serial)
    seller_account_id = Int()
    beneficiary_name = fields.String()
    beneficiary_kind = fields.String()
    share = DecimalString(places=4)
    amount = Money()
    paid = Money()
    owed = Money()
    owed_since = fields.DateTime()
    paid_at = fields.DateTime(allow_none=True)
    disbursements = fields.List(fields.Nested(DisbursementSchema))


class PayoutQuerySchema(Schema):
    """Filters for payouts."""

    unpaid = fields.Boolean(load_default=False)
    lot_serial = Text(48)
    settlement_id = Int()
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class PayoutReportQuerySchema(Schema):
    """The report's file format, if a file is wanted."""

    format = fields.String(validate=validate.OneOf(("json", *FILE_FORMATS)))


class _Owed(Schema):
    paid = Money()
    owed = Money()
    oldest_owed_since = fields.DateTime(allow_none=True)
    days_owed = Int(allow_none=True)
    overdue = fields.Boolean()


class PayoutPlaceSchema(_Owed):
    """One county (town empty) or town: what its lots' sales brought and where it went."""

    county_code = fields.String()
    county_name = fields.String()
    town_code = fields.String(allow_none=True)
    town_name = fields.String(allow_none=True)
    settlements = Int()
    proceeds = Money()
    assigned = Money()


class PayoutPersonSchema(_Owed):
    """One beneficiary of a place's lots: what it was owed in all, paid and still owed."""

    county_code = fields.String()
    town_code = fields.String(allow_none=True)
    beneficiary_kind = fields.String()
    beneficiary_name = fields.String()
    payouts = Int()
    amount = Money()


class PayoutTotalsSchema(Schema):
    """The sums over every place."""

    proceeds = Money()
    assigned = Money()
    paid = Money()
    owed = Money()


class PayoutReportSchema(Schema):
    """Proceeds received, paid out and still owed, per county and town and beneficiary."""

    as_of = fields.DateTime()
    overdue_days = Int()
    totals = fields.Nested(PayoutTotalsSchema)
    districts = fields.List(fields.Nested(PayoutPlaceSchema))
    beneficiaries = fields.List(fields.Nested(PayoutPersonSchema))
