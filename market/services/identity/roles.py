"""What a caller may do by role: the checks a request's decorators and the order writer share."""

from flask_babel import lazy_gettext

from market.errors import Forbidden
from market.vocabulary import ROLE
from models import Account


def require_role(role: str, roles: tuple[str, ...]) -> None:
    """403 unless `role` is one of `roles` (the message names the roles that may)."""
    if role not in roles:
        raise Forbidden(lazy_gettext("this needs the role %(roles)s",
                                     roles=" / ".join(str(ROLE.get(name, name))
                                                      for name in roles)))


def require_trading_account(account: Account | None) -> Account:
    """The account a trader acts for; 403 for a user who acts for none."""
    if account is None:
        raise Forbidden(lazy_gettext("this action needs a trading account"))
    return account
