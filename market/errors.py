"""The one error map: every failure becomes {"error": {"code", "message", "fields"}}."""

from flask import Flask, current_app, has_request_context, jsonify, render_template, request
from flask_babel import lazy_gettext, lazy_pgettext
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from market.extensions import db


class DomainError(Exception):
    """A request the market refuses; carries its HTTP status and a stable code."""

    status = 409

    def __init__(self, code: str, message: str, fields: dict | None = None, status=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status = status


# What a NotFound names, in the reader's language.
THINGS = {
    "account": lazy_pgettext("thing", "account"), "alert": lazy_pgettext("thing", "alert"),
    "city": lazy_pgettext("thing", "city"), "lot": lazy_pgettext("thing", "lot"),
    "order": lazy_pgettext("thing", "order"), "settlement": lazy_pgettext("thing", "settlement"),
    "trade": lazy_pgettext("thing", "trade"), "user": lazy_pgettext("thing", "user"),
    "instrument": lazy_pgettext("thing", "instrument"),
    "certificate": lazy_pgettext("thing", "certificate"),
    "obligation": lazy_pgettext("thing", "obligation"),
    "district": lazy_pgettext("thing", "district"),
    "payout": lazy_pgettext("thing", "payout"), "pledge": lazy_pgettext("thing", "pledge"),
}


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know it exists."""

    status = 404

    def __init__(self, what: str, key):
        super().__init__("not_found", lazy_gettext("%(what)s %(key)s not found",
                                                   what=THINGS.get(what, what), key=str(key)),
                         {})


class Forbidden(DomainError):
    """Authenticated, but not allowed to do this."""

    status = 403

    def __init__(self, message: str | None = None):
        super().__init__("forbidden", message or lazy_gettext("your role may not do this"))


class Unauthorized(DomainError):
    """No valid credentials."""

    status = 401

    def __init__(self, message: str | None = None):
        super().__init__("unauthorized",
                         message or lazy_gettext("log in or send a valid bearer token"))


class TooManyAttempts(DomainError):
    """Too many failed logins for this address and user name; `retry_after` in seconds."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__("too_many_requests",
                         lazy_gettext("too many failed logins; try again later"))
        self.retry_after = retry_after


class InvalidInput(DomainError):
    """Input that parses but breaks a rule the schema cannot see (e.g. unknown district)."""

    status = 422

    def __init__(self, field: str, message: str, code: str = "invalid_input"):
        super().__init__(code, lazy_gettext("%(field)s: %(message)s", field=field,
                                            message=message), {field: [message]})


def error_body(code: str, message: str, fields: dict | None = None):
    """The JSON body every error response carries, in the request's language."""
    return {"error": {"code": code, "message": str(message),
                      "fields": _field_messages(fields or {})}}


def _field_messages(value):
    # Marshmallow wraps only a plain str message in a list; a lazy one arrives bare.
    if isinstance(value, dict):
        return {key: _field_messages(item) for key, item in value.items()}
    return _text(value) if isinstance(value, list | tuple) else [_text(value)]


def _text(value):
    # Messages may be lazy translations; they become text in the request's language here.
    if isinstance(value, dict):
        return {key: _text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_text(item) for item in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


def _flatten_webargs(messages) -> dict:
    """webargs nests errors by location ({"json": {...}}); clients want the fields only."""
    if isinstance(messages, dict) and len(messages) == 1:
        (location, inner), = messages.items()
        if location in ("json", "query", "form", "files", "headers", "view_args"):
            if isinstance(inner, dict):
                return inner
            return {"_schema": inner}
    return messages if isinstance(messages, dict) else {"_schema": messages}


PAGE_TITLES = {404: lazy_gettext("Page not found"), 405: lazy_gettext("Not supported here")}
# app.extensions key of the pages' function that explains a refusal in Chinese.
PAGE_REFUSAL = "market.page_refusal"


def _is_page_request() -> bool:
    """The pages answer errors in HTML; everything else in JSON."""
    return has_request_context() and (
        request.path in ("/desk", "/trade", "/admin")
        or request.path.startswith(("/desk/", "/trade/", "/admin/", "/login")))


def http_error_response(error: HTTPException):
    """Render a werkzeug/webargs HTTP error in the project's shape (HTML on the pages)."""
    if _is_page_request() and error.code in PAGE_TITLES:
        page = render_template("error.html", title=PAGE_TITLES[error.code],
                               message=f"{request.path} ({error.code})")
        return page, error.code
    data = getattr(error, "data", None) or {}
    fields = _flatten_webargs(data.get("messages") or data.get("errors") or {})
    status = error.code or 500
    if status >= 500:
        return jsonify(error_body("internal_error", lazy_gettext("internal error"))), status
    code = HTTP_CODES.get(status, "error")
    if status == 400 and "JSON" in str(fields or error.description):
        code, message = "malformed_json", lazy_gettext("the request body is not valid JSON")
        fields = {"body": [lazy_gettext("is not valid JSON")]}
    elif fields:
        first = next(iter(fields))
        message = lazy_gettext("invalid input: %(field)s: %(message)s", field=first,
                               message=_first_message(fields[first]))
    else:
        message = error.description or code
    response = jsonify(error_body(code, message, fields))
    response.status_code = status
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def _first_message(value) -> str:
    while isinstance(value, dict | list) and value:
        value = next(iter(value.values())) if isinstance(value, dict) else value[0]
    return str(value)


RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def is_retryable(error: Exception) -> bool:
    """Whether the database aborted the transaction only to let another one finish."""
    return getattr(getattr(error, "orig", None), "pgcode", None) in RETRYABLE


def _rollback_quietly() -> None:
    """Roll back, tolerating a connection that is already gone."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()


def register_error_handlers(app: Flask) -> None:
    """Install the error map on the app."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        explain = current_app.extensions.get(PAGE_REFUSAL)
        if _is_page_request() and explain is not None:
            # A refusal before any page matched (the request guard on an unknown /desk path);
            # the pages install how they explain refusals, so this module needs no page code.
            return render_template("error.html", title=lazy_gettext("Could not be done"),
                                   message=explain(error)), error.status
        response = jsonify(error_body(error.code, error.message, error.fields))
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response, error.status

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # The CHECK constraints are the last line of defence (e.g. two requests racing for the
        # same cash); the service checks first, so reaching here means a lost race: 409.
        db.session.rollback()
        body = error_body("conflict",
                          lazy_gettext("the change conflicts with the current state; retry"))
        return jsonify(body), 409

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error):
        # A number in the path too large for any id column (schemas bound the body and query).
        db.session.rollback()
        message = lazy_gettext("a number in the request is out of range")
        return jsonify(error_body("out_of_range", message)), 422

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(DisconnectionError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        # A deadlock or serialization abort that survived the retries: the market is busy.
        # Anything else here means the database went away (restart, failover, a killed
        # backend, a full pool): the pool's pre-ping catches a dead connection before use, so
        # this is what is left. The request changed nothing; the client may retry it.
        _rollback_quietly()
        if isinstance(error, OperationalError) and is_retryable(error):
            code, message = "busy", lazy_gettext("the market is busy; retry the request")
        else:
            code = "database_unavailable"
            message = lazy_gettext("the database is unavailable; retry shortly")
        if _is_page_request():
            page = render_template(
                "error.html", title=lazy_gettext("Temporarily unavailable"),
                message=lazy_gettext("The database cannot be reached just now; try again shortly."))
            return page, 503, {"Retry-After": "1"}
        return jsonify(error_body(code, message)), 503, {"Retry-After": "1"}

    app.register_error_handler(HTTPException, http_error_response)
