"""Surveillance: alerts and their review, thresholds, the settlement monitor."""

import json

from marshmallow import Schema, fields, validate

import models
from market import alert_wording
from market.schemas.fields import DecimalString, Int, Money, Quantity, Text
from market.schemas.trading import MyTradeSchema


class AlertAccountSchema(Schema):
    """An account behind an alert, with its district."""

    id = Int()
    name = fields.String()
    district_code = fields.Function(lambda a: a.district.code)
    district_name = fields.Function(lambda a: a.district.name)


class AlertSchema(Schema):
    """An alert, the numbers it rests on, and its review."""

    id = Int()
    kind = fields.String()
    severity = fields.String()
    status = fields.String()
    instrument = fields.Function(lambda a: a.instrument.code if a.instrument else None,
                                 allow_none=True)
    # Rendered when read, in the request's language, from the kind and the details.
    summary = fields.Function(alert_wording.summary)
    details = fields.Function(lambda a: json.loads(a.details))
    created_at = fields.DateTime()
    reviewed_by = fields.Function(lambda a: a.reviewed_by.username if a.reviewed_by else None,
                                  allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String(allow_none=True)
    trades = fields.List(fields.Nested(MyTradeSchema))
    accounts = fields.List(fields.Nested(AlertAccountSchema))


class AlertQuerySchema(Schema):
    """Filters for alerts, newest first."""

    status = fields.String(validate=validate.OneOf(models.ALERT_STATUSES))
    kind = fields.String(validate=validate.OneOf(models.ALERT_KINDS))
    instrument = Text(16)
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class AlertReviewSchema(Schema):
    """A regulator closes an alert: reviewed (acted on) or dismissed (nothing wrong)."""

    status = fields.String(required=True, validate=validate.OneOf(models.REVIEW_STATUSES))
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=2000))


class SettingSchema(Schema):
    """One threshold."""

    key = fields.String()
    value = fields.Function(lambda s: format(s.value.normalize(), "f"))
    description = fields.String()


def _fraction(**kwargs):
    return DecimalString(places=4, validate=validate.Range(
        min=0, max=1, min_inclusive=False, error="must be a fraction above 0, at most 1"),
        **kwargs)


def _whole(maximum: int, **kwargs):
    return DecimalString(places=0, validate=validate.Range(
        min=1, max=maximum, error=f"must be a whole number from 1 to {maximum}"), **kwargs)


class SettingsPatchSchema(Schema):
    """New threshold values as decimal strings; send only what changes."""

    guide_deviation = _fraction()
    vwap_deviation = _fraction()
    band_rejection_storm = _whole(100000)
    circular_days = _whole(366)
    concentration_share = _fraction()
    cancel_fill_ratio = DecimalString(places=4, validate=validate.Range(
        min=0, max=100000, min_inclusive=False, error="must be above 0"))
    concentration_min_trades = _whole(100000)
    cancel_fill_min_cancels = _whole(100000)
    negotiated_deviation = _fraction()
    listing_ceiling_minutes = _whole(1440)
    payout_overdue_days = _whole(100000)


class MonitorQuerySchema(Schema):
    """Filters for the settlement monitor."""

    instrument = Text(16)
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))


class MonitorBucketSchema(Schema):
    """Counts and amounts of one bucket.

    `paid` is the buyer's money the settlements hold or kept: escrow while pending, the full
    amount once completed, the forfeited deposit once defaulted, nothing once cancelled.
    """

    bucket = fields.String()
    count = Int()
    amount = Money()
    deposit = Money()
    paid = Money()
    outstanding = Money()


class MonitorRowSchema(Schema):
    """One settlement in the monitor."""

    id = Int()
    trade_id = Int()
    bucket = fields.String()
    status = fields.String()
    instrument = fields.String()
    price = Money()
    quantity = Quantity()
    amount = Money()
    deposit = Money()
    paid = Money()
    amount_due = Money()
    buyer_account_id = Int()
    buyer_account = fields.String()
    buyer_district_code = fields.String()
    seller_account_id = Int()
    seller_account = fields.String()
    origin_district_code = fields.String()
    due_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.String(allow_none=True)
    hours_overdue = Int(allow_none=True)


class MonitorSchema(Schema):
    """The settlement monitor: every bucket's totals, and the rows of all but completed."""

    as_of = fields.DateTime()
    buckets = fields.List(fields.Nested(MonitorBucketSchema))
    rows = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(MonitorRowSchema)))


class DetectResultSchema(Schema):
    """How many new alerts a detection run raised."""

    created = Int()
