"""Marshmallow schemas: the API's input validation and output shapes."""
