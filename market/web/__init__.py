"""Server-rendered pages for regulators: session login and CSRF-protected forms."""

from flask import Flask

from market.errors import PAGE_REFUSAL

# Each module attaches its views to the blueprint when imported.
from market.web import (  # noqa: F401
    access,
    audit,
    auth,
    controls,
    filters,
    landing,
    overview,
    reports,
    surveillance,
)
from market.web.blueprint import bp
from market.web.messages import error_text


def register(app: Flask) -> None:
    """Mount the pages, and tell the error map how pages explain a refusal."""
    app.register_blueprint(bp)
    app.extensions[PAGE_REFUSAL] = error_text
