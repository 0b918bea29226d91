"""The JSON API under /api/v1: one blueprint per resource."""

from flask import Flask

from market.api import (
    accounts,
    allocations,
    audit,
    auth,
    certificates,
    compliance,
    districts,
    docs,
    history,
    instruments,
    listings,
    lots,
    market_data,
    negotiated,
    obligations,
    order_bodies,
    orders,
    payouts,
    pledges,
    procurements,
    reports,
    settlements,
    statements,
    surveillance,
    users,
)
from market.api.document import api
from market.services import trading

BLUEPRINTS = [auth.bp, districts.bp, accounts.bp, users.bp, instruments.bp, lots.bp, orders.bp,
              settlements.bp, market_data.bp, history.bp, audit.bp, surveillance.bp, reports.bp,
              certificates.bp, statements.bp,
              negotiated.bp, listings.bp, procurements.bp,
              obligations.bp, allocations.bp, compliance.bp, payouts.bp, pledges.bp]


def register(app: Flask) -> None:
    """Mount every API blueprint and the locally served API docs."""
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")
    app.register_blueprint(docs.bp)
    # The order writer answers the order endpoints with their own bodies (order_bodies).
    trading.register_bodies(app, order_bodies.BODIES)
