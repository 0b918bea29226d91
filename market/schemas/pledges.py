"""Pledges (质押): requests, the regulator's acts, and what a pledge shows."""

from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import Int, Money, Quantity, Reason, Text


class PledgeCreateSchema(Schema):
    """The owner pledges quantity of a lot to a named lender for a loan."""

    quantity = Quantity(required=True)
    pledgee_name = Text(200, required=True)
    amount = Money(required=True)
    reference = Text(128, required=True)


class PledgeEnforceSchema(Schema):
    """Enforcement: the lender's trading account receives the pledged quantity."""

    lender_account_id = Int(required=True, validate=validate.Range(min=1))
    reason = Reason()


class PledgeSchema(Schema):
    """A pledge and where it stands."""

    id = Int()
    lot_serial = fields.Function(lambda pledge: pledge.lot.serial)
    quantity = Quantity()
    pledgee_name = fields.String()
    amount = Money()
    reference = fields.String()
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    registered_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    lender_account_id = Int(allow_none=True)
    child_lot_serial = fields.Function(
        lambda pledge: pledge.child_lot.serial if pledge.child_lot else None, allow_none=True)


class PledgeQuerySchema(Schema):
    """Filters for pledges."""

    status = fields.String(validate=validate.OneOf(models.PLEDGE_STATUSES))
    lot_serial = Text(48)
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))
