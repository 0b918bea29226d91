"""Server-rendered pages for regulators: session login and CSRF-protected forms."""

from flask import Flask

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


def register(app: Flask) -> None:
    """Mount the pages."""
    app.register_blueprint(bp)
