"""Identity: trading accounts and their cash, users, credentials, tokens and page sessions."""

from market.services.identity.accounts import (
    account_visible_to,
    cash_movements,
    create_account,
    deposit_cash,
    get_account,
    list_accounts,
    withdraw_cash,
)
from market.services.identity.credentials import is_live, live_token, token_digest
from market.services.identity.jurisdiction import (
    EVERYWHERE,
    Jurisdiction,
    jurisdiction_of,
    parties_visible_to,
    require_national,
)
from market.services.identity.login_failures import init_app as init_login_failures
from market.services.identity.roles import require_role, require_trading_account
from market.services.identity.sessions import (
    change_password,
    deactivate_user,
    log_out,
    session_user,
)
from market.services.identity.users import (
    authenticate,
    create_user,
    get_user,
    issue_token,
    revoke_all_tokens,
    revoke_token,
)

__all__ = [
    "EVERYWHERE", "Jurisdiction", "account_visible_to", "authenticate", "cash_movements",
    "change_password", "create_account", "create_user", "deactivate_user", "deposit_cash",
    "get_account", "get_user", "init_login_failures", "is_live", "issue_token", "jurisdiction_of",
    "list_accounts", "live_token", "log_out", "parties_visible_to", "require_national",
    "require_role", "require_trading_account", "revoke_all_tokens", "revoke_token",
    "session_user", "token_digest", "withdraw_cash",
]
