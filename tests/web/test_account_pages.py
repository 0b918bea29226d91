"""Accounts on the desk: balances, cash movements, bank deposits and withdrawals, freezes."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from market.services import identity
from models import Account, AuditEvent
from tests.factories import PASSWORD
from tests.web.conftest import Browser


@pytest.fixture
def account_id(world):
    """宜兴市's account with 1,000.00 yuan deposited."""
    return world.trader("yixing", "320282", cash="1000.00").user.account_id


def cash_of(session, account_id) -> tuple:
    session.expire_all()
    account = session.get(Account, account_id)
    return account.cash_available, account.frozen


def test_the_list_and_the_page_show_balances_and_movements(regulator, account_id):
    listed = regulator.get("/desk/accounts").get_data(as_text=True)
    assert "yixing account" in listed and f"/desk/accounts/{account_id}" in listed
    page = regulator.get(f"/desk/accounts/{account_id}").get_data(as_text=True)
    assert 'id="cash-available">1,000.00' in page
    assert "银行入金" in page and "T-yixing" in page


def test_a_deposit_then_a_withdrawal_move_the_cash_newest_first(regulator, account_id,
                                                               db_session):
    page = f"/desk/accounts/{account_id}"
    deposited = regulator.submit(page, f"{page}/deposit",
                                 {"amount": "250.50", "reference": "BANK-001"})
    assert (deposited.status_code, deposited.headers["Location"]) == (302, page)
    withdrawn = regulator.submit(page, f"{page}/withdraw",
                                 {"amount": "100.00", "reference": "BANK-002"})
    assert withdrawn.status_code == 302
    assert cash_of(db_session, account_id)[0] == Decimal("1150.50")
    html = regulator.get(page).get_data(as_text=True)
    assert "已记录银行出金。" in html
    assert html.index("BANK-002") < html.index("BANK-001") < html.index("T-yixing")
    actions = db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "account", AuditEvent.actor == "regulator")).all()
    assert actions.count("cash.withdraw") == 1 and "cash.deposit" in actions


def test_a_withdrawal_beyond_the_available_cash_is_refused_in_chinese(regulator, account_id,
                                                                     db_session):
    page = f"/desk/accounts/{account_id}"
    response = regulator.submit(page, f"{page}/withdraw",
                                {"amount": "5000.00", "reference": "BANK-003"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "可用资金不足" in html and 'value="5000.00"' in html
    assert cash_of(db_session, account_id)[0] == Decimal("1000.00")


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "", "reference": "B"}, "请填写金额"),
    ({"amount": "abc", "reference": "B"}, "不是有效的数字"),
    ({"amount": "0", "reference": "B"}, "须大于 0"),
    ({"amount": "1.001", "reference": "B"}, "最多 2 位小数"),
    ({"amount": "10", "reference": "  "}, "请填写银行流水号"),
    ({"amount": "10", "reference": "R" * 129}, "不超过 128 个字符"),
])
@pytest.mark.parametrize("action", ["deposit", "withdraw"])
def test_bad_cash_input_is_refused_and_changes_nothing(regulator, account_id, db_session,
                                                       data, message, action):
    page = f"/desk/accounts/{account_id}"
    response = regulator.submit(page, f"{page}/{action}", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert cash_of(db_session, account_id)[0] == Decimal("1000.00")


def test_freeze_then_unfreeze_with_a_reason(regulator, account_id, db_session):
    page = f"/desk/accounts/{account_id}"
    assert regulator.submit(page, f"{page}/freeze", {"reason": "涉嫌虚假交易"}).status_code == 302
    html = regulator.get(page).get_data(as_text=True)
    assert "账户已冻结。" in html and "涉嫌虚假交易" in html and 'id="unfreeze-form"' in html
    assert cash_of(db_session, account_id)[1] is True
    assert regulator.submit(page, f"{page}/unfreeze", {"reason": "核查完毕"}).status_code == 302
    assert cash_of(db_session, account_id)[1] is False
    actions = db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("account.%freeze")).order_by(AuditEvent.seq)).all()
    assert actions == ["account.freeze", "account.unfreeze"]


def test_a_freeze_needs_a_reason_and_a_second_freeze_is_refused(regulator, account_id,
                                                                db_session):
    page = f"/desk/accounts/{account_id}"
    empty = regulator.submit(page, f"{page}/freeze", {"reason": " "})
    assert empty.status_code == 422 and "请填写原因" in empty.get_data(as_text=True)
    assert cash_of(db_session, account_id)[1] is False
    regulator.submit(page, f"{page}/freeze", {"reason": "第一次"})
    # A second tab still showing the freeze form.
    again = regulator.submit("/desk/accounts", f"{page}/freeze", {"reason": "第二次"})
    assert again.status_code == 409 and "对象已处于该状态" in again.get_data(as_text=True)


def test_a_post_without_a_csrf_token_changes_nothing(regulator, account_id, db_session):
    response = regulator.post(f"/desk/accounts/{account_id}/deposit",
                              data={"amount": "10", "reference": "X"})
    assert response.status_code == 400
    assert cash_of(db_session, account_id)[0] == Decimal("1000.00")


@pytest.fixture
def wuxi_regulator(app, world):
    """A browser logged in as a regulator of 无锡市 (320200)."""
    identity.create_user(world.admin_user, {"username": "wuxi", "password": PASSWORD,
                                            "role": "regulator", "district_code": "320200"})
    browser = Browser(app)
    assert browser.login("wuxi").status_code == 302
    return browser


def test_a_city_regulator_never_reaches_an_account_outside_its_city(wuxi_regulator, world,
                                                                    account_id, db_session):
    ningbo = world.trader("yinzhou", "330212", cash="500.00").user.account_id
    listed = wuxi_regulator.get("/desk/accounts").get_data(as_text=True)
    assert "yixing account" in listed and "yinzhou account" not in listed
    assert wuxi_regulator.get(f"/desk/accounts/{ningbo}").status_code == 404
    own = f"/desk/accounts/{account_id}"
    for action in ("deposit", "withdraw", "freeze"):
        response = wuxi_regulator.submit(own, f"/desk/accounts/{ningbo}/{action}",
                                         {"amount": "10", "reference": "X", "reason": "x"})
        assert response.status_code == 404, action
    assert cash_of(db_session, ningbo) == (Decimal("500.00"), False)


def test_an_unknown_account_is_a_chinese_404(regulator):
    response = regulator.get("/desk/accounts/999999")
    assert response.status_code == 404 and "未找到对象" in response.get_data(as_text=True)
