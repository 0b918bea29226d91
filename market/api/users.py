"""Users: created by an admin; tokens revoked by an admin."""

from flask_smorest import Blueprint

from market.auth import current_actor, roles_required
from market.schemas.accounts import UserCreateSchema, UserSchema
from market.services import identity

bp = Blueprint("users", __name__, url_prefix="/users", description="Users and roles")


@bp.post("")
@roles_required("admin")
@bp.arguments(UserCreateSchema)
@bp.response(201, UserSchema)
def create_user(data):
    """Create a user with a role (traders name their account)."""
    return identity.create_user(current_actor(), data)


@bp.post("/<int:user_id>/revoke-tokens")
@roles_required("admin")
@bp.response(200)
def revoke_tokens(user_id):
    """Revoke every live token of a user."""
    return {"revoked": identity.revoke_all_tokens(current_actor(), user_id)}
