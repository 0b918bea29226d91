"""Instrument controls: halt, resume and price terms through the forms."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from models import AuditEvent, Instrument
from tests.web.conftest import instrument_status

PAGE = "/desk/instruments/FO-QTY"


def terms_of(session, code="FO-QTY") -> tuple:
    session.expire_all()
    instrument = session.scalar(select(Instrument).where(Instrument.code == code))
    return instrument.guide_price, instrument.floor_price, instrument.price_band


def test_halt_then_resume_each_with_a_reason_and_an_audit_row(regulator, db_session):
    halted = regulator.submit(PAGE, f"{PAGE}/halt", {"reason": "价格异常，暂停核查"})
    assert (halted.status_code, halted.headers["Location"]) == (302, PAGE)
    page = regulator.get(PAGE).get_data(as_text=True)
    assert "已暂停 FO-QTY 的交易。" in page and "价格异常，暂停核查" in page
    assert 'id="resume-form"' in page and 'id="halt-form"' not in page
    assert instrument_status(db_session, "FO-QTY") == "halted"

    resumed = regulator.submit(PAGE, f"{PAGE}/resume", {"reason": "核查完毕"})
    assert resumed.status_code == 302
    assert instrument_status(db_session, "FO-QTY") == "open"
    actions = db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_id == "FO-QTY").order_by(AuditEvent.seq)).all()
    assert actions == ["instrument.halt", "instrument.resume"]


def test_a_halt_needs_a_reason(regulator, db_session):
    response = regulator.submit(PAGE, f"{PAGE}/halt", {"reason": "  "})
    assert response.status_code == 422
    assert "请填写原因" in response.get_data(as_text=True)
    assert instrument_status(db_session, "FO-QTY") == "open"


def test_halting_a_halted_instrument_says_so_in_chinese(regulator):
    regulator.submit(PAGE, f"{PAGE}/halt", {"reason": "第一次"})
    # A second tab still showing the halt form.
    response = regulator.submit(PAGE, f"{PAGE}/halt", {"reason": "第二次"})
    assert response.status_code == 409
    assert "对象已处于该状态" in response.get_data(as_text=True)


def test_the_price_terms_change_and_an_empty_field_clears_its_term(regulator, db_session):
    response = regulator.submit(PAGE, f"{PAGE}/terms", {
        "guide_price": "320000", "floor_price": "160000.50", "price_band": ""})
    assert response.status_code == 302
    assert terms_of(db_session) == (Decimal("320000.00"), Decimal("160000.50"), None)
    page = regulator.get(PAGE).get_data(as_text=True)
    assert "已更新 FO-QTY 的价格条款。" in page and 'value="320000.00"' in page
    [event] = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "instrument.update")).all()
    assert event.actor == "regulator" and '"price_band": {"new": null' in event.details


def test_a_floor_above_the_guide_price_is_refused_in_chinese(regulator, db_session):
    response = regulator.submit(PAGE, f"{PAGE}/terms", {
        "guide_price": "300000.00", "floor_price": "400000.00", "price_band": "0.3"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "底价不得高于指导价" in html
    assert 'value="400000.00"' in html  # what was typed is shown again
    assert terms_of(db_session)[1] == Decimal("150000.00")


def test_unchanged_terms_are_refused_as_no_change(regulator):
    response = regulator.submit(PAGE, f"{PAGE}/terms", {
        "guide_price": "300000.00", "floor_price": "150000.00", "price_band": "0.3"})
    assert response.status_code == 422
    assert "没有需要修改的内容" in response.get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("guide_price", "abc", "不是有效的数字"),
    ("guide_price", "NaN", "不是有效的数字"),
    ("guide_price", "1e999999", "数值过大"),
    ("guide_price", "300000.001", "最多 2 位小数"),
    ("guide_price", "-1", "须大于 0"),
    ("price_band", "1.5", "须大于 0 且不超过 1"),
    ("price_band", "0.12345", "最多 4 位小数"),
    ("guide_price", "３０００００", "请用半角数字"),
    ("guide_price", "300_000", "请用半角数字"),
    ("guide_price", "3e5", "请用半角数字"),
])
def test_bad_numbers_are_refused_before_the_service(regulator, db_session, field, value,
                                                    message):
    data = {"guide_price": "300000.00", "floor_price": "150000.00", "price_band": "0.3"}
    response = regulator.submit(PAGE, f"{PAGE}/terms", {**data, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert terms_of(db_session) == (Decimal("300000.00"), Decimal("150000.00"),
                                    Decimal("0.3"))


def test_an_unknown_instrument_is_a_chinese_404_page(regulator):
    response = regulator.get("/desk/instruments/GOLD")
    assert response.status_code == 404
    assert "未找到对象" in response.get_data(as_text=True)
    posted = regulator.submit(PAGE, "/desk/instruments/GOLD/halt", {"reason": "x"})
    assert posted.status_code == 404
