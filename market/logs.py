"""Structured logs: one JSON object a line, with the request id of the work in hand.

structlog renders our events and, through the standard library's root handler, every other
library's records (Flask, APScheduler, SQLAlchemy warnings) in the same JSON shape, so a log
shipper needs one parser. The request id lives in a context variable that structlog merges
into every line and the audit log copies into its rows.
"""

import logging
import re
import sys
import uuid

import structlog

REQUEST_ID_MAX = 64
# Anything else could forge a log line or a header (CR/LF, quotes, spaces): it is dropped.
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9._:-]")

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
]


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time, so a swapped stream (tests) sees it."""

    def __init__(self):
        super().__init__()
        self.market_owned = True

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure(level: str = "INFO", json: bool = True) -> None:
    """Send every log record to stderr as one JSON line (or readable text when not `json`)."""
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if json else \
        structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = _StderrHandler()
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer]))
    root = logging.getLogger()
    # create_app may run more than once in a process (tests, the CLI): replace, never stack.
    for old in [h for h in root.handlers if getattr(h, "market_owned", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


def get_logger(name: str):
    """A structlog logger whose lines go through the standard library's handlers."""
    return structlog.stdlib.get_logger(name)


def clean_request_id(raw: str | None) -> str | None:
    """A caller's X-Request-ID made safe: letters, digits and `._:-` only, at most 64."""
    if not raw:
        return None
    return _NOT_ALLOWED.sub("", raw[:4 * REQUEST_ID_MAX])[:REQUEST_ID_MAX] or None


def new_request_id(prefix: str = "") -> str:
    """A fresh id: 32 hex digits, after `prefix` (e.g. `job-` for scheduler runs)."""
    return f"{prefix}{uuid.uuid4().hex}"[:REQUEST_ID_MAX]


def bind_request_id(request_id: str) -> None:
    """Make `request_id` the id of the work in hand (logs and audit rows), alone."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)


def clear_request_id() -> None:
    """Forget the work's context, so nothing leaks into the next request on this thread."""
    structlog.contextvars.clear_contextvars()


def current_request_id() -> str | None:
    """The id of the request or scheduler run in hand, if any."""
    return structlog.contextvars.get_contextvars().get("request_id")
