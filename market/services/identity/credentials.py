"""Credentials: password hashing and checking, bearer-token minting and digests."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from market.extensions import db
from models import ApiToken, User
from models.base import utcnow

# Compared against when the user name is unknown, so a miss costs as much as a wrong password
# and timing does not reveal which user names exist: made with the configured method (as real
# hashes are), once per method.
_dummy_hashes: dict[str, str] = {}


def hash_password(password: str) -> str:
    """Hash a password with the configured method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def dummy_hash() -> str:
    """A hash of no one's password, made the way real ones are made now."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("not-a-password", method=method)
    return _dummy_hashes[method]


def find_user_by_credentials(username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(dummy_hash(), password)
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


# Every API request looks its token up: with its user and the user's account only, not the
# districts (and their parents) they would join in eagerly, which few requests read.
_LIVE_TOKEN = select(ApiToken).where(ApiToken.digest == bindparam("digest")).options(
    lazyload("*"), joinedload(ApiToken.user).options(
        lazyload("*"), joinedload(User.account).lazyload("*")))


def live_token(raw: str) -> ApiToken | None:
    """The unexpired, unrevoked token of an active user with this raw value, if any."""
    token = db.session.scalar(_LIVE_TOKEN, {"digest": token_digest(raw)})
    if token is None or not is_live(token.revoked_at, token.expires_at, token.user.active):
        return None
    return token


def is_live(revoked_at: datetime | None, expires_at: datetime, user_active: bool) -> bool:
    """Whether a token authenticates now: unrevoked, unexpired, its user active. The one rule
    for every lookup (a request's own, and the order writer's for a batch of commands)."""
    return revoked_at is None and expires_at > utcnow() and user_active


def revoke_live_tokens(user_id: int) -> int:
    """Revoke every live token of a user (a part); how many there were."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    ).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)
