"""A trader's settlements and holdings: pay from cash, see the child lot, retire it against a
project; nobody else's settlement or lot, and no regulator page."""

from decimal import Decimal

from sqlalchemy import func, select

from models import Lot, Retirement, Settlement
from tests.web.conftest import Browser, trade_at


def bought_one(world, browser):
    """One FO-QTY unit bought by xinwu at 300,000 (deposit 60,000); xinwu logged in."""
    seller, buyer = trade_at(world, ["300000.00"])
    assert browser.login("xinwu").status_code == 302
    return seller, buyer


def pending(session) -> Settlement:
    session.expire_all()
    return session.scalar(select(Settlement))


def test_paying_a_settlement_from_the_page_delivers_a_child_lot_shown_in_holdings(
        browser, world, db_session):
    bought_one(world, browser)
    owed = pending(db_session)
    listing = browser.get("/trade/settlements").get_data(as_text=True)
    assert f"/trade/settlements/{owed.id}/pay" in listing and "240,000.00" in listing
    confirm = browser.get(f"/trade/settlements/{owed.id}/pay").get_data(as_text=True)
    assert "240,000.00" in confirm and "从账户资金支付" in confirm
    assert pending(db_session).status == "pending_payment"  # the GET changed nothing

    paid = browser.submit(f"/trade/settlements/{owed.id}/pay",
                          f"/trade/settlements/{owed.id}/pay", {})
    assert paid.status_code == 302
    done = pending(db_session)
    assert done.status == "completed" and done.child_lot.quantity == Decimal("1")
    child, parent = done.child_lot.serial, done.lot.serial
    assert child in browser.get("/trade/settlements").get_data(as_text=True)

    holdings = browser.get("/trade/holdings").get_data(as_text=True)
    assert child in holdings and parent in holdings
    assert "宜兴市" in holdings and "2024" in holdings

    again = browser.submit(f"/trade/settlements/{owed.id}/pay",
                           f"/trade/settlements/{owed.id}/pay", {})
    assert again.status_code == 409 and "该结算已结束" in again.get_data(as_text=True)


def test_the_seller_sees_what_the_buyer_owes_and_then_the_proceeds(browser, world, db_session):
    seller, buyer = trade_at(world, ["300000.00"])
    assert browser.login("yixing").status_code == 302
    owed = pending(db_session)
    before = browser.get("/trade/settlements").get_data(as_text=True)
    assert "买方应付我的款项" in before and "240,000.00" in before
    assert browser.get(f"/trade/settlements/{owed.id}/pay").status_code == 404
    assert buyer.post(f"/api/v1/settlements/{owed.id}/pay").status_code == 200
    after = browser.get("/trade/settlements").get_data(as_text=True)
    assert "299,100.00" in after  # 300,000 less the 0.3 % fee


def test_retiring_from_the_page_uses_the_child_lot_against_a_project(browser, world, db_session):
    bought_one(world, browser)
    owed = pending(db_session)
    assert browser.submit(f"/trade/settlements/{owed.id}/pay",
                          f"/trade/settlements/{owed.id}/pay", {}).status_code == 302
    child = pending(db_session).child_lot.serial
    project = {"project_name": "新吴区智能制造产业园项目", "project_code": "锡新地审〔2026〕12 号"}

    done = browser.submit("/trade/holdings", f"/trade/holdings/{child}/retire",
                          {**project, "quantity": "0.40"})
    assert done.status_code == 302
    db_session.expire_all()
    lot = db_session.scalar(select(Lot).where(Lot.serial == child))
    assert lot.retired == Decimal("0.4") and lot.available == Decimal("0.6")
    page = browser.get("/trade/holdings").get_data(as_text=True)
    assert "新吴区智能制造产业园项目" in page and "锡新地审〔2026〕12 号" in page
    assert "已从" in page and "0.40" in page


def test_bad_retirements_are_refused_in_chinese_and_change_nothing(browser, world, db_session):
    bought_one(world, browser)
    owed = pending(db_session)
    browser.submit(f"/trade/settlements/{owed.id}/pay", f"/trade/settlements/{owed.id}/pay", {})
    child = pending(db_session).child_lot.serial
    project = {"project_name": "产业园项目", "project_code": "P-1"}
    cases = [
        ({**project, "quantity": "2"}, 409, "指标可用数量不足"),
        ({**project, "quantity": "0"}, 422, "须大于 0"),
        ({**project, "quantity": "1.000001"}, 422, "最多 4 位小数"),
        ({"project_name": "", "project_code": "P-1", "quantity": "1"}, 422, "请填写建设项目名称"),
        ({"project_name": "产业园项目", "project_code": " ", "quantity": "1"}, 422,
         "请填写用地报批文号或项目编号"),
    ]
    for fields, status, text in cases:
        response = browser.submit("/trade/holdings", f"/trade/holdings/{child}/retire", fields)
        assert response.status_code == status, (fields, response.status_code)
        assert text in response.get_data(as_text=True), fields
    assert db_session.scalar(select(func.count(Retirement.id))) == 0


def test_a_trader_never_sees_another_accounts_settlement_lot_or_a_regulator_page(
        browser, world, db_session):
    seller, buyer = trade_at(world, ["300000.00"])
    owed = pending(db_session)
    world.trader("liangxi", "320213", cash="1000000")
    other = Browser(browser.app)
    assert other.login("liangxi").status_code == 302
    assert other.get(f"/trade/settlements/{owed.id}/pay").status_code == 404
    assert other.submit("/trade/settlements", f"/trade/settlements/{owed.id}/pay",
                        {}).status_code == 404
    assert pending(db_session).status == "pending_payment"
    assert f"/trade/settlements/{owed.id}/pay" not in other.get(
        "/trade/settlements").get_data(as_text=True)
    serial = owed.lot.serial
    assert other.submit("/trade/holdings", f"/trade/holdings/{serial}/retire", {
        "project_name": "x", "project_code": "y", "quantity": "1"}).status_code == 404
    assert other.get("/desk").status_code == 403
    assert other.get("/desk/instruments").status_code == 403
    assert other.get("/trade/settlements/99999/pay").status_code == 404
