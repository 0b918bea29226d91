"""The landing page: where the API, its docs and the demo logins are."""

from flask import Blueprint, render_template

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """A short page pointing at the API and its browsable docs."""
    return render_template("index.html")
