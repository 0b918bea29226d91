"""The edge of the service: input no column can hold is refused before any hook or view runs.

PostgreSQL cannot store a NUL character, and UTF-8 cannot encode a lone surrogate (JSON carries
both as `\\u` escapes), so such text used to fail deep inside a use case as a 500 — on
PostgreSQL even for an anonymous login. JSON nested a thousand deep exhausts the parser's
recursion, and a number of thousands of digits fails Python's conversion. One check here, for
every route (API and pages, anonymous or not), covers all of it instead of a rule on every
string field; it runs before the rate limiter, CSRF check and login, which read the body too.

Bodies are capped by `MAX_CONTENT_LENGTH`; a route that takes larger bodies (file uploads)
says so with `@body_limit(bytes)` under its route decorator, and the guard applies it before
anything reads the body.
"""

import json
import re
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import RequestEntityTooLarge

from market.errors import DomainError

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = lazy_gettext("must not contain NUL or unpaired surrogate characters")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InvalidCharacters(DomainError):
    """Text the database could not store; names where it was, never echoes it."""

    def __init__(self, where: str, status: int = 422):
        super().__init__("invalid_characters", lazy_gettext(
            "%(field)s: %(message)s", field=where, message=UNSTORABLE_MESSAGE),
            {where: [UNSTORABLE_MESSAGE]}, status=status)


def body_limit(max_bytes: int) -> Callable:
    """Let one view take bodies up to `max_bytes` (put it under the route decorator)."""

    def mark(view: Callable) -> Callable:
        # Stored on the function: functools.wraps in the decorators above copies it along.
        view.max_content_length = max_bytes
        return view

    return mark


def install(app: Flask) -> None:
    """Run the guard before every request, ahead of the hooks registered after it."""
    app.config.setdefault("JSON_MAX_DEPTH", 32)
    app.before_request(guard_request)


def guard_request() -> None:
    """Refuse oversized bodies and text the service cannot store, before anything reads them."""
    _apply_body_limit()
    if UNSTORABLE.search(request.path):
        raise InvalidCharacters("path", status=400)
    _check_pairs(request.args.items(multi=True))
    if request.mimetype in FORM_TYPES:
        _check_pairs(request.form.items(multi=True))
        _check_pairs((name, upload.filename or "")
                     for name, upload in request.files.items(multi=True))
    if request.is_json:
        _check_json(request.get_data(cache=True))


def _apply_body_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    route_limit = getattr(view, "max_content_length", None)
    if route_limit is not None:
        request.max_content_length = route_limit
    limit = request.max_content_length
    # Refused from the header, so an oversized body is never read; a chunked body without a
    # length is cut off by werkzeug at the same limit as it is read.
    if limit is not None and (request.content_length or 0) > limit:
        message = lazy_gettext("the request body is larger than %(limit)s bytes", limit=limit)
        # The guard also serves apps without Flask-Babel (it has its own tests on one).
        raise RequestEntityTooLarge(str(message) if "babel" in current_app.extensions
                                    else f"the request body is larger than {limit} bytes")


def _check_pairs(pairs) -> None:
    for name, value in pairs:
        if UNSTORABLE.search(name) or UNSTORABLE.search(value):
            raise InvalidCharacters(_printable(name))


def _check_json(raw: bytes) -> None:
    if not raw:
        return  # no body: the schema says whether one was needed
    try:
        document = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise _too_deep() from None
    except ValueError:  # also UnicodeDecodeError, and integers too long to convert
        raise DomainError("malformed_json", lazy_gettext("the request body is not valid JSON"),
                          {"body": [lazy_gettext("is not valid JSON")]}, status=400) from None
    _walk(document, current_app.config["JSON_MAX_DEPTH"])


def _walk(document, max_depth: int) -> None:
    """Depth-first over the parsed body without recursion, checking every key and string."""
    stack = [(document, 1, ())]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            if UNSTORABLE.search(value):
                raise InvalidCharacters(_field(where))
            continue
        if isinstance(value, dict):
            items = list(value.items())
            for key, _inner in items:
                if UNSTORABLE.search(key):
                    raise InvalidCharacters(_field((*where, key)))
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        if depth > max_depth:
            raise _too_deep()
        stack.extend((inner, depth + 1, (*where, key)) for key, inner in items)


def _too_deep() -> DomainError:
    depth = current_app.config["JSON_MAX_DEPTH"]
    return DomainError("json_too_deep", lazy_gettext(
        "the request body nests deeper than %(depth)s levels", depth=depth),
        {"body": [lazy_gettext("nests deeper than %(depth)s levels", depth=depth)]}, status=400)


def _field(where: tuple) -> str:
    """The field as the schemas name it: `project_name`, or `rows.0.name` further in."""
    return ".".join(_printable(str(part)) for part in where) or "body"


def _printable(name: str) -> str:
    # The offending characters would make the error body itself unencodable: replace them.
    return UNSTORABLE.sub("\ufffd", name)
