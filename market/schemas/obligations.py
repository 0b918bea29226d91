"""Obligations (限额) and surrenders, allocations (下达/奖励), the compliance report."""

from flask_babel import lazy_gettext
from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import Day, Int, Money, Quantity, Text
from market.tables import FILE_FORMATS

TARGET_DESCRIPTION = ("an instrument code (e.g. ECO-CARBON) or a kind, meaning any instrument "
                      f"of that kind: {', '.join(models.INSTRUMENT_KINDS)}")


class ObligationCreateSchema(Schema):
    """A quota on a district for a period (days inclusive, Shanghai calendar)."""

    district_code = Text(12, required=True)
    instrument = Text(32, required=True, metadata={"description": TARGET_DESCRIPTION})
    quantity = Quantity(required=True)
    period_start = Day("first day of the period", required=True)
    period_end = Day("last day of the period (inclusive)", required=True)


class ObligationSchema(Schema):
    """An obligation with what was surrendered and what is still missing."""

    id = Int()
    district_code = fields.String()
    district_name = fields.String()
    instrument = fields.String(attribute="target", metadata={"description": TARGET_DESCRIPTION})
    instrument_code = fields.String(allow_none=True)
    kind = fields.String()
    quantity = Quantity()
    surrendered = Quantity()
    shortfall = Quantity()
    period_start = fields.Date()
    period_end = fields.Date()
    status = fields.String(metadata={"description": "open, then met or short after the "
                                                    "period's end"})
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class ObligationQuerySchema(Schema):
    """Filters of the obligation list."""

    status = fields.String(validate=validate.OneOf(models.OBLIGATION_STATUSES))
    district_code = Text(12)
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class SurrenderCreateSchema(Schema):
    """Quantity of one of the trader's own active lots, retired against the obligation."""

    lot_serial = Text(48, required=True)
    quantity = Quantity(required=True)


class SurrenderSchema(Schema):
    """A surrender: the retirement that counts against the obligation."""

    id = Int()
    obligation_id = Int()
    lot_serial = fields.Function(lambda r: r.lot.serial)
    instrument = fields.Function(lambda r: r.lot.instrument.code)
    quantity = Quantity()
    retired_at = fields.DateTime()


class AllocationCreateSchema(Schema):
    """New indicators a regulator issues to an account (奖励/下达), born verified."""

    account_id = Int(required=True)
    instrument = Text(16, required=True)
    quantity = Quantity(required=True)
    reason = Text(500, required=True, metadata={
        "description": "why: a reward under seed 001 §2(6), a provincial allocation, …"})
    document_number = Text(64, required=True)
    origin_district_code = Text(12, metadata={"description": "default: the account's district"})
    project_name = Text(200, metadata={"description": "default: the reason"})
    project_code = Text(64, metadata={"description": "default: the document number"})
    vintage_year = Int(validate=validate.Range(min=1990, max=2100))
    expires_on = Day("last day the lot may be used")
    quality_grade = Int(allow_none=True, validate=validate.Range(min=1, max=15))


class ComplianceQuerySchema(Schema):
    """A city or a province, optionally the days the periods must overlap, and a file."""

    district = Text(12, required=True, metadata={"description": "a city or province code"})
    date_from = Day("periods ending on or after this day", data_key="from")
    date_to = Day("periods starting on or before this day", data_key="to")
    format = fields.String(validate=validate.OneOf(
        ("json", *FILE_FORMATS), error=lazy_gettext("must be json, csv or xlsx")))


class ComplianceRowSchema(Schema):
    """One obligation of one district."""

    obligation_id = Int()
    district_code = fields.String()
    district_name = fields.String()
    instrument = fields.String()
    kind = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    status = fields.String()
    quantity = Quantity()
    surrendered = Quantity()
    shortfall = Quantity()
    vwap_30d = Money(allow_none=True)
    priced_by = fields.String(allow_none=True)
    shortfall_cost = Money(allow_none=True)


class ComplianceDistrictSchema(Schema):
    """One district's obligations in sum."""

    district_code = fields.String()
    district_name = fields.String()
    obligations = Int()
    open = Int()
    met = Int()
    short = Int()
    shortfall_cost = Money()
    unpriced = Int()


class ComplianceTotalsSchema(Schema):
    """The region's totals."""

    obligations = Int()
    open = Int()
    met = Int()
    short = Int()
    shortfall_cost = Money()


class ComplianceRegionSchema(Schema):
    """The city or province reported on."""

    code = fields.String()
    name = fields.String()
    level = fields.String()


class ComplianceReportSchema(Schema):
    """Every district's obligations, surrendered, shortfall and its cost at the 30-day VWAP."""

    district = fields.Nested(ComplianceRegionSchema)
    date_from = fields.Date(allow_none=True)
    date_to = fields.Date(allow_none=True)
    generated_at = fields.DateTime()
    basis = fields.String()
    totals = fields.Nested(ComplianceTotalsSchema)
    districts = fields.List(fields.Nested(ComplianceDistrictSchema))
    rows = fields.List(fields.Nested(ComplianceRowSchema))
