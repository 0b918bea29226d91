"""Small request bodies used by several endpoints."""

from marshmallow import Schema

from market.schemas.fields import Money, Reason, Text


class ReasonSchema(Schema):
    """A regulator's act that must say why."""

    reason = Reason()


class BankMovementSchema(Schema):
    """A deposit or withdrawal recorded from the bank statement."""

    amount = Money(required=True)
    reference = Text(128, required=True)
