"""Who is calling: bearer tokens for the API, sessions for pages, and role checks."""

from collections.abc import Callable
from functools import wraps

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from market.errors import Unauthorized
from market.extensions import login_manager
from market.observability import note_user
from market.services import identity, trading
from models import Account, ApiToken, User


class PageSessions(SecureCookieSessionInterface):
    """Session cookies for the pages only: an API request gets the null session, so its
    cookie is neither verified nor written (the API never reads it; see current_actor)."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)


def bearer_token() -> ApiToken | None:
    """The live token this request carries, if any (expired and revoked tokens are None)."""
    raw = _bearer_value()
    return None if raw is None else identity.live_token(raw)


def _bearer_value() -> str | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return raw.strip()


@login_manager.user_loader
def _load_session_user(session_id: str) -> User | None:
    # A session ends at its next request once its user is deactivated, logs out or gets a new
    # password (services/identity/sessions.py), as their tokens do.
    user = identity.session_user(session_id)
    if user is not None:
        note_user(user.id)
    return user


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
        token = bearer_token()
        request.environ["market.api_token"] = token
        if token is not None:
            note_user(token.user_id)
    return request.environ["market.api_token"]


def page_user() -> User | None:
    """The user logged in to the pages by session, if any."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def current_account() -> Account:
    """The account a trader acts for (403 for users who act for none)."""
    return identity.require_trading_account(current_actor().account)


def roles_required(*roles: str) -> Callable:
    """Allow the view only to users with one of `roles`: 401 if anonymous, 403 otherwise."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            identity.require_role(current_actor().role, roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def order_command(view: Callable) -> Callable:
    """For the views that place, change or cancel a trader's order: find who calls, before
    the body is read, for `order_caller`.

    Inline, that is the token's user, a trader, with their account (401 or 403 here, before
    a bad body's 422). Through the order writer, it is the bearer token as sent
    (`trading.BearerCaller`): the writer authenticates it by the same rules in the batch that
    carries the command out, so this request reads nothing from the database. Only a request
    with no bearer token at all is refused here; one whose token is not live, and whose body
    is bad too, is answered 422 without reaching the writer.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        if trading.order_writer_enabled():
            raw = _bearer_value()
            if raw is None:
                raise Unauthorized()
            caller = (trading.BearerCaller(identity.token_digest(raw)), None)
        else:
            actor = current_actor()
            identity.require_role(actor.role, ("trader",))
            caller = (actor, current_account())
        request.environ["market.order_caller"] = caller
        return view(*args, **kwargs)

    return wrapped


def order_caller() -> tuple[User | trading.BearerCaller, Account | None]:
    """Who calls a view under `order_command`, and the account they act for (None when the
    order writer authenticates them)."""
    return request.environ["market.order_caller"]
