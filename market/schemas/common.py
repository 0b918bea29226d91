"""Small request bodies used by several endpoints."""

from marshmallow import Schema, validate

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

    # Range validators rather than lambdas: the document states their bounds.
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))
