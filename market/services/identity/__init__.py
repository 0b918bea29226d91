"""Identity: trading accounts and their cash, users, credentials and bearer tokens."""

from market.services.identity.accounts import (
    account_visible_to,
    create_account,
    deposit_cash,
    get_account,
    list_accounts,
    withdraw_cash,
)
from market.services.identity.credentials import live_token
from market.services.identity.jurisdiction import (
    EVERYWHERE,
    Jurisdiction,
    jurisdiction_of,
    require_national,
)
from market.services.identity.users import (
    authenticate,
    create_user,
    issue_token,
    revoke_all_tokens,
    revoke_token,
)

__all__ = [
    "EVERYWHERE", "Jurisdiction", "account_visible_to", "authenticate", "create_account",
    "create_user", "deposit_cash", "get_account", "issue_token", "jurisdiction_of",
    "list_accounts", "live_token", "require_national", "revoke_all_tokens", "revoke_token",
    "withdraw_cash",
]
