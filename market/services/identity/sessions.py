"""Page sessions end on the server: logout, deactivation and a new password end them all.

A page session is signed by the app but kept by the browser, so deleting it at logout cannot
stop a copy of the cookie. Each session therefore carries its user's `session_epoch`
(`User.get_id`) and the session loader accepts it only while the epoch is unchanged: raising
the epoch ends every session of the user made before, on every device.
"""

from flask_babel import lazy_gettext

from market.errors import DomainError
from market.extensions import db
from market.services import audit
from market.services.identity.credentials import hash_password, revoke_live_tokens
from market.services.identity.users import get_user
from market.services.transaction import use_case
from models import User


def end_sessions(user: User) -> None:
    """End every page session of the user made before now (a part)."""
    # In SQL, so two concurrent ends cannot both write the same new epoch.
    user.session_epoch = User.session_epoch + 1
    db.session.flush()


def session_user(session_id: str) -> User | None:
    """The active user a page session id ("<user id>:<epoch>") still belongs to, if any."""
    user_id, _, epoch = session_id.partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None  # includes ids from before epochs existed: those sessions are over
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user


@use_case
def log_out(user: User, via: str = "page") -> None:
    """Log the user out everywhere: every page session of theirs ends."""
    end_sessions(user)
    audit.record(user, "auth.logout", "user", user.id, {"via": via})


@use_case
def deactivate_user(actor: User, user_id: int, reason: str) -> User:
    """Stop a user from logging in; their page sessions and tokens end at once."""
    user = get_user(user_id)
    if user.id == actor.id:
        raise DomainError("cannot_deactivate_self",
                          lazy_gettext("an admin cannot deactivate themselves"))
    user.active = False
    end_sessions(user)
    revoked = revoke_live_tokens(user.id)
    audit.record(actor, "user.deactivate", "user", user.id,
                 {"reason": reason, "tokens_revoked": revoked})
    return user


@use_case
def change_password(actor: User, user_id: int, password: str) -> User:
    """Set a user's password; every page session and token made before ends."""
    user = get_user(user_id)
    user.password_hash = hash_password(password)
    end_sessions(user)
    revoked = revoke_live_tokens(user.id)
    # Never the password or its hash: the audit log is readable by every regulator.
    audit.record(actor, "user.password_change", "user", user.id, {"tokens_revoked": revoked})
    return user
