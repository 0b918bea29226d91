"""The one error body, as the OpenAPI document declares it for every error response."""

from marshmallow import Schema
from marshmallow import fields as ma_fields


class ErrorDetailSchema(Schema):
    """What went wrong: a stable code to branch on, a sentence, and the fields at fault."""

    code = ma_fields.String(required=True, metadata={
        "description": "stable machine-readable code, e.g. validation_error, not_found, "
                       "insufficient_funds, database_unavailable",
        "example": "validation_error"})
    message = ma_fields.String(required=True, metadata={
        "description": "one human-readable sentence", "example": "invalid input: price: ..."})
    field_errors = ma_fields.Dict(
        data_key="fields", keys=ma_fields.String(), required=True,
        metadata={"description": "by field (its JSON name, `body` or `path` for the request "
                                 "as a whole): a list of messages, or for a nested field an "
                                 "object of the same shape; empty when no field is at fault",
                  "example": {"price": ["has more than 2 decimal places"]}})


class ErrorSchema(Schema):
    """Every 4xx and 5xx answer of the API: `{"error": {"code", "message", "fields"}}`."""

    error = ma_fields.Nested(ErrorDetailSchema, required=True)
