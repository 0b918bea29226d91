"""Every instrument term and every surveillance threshold, edited on the desk."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from models import AuditEvent, Instrument, SurveillanceSetting

PAGE = "/desk/instruments/FO-QTY"
PRICES = {"guide_price": "300000.00", "floor_price": "150000.00", "price_band": "0.3"}


def settlement_terms(session, code="FO-QTY") -> tuple:
    session.expire_all()
    found = session.scalar(select(Instrument).where(Instrument.code == code))
    return found.deposit_ratio, found.settlement_days, found.fee_bps, found.trading_mode


def test_the_page_shows_and_saves_every_settlement_term(regulator, db_session):
    html = regulator.get(PAGE).get_data(as_text=True)
    assert 'name="deposit_ratio"' in html and 'name="fee_bps"' in html
    response = regulator.submit(PAGE, f"{PAGE}/terms", {
        **PRICES, "deposit_ratio": "0.25", "settlement_days": "10", "fee_bps": "15",
        "trading_mode": "call_auction"})
    assert response.status_code == 302
    assert settlement_terms(db_session) == (Decimal("0.25"), 10, 15, "call_auction")
    [event] = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "instrument.update")).all()
    assert '"fee_bps"' in event.details and '"guide_price"' not in event.details


@pytest.mark.parametrize(("field", "value", "message"), [
    ("deposit_ratio", "", "此项不能为空"),
    ("deposit_ratio", "1.5", "须大于 0 且不超过 1"),
    ("settlement_days", "abc", "须为整数"),
    ("settlement_days", "91", "须为 0 至 90 天"),
    ("fee_bps", "-1", "须为整数"),
    ("fee_bps", "1001", "须为 0 至 1000"),
    ("trading_mode", "barter", "未知的交易方式"),
])
def test_bad_terms_are_refused_in_chinese_and_change_nothing(regulator, db_session, field,
                                                             value, message):
    before = settlement_terms(db_session)
    response = regulator.submit(PAGE, f"{PAGE}/terms", {**PRICES, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert settlement_terms(db_session) == before


def test_a_zero_day_window_without_a_full_deposit_is_refused_by_the_service(regulator,
                                                                            db_session):
    before = settlement_terms(db_session)
    response = regulator.submit(PAGE, f"{PAGE}/terms", {
        **PRICES, "settlement_days": "0", "deposit_ratio": "0.2"})
    assert response.status_code == 422
    assert "结算期限为 0 天时保证金比例须为 100%" in response.get_data(as_text=True)
    assert settlement_terms(db_session) == before


def setting(session, key: str) -> Decimal:
    session.expire_all()
    return session.scalar(select(SurveillanceSetting.value).where(SurveillanceSetting.key == key))


def test_the_thresholds_page_lists_every_setting_and_saves_a_change(regulator, db_session):
    html = regulator.get("/desk/thresholds").get_data(as_text=True)
    keys = db_session.scalars(select(SurveillanceSetting.key)).all()
    assert keys and all(f'name="{key}"' in html for key in keys)
    assert "成交价偏离指导价超过该比例即告警" in html
    values = {key: format(setting(db_session, key).normalize(), "f") for key in keys}
    response = regulator.submit("/desk/thresholds", "/desk/thresholds",
                                {**values, "guide_deviation": "0.2"})
    assert response.status_code == 302
    assert setting(db_session, "guide_deviation") == Decimal("0.2")
    assert "监测阈值已保存。" in regulator.get("/desk/thresholds").get_data(as_text=True)
    [event] = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "surveillance.settings")).all()
    assert event.target_id == "guide_deviation"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("guide_deviation", "1.5", "须大于 0 且不超过 1"),
    ("guide_deviation", "abc", "不是有效的数字"),
    ("circular_days", "2.5", "最多 0 位小数"),
    ("circular_days", "0", "须为 1 至 100000 的整数"),
    ("cancel_fill_ratio", "", "此项不能为空"),
])
def test_bad_thresholds_are_refused_and_none_change(regulator, db_session, key, value,
                                                    message):
    response = regulator.submit("/desk/thresholds", "/desk/thresholds",
                                {"vwap_deviation": "0.3", key: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert setting(db_session, "vwap_deviation") == Decimal("0.15")


def test_unchanged_thresholds_are_refused_as_no_change(regulator):
    response = regulator.submit("/desk/thresholds", "/desk/thresholds",
                                {"guide_deviation": "0.10"})
    assert response.status_code == 422
    assert "没有需要修改的内容" in response.get_data(as_text=True)
