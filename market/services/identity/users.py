"""Users and their credentials: creation, token login and revocation."""

from flask_babel import lazy_gettext
from sqlalchemy import select

from market import metrics
from market.errors import DomainError, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from market.extensions import db
from market.services import audit, catalogue
from market.services.identity import login_failures
from market.services.identity.accounts import get_account
from market.services.identity.credentials import (
    find_user_by_credentials,
    hash_password,
    new_token,
    revoke_live_tokens,
)
from market.services.transaction import keep_after_rollback, use_case
from market.vocabulary import DISTRICT_LEVEL, ROLE, word
from models import ApiToken, User
from models.base import utcnow


def get_user(user_id: int) -> User:
    """The user, or 404."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


@use_case
def create_user(actor: User | None, data: dict) -> User:
    """Create a user; traders must name the account they act for."""
    role = data["role"]
    account = None
    if role == "trader":
        if data.get("account_id") is None:
            raise InvalidInput("account_id", lazy_gettext("a trader must belong to an account"))
        account = get_account(data["account_id"])
    elif data.get("account_id") is not None:
        raise InvalidInput("account_id", lazy_gettext("a %(role)s acts for no trading account",
                                                      role=word(ROLE, role)))
    district = None
    if data.get("district_code"):
        if role != "regulator":
            raise InvalidInput("district_code",
                               lazy_gettext("only a regulator has a jurisdiction"))
        district = catalogue.district_for_input(data["district_code"])
        if district.level not in ("province", "city"):
            raise InvalidInput("district_code", lazy_gettext(
                "%(name)s is a %(level)s; a regulator oversees a city or a province",
                name=district.name, level=word(DISTRICT_LEVEL, district.level)))
    if db.session.scalar(select(User.id).where(User.username == data["username"])):
        raise DomainError("duplicate_username", lazy_gettext("user name %(name)s is taken",
                                                             name=repr(data["username"])),
                          {"username": [lazy_gettext("already taken")]})
    user = User(username=data["username"], password_hash=hash_password(data["password"]),
                role=role, account=account, district=district,
                display_name=data.get("display_name"))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id,
                 {"username": user.username, "role": role, "account_id": user.account_id,
                  "district": district.code if district else None},
                 actor_name="cli")
    return user


@use_case
def authenticate(username: str, password: str, remote_addr: str | None, via: str) -> User:
    """The user these credentials belong to; failures are audited and counted (API and pages)."""
    key = login_failures.failure_key(remote_addr, username)
    # Checked before the password, so past the limit even the right one is refused (429); and
    # the same for every name, existing or not.
    try:
        login_failures.refuse_if_limited(key)
    except TooManyAttempts:
        metrics.login_failed(via, "rate_limited")
        raise
    user = find_user_by_credentials(username, password)
    if user is None:
        # Kept apart from the failed use case: the attempt is evidence though nothing changed.
        def keep() -> None:
            audit.record(None, "auth.login_failed", "user", username[:64],
                         {"remote_addr": remote_addr, "via": via}, actor_name=username[:64])
            login_failures.record_failure(key)

        keep_after_rollback(keep)
        metrics.login_failed(via, "credentials")
        raise Unauthorized(lazy_gettext("wrong user name or password"))
    return user


@use_case
def issue_token(username: str, password: str, remote_addr: str | None) -> tuple[str, ApiToken]:
    """Exchange a user name and password for a bearer token; failures are audited."""
    user = authenticate(username, password, remote_addr, via="api")
    raw, token = new_token(user)
    return raw, token


@use_case
def revoke_token(actor: User, token: ApiToken | None) -> None:
    """Revoke the bearer token the request came with."""
    if token is None:
        raise DomainError("no_token",
                          lazy_gettext("this request carries no bearer token to revoke"),
                          status=400)
    token.revoked_at = utcnow()
    audit.record(actor, "auth.token_revoked", "user", actor.id, {"token_id": token.id})


@use_case
def revoke_all_tokens(actor: User, user_id: int) -> int:
    """Revoke every live token of a user (an admin's act, e.g. when a laptop is lost)."""
    count = revoke_live_tokens(user_id)
    audit.record(actor, "auth.tokens_revoked", "user", user_id, {"count": count})
    return count
