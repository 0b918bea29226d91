"""One settlement on the desk: its facts and payments, a bank payment, a cancellation."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from market.services import identity
from models import AuditEvent, Settlement
from tests.factories import PASSWORD
from tests.web.conftest import Browser, trade_at


@pytest.fixture
def settlement_id(world, db_session):
    """One FO-QTY trade at 300,000 between 宜兴市 (seller) and 新吴区 (buyer), unpaid."""
    trade_at(world, ["300000.00"])
    return db_session.scalar(select(Settlement.id))


def settlement_of(session, settlement_id) -> Settlement:
    session.expire_all()
    return session.get(Settlement, settlement_id)


def test_the_monitor_links_to_the_page_with_the_settlements_facts(regulator, settlement_id,
                                                                 db_session):
    monitor = regulator.get("/desk/settlements").get_data(as_text=True)
    assert f'href="/desk/settlements/{settlement_id}"' in monitor
    html = regulator.get(f"/desk/settlements/{settlement_id}").get_data(as_text=True)
    found = settlement_of(db_session, settlement_id)
    assert 'id="settlement-amount">300,000.00' in html
    assert f'id="settlement-due">{found.amount_due:,.2f}' in html
    assert "yixing account" in html and "xinwu account" in html and "待付款" in html
    assert 'id="payment-form"' in html and 'id="cancel-form"' in html


def test_bank_payments_in_part_then_in_full_complete_the_settlement(regulator, settlement_id,
                                                                   db_session):
    page = f"/desk/settlements/{settlement_id}"
    due = settlement_of(db_session, settlement_id).amount_due
    part = regulator.submit(page, f"{page}/bank-payment",
                            {"amount": "1000.00", "reference": "BANK-P1"})
    assert (part.status_code, part.headers["Location"]) == (302, page)
    assert settlement_of(db_session, settlement_id).amount_due == due - Decimal("1000.00")
    html = regulator.get(page).get_data(as_text=True)
    assert "已确认银行到账付款。" in html and "BANK-P1" in html and "银行转账" in html

    rest = str(due - Decimal("1000.00"))
    assert regulator.submit(page, f"{page}/bank-payment",
                            {"amount": rest, "reference": "BANK-P2"}).status_code == 302
    assert settlement_of(db_session, settlement_id).status == "completed"
    done = regulator.get(page).get_data(as_text=True)
    assert "已完成" in done and 'id="payment-form"' not in done
    actions = db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "settlement").order_by(AuditEvent.seq)).all()
    assert actions == ["settlement.pay_bank", "settlement.pay_bank", "settlement.complete"]


def test_an_overpayment_is_refused_in_chinese(regulator, settlement_id, db_session):
    page = f"/desk/settlements/{settlement_id}"
    due = settlement_of(db_session, settlement_id).amount_due
    response = regulator.submit(page, f"{page}/bank-payment",
                                {"amount": str(due + 1), "reference": "BANK-X"})
    assert response.status_code == 422
    assert "付款金额超过尚欠金额" in response.get_data(as_text=True)
    assert settlement_of(db_session, settlement_id).amount_due == due


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "", "reference": "B"}, "请填写金额"),
    ({"amount": "-5", "reference": "B"}, "须大于 0"),
    ({"amount": "１０", "reference": "B"}, "请用半角数字"),
    ({"amount": "10", "reference": ""}, "请填写银行流水号"),
])
def test_bad_payment_input_is_refused_and_changes_nothing(regulator, settlement_id,
                                                          db_session, data, message):
    page = f"/desk/settlements/{settlement_id}"
    due = settlement_of(db_session, settlement_id).amount_due
    response = regulator.submit(page, f"{page}/bank-payment", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert settlement_of(db_session, settlement_id).amount_due == due


def test_cancel_with_a_reason_then_a_payment_is_refused_as_closed(regulator, settlement_id,
                                                                  db_session):
    page = f"/desk/settlements/{settlement_id}"
    empty = regulator.submit(page, f"{page}/cancel", {"reason": ""})
    assert empty.status_code == 422 and "请填写原因" in empty.get_data(as_text=True)
    assert settlement_of(db_session, settlement_id).status == "pending_payment"

    assert regulator.submit(page, f"{page}/cancel",
                            {"reason": "双方协商一致撤销"}).status_code == 302
    found = settlement_of(db_session, settlement_id)
    assert (found.status, found.close_reason) == ("cancelled", "双方协商一致撤销")
    html = regulator.get(page).get_data(as_text=True)
    assert "结算已撤销。" in html and "双方协商一致撤销" in html
    # A second tab still showing the payment form.
    late = regulator.submit("/desk/settlements", f"{page}/bank-payment",
                            {"amount": "10.00", "reference": "BANK-L"})
    assert late.status_code == 409
    assert "该结算已结束" in late.get_data(as_text=True)


def test_a_city_regulator_never_reaches_a_settlement_outside_its_city(app, world, db_session):
    seller = world.trader("yinzhou", "330212")
    buyer = world.trader("zhenhai", "330211", cash="10000000")
    serial = world.lot(seller)
    order = {"instrument": "FO-QTY", "price": "300000.00", "quantity": "1"}
    seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                        "client_order_id": "s-1"})
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy", "client_order_id": "b-1"})
    assert bought.json["fills"], bought.json
    settlement_id = db_session.scalar(select(Settlement.id))
    identity.create_user(world.admin_user, {"username": "wuxi", "password": PASSWORD,
                                            "role": "regulator", "district_code": "320200"})
    wuxi = Browser(app)
    wuxi.login("wuxi")
    page = f"/desk/settlements/{settlement_id}"
    assert wuxi.get(page).status_code == 404
    paid = wuxi.submit("/desk/settlements", f"{page}/bank-payment",
                       {"amount": "10.00", "reference": "X"})
    cancelled = wuxi.submit("/desk/settlements", f"{page}/cancel", {"reason": "x"})
    assert (paid.status_code, cancelled.status_code) == (404, 404)
    assert settlement_of(db_session, settlement_id).status == "pending_payment"
    assert not settlement_of(db_session, settlement_id).payments
