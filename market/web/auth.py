"""Page login and logout with a flask-login session."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from market.auth import page_user
from market.errors import TooManyAttempts, Unauthorized
from market.observability import note_user
from market.services import identity
from market.web.access import too_many_attempts
from market.web.blueprint import bp
from market.web.forms import LoginForm
from market.web.navigation import home_of


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: `next` must not send a fresh login to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; on success, back to the page asked for or to the desk."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("login.html", form=form), 422 if form.errors else 200
    try:
        user = identity.authenticate(form.username.data, form.password.data, request.remote_addr,
                                     via="page")
    except TooManyAttempts as refusal:
        page, status = too_many_attempts(refusal)
        return page, status, {"Retry-After": str(refusal.retry_after)}
    except Unauthorized:
        return render_template("login.html", form=form, failed=True), 401
    login_user(user)
    note_user(user.id)
    return redirect(_safe_next(request.args.get("next")) or url_for(home_of(user.role)))


@bp.post("/logout")
def logout():
    """End the user's sessions (a POST with a CSRF token, so no other site can log anyone out)."""
    # On the server, not only in this browser: a copy of the cookie must stop working too.
    identity.log_out(page_user())
    logout_user()
    flash(_("Logged out."), "success")
    return redirect(url_for("web.login"))
