"""Users and their credentials: creation, token login and revocation."""

from sqlalchemy import select

from market.errors import DomainError, InvalidInput, Unauthorized
from market.extensions import db
from market.services import audit, catalogue
from market.services.identity.accounts import get_account
from market.services.identity.credentials import find_user_by_credentials, hash_password, new_token
from market.services.transaction import keep_after_rollback, use_case
from models import ApiToken, User
from models.base import utcnow


@use_case
def create_user(actor: User | None, data: dict) -> User:
    """Create a user; traders must name the account they act for."""
    role = data["role"]
    account = None
    if role == "trader":
        if data.get("account_id") is None:
            raise InvalidInput("account_id", "a trader must belong to an account")
        account = get_account(data["account_id"])
    elif data.get("account_id") is not None:
        raise InvalidInput("account_id", f"a {role} acts for no trading account")
    district = None
    if data.get("district_code"):
        if role != "regulator":
            raise InvalidInput("district_code", "only a regulator has a jurisdiction")
        district = catalogue.district_for_input(data["district_code"])
        if district.level not in ("province", "city"):
            raise InvalidInput("district_code", f"{district.name} is a {district.level}; a "
                               "regulator oversees a city or a province")
    if db.session.scalar(select(User.id).where(User.username == data["username"])):
        raise DomainError("duplicate_username", f"user name {data['username']!r} is taken",
                          {"username": ["already taken"]})
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
    """The user these credentials belong to; a failure is audited (API and pages alike)."""
    user = find_user_by_credentials(username, password)
    if user is None:
        # Kept apart from the failed use case: the attempt is evidence though nothing changed.
        keep_after_rollback(lambda: audit.record(
            None, "auth.login_failed", "user", username[:64],
            {"remote_addr": remote_addr, "via": via}, actor_name=username[:64]))
        raise Unauthorized("wrong user name or password")
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
        raise DomainError("no_token", "this request carries no bearer token to revoke", status=400)
    token.revoked_at = utcnow()
    audit.record(actor, "auth.token_revoked", "user", actor.id, {"token_id": token.id})


@use_case
def revoke_all_tokens(actor: User, user_id: int) -> int:
    """Revoke every live token of a user (an admin's act, e.g. when a laptop is lost)."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    ).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    audit.record(actor, "auth.tokens_revoked", "user", user_id, {"count": len(tokens)})
    return len(tokens)
