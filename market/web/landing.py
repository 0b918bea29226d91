"""The public landing page: the regulator's desk, the API and its browsable docs."""

from flask import render_template

from market.web.blueprint import bp


@bp.get("/")
def index():
    """A short page pointing at the desk and the API docs."""
    return render_template("index.html")
