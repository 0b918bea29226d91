"""The quota pages: obligations and compliance, allocations, new instruments and windows on
the desk; surrender on the trading desk."""

from datetime import timedelta

from market.calendar import market_day
from market.extensions import db
from models import Instrument, Lot, Obligation
from tests.quotas.helpers import set_obligation
from tests.web.conftest import Browser


def _period():
    today = market_day()
    return {"period_start": (today - timedelta(days=1)).isoformat(),
            "period_end": (today + timedelta(days=30)).isoformat()}


def test_a_regulator_sets_an_obligation_and_reads_compliance(regulator):
    page = regulator.get("/desk/obligations")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "限额" in html
    done = regulator.submit("/desk/obligations", "/desk/obligations", {
        "district_code": "320282", "instrument": "eco_product", "quantity": "12.5",
        **_period()})
    assert done.status_code == 302, done.get_data(as_text=True)
    assert db.session.scalar(db.select(Obligation.quantity)) == 12.5
    shown = regulator.get("/desk/obligations?district=320200").get_data(as_text=True)
    assert "宜兴市" in shown and 'id="compliance-rows"' in shown
    csv = regulator.get("/desk/obligations/compliance.csv?district=320200")
    assert csv.status_code == 200 and "宜兴市" in csv.get_data().decode("utf-8-sig")
    xlsx = regulator.get("/desk/obligations/compliance.xlsx?district=320200")
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"


def test_a_bad_obligation_form_is_shown_again_in_chinese(regulator):
    refused = regulator.submit("/desk/obligations", "/desk/obligations", {
        "district_code": "999999", "instrument": "ECO-CARBON", "quantity": "abc",
        **_period()})
    assert refused.status_code == 422
    assert "不是有效的数字" in refused.get_data(as_text=True)
    unknown = regulator.submit("/desk/obligations", "/desk/obligations", {
        "district_code": "999999", "instrument": "ECO-CARBON", "quantity": "1", **_period()})
    assert unknown.status_code == 422 and "999999" in unknown.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Obligation.id))) == 0


def test_a_regulator_allocates_a_lot_on_the_desk(regulator, world):
    seller = world.trader("yixing", "320282")
    done = regulator.submit("/desk/allocations", "/desk/allocations", {
        "account_id": str(seller.user.account_id), "instrument": "FO-QTY", "quantity": "10",
        "quality_grade": "2", "reason": "耕地保护激励", "document_number": "苏自然资〔2026〕7号"})
    assert done.status_code == 302, done.get_data(as_text=True)
    lot = db.session.scalar(db.select(Lot))
    assert (lot.source, lot.status, lot.available) == ("allocation", "active", 10)
    shown = regulator.get(done.headers["Location"]).get_data(as_text=True)
    assert "苏自然资〔2026〕7号" in shown and "下达依据" in shown
    missing = regulator.submit("/desk/allocations", "/desk/allocations", {
        "account_id": str(seller.user.account_id), "instrument": "FO-QTY", "quantity": "10",
        "reason": "", "document_number": ""})
    assert missing.status_code == 422


def test_a_regulator_creates_an_instrument_and_edits_its_windows(regulator):
    form = {"code": "ECO-SOIL", "kind": "eco_product", "name_zh": "土壤修复指标",
            "name_en": "Soil restoration", "unit": "mu", "tick_size": "10.00",
            "lot_size": "0.01", "deposit_ratio": "1", "settlement_days": "0", "fee_bps": "20",
            "guide_price": "8000", "floor_price": "", "price_band": "", "trading_mode":
            "continuous", "auction_times": "", "forfeit_to": "seller",
            "local_first_days": "0", "city_first_days": "0"}
    made = regulator.submit("/desk/instruments/new", "/desk/instruments/new", form)
    assert made.status_code == 302, made.get_data(as_text=True)
    again = regulator.submit("/desk/instruments/new", "/desk/instruments/new", form)
    assert again.status_code == 409
    windows = regulator.submit("/desk/instruments/ECO-SOIL", "/desk/instruments/ECO-SOIL/windows",
                               {"local_first_days": "30", "city_first_days": "60",
                                "cross_city_allowed": "y"})
    assert windows.status_code == 302
    db.session.expire_all()
    soil = db.session.scalar(db.select(Instrument).where(Instrument.code == "ECO-SOIL"))
    assert (soil.local_first_days, soil.city_first_days, soil.cross_city_allowed) == (
        30, 60, True)
    page = regulator.get("/desk/instruments/ECO-SOIL").get_data(as_text=True)
    assert 'id="terms-history"' in page
    bad = regulator.submit("/desk/instruments/ECO-SOIL", "/desk/instruments/ECO-SOIL/windows",
                           {"local_first_days": "-3", "city_first_days": "60"})
    assert bad.status_code == 422


def test_a_trader_surrenders_on_the_trading_desk(app, world):
    trader = world.trader("yixing", "320282")
    serial = world.lot(trader, instrument="ECO-CARBON", quantity="30")
    made = set_obligation(world, quantity="20")
    browser = Browser(app)
    assert browser.login("yixing").status_code == 302
    page = browser.get("/trade/obligations").get_data(as_text=True)
    assert serial in page and "限额" in page
    path = f"/trade/obligations/{made['id']}/surrenders"
    done = browser.submit("/trade/obligations", path, {"lot_serial": serial, "quantity": "5"})
    assert done.status_code == 302, done.get_data(as_text=True)
    too_much = browser.submit("/trade/obligations", path, {"lot_serial": serial,
                                                           "quantity": "16"})
    assert too_much.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(db.select(Lot.retired).where(Lot.serial == serial)) == 5
    # The regulator's desk is not the trader's.
    assert browser.get("/desk/obligations").status_code == 403
