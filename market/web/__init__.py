"""Server-rendered pages for regulators, traders and admins: session login, CSRF forms."""

from flask import Flask

from market.errors import PAGE_REFUSAL

# Each module attaches its views to the blueprint when imported.
from market.web import (  # noqa: F401
    access,
    accounts,
    audit,
    auth,
    catalogue_pages,
    certificates,
    controls,
    desk_listings,
    desk_lots,
    desk_money_back,
    filters,
    landing,
    negotiated,
    overview,
    quotas,
    reports,
    settlements,
    surveillance,
    thresholds,
)
from market.web.admin import home as admin_home  # noqa: F401
from market.web.blueprint import bp
from market.web.messages import error_text
from market.web.trader import holdings as trader_holdings  # noqa: F401
from market.web.trader import home as trader_home  # noqa: F401
from market.web.trader import listings as trader_listings  # noqa: F401
from market.web.trader import lots as trader_lots  # noqa: F401
from market.web.trader import market as trader_market  # noqa: F401
from market.web.trader import money_back as trader_money_back  # noqa: F401
from market.web.trader import obligations as trader_obligations  # noqa: F401
from market.web.trader import orders as trader_orders  # noqa: F401
from market.web.trader import settlements as trader_settlements  # noqa: F401
from market.web.trader import statement as trader_statement  # noqa: F401


def register(app: Flask) -> None:
    """Mount the pages, and tell the error map how pages explain a refusal."""
    app.register_blueprint(bp)
    app.extensions[PAGE_REFUSAL] = error_text
