"""In headless Chromium: a buyer's listing page shows a rival's higher bid and the extended
close without being reloaded (static/listings.js polls the page's live figures)."""

from datetime import timedelta

from market.web.filters import local_time
from tests.listings.conftest import T0, listing_body
from tests.web.test_browser import chromium, live_server  # noqa: F401 - fixtures


def test_the_live_panel_follows_bids_without_a_reload(chromium, live_server, cast,  # noqa: F811
                                                      clock):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(serial)).json["id"]
    for caller in (buyer, rival):
        assert caller.post(f"/api/v1/listings/{lid}/registrations").status_code == 201
    clock.at(61)
    assert buyer.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "300000.00"}).status_code == 201

    page = chromium.new_page(locale="zh-CN")
    scripts_failed = []
    page.on("pageerror", lambda error: scripts_failed.append(str(error)))
    page.goto(f"{live_server}/login?next=/trade/listings/{lid}")
    page.fill("#username", "xinwu")
    page.fill("#password", "correct-horse-battery")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/trade/listings/{lid}")
    best = page.locator('#live [data-field="best_price"]')
    assert best.inner_text() == "300,000.00"

    clock.at(118)  # a late bid: the close moves to five minutes after it
    assert rival.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "301000.00"}).status_code == 201
    page.wait_for_function(
        """() => document.querySelector('#live [data-field="best_price"]').textContent
                 === '301,000.00'""", timeout=15_000)
    # The extended close, in Beijing time, as the page prints it.
    assert page.locator('#live [data-field="closes_at"]').inner_text() == \
        local_time(T0 + timedelta(minutes=123))
    assert page.locator('#live [data-field="bid_count"]').inner_text() == "2"
    assert scripts_failed == []
