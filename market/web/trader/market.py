"""A market page per instrument: prices, depth, trades, the chart, and a bid with its deposit."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import catalogue, history, identity, ledger, trading
from market.web.access import refused
from market.web.blueprint import bp
from market.web.charts import price_series
from market.web.filters import money, quantity
from market.web.trader.forms import BidForm, new_client_order_id

LEVELS = 10
TRADES = 20


@bp.get("/trade/market")
def market_list():
    """Every instrument with its last price, change and guide price."""
    instruments = catalogue.list_instruments()
    return render_template("trader/markets.html", rows=[
        (instrument, history.stats(instrument.code)) for instrument in instruments])


@bp.get("/trade/market/<code>")
def market(code):
    """One instrument's market, and an empty bid form."""
    return _page(code)


@bp.post("/trade/market/<code>/bid")
def place_bid(code):
    """Preview a bid's deposit, or place it; a refusal leaves everything as it was."""
    instrument = catalogue.instrument_by_code(code)
    form = BidForm()
    if not form.validate_on_submit():
        return _page(code, form=form), 422
    deposit = ledger.hold_for(instrument.deposit_ratio, form.price.data, form.quantity.data)
    if request.form.get("action") != "place":
        return _page(code, form=form, preview=deposit)
    user = page_user()
    try:
        result = trading.place_order(user, identity.get_account(user.account_id),
                                     form.order(code, instrument.has_quality_grade))
    except DomainError as error:
        return _page(code, form=form, preview=deposit, error=refused(error)), error.status
    order = result.order
    if result.replayed:
        flash(_("This bid was already placed (order %(id)s).", id=order.id), "success")
    else:
        flash(_("Bid placed (order %(id)s): %(filled)s filled, %(open)s open; "
                "deposit held %(deposit)s yuan.", id=order.id, filled=quantity(order.filled),
                open=quantity(order.remaining), deposit=money(deposit)), "success")
    return redirect(url_for("web.market", code=code))


def _page(code: str, form: BidForm | None = None, preview=None, error: str | None = None):
    instrument = catalogue.instrument_by_code(code)
    if form is None:
        form = BidForm(formdata=None, client_order_id=new_client_order_id())
    auction = None
    if instrument.trading_mode == "call_auction":
        # A call auction takes no IOC or FOK (the engine refuses them): offer only GTC.
        form.tif.choices = [choice for choice in form.tif.choices if choice.value == "GTC"]
        auction = {"indicative": trading.indicative(instrument),
                   "next": trading.next_auction(instrument)}
    return render_template(
        "trader/market.html", instrument=instrument, stats=history.stats(code),
        depth=trading.depth(instrument, LEVELS),
        trades=trading.recent_trades(instrument, TRADES), chart=[price_series(instrument)],
        crossing=trading.explain_crossing(instrument), auction=auction,
        account=identity.get_account(page_user().account_id), form=form, preview=preview,
        error=error)
