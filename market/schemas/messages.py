"""Marshmallow's own validation messages, made translatable.

Marshmallow keeps its messages in class-level dicts and strings; replacing them once with
lazy translations makes every schema's generic refusals ("Missing data for required field.")
follow the request's language. Field messages with `{placeholders}` stay as they are:
marshmallow formats only plain `str` field messages. The validators format theirs when they
fail, so a lazy message (placeholders kept in the translation) works for them.
"""

from flask_babel import lazy_gettext
from marshmallow import Schema, fields, validate

FIELD_MESSAGES = {
    fields.Field: {
        "required": lazy_gettext("Missing data for required field."),
        "null": lazy_gettext("Field may not be null."),
        "validator_failed": lazy_gettext("Invalid value."),
    },
    fields.String: {"invalid": lazy_gettext("Not a valid string."),
                    "invalid_utf8": lazy_gettext("Not a valid utf-8 string.")},
    fields.Integer: {"invalid": lazy_gettext("Not a valid integer.")},
    fields.Number: {"invalid": lazy_gettext("Not a valid number."),
                    "too_large": lazy_gettext("Number too large.")},
    fields.Boolean: {"invalid": lazy_gettext("Not a valid boolean.")},
    fields.Date: {"invalid": lazy_gettext("Not a valid date.")},
    fields.List: {"invalid": lazy_gettext("Not a valid list.")},
    fields.Nested: {"type": lazy_gettext("Invalid type.")},
    fields.Dict: {"invalid": lazy_gettext("Not a valid mapping type.")},
}
SCHEMA_MESSAGES = {"type": lazy_gettext("Invalid input type."),
                   "unknown": lazy_gettext("Unknown field.")}


def translate_marshmallow_messages() -> None:
    """Put the lazy translations in place of marshmallow's English defaults (idempotent)."""
    for field_class, messages in FIELD_MESSAGES.items():
        # Each class's own dict: marshmallow merges them along the MRO per field instance.
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}
    Schema._default_error_messages = {**Schema._default_error_messages, **SCHEMA_MESSAGES}
    validate.OneOf.default_message = lazy_gettext("Must be one of: {choices}.")
    validate.Length.message_min = lazy_gettext("Shorter than minimum length {min}.")
    validate.Length.message_max = lazy_gettext("Longer than maximum length {max}.")
    validate.Length.message_all = lazy_gettext("Length must be between {min} and {max}.")
    validate.Length.message_equal = lazy_gettext("Length must be {equal}.")
    validate.Regexp.default_message = lazy_gettext("String does not match expected pattern.")
