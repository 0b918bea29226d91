"""Helpers for the pages: a browser-like client that logs in through the form."""

import re

import pytest

from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token a page's form carries."""
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


class Browser:
    """A test client used like a browser: reads each form's CSRF token before posting."""

    def __init__(self, client):
        self.client = client

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def submit(self, page: str, action: str, data: dict, **kwargs):
        """Open `page`, then post `data` to `action` with the token the page gave."""
        html = self.client.get(page).get_data(as_text=True)
        return self.client.post(action, data={**data, "csrf_token": csrf_token(html)}, **kwargs)

    def login(self, username: str, password: str = PASSWORD, next_path: str | None = None):
        """Log in through the form."""
        page = "/login" + (f"?next={next_path}" if next_path else "")
        return self.submit(page, page, {"username": username, "password": password})


@pytest.fixture
def browser(app, world):
    """A logged-out browser on a clean database (with the world's cast)."""
    return Browser(app.test_client())


@pytest.fixture
def regulator(browser):
    """A browser logged in as the regulator."""
    assert browser.login("regulator").status_code == 302
    return browser


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
