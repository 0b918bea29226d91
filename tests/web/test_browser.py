"""In headless Chromium: a regulator logs in, sees a real price chart, halts an instrument,
and a trader's order on it is then refused.

Uses Debian's chromium (/usr/bin/chromium) through Playwright; browsers are never
downloaded. Without chromium the test skips locally and fails under CI.
"""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from market.extensions import db
from models import AuditEvent
from tests.web.conftest import trade_at

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PRICES = ["290000.00", "305000.00", "298000.00"]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless chromium, driven by Playwright."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium; scripts/test.sh does "
                     "it when run as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, world):
    """The app on 127.0.0.1 and a free port, in a thread, on the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_a_regulator_sees_the_chart_halts_and_the_trader_is_refused(
        chromium, live_server, world, tmp_path):
    _seller, buyer = trade_at(world, PRICES)
    page = chromium.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    scripts_failed = []
    page.on("pageerror", lambda error: scripts_failed.append(str(error)))

    # The desk sends an anonymous visitor to the login form, then back.
    page.goto(f"{live_server}/desk")
    assert "/login" in page.url
    page.fill("#username", "regulator")
    page.fill("#password", "correct-horse-battery")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/desk")
    assert page.locator("h1").inner_text() == "行情总览"

    # The FO-QTY chart is drawn by the vendored Chart.js from the trades just made.
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-FO-QTY')")
    points = page.evaluate("() => Chart.getChart('chart-FO-QTY').data.datasets[0].data")
    assert len(points) >= 2
    assert points == [float(price) for price in PRICES]
    painted = page.evaluate("""() => {
        const canvas = document.getElementById('chart-FO-QTY');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < pixels.data.length; i += 4) if (pixels.data[i] > 0) painted++;
        return painted;
    }""")
    assert painted > 500, "the chart canvas is blank"
    assert page.locator("#card-FO-QTY .last-price").inner_text() == "298,000.00"
    assert page.locator("#card-FO-PADDY canvas").count() == 0  # no trades, no chart
    screenshot = tmp_path / "overview.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"\noverview screenshot: {screenshot}")
    assert screenshot.stat().st_size > 10_000

    # Halt FO-QTY through the controls form.
    page.click("#card-FO-QTY footer a")
    page.wait_for_url(f"{live_server}/desk/instruments/FO-QTY")
    page.fill("#halt-form textarea", "价格异常波动，暂停交易核查")
    page.click("#halt-form button[type=submit]")
    page.wait_for_selector("text=已暂停 FO-QTY 的交易。")
    assert page.locator("#instrument-status").inner_text() == "已暂停"

    assert scripts_failed == []
    assert all(url.startswith(live_server) for url in requested), "a page loaded something " \
        "from another origin"

    # The trader's order on FO-QTY is now refused.
    db.session.rollback()
    refused = buyer.post("/api/v1/orders", json={
        "instrument": "FO-QTY", "side": "buy", "price": "300000.00", "quantity": "1",
        "client_order_id": "after-halt"})
    assert refused.status_code == 409, refused.json
    assert refused.json["error"]["code"] == "instrument_halted"
    halt = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "instrument.halt")).one()
    assert (halt.actor, halt.target_id) == ("regulator", "FO-QTY")
