"""Marshmallow schemas: the API's input validation and output shapes."""

from market.schemas.messages import translate_marshmallow_messages

# Before any schema module builds its fields: each field copies its messages when created.
translate_marshmallow_messages()
