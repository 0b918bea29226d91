"""Districts, accounts and users."""

from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import Int, Money, Text


class DistrictSchema(Schema):
    """One node of the district tree."""

    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.Function(lambda d: d.parent.code if d.parent else None)


class AccountCreateSchema(Schema):
    """A new trading account."""

    name = Text(128, required=True)
    district_code = Text(12, required=True)
    kind = fields.String(load_default="bureau", validate=validate.OneOf(models.ACCOUNT_KINDS))


class AccountSchema(Schema):
    """An account with its district and CNY balances."""

    id = Int()
    name = fields.String()
    kind = fields.String()
    district = fields.Nested(DistrictSchema)
    cash_available = Money()
    cash_held = Money()
    frozen = fields.Boolean()
    frozen_reason = fields.String(allow_none=True)


class AccountQuerySchema(Schema):
    """Filters for the account list."""

    district_code = Text(12)


class UserCreateSchema(Schema):
    """A new user; traders name their account, a regulator may name its jurisdiction."""

    username = fields.String(required=True, validate=[
        validate.Length(min=3, max=64), validate.Regexp(r"^[A-Za-z0-9_.\-]+$",
                                                        error="use letters, digits, _ . -")])
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=10, max=200))
    role = fields.String(required=True, validate=validate.OneOf(models.USER_ROLES))
    account_id = Int(allow_none=True)
    district_code = Text(12, allow_none=True, metadata={
        "description": "a regulator's jurisdiction (a city or a province); none: national"})
    display_name = Text(128)


class PasswordSchema(Schema):
    """A new password an admin sets for a user."""

    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=10, max=200))


class UserSchema(Schema):
    """A user, without secrets."""

    id = Int()
    username = fields.String()
    role = fields.String()
    account_id = Int(allow_none=True)
    district_code = fields.Function(lambda user: user.district.code if user.district else None,
                                    allow_none=True)
    display_name = fields.String(allow_none=True)
    active = fields.Boolean()


class TokenRequestSchema(Schema):
    """Credentials for a bearer token."""

    username = Text(64, required=True)
    password = Text(200, required=True, load_only=True)


class TokenSchema(Schema):
    """A fresh bearer token, shown once."""

    token = fields.String()
    expires_at = fields.DateTime()
    user = fields.Nested(UserSchema)
