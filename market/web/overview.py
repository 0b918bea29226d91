"""The regulator's overview: one card per instrument with its price chart."""

from flask import render_template

from market.services import instruments
from market.web import bp
from market.web.charts import POINTS, price_series


@bp.get("/desk")
def overview():
    """Status, last and guide price, and a chart of recent trade prices per instrument."""
    cards = [(instrument, price_series(instrument))
             for instrument in instruments.list_instruments()]
    charts = [{key: series[key] for key in ("code", "labels", "prices", "guide")}
              for _instrument, series in cards]
    return render_template("overview.html", cards=cards, charts=charts, points=POINTS)
