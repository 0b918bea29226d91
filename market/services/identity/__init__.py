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
from market.services.identity.users import (
    authenticate,
    create_user,
    issue_token,
    revoke_all_tokens,
    revoke_token,
)

__all__ = [
    "account_visible_to", "authenticate", "create_account", "create_user", "deposit_cash",
    "get_account", "issue_token", "list_accounts", "live_token", "revoke_all_tokens",
    "revoke_token", "withdraw_cash",
]
