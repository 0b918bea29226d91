"""Users: created, deactivated and given new passwords by an admin; tokens revoked by one."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.accounts import PasswordSchema, UserCreateSchema, UserSchema
from market.schemas.common import ReasonSchema
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


@bp.post("/<int:user_id>/deactivate")
@roles_required("admin")
@bp.arguments(ReasonSchema)
@bp.response(200, UserSchema)
def deactivate(data, user_id):
    """Stop a user from logging in; their page sessions and tokens end at once."""
    return identity.deactivate_user(current_actor(), user_id, data["reason"])


@bp.put("/<int:user_id>/password")
@roles_required("admin")
@bp.arguments(PasswordSchema)
@bp.response(200, UserSchema)
def set_password(data, user_id):
    """Set a user's password; their page sessions and tokens end."""
    return identity.change_password(current_actor(), user_id, data["password"])
