"""Server-rendered pages for regulators: session login and CSRF-protected forms."""

from flask import Blueprint, Flask

bp = Blueprint("web", __name__)

# Each module attaches its views to `bp`, so they are imported once it exists.
from market.web import (  # noqa: E402,F401
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


def register(app: Flask) -> None:
    """Mount the pages."""
    app.register_blueprint(bp)
