"""Regulators see and act only within their district's subtree; outside it everything is 404.

Wuxi (320200) and Ningbo (330200) each trade internally, and a Ningbo lot is sold across to a
buyer in Jiaxing (330400), which Ningbo's regulator oversees as the seller's side. Jiangsu's
provincial regulator sees Wuxi's; a national regulator sees everything.
"""

import pytest

from market.calendar import market_day
from market.extensions import db
from market.services import identity
from models import Account, Lot, Settlement

PRICE = "340000.00"  # 13 % above the guide: every trade is a guide_deviation alert


def _regulator(world, username, district_code):
    user = identity.create_user(world.admin_user, {
        "username": username, "password": "correct-horse-battery", "role": "regulator",
        "district_code": district_code})
    return world.caller(user)


def _trade(seller, serial, buyer, cid):
    order = {"instrument": "FO-QTY", "price": PRICE, "quantity": "1"}
    sold = seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                               "client_order_id": f"s-{cid}"})
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy",
                                                "client_order_id": f"b-{cid}"})
    assert sold.status_code == 201 and bought.json["fills"], bought.json
    return bought.json["fills"][0]["id"]


@pytest.fixture
def regions(world):
    yixing = world.trader("yixing", "320282")
    xinwu = world.trader("xinwu", "320214", cash="10000000")
    xiangshan = world.trader("xiangshan", "330225")
    yinzhou = world.trader("yinzhou", "330212", cash="10000000")
    nanhu = world.trader("nanhu", "330402", cash="10000000")
    wuxi_lot = world.lot(yixing, quantity="10")
    ningbo_lot = world.lot(xiangshan, quantity="10")
    pending = world.lot(xiangshan, quantity="3", verify=False)
    trades = {"wuxi": _trade(yixing, wuxi_lot, xinwu, 1),
              "ningbo": _trade(xiangshan, ningbo_lot, yinzhou, 2),
              "across": _trade(xiangshan, ningbo_lot, nanhu, 3)}
    settlements = {name: db.session.scalar(
        db.select(Settlement.id).where(Settlement.trade_id == trade))
        for name, trade in trades.items()}
    return {
        "world": world, "traders": (yixing, xinwu, xiangshan, yinzhou, nanhu),
        "lots": {"wuxi": wuxi_lot, "ningbo": ningbo_lot, "pending": pending},
        "accounts": {"wuxi": yixing.user.account_id, "ningbo": xiangshan.user.account_id},
        "trades": trades, "settlements": settlements,
        "wuxi": _regulator(world, "wuxi-reg", "320200"),
        "ningbo": _regulator(world, "ningbo-reg", "330200"),
        "jiangsu": _regulator(world, "jiangsu-reg", "320000"),
        "national": world.regulator,
    }


def test_a_regulator_is_created_with_a_jurisdiction_and_it_shows(world):
    created = world.admin.post("/api/v1/users", json={
        "username": "suzhou-reg", "password": "correct-horse-battery", "role": "regulator",
        "district_code": "320000"})
    assert created.status_code == 201, created.json
    assert created.json["district_code"] == "320000"
    for bad, field in ((dict(role="regulator", district_code="320281001"), "district_code"),
                       (dict(role="admin", district_code="320200"), "district_code"),
                       (dict(role="regulator", district_code="999999"), "district_code")):
        refused = world.admin.post("/api/v1/users", json={
            "username": "bad-reg", "password": "correct-horse-battery", **bad})
        assert refused.status_code == 422, refused.json
        assert field in refused.json["error"]["fields"]


def test_lots_outside_the_jurisdiction_are_404_and_left_alone(regions):
    wuxi, lots = regions["wuxi"], regions["lots"]
    assert wuxi.get(f"/api/v1/lots/{lots['wuxi']}").status_code == 200
    assert wuxi.get(f"/api/v1/lots/{lots['ningbo']}").status_code == 404
    listed = {lot["serial"] for lot in wuxi.get("/api/v1/lots?limit=1000").json}
    assert lots["wuxi"] in listed and lots["ningbo"] not in listed
    for action in ("verify", "reject", "freeze", "revoke"):
        target = lots["pending"] if action in ("verify", "reject") else lots["ningbo"]
        body = {} if action == "verify" else {"reason": "not mine"}
        assert wuxi.post(f"/api/v1/lots/{target}/{action}", json=body).status_code == 404
    db.session.expire_all()
    assert db.session.scalar(db.select(Lot.status).where(Lot.serial == lots["pending"])) \
        == "pending"
    assert regions["ningbo"].post(f"/api/v1/lots/{lots['pending']}/verify").status_code == 200


def test_accounts_outside_are_404_and_their_cash_does_not_move(regions):
    wuxi, accounts = regions["wuxi"], regions["accounts"]
    assert wuxi.get(f"/api/v1/accounts/{accounts['wuxi']}").status_code == 200
    assert wuxi.get(f"/api/v1/accounts/{accounts['ningbo']}").status_code == 404
    before = db.session.get(Account, accounts["ningbo"]).cash_available
    money = {"amount": "100.00", "reference": "BANK-1"}
    assert wuxi.post(f"/api/v1/accounts/{accounts['ningbo']}/deposits",
                     json=money).status_code == 404
    assert wuxi.post(f"/api/v1/accounts/{accounts['ningbo']}/freeze",
                     json={"reason": "x"}).status_code == 404
    db.session.expire_all()
    ningbo_account = db.session.get(Account, accounts["ningbo"])
    assert ningbo_account.cash_available == before and not ningbo_account.frozen
    names = {row["id"] for row in wuxi.get("/api/v1/accounts").json}
    assert accounts["wuxi"] in names and accounts["ningbo"] not in names


def test_settlements_and_trades_are_seen_where_a_party_sits(regions):
    ids = regions["settlements"]
    for who, sees in (("wuxi", {"wuxi"}), ("ningbo", {"ningbo", "across"}),
                      ("jiangsu", {"wuxi"}),
                      ("national", {"wuxi", "ningbo", "across"})):
        caller = regions[who]
        listed = {row["id"] for row in caller.get("/api/v1/settlements?limit=100").json}
        assert listed == {ids[name] for name in sees}, who
        for name, settlement_id in ids.items():
            status = caller.get(f"/api/v1/settlements/{settlement_id}").status_code
            assert status == (200 if name in sees else 404), (who, name)
        trades = {row["id"] for row in caller.get("/api/v1/trades?limit=100").json}
        assert trades == {regions["trades"][name] for name in sees}, who
        for name, trade_id in regions["trades"].items():
            status = caller.get(f"/api/v1/trades/{trade_id}").status_code
            assert status == (200 if name in sees else 404), (who, name)


def test_settlement_acts_outside_are_404_and_change_nothing(regions):
    wuxi, ningbo_settlement = regions["wuxi"], regions["settlements"]["ningbo"]
    deposit = db.session.get(Settlement, ningbo_settlement).paid
    paid = wuxi.post(f"/api/v1/settlements/{ningbo_settlement}/payments",
                     json={"amount": "1.00", "reference": "BANK-2"})
    cancelled = wuxi.post(f"/api/v1/settlements/{ningbo_settlement}/cancel",
                          json={"reason": "not mine"})
    assert (paid.status_code, cancelled.status_code) == (404, 404)
    db.session.expire_all()
    settlement = db.session.get(Settlement, ningbo_settlement)
    assert settlement.status == "pending_payment" and settlement.paid == deposit


def test_reports_and_flows_are_scoped(regions):
    wuxi, jiangsu = regions["wuxi"], regions["jiangsu"]
    period = "period=" + market_day().strftime("%Y-%m")
    assert wuxi.get(f"/api/v1/reports/monthly?city=320200&{period}").status_code == 200
    assert wuxi.get(f"/api/v1/reports/monthly?city=330200&{period}").status_code == 404
    assert jiangsu.get(f"/api/v1/reports/monthly?city=320200&{period}").status_code == 200
    assert jiangsu.get(f"/api/v1/reports/monthly?city=330200&{period}").status_code == 404
    national = regions["national"].get("/api/v1/reports/flows").json["rows"]
    scoped = wuxi.get("/api/v1/reports/flows").json["rows"]
    pairs = {(row["seller_district_code"], row["buyer_district_code"]) for row in scoped}
    assert pairs == {("320282", "320214")}
    assert len(national) == 3


def test_alerts_and_the_settlement_monitor_are_scoped(regions):
    world = regions["world"]
    assert world.regulator.post("/api/v1/surveillance/detect").status_code == 200
    everything = world.regulator.get("/api/v1/surveillance/alerts?limit=1000").json
    wuxi_alerts = regions["wuxi"].get("/api/v1/surveillance/alerts?limit=1000").json
    assert 0 < len(wuxi_alerts) < len(everything)
    for alert in wuxi_alerts:
        assert any(a["district_code"].startswith("3202") for a in alert["accounts"])
    outside = [a for a in everything if a["id"] not in {w["id"] for w in wuxi_alerts}]
    assert regions["wuxi"].get(f"/api/v1/surveillance/alerts/{outside[0]['id']}") \
        .status_code == 404
    review = regions["wuxi"].post(f"/api/v1/surveillance/alerts/{outside[0]['id']}/review",
                                  json={"status": "dismissed", "note": "not mine"})
    assert review.status_code == 404
    monitor = regions["wuxi"].get("/api/v1/surveillance/settlements").json
    ids = {row["id"] for rows in monitor["rows"].values() for row in rows}
    assert ids == {regions["settlements"]["wuxi"]}


def test_the_pages_are_scoped_too(app, regions):
    from tests.web.conftest import Browser

    browser = Browser(app)
    assert browser.login("wuxi-reg", "correct-horse-battery").status_code == 302
    page = browser.get("/desk/settlements").get_data(as_text=True)
    assert "xinwu account" in page  # Wuxi's own trade
    assert "yinzhou account" not in page and "nanhu account" not in page  # Ningbo's business
    own = browser.get("/desk/reports?city=320200&kind=monthly&period=2026-11")
    other = browser.get("/desk/reports?city=330200&kind=monthly&period=2026-11")
    assert "宁波市" not in other.get_data(as_text=True).split("</form>")[-1]
    assert "无锡市" in own.get_data(as_text=True).split("</form>")[-1]


def test_the_audit_log_spans_every_district_so_only_national_roles_read_it(app, regions):
    from tests.web.conftest import Browser

    assert regions["wuxi"].get("/api/v1/audit").status_code == 403
    assert regions["national"].get("/api/v1/audit").status_code == 200
    assert regions["wuxi"].get("/api/v1/audit/verify").status_code == 200  # counts only
    browser = Browser(app)
    browser.login("wuxi-reg", "correct-horse-battery")
    assert browser.get("/desk/audit").status_code == 403
    # Nor is it offered: the menu and the instrument page leave the audit log out.
    page = browser.get("/desk/instruments/FO-QTY").get_data(as_text=True)
    assert "/desk/audit" not in page
    national = Browser(app)
    national.login("regulator", "correct-horse-battery")
    assert "/desk/audit" in national.get("/desk/instruments/FO-QTY").get_data(as_text=True)
