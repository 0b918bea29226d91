"""The trader's market page: prices, depth, trades, the chart, why a crossed book waits, and
a bid that holds exactly the deposit it previewed."""

import json
import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from market.calendar import MARKET_TIME
from market.services import ledger
from models import Account, Lot, Order
from tests.web.conftest import csrf_token, trade_at

CHART = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)
CLIENT_ORDER_ID = re.compile(r'name="client_order_id" (?:type="hidden" )?value="([^"]+)"')
DEPOSIT = re.compile(r'id="deposit-preview">([^<]+)<')


def section(html: str, element_id: str) -> str:
    """One element of the page by its id, up to its closing tag (these never nest)."""
    start = html.index(f'id="{element_id}"')
    tag = html[html.rindex("<", 0, start) + 1:start].split()[0]
    return html[start:html.index(f"</{tag}>", start)]


def order(instrument, side, price, quantity, n, **extra):
    return {"instrument": instrument, "side": side, "price": price, "quantity": quantity,
            "client_order_id": f"{side}-{n}", **extra}


def held_cash(session, username_account: str) -> Decimal:
    session.expire_all()
    return session.scalar(select(Account.cash_held).where(Account.name == username_account))


def test_the_market_page_shows_prices_depth_trades_and_the_chart_data(browser, world):
    seller, buyer = trade_at(world, ["300000.00", "301000.00"])
    serial = world.lot(seller, quantity="10", grade=4)
    assert seller.post("/api/v1/orders", json=order(
        "FO-QTY", "sell", "305000.00", "2", 9, lot_serial=serial)).status_code == 201
    assert buyer.post("/api/v1/orders", json=order(
        "FO-QTY", "buy", "295000.00", "1.5", 9)).status_code == 201
    assert browser.login("xinwu").status_code == 302

    page = browser.get("/trade/market/FO-QTY")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "301,000.00" in section(html, "last-price")
    assert "300,000.00" in section(html, "guide-price")
    assert "305,000.00" in section(html, "asks") and "2.00" in section(html, "asks")
    assert "295,000.00" in section(html, "bids") and "1.50" in section(html, "bids")
    trades = section(html, "recent-trades")
    assert "301,000.00" in trades and "300,000.00" in trades
    chart = json.loads(CHART.search(html).group(1))
    assert chart[0]["code"] == "FO-QTY" and chart[0]["prices"] == ["300000.00", "301000.00"]
    assert chart[0]["guide"] == "300000.00"
    assert "<script>" not in html
    listing = browser.get("/trade/market").get_data(as_text=True)
    assert "/trade/market/LS" in listing and "301,000.00" in listing


def test_a_linkage_lot_in_its_county_window_is_explained_to_a_bid_from_another_county(
        browser, world, db_session):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, instrument="LS", quantity="5")
    assert seller.post("/api/v1/orders", json=order(
        "LS", "sell", "450000.00", "2", 1, lot_serial=serial)).status_code == 201
    assert buyer.post("/api/v1/orders", json=order(
        "LS", "buy", "460000.00", "1", 1)).status_code == 201
    verified = db_session.scalar(select(Lot.verified_at).where(Lot.serial == serial))
    until = verified.astimezone(MARKET_TIME) + timedelta(days=30)
    assert browser.login("xinwu").status_code == 302

    html = browser.get("/trade/market/LS").get_data(as_text=True)
    why = section(html, "crossing")
    assert "买卖价格相交却未成交的原因" in why
    assert "来自宜兴市的指标在 " + until.strftime("%Y-%m-%d %H:%M") in why
    assert "优先满足本县" in why and "新吴区的买入委托" in why
    assert "460,000.00" in why and "450,000.00" in why
    assert 'value="IOC"' not in section(html, "bid-form")
    auction = section(html, "auction")
    assert "下次集合竞价" in auction
    assert re.search(r'id="next-auction">\d{4}-\d\d-\d\d (10|15):00<', auction)


def test_a_bid_whose_grade_limit_excludes_the_offer_says_so(browser, world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="5", grade=5)
    assert seller.post("/api/v1/orders", json=order(
        "FO-QTY", "sell", "300000.00", "1", 1, lot_serial=serial)).status_code == 201
    assert buyer.post("/api/v1/orders", json=order(
        "FO-QTY", "buy", "310000.00", "1", 1, max_quality_grade=3)).status_code == 201
    assert browser.login("xinwu").status_code == 302
    why = section(browser.get("/trade/market/FO-QTY").get_data(as_text=True), "crossing")
    assert "只接受 3 等及以上" in why and "为 5 等" in why


def test_a_bid_from_the_page_holds_exactly_the_deposit_it_previewed(browser, world, db_session):
    world.trader("xinwu", "320214", cash="1000000")
    assert browser.login("xinwu").status_code == 302
    page = browser.get("/trade/market/ECO-WETLAND").get_data(as_text=True)
    assert "max_quality_grade" not in page  # no grade on an ecological product
    bid = {"price": "20010.00", "quantity": "3.37", "tif": "GTC",
           "client_order_id": CLIENT_ORDER_ID.search(page).group(1),
           "csrf_token": csrf_token(page)}
    preview = browser.post("/trade/market/ECO-WETLAND/bid", data={**bid, "action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    shown = Decimal(DEPOSIT.search(html).group(1).replace(",", ""))
    assert shown == ledger.hold_for(Decimal("0.3"), Decimal("20010.00"), Decimal("3.37"))
    assert held_cash(db_session, "xinwu account") == 0
    assert db_session.scalar(select(func.count(Order.id))) == 0

    placed = browser.post("/trade/market/ECO-WETLAND/bid", data={**bid, "action": "place"})
    assert placed.status_code == 302
    assert held_cash(db_session, "xinwu account") == shown
    assert db_session.scalar(select(Order.held)) == shown
    # The same form posted again replays the order rather than placing a second one.
    again = browser.post("/trade/market/ECO-WETLAND/bid", data={**bid, "action": "place"})
    assert again.status_code == 302
    assert db_session.scalar(select(func.count(Order.id))) == 1
    assert "已提交过" in browser.get("/trade/market/ECO-WETLAND").get_data(as_text=True)


def test_bad_bids_are_refused_in_chinese_and_change_nothing(browser, world, db_session):
    world.trader("xinwu", "320214", cash="100000")
    assert browser.login("xinwu").status_code == 302
    page = browser.get("/trade/market/FO-QTY").get_data(as_text=True)
    base = {"tif": "GTC", "client_order_id": CLIENT_ORDER_ID.search(page).group(1),
            "csrf_token": csrf_token(page), "action": "place"}
    cases = [
        ({"price": "abc", "quantity": "1"}, 422, "不是有效的数字"),
        ({"price": "300000.00", "quantity": "", "max_quality_grade": "20"}, 422, "请输入数量"),
        ({"price": "300000.00", "quantity": "1", "max_quality_grade": "20"}, 422,
         "等别为 1 至 15 的整数"),
        ({"price": "300000.00", "quantity": "1", "max_quality_grade": "abc"}, 422,
         "不是有效的整数"),
        ({"price": "300000.00", "quantity": "1", "tif": "XYZ"}, 422, "不是有效的选择"),
        ({"price": "500000.00", "quantity": "1"}, 422, "价格超出指导价上下的涨跌幅限制"),
        ({"price": "300000.00", "quantity": "2"}, 409, "可用资金不足"),
    ]
    for fields, status, text in cases:
        response = browser.post("/trade/market/FO-QTY/bid", data={**base, **fields})
        assert response.status_code == status, (fields, response.status_code)
        assert text in response.get_data(as_text=True), fields
    assert held_cash(db_session, "xinwu account") == 0
    assert db_session.scalar(select(func.count(Order.id))) == 0
    missing = browser.post("/trade/market/FO-QTY/bid", data={**base, "price": "1",
                                                             "quantity": "1", "csrf_token": ""})
    assert missing.status_code == 400


def test_an_unknown_instrument_is_a_404(browser, world):
    world.trader("xinwu", "320214")
    assert browser.login("xinwu").status_code == 302
    assert browser.get("/trade/market/NOPE").status_code == 404
