"""Who is calling: bearer tokens for the API, sessions for pages, and role checks."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from market.errors import Forbidden, Unauthorized
from market.extensions import db, login_manager
from models import Account, ApiToken, User
from models.base import utcnow

# Compared against when the user name is unknown, so a miss costs as much as a wrong password
# and timing does not reveal which user names exist.
_DUMMY_HASH = generate_password_hash("not-a-password", method="pbkdf2:sha256:1000")


def hash_password(password: str) -> str:
    """Hash a password with the configured method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user_by_credentials(username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def token_digest(raw: str) -> str:
    """Tokens are stored only as their SHA-256 digest."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(user: User) -> tuple[str, ApiToken]:
    """Create a bearer token for `user`; the raw value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    ttl = timedelta(hours=current_app.config["TOKEN_TTL_HOURS"])
    token = ApiToken(user=user, digest=token_digest(raw), expires_at=utcnow() + ttl)
    db.session.add(token)
    return raw, token


def bearer_token() -> ApiToken | None:
    """The live token this request carries, if any (expired and revoked tokens are None)."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == token_digest(raw.strip())))
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    if not token.user.active:
        return None
    return token


@login_manager.user_loader
def _load_session_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    # A deactivated user's session ends at their next request, as their tokens do.
    return user if user is not None and user.active else None


def current_actor() -> User:
    """The API caller, by bearer token only; else 401.

    The API never trusts the page session cookie, so it needs no CSRF token and a page a user
    happens to visit cannot make API calls in their name.
    """
    token = request_token()
    if token is None:
        raise Unauthorized()
    return token.user


def request_token() -> ApiToken | None:
    """The live bearer token of this request, looked up once per request."""
    # Cached on the request, not on `g`: an app context (and its `g`) can outlive a request.
    if "market.api_token" not in request.environ:
        request.environ["market.api_token"] = bearer_token()
    return request.environ["market.api_token"]


def page_user() -> User | None:
    """The user logged in to the pages by session, if any."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def current_account() -> Account:
    """The account a trader acts for (403 for users who act for none)."""
    actor = current_actor()
    if actor.account is None:
        raise Forbidden("this action needs a trading account")
    return actor.account


def roles_required(*roles: str) -> Callable:
    """Allow the view only to users with one of `roles`: 401 if anonymous, 403 otherwise."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            actor = current_actor()
            if actor.role not in roles:
                raise Forbidden(f"this needs the role {' or '.join(roles)}")
            return view(*args, **kwargs)

        return wrapped

    return decorator
