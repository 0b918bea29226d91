"""The public landing page, and each logged-in user's way home."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from market.web.blueprint import bp
from market.web.navigation import home_of


@bp.get("/")
def index():
    """A short page pointing at the desk and the API docs."""
    return render_template("index.html")


@bp.get("/home")
def home():
    """Send a logged-in user to the home page of their role's area."""
    return redirect(url_for(home_of(current_user.role)))
