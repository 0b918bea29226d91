"""Listing auctions and procurements: what is announced, registered and bid, and their state."""

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import models
from market.schemas.fields import Int, Money, Quantity, Text

# A late bid extends the close by at most an hour: longer would let one bidder hold it open.
EXTENSION = validate.Range(min=0, max=60)


def _times_in_order(data):
    if data["bidding_opens_at"] < data["announce_until"]:
        raise ValidationError(lazy_gettext("must not be before the announcement ends"),
                              "bidding_opens_at")
    if data["bidding_closes_at"] <= data["bidding_opens_at"]:
        raise ValidationError(lazy_gettext("must be after bidding opens"), "bidding_closes_at")


class _Announcement(Schema):
    quantity = Quantity(required=True)
    start_price = Money(required=True)
    bid_deposit = Money(required=True, allow_zero=True)
    announce_until = fields.AwareDateTime(required=True)
    bidding_opens_at = fields.AwareDateTime(required=True)
    bidding_closes_at = fields.AwareDateTime(required=True)
    extension_minutes = Int(load_default=5, validate=EXTENSION)
    qualification = fields.String(load_default="open",
                                  validate=validate.OneOf(models.QUALIFICATIONS))

    @validates_schema
    def times(self, data, **kwargs):
        """Announcement, then bidding opens, then it closes."""
        if {"announce_until", "bidding_opens_at", "bidding_closes_at"} <= data.keys():
            _times_in_order(data)


class ListingCreateSchema(_Announcement):
    """A seller lists part or all of a lot."""

    lot_serial = Text(48, required=True)
    increment = Money(required=True)
    ceiling_price = Money(allow_none=True)


class ProcurementCreateSchema(_Announcement):
    """A buyer announces a demand."""

    instrument = Text(16, required=True)
    max_quality_grade = Int(allow_none=True, validate=validate.Range(min=1, max=15))
    floor_price = Money(required=True)
    decrement = Money(required=True)


class ProcurementRegistrationSchema(Schema):
    """A seller registers with the lot it would deliver from."""

    lot_serial = Text(48, required=True)


class BidCreateSchema(Schema):
    """A bid (listing) or an offer (procurement)."""

    price = Money(required=True)


class AuctionQuerySchema(Schema):
    """Filters: phase, instrument, only mine (owned or registered), paging."""

    status = fields.String(validate=validate.OneOf(models.AUCTION_STATUSES))
    instrument = Text(16)
    mine = fields.Boolean(load_default=False)
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class RegistrationSchema(Schema):
    """A registration: its review and where its deposit is."""

    id = Int()
    auction_id = Int()
    account_id = Int()
    account_name = fields.Function(lambda r: r.account.name)
    lot_serial = fields.Function(lambda r: r.lot.serial if r.lot else None)
    status = fields.String(metadata={"description": "pending, approved or rejected"})
    deposit = Money()
    deposit_state = fields.String(metadata={"description": "held, released or escrowed (the "
                                                           "winner's: the settlement's deposit)"})
    reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ResultSchema(Schema):
    """A closed auction's deal."""

    price = Money()
    amount = Money()
    trade_id = Int()
    settlement_id = Int()
    winner_account_id = Int(allow_none=True)


class _AuctionView(Schema):
    id = Int(attribute="auction.id")
    status = fields.String(metadata={"description": "announced, bidding, closed, failed or "
                                                    "cancelled"})
    instrument = fields.Function(lambda v: v.auction.instrument.code)
    quantity = Quantity(attribute="auction.quantity")
    start_price = Money(attribute="auction.start_price")
    bid_deposit = Money(attribute="auction.bid_deposit")
    announce_until = fields.DateTime(attribute="auction.announce_until")
    bidding_opens_at = fields.DateTime(attribute="auction.bidding_opens_at")
    bidding_closes_at = fields.DateTime(attribute="auction.bidding_closes_at")
    closes_at = fields.DateTime(attribute="auction.closes_at",
                                metadata={"description": "the close after extensions"})
    extension_minutes = Int(attribute="auction.extension_minutes")
    qualification = fields.String(attribute="auction.qualification")
    bid_count = Int()
    bidder_count = Int(metadata={"description": "registrants who have bid"})
    registration_count = Int(metadata={"description": "approved registrants"})
    my_registration = fields.Nested(RegistrationSchema, attribute="mine", allow_none=True)
    result = fields.Nested(ResultSchema, allow_none=True)
    cancel_reason = fields.String(attribute="auction.cancel_reason", allow_none=True)
    closed_at = fields.DateTime(attribute="auction.closed_at", allow_none=True)


class ListingSchema(_AuctionView):
    """A listing as its viewer may see it; the lottery's seed only after the close."""

    lot_serial = fields.Function(lambda v: v.auction.lot.serial)
    seller_account_id = Int(attribute="auction.owner_account_id")
    increment = Money(attribute="auction.step")
    ceiling_price = Money(attribute="auction.ceiling_price", allow_none=True)
    best_bid = Money(attribute="best_price", allow_none=True)
    seed_commitment = fields.String(attribute="auction.seed_commitment", allow_none=True,
                                    metadata={"description": "SHA-256 of the lottery seed"})
    seed = fields.String(allow_none=True, metadata={"description": "revealed after the close"})
    lottery = fields.List(fields.String(), allow_none=True, metadata={
        "description": "registration ids that accepted the ceiling, in order; the winner is "
                       "lottery[int(sha256(seed + ':' + ','.join(lottery)), 16) % len]"})


class ProcurementSchema(_AuctionView):
    """A procurement as its viewer may see it."""

    buyer_account_id = Int(attribute="auction.owner_account_id")
    max_quality_grade = Int(attribute="auction.max_quality_grade", allow_none=True)
    floor_price = Money(attribute="auction.floor_price")
    decrement = Money(attribute="auction.step")
    best_offer = Money(attribute="best_price", allow_none=True)


class BidSchema(Schema):
    """An accepted bid or offer."""

    id = Int()
    auction_id = Int()
    registration_id = Int()
    price = Money()
    at_limit = fields.Boolean(metadata={"description": "at the ceiling (listing) or the floor "
                                                       "(procurement)"})
    sequence = Int()
    placed_at = fields.DateTime()
    closes_at = fields.DateTime(attribute="auction.closes_at",
                                metadata={"description": "the close, after any extension"})


class PartySchema(Schema):
    """A party to the deal."""

    account_id = Int(attribute="id")
    name = fields.String()
    district_code = fields.Function(lambda a: a.district.code)


class ConfirmationSchema(Schema):
    """The 成交确认书 as facts."""

    kind = fields.String()
    auction_id = Int()
    verification_code = fields.String()
    seller = fields.Nested(PartySchema)
    buyer = fields.Nested(PartySchema)
    lot_serial = fields.String()
    instrument = fields.String()
    unit = fields.String()
    quantity = Quantity()
    price = Money()
    amount = Money()
    deposit = Money()
    amount_due = Money()
    due_at = fields.DateTime()
    executed_at = fields.DateTime()
    trade_id = Int()
    settlement_id = Int()
    seed_commitment = fields.String(allow_none=True)
    seed = fields.String(allow_none=True)
    lottery = fields.List(fields.String(), allow_none=True)
