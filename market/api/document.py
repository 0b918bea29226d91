"""The API's OpenAPI document and blueprint registry (flask-smorest), saying what it does.

Every error response declares the body this service sends — `{"error": {"code", "message",
"fields"}}` — instead of smorest's stock error schema, and every bounded integer field states
its bounds.
"""

import flask_smorest
from flask_smorest import Api
from flask_smorest.utils import resolve_schema_instance

from market.errors import http_error_response
from market.schemas.errors import ErrorSchema
from market.schemas.fields import int_bounds


class MarketApi(Api):
    """flask-smorest's Api with the project's one error shape, in the document and on the wire."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *args, **kwargs):
        """Bind to the app, and document the integer bounds every Int field enforces."""
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(int_bounds)

    def handle_http_exception(self, error):
        """Render HTTP errors (webargs' 422s among them) through the one error map."""
        return http_error_response(error)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, its argument schemas made once.

    Given a schema class, webargs builds an instance for every request (a deep copy of every
    declared field: a tenth of an order request's time). The schemas keep no state between
    loads, so one instance serves every request.
    """

    def arguments(self, schema, *args, **kwargs):
        return super().arguments(resolve_schema_instance(schema), *args, **kwargs)


api = MarketApi()
