"""The trader's home page: cash, lots, open orders, settlements waiting, this month's proceeds."""

from collections import Counter
from datetime import timedelta

from flask import render_template

from market.auth import page_user
from market.calendar import market_day, month_bounds
from market.services import identity, registry, settlement, trading
from market.web.blueprint import bp

SHOWN = 20


@bp.get("/trade")
def trader_home():
    """What a district seller or buyer needs to see first."""
    user = page_user()
    account = identity.get_account(user.account_id)
    lots = registry.search_lots(user, {"limit": 1000, "offset": 0})
    orders = trading.list_orders(account, {"status": "open", "limit": SHOWN, "offset": 0})
    pending = settlement.list_settlements(user, "pending_payment", SHOWN, 0)
    today = market_day()
    start, end = month_bounds(today.year, today.month)
    return render_template(
        "trader/home.html", account=account,
        lots_by_status=Counter(lot.status for lot in lots),
        orders=orders,
        to_pay=[s for s in pending if s.buyer_account_id == account.id],
        to_receive=[s for s in pending if s.seller_account_id == account.id],
        proceeds=settlement.proceeds_received(account.id, start, end + timedelta(0)),
        month=today.strftime("%Y-%m"))
