"""Per request: its id (X-Request-ID), one JSON log line, and the request metrics.

Hooks, not a WSGI wrapper, so that the line and the counters are labelled with the URL rule
Flask matched (`/api/v1/orders/<int:order_id>`), never the raw path: bounded label sets,
and no ids, serials or query strings in the logs.
"""

import time

from flask import Flask, request

from market import logs, metrics

REQUEST_ID_HEADER = "X-Request-ID"
# Probes and scrapes come every few seconds; their lines would bury the traffic.
QUIET_ENDPOINTS = {"operations.healthz", "operations.readyz", "operations.scrape"}
UNMATCHED = "<unmatched>"

log = logs.get_logger("market.request")


def _start() -> None:
    request.environ["market.started"] = time.perf_counter()
    request_id = logs.clean_request_id(request.headers.get(REQUEST_ID_HEADER)) \
        or logs.new_request_id()
    request.environ["market.request_id"] = request_id
    logs.bind_request_id(request_id)


def note_user(user_id: int) -> None:
    """Name the user this request acts for in its log line (called where auth finds them)."""
    # Kept as a plain number: the ORM row may be expired by a rollback before the line is
    # written, and reloading it there would cost a query (or fail with the database).
    request.environ["market.user_id"] = user_id


def note_writer(timing: dict | None) -> None:
    """Add where an order command's time went to this request's log line: `round_trip_ms`,
    from sending it to the order writer to its answer, as this worker saw it, and of that
    `batch_ms`, its batch in the writer up to the closing statement, and `batch`, the
    batch's size (the rest: the batch before it, the notifications, the commit)."""
    if timing is not None:
        request.environ["market.writer"] = timing


def _finish(response):
    started = request.environ.get("market.started", time.perf_counter())
    seconds = time.perf_counter() - started
    endpoint = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    request_id = request.environ.get("market.request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    metrics.request_answered(request.method, endpoint, response.status_code, seconds)
    write = log.debug if request.endpoint in QUIET_ENDPOINTS else log.info
    extra = {"writer": request.environ["market.writer"]} \
        if "market.writer" in request.environ else {}
    write("request", method=request.method, path=endpoint, status=response.status_code,
          duration_ms=round(seconds * 1000, 1),
          user_id=request.environ.get("market.user_id"), **extra)
    return response


def _forget(_error=None) -> None:
    logs.clear_request_id()


def init_app(app: Flask) -> None:
    """Install the hooks first, so a request another hook answers early is still seen."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    app.teardown_request(_forget)
