"""The regulator's overview: one card per instrument with its price chart."""

from flask import render_template

from market.services import catalogue, history
from market.web.blueprint import bp
from market.web.charts import DAYS, TRADES, price_series


@bp.get("/desk")
def overview():
    """Status, last price and its change, guide price, and a price chart per instrument."""
    cards = [(instrument, history.stats(instrument.code), price_series(instrument))
             for instrument in catalogue.list_instruments()]
    return render_template("overview.html", cards=cards, days=DAYS, trades=TRADES,
                           charts=[series for _instrument, _stats, series in cards])
