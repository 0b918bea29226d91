"""Negotiated transfers: the seller's proposal, the list's filters and a transfer's state."""

from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import Int, Money, Quantity, Text


class NegotiatedCreateSchema(Schema):
    """A seller's proposal to a named buyer account."""

    lot_serial = Text(48, required=True)
    quantity = Quantity(required=True)
    price = Money(required=True)
    buyer_account_id = Int(required=True, validate=validate.Range(min=1))


class NegotiatedQuerySchema(Schema):
    """Filters for negotiated transfers."""

    status = fields.String(validate=validate.OneOf(models.NEGOTIATED_STATUSES))
    awaiting = fields.String(validate=validate.OneOf(["me"]), metadata={
        "description": "me: those a regulator may approve now"})
    party = fields.String(validate=validate.OneOf(models.APPROVAL_SIDES), metadata={
        "description": "a trader's own as seller or as buyer"})
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class ApprovalSchema(Schema):
    """One side's approval."""

    side = fields.String()
    approved_by_user_id = Int(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)


def _approvals(transfer) -> list[dict]:
    return [{"side": side, "approved_by_user_id": getattr(transfer, f"{side}_approved_by_user_id"),
             "approved_at": getattr(transfer, f"{side}_approved_at")}
            for side in transfer.required_sides]


class NegotiatedTransferSchema(Schema):
    """A negotiated transfer, its approvals and, once approved, its trade and settlement."""

    id = Int()
    instrument = fields.Function(lambda t: t.instrument.code)
    lot_serial = fields.Function(lambda t: t.lot.serial)
    origin_district_code = fields.Function(lambda t: t.lot.origin_district.code)
    seller_account_id = Int()
    seller_account = fields.Function(lambda t: t.seller.name)
    seller_district_code = fields.Function(lambda t: t.seller.district.code)
    buyer_account_id = Int()
    buyer_account = fields.Function(lambda t: t.buyer.name)
    buyer_district_code = fields.Function(lambda t: t.buyer.district.code)
    price = Money()
    quantity = Quantity()
    amount = Money()
    deposit = Money(metadata={"description": "the buyer's cash held since acceptance"})
    cross_province = fields.Boolean()
    status = fields.String(metadata={"description": ", ".join(models.NEGOTIATED_STATUSES)})
    approvals = fields.Function(_approvals, metadata={
        "description": "the seller's side, and across provinces the buyer's"})
    awaiting = fields.Function(lambda t: list(t.awaiting_sides))
    proposed_at = fields.DateTime()
    accepted_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.String(allow_none=True)
    trade_id = Int(allow_none=True)
    settlement_id = Int(allow_none=True)
