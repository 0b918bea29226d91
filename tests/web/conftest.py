"""Helpers for the pages: a browser-like client that logs in through the form."""

import re

import pytest
from sqlalchemy import select

from models import Instrument
from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token a page's form carries."""
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


class Browser:
    """A test client used like a browser: reads each form's CSRF token before posting.

    Each request gets its own app context, as under a real server: the fixtures hold one open,
    and flask-login and Flask-WTF cache the user and the CSRF token on its `g`, which would
    otherwise leak from one request (and one client) to the next.
    """

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def open(self, path, method="GET", **kwargs):
        with self.app.app_context():
            return self.client.open(path, method=method, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, method="POST", **kwargs)

    def submit(self, page: str, action: str, data: dict, **kwargs):
        """Open `page`, then post `data` to `action` with the token the page gave."""
        html = self.get(page).get_data(as_text=True)
        return self.post(action, data={**data, "csrf_token": csrf_token(html)}, **kwargs)

    def login(self, username: str, password: str = PASSWORD, next_path: str | None = None):
        """Log in through the form."""
        page = "/login" + (f"?next={next_path}" if next_path else "")
        return self.submit(page, page, {"username": username, "password": password})


@pytest.fixture
def browser(app, world):
    """A logged-out browser on a clean database (with the world's cast)."""
    return Browser(app)


@pytest.fixture
def regulator(browser):
    """A browser logged in as the regulator."""
    assert browser.login("regulator").status_code == 302
    return browser


def instrument_status(session, code: str) -> str:
    """The instrument's status as committed (the pages write in their own sessions)."""
    session.expire_all()
    return session.scalar(select(Instrument.status).where(Instrument.code == code))


def trade_at(world, prices: list[str], instrument: str = "FO-QTY"):
    """A seller and a buyer who trade one unit at each price, in order; (seller, buyer)."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, instrument=instrument, quantity="50", grade=4)
    for n, price in enumerate(prices):
        order = {"instrument": instrument, "price": price, "quantity": "1"}
        sold = seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                                   "client_order_id": f"s-{n}"})
        assert sold.status_code == 201, sold.json
        bought = buyer.post("/api/v1/orders", json={**order, "side": "buy",
                                                    "client_order_id": f"b-{n}"})
        assert bought.status_code == 201 and bought.json["fills"], bought.json
    return seller, buyer
