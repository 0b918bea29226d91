"""Page login and logout with a flask-login session."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from market.auth import find_user_by_credentials
from market.extensions import db, limiter
from market.services import audit
from market.web import bp
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


def _record_failed_login(username: str) -> None:
    """Audit a failed page login exactly as users.issue_token audits a failed API login."""
    # Its own small transaction: the attempt is evidence even though nothing else happened.
    audit.record(None, "auth.login_failed", "user", username[:64],
                 {"remote_addr": request.remote_addr, "via": "page"}, actor_name=username[:64])
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_login_key,
               methods=["POST"], deduct_when=lambda response: response.status_code == 401)
def login():
    """The login form; on success, back to the page asked for or to the desk."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("login.html", form=form), 422 if form.errors else 200
    user = find_user_by_credentials(form.username.data, form.password.data)
    if user is None:
        _record_failed_login(form.username.data)
        return render_template("login.html", form=form, failed=True), 401
    login_user(user)
    return redirect(_safe_next(request.args.get("next")) or url_for("web.overview"))


@bp.post("/logout")
def logout():
    """End the session (a POST with a CSRF token, so no other site can log anyone out)."""
    logout_user()
    flash("已退出登录。", "success")
    return redirect(url_for("web.login"))
