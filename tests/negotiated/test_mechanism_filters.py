"""Every mechanism everywhere: trade lists, candles, exports, flows and reports filter by it."""

from market.calendar import market_day
from tests.negotiated.conftest import propose

BASE = "/api/v1/negotiated-transfers"


def one_of_each(cast):
    """A continuous FO-QTY trade at 300,000 and a negotiated one at 330,000, 宜兴 → 新吴."""
    serial = cast.world.lot(cast.yixing, quantity="10")
    order = {"instrument": "FO-QTY", "price": "300000.00", "quantity": "1"}
    cast.yixing.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                             "client_order_id": "s"})
    cast.xinwu.post("/api/v1/orders", json={**order, "side": "buy", "client_order_id": "b"})
    tid = propose(cast.yixing, serial, cast.xinwu, "2", "330000.00").json["id"]
    cast.xinwu.post(f"{BASE}/{tid}/accept")
    assert cast.wuxi.post(f"{BASE}/{tid}/approve").json["status"] == "approved"


def test_trade_lists_hold_every_mechanism_and_filter_by_one(cast):
    one_of_each(cast)
    market = cast.xinwu.get("/api/v1/instruments/FO-QTY/trades").json
    assert [t["mechanism"] for t in market] == ["negotiated", "continuous"]
    only = cast.xinwu.get("/api/v1/instruments/FO-QTY/trades?mechanism=negotiated").json
    assert [(t["mechanism"], t["price"]) for t in only] == [("negotiated", "330000.00")]
    mine = cast.xinwu.get("/api/v1/trades?mechanism=continuous").json
    assert [(t["mechanism"], t["buy_order_id"] is not None) for t in mine] == [
        ("continuous", True)]
    negotiated = cast.xinwu.get("/api/v1/trades?mechanism=negotiated").json
    assert [(t["buy_order_id"], t["sell_order_id"]) for t in negotiated] == [(None, None)]
    assert cast.xinwu.get("/api/v1/trades?mechanism=barter").status_code == 422


def test_candles_count_every_mechanism_unless_one_is_asked_for(cast):
    one_of_each(cast)
    today = market_day().isoformat()
    path = f"/api/v1/instruments/FO-QTY/candles?from={today}&to={today}"
    [every] = cast.xinwu.get(path).json["candles"]
    assert (every["trades"], every["volume"], every["high"]) == (2, "3.0000", "330000.00")
    body = cast.xinwu.get(path + "&mechanism=continuous").json
    assert body["mechanism"] == "continuous"
    [book] = body["candles"]
    assert (book["trades"], book["high"]) == (1, "300000.00")
    assert cast.xinwu.get(path + "&mechanism=listing").json["candles"] == []
    assert cast.xinwu.get(path + "&mechanism=x").status_code == 422
    export = cast.xinwu.get(f"/api/v1/instruments/FO-QTY/trades/export?from={today}"
                            f"&to={today}&mechanism=negotiated").get_data(as_text=True)
    assert export.count("协议转让") == 1 and "连续竞价" not in export


def test_flows_and_reports_include_and_split_every_mechanism(cast):
    one_of_each(cast)
    flows = cast.wuxi.get("/api/v1/reports/flows").json
    assert sum(row["pending_trades"] for row in flows["rows"]) == 2
    only = cast.wuxi.get("/api/v1/reports/flows?mechanism=negotiated").json
    assert (only["mechanism"], [row["pending_amount"] for row in only["rows"]]) == (
        "negotiated", ["660000.00"])
    period = market_day().strftime("%Y-%m")
    report = cast.wuxi.get(f"/api/v1/reports/monthly?city=320200&period={period}").json
    split = {line["mechanism"]: (line["trades"], line["turnover"])
             for line in report["mechanisms"]}
    assert split["continuous"] == (1, "300000.00") and split["negotiated"] == (2 - 1, "660000.00")
    assert split["listing"] == (0, "0.00")
    narrowed = cast.wuxi.get(f"/api/v1/reports/monthly?city=320200&period={period}"
                             "&mechanism=negotiated").json
    assert (narrowed["mechanism"], narrowed["totals"]["trades"]) == ("negotiated", 1)


def test_the_report_and_flow_pages_split_and_filter_by_mechanism(app, cast):
    from tests.web.conftest import Browser

    one_of_each(cast)
    browser = Browser(app)
    assert browser.login("wuxi").status_code == 302
    period = market_day().strftime("%Y-%m")
    page = browser.get(f"/desk/reports?city=320200&kind=monthly&period={period}").get_data(
        as_text=True)
    assert 'id="report-mechanisms"' in page and "协议转让" in page and "连续竞价" in page
    narrowed = browser.get(f"/desk/reports?city=320200&kind=monthly&period={period}"
                           "&mechanism=negotiated").get_data(as_text=True)
    assert "仅协议转让" in narrowed
    flows = browser.get("/desk/flows?mechanism=negotiated").get_data(as_text=True)
    assert "660,000.00" in flows and "全部成交方式" in flows
