"""Trading accounts: creation, balances, bank movements, freezing."""


from market.api.document import Blueprint
from market.auth import current_account, current_actor, roles_required
from market.schemas.accounts import AccountCreateSchema, AccountQuerySchema, AccountSchema
from market.schemas.common import BankMovementSchema, ReasonSchema
from market.services import identity, supervision

bp = Blueprint("accounts", __name__, url_prefix="/accounts", description="Trading accounts")


@bp.post("")
@roles_required("admin")
@bp.arguments(AccountCreateSchema)
@bp.response(201, AccountSchema)
def create_account(data):
    """Open a trading account in a district."""
    return identity.create_account(current_actor(), data)


@bp.get("")
@roles_required("regulator", "admin")
@bp.arguments(AccountQuerySchema, location="query")
@bp.response(200, AccountSchema(many=True))
def list_accounts(query):
    """All accounts (regulators and admins)."""
    return identity.list_accounts(current_actor(), query.get("district_code"))


@bp.get("/me")
@roles_required("trader")
@bp.response(200, AccountSchema)
def my_account():
    """The caller's account, its district and CNY balances."""
    return current_account()


@bp.get("/<int:account_id>")
@bp.response(200, AccountSchema)
def get_account(account_id):
    """One account; traders may read only their own."""
    return identity.account_visible_to(current_actor(), account_id)


@bp.post("/<int:account_id>/deposits")
@roles_required("regulator")
@bp.arguments(BankMovementSchema)
@bp.response(201, AccountSchema)
def deposit(data, account_id):
    """Record a bank deposit into the account."""
    return identity.deposit_cash(current_actor(), account_id, data["amount"], data["reference"])


@bp.post("/<int:account_id>/withdrawals")
@roles_required("regulator")
@bp.arguments(BankMovementSchema)
@bp.response(201, AccountSchema)
def withdraw(data, account_id):
    """Record a bank withdrawal from the account."""
    return identity.withdraw_cash(current_actor(), account_id, data["amount"], data["reference"])


@bp.post("/<int:account_id>/freeze")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, AccountSchema)
def freeze(data, account_id):
    """Freeze an account: it can neither trade nor retire."""
    return supervision.set_account_frozen(current_actor(), account_id, True, data["reason"])


@bp.post("/<int:account_id>/unfreeze")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, AccountSchema)
def unfreeze(data, account_id):
    """Lift a freeze."""
    return supervision.set_account_frozen(current_actor(), account_id, False, data["reason"])
