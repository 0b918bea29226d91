"""Negotiated transfers on the pages: propose, accept, approve on both sides, reject."""

from sqlalchemy import select

from models import NegotiatedTransfer, Trade
from tests.negotiated.conftest import propose
from tests.web.conftest import Browser


def logged_in(app, username):
    browser = Browser(app)
    assert browser.login(username).status_code == 302
    return browser


def transfer(session, transfer_id) -> NegotiatedTransfer:
    session.expire_all()
    return session.get(NegotiatedTransfer, transfer_id)


def test_a_cross_province_transfer_runs_end_to_end_on_the_pages(app, cast, db_session):
    serial = cast.world.lot(cast.xiangshan, quantity="10")
    seller = logged_in(app, "xiangshan")
    page = seller.get("/trade/negotiated").get_data(as_text=True)
    assert "协议转让" in page and serial in page and 'id="propose-form"' in page
    made = seller.submit("/trade/negotiated", "/trade/negotiated", {
        "lot_serial": serial, "buyer_account_id": str(cast.xinwu.user.account_id),
        "quantity": "2", "price": "300000.00"})
    assert made.status_code == 302, made.get_data(as_text=True)
    [tid] = db_session.scalars(select(NegotiatedTransfer.id)).all()
    assert "待受让方确认" in seller.get("/trade/negotiated").get_data(as_text=True)

    buyer = logged_in(app, "xinwu")
    assert f'id="transfer-{tid}"' in buyer.get("/trade/negotiated").get_data(as_text=True)
    accepted = buyer.submit("/trade/negotiated", f"/trade/negotiated/{tid}/accept", {})
    assert accepted.status_code == 302
    assert transfer(db_session, tid).status == "accepted"

    jiangsu = logged_in(app, "jiangsu")
    desk = jiangsu.get("/desk/negotiated").get_data(as_text=True)
    assert 'id="awaiting"' in desk and f'id="transfer-{tid}"' in desk and "跨省域" in desk
    assert jiangsu.submit("/desk/negotiated", f"/desk/negotiated/{tid}/approve",
                          {}).status_code == 302
    assert transfer(db_session, tid).status == "accepted"
    ningbo = logged_in(app, "ningbo")
    assert ningbo.submit("/desk/negotiated", f"/desk/negotiated/{tid}/approve",
                         {}).status_code == 302
    assert transfer(db_session, tid).status == "approved"
    trade = db_session.scalar(select(Trade))
    assert trade.mechanism == "negotiated"
    # the buyer's trade list names the mechanism in Chinese
    assert "协议转让" in buyer.get("/trade/orders").get_data(as_text=True)
    assert "已审核通过" in buyer.get("/trade/negotiated").get_data(as_text=True)


def test_a_regulator_rejects_with_a_reason_on_the_page(app, cast, db_session):
    serial = cast.world.lot(cast.yixing, quantity="10")
    tid = propose(cast.yixing, serial, cast.xinwu).json["id"]
    cast.xinwu.post(f"/api/v1/negotiated-transfers/{tid}/accept")
    wuxi = logged_in(app, "wuxi")
    missing = wuxi.submit("/desk/negotiated", f"/desk/negotiated/{tid}/reject", {"reason": ""})
    assert missing.status_code == 422
    done = wuxi.submit("/desk/negotiated", f"/desk/negotiated/{tid}/reject",
                       {"reason": "价格偏离市场"})
    assert done.status_code == 302
    assert (transfer(db_session, tid).status, transfer(db_session, tid).close_reason) == (
        "rejected", "价格偏离市场")


def test_refusals_show_in_chinese_and_change_nothing(app, cast, db_session):
    serial = cast.world.lot(cast.yixing, quantity="10")
    seller = logged_in(app, "yixing")
    refused = seller.submit("/trade/negotiated", "/trade/negotiated", {
        "lot_serial": serial, "buyer_account_id": str(cast.xinwu.user.account_id),
        "quantity": "2", "price": "500000.00"})
    assert refused.status_code == 422
    assert "价格超出指导价上下的涨跌幅限制" in refused.get_data(as_text=True)
    assert db_session.scalar(select(NegotiatedTransfer.id)) is None
    # a trader cannot open the desk, a regulator cannot propose
    assert seller.get("/desk/negotiated").status_code == 403
    assert logged_in(app, "wuxi").get("/trade/negotiated").status_code == 403


def test_the_menus_offer_the_pages(app, cast):
    assert 'href="/trade/negotiated"' in logged_in(app, "yixing").get(
        "/trade").get_data(as_text=True)
    assert 'href="/desk/negotiated"' in logged_in(app, "wuxi").get(
        "/desk").get_data(as_text=True)
