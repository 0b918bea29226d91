"""Bearer tokens: log in, log out."""

from flask import request

from market.api.document import Blueprint
from market.auth import current_actor, request_token
from market.observability import note_user
from market.schemas.accounts import TokenRequestSchema, TokenSchema, UserSchema
from market.services import identity

bp = Blueprint("auth", __name__, url_prefix="/auth", description="Log in for a bearer token")


@bp.post("/token")
@bp.arguments(TokenRequestSchema)
@bp.response(201, TokenSchema)
def create_token(credentials):
    """Exchange a user name and password for a bearer token (429 after too many failures)."""
    raw, token = identity.issue_token(credentials["username"], credentials["password"],
                                   request.remote_addr)
    note_user(token.user_id)
    # A bearer token is a password for its lifetime: no cache or proxy may keep a copy.
    return ({"token": raw, "expires_at": token.expires_at, "user": token.user},
            {"Cache-Control": "no-store", "Pragma": "no-cache"})


@bp.delete("/token")
@bp.response(204)
def revoke_token():
    """Revoke the bearer token this request carries."""
    identity.revoke_token(current_actor(), request_token())


@bp.get("/me")
@bp.response(200, UserSchema)
def me():
    """Who the credentials belong to."""
    return current_actor()
