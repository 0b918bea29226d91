"""Small request bodies used by several endpoints."""

from marshmallow import Schema

from market.schemas.fields import Int, Money, Reason, Text


class ReasonSchema(Schema):
    """A regulator's act that must say why."""

    reason = Reason()


class BankMovementSchema(Schema):
    """A deposit or withdrawal recorded from the bank statement."""

    amount = Money(required=True)
    reference = Text(128, required=True)


class PageSchema(Schema):
    """Paging for lists."""

    limit = Int(load_default=100, validate=lambda n: 1 <= n <= 1000)
    offset = Int(load_default=0, validate=lambda n: n >= 0)
