"""Page login and logout with a flask-login session."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from market.errors import Unauthorized
from market.extensions import limiter
from market.services import identity
from market.web.blueprint import bp
from market.web.forms import LoginForm


def _login_key() -> str:
    """Failed logins count per address and user name, as the API's token login does."""
    return f"{request.remote_addr}|{request.form.get('username', '')[:64]}"


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: `next` must not send a fresh login to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_login_key,
               methods=["POST"], deduct_when=lambda response: response.status_code == 401)
def login():
    """The login form; on success, back to the page asked for or to the desk."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("login.html", form=form), 422 if form.errors else 200
    try:
        user = identity.authenticate(form.username.data, form.password.data, request.remote_addr,
                                  via="page")
    except Unauthorized:
        return render_template("login.html", form=form, failed=True), 401
    login_user(user)
    return redirect(_safe_next(request.args.get("next")) or url_for("web.overview"))


@bp.post("/logout")
def logout():
    """End the session (a POST with a CSRF token, so no other site can log anyone out)."""
    logout_user()
    flash("已退出登录。", "success")
    return redirect(url_for("web.login"))
