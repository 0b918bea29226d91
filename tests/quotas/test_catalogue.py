"""The catalogue grows: instruments created over the API, terms kept with their history,
windows editable, and reports and alerts judged by the terms in force at each trade."""

from datetime import timedelta

import pytest

from market.extensions import db
from market.services import surveillance
from models import Alert, Instrument
from models.base import utcnow
from tests.web.conftest import trade_at

NEW = {"code": "ECO-SOIL", "kind": "eco_product", "name_zh": "土壤修复指标",
       "name_en": "Soil restoration", "unit": "mu", "tick_size": "10.00", "lot_size": "0.01",
       "deposit_ratio": "1", "settlement_days": 0, "fee_bps": 20, "guide_price": "8000.00",
       "floor_price": "2000.00", "price_band": "0.5"}


def test_the_construction_land_scale_indicator_is_seeded(world):
    found = world.regulator.get("/api/v1/instruments/CL-SCALE").json
    assert (found["name_zh"], found["unit"], found["kind"]) == (
        "建设用地规模指标", "mu", "construction_land_scale")
    assert (found["cross_city_allowed"], found["local_first_days"]) == (False, 0)
    # The catalogue's other defaults stay: only linkage surplus has a window.
    windows = {i["code"]: i["local_first_days"] for i in
               world.regulator.get("/api/v1/instruments").json}
    assert {code for code, days in windows.items() if days} == {"LS"}


def test_a_regulator_creates_an_instrument_that_trades(world):
    made = world.regulator.post("/api/v1/instruments", json=NEW)
    assert made.status_code == 201, made.json
    assert (made.json["status"], made.json["forfeit_to"]) == ("open", "seller")
    history = world.regulator.get("/api/v1/instruments/ECO-SOIL/terms/history").json
    assert [row["guide_price"] for row in history] == ["8000.00"]
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, instrument="ECO-SOIL", quantity="10")
    order = {"instrument": "ECO-SOIL", "price": "8000.00", "quantity": "2"}
    assert seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                               "client_order_id": "s1"}).status_code == 201
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy",
                                                "client_order_id": "b1"})
    assert bought.status_code == 201 and bought.json["fills"], bought.json


@pytest.mark.parametrize(("overrides", "field"), [
    ({"code": "FO-QTY"}, "code"),
    ({"code": "bad code"}, "code"),
    ({"code": "A" * 17}, "code"),
    ({"kind": "gold"}, "kind"),
    ({"unit": "ton"}, "unit"),
    ({"tick_size": "0"}, "tick_size"),
    ({"deposit_ratio": "1.5"}, "deposit_ratio"),
    ({"settlement_days": 91}, "settlement_days"),
    ({"fee_bps": 1001}, "fee_bps"),
    ({"floor_price": "9000.00"}, "floor_price"),
    ({"tick_size": "0.01", "lot_size": "0.01"}, "tick_size"),
    ({"deposit_ratio": "0.5"}, "settlement_days"),
    ({"trading_mode": "call_auction"}, "auction_times"),
    ({"auction_times": "25:00"}, "auction_times"),
    ({"local_first_days": -1}, "local_first_days"),
    ({"name_zh": ""}, "name_zh"),
])
def test_every_term_of_a_new_instrument_is_validated(world, overrides, field):
    response = world.regulator.post("/api/v1/instruments", json={**NEW, **overrides})
    assert response.status_code in (409, 422), response.json
    assert field in response.json["error"]["fields"], response.json
    assert db.session.scalar(db.select(db.func.count(Instrument.id)).where(
        Instrument.name_en == "Soil restoration")) == 0


def test_only_regulators_create_instruments(world):
    trader = world.trader("yixing", "320282")
    assert trader.post("/api/v1/instruments", json=NEW).status_code == 403


def test_terms_in_force_at_any_moment(world):
    before = utcnow()
    changed = world.regulator.patch("/api/v1/instruments/FO-QTY",
                                    json={"guide_price": "320000.00"})
    assert changed.status_code == 200
    now = world.regulator.get("/api/v1/instruments/FO-QTY/terms").json
    assert (now["guide_price"], now["valid_until"]) == ("320000.00", None)
    then = world.regulator.get("/api/v1/instruments/FO-QTY/terms",
                               query_string={"at": before.isoformat()}).json
    assert then["guide_price"] == "300000.00" and then["valid_until"] == now["valid_from"]
    early = world.regulator.get("/api/v1/instruments/FO-QTY/terms",
                                query_string={"at": "1999-01-01T00:00:00+08:00"})
    assert early.status_code == 404
    naive = world.regulator.get("/api/v1/instruments/FO-QTY/terms",
                                query_string={"at": "2026-01-01T00:00:00"})
    assert naive.status_code == 422


def test_windows_are_editable_for_every_instrument(world):
    changed = world.regulator.patch("/api/v1/instruments/FO-QTY",
                                    json={"local_first_days": 30, "city_first_days": 60})
    assert changed.status_code == 200, changed.json
    assert (changed.json["local_first_days"], changed.json["city_first_days"]) == (30, 60)
    # A lot verified now trades only within its county: 新吴区 cannot buy 宜兴市's lot.
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, quantity="5")
    order = {"instrument": "FO-QTY", "price": "300000.00", "quantity": "1"}
    seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                        "client_order_id": "s1"})
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy", "client_order_id": "b1"})
    assert bought.status_code == 201 and bought.json["fills"] == []
    too_long = world.regulator.patch("/api/v1/instruments/FO-QTY",
                                     json={"city_first_days": 5000})
    assert too_long.status_code == 422


def test_reports_and_alerts_use_the_guide_in_force_at_each_trade(world):
    seller, buyer = trade_at(world, ["300000.00"])
    # The guide moves long after the trade: the trade was at the guide then.
    world.regulator.patch("/api/v1/instruments/FO-QTY", json={"guide_price": "200000.00"})
    assert surveillance.detect(utcnow() + timedelta(seconds=1)) == 0
    assert db.session.scalar(db.select(Alert).where(Alert.kind == "guide_deviation")) is None
    from market.calendar import market_day
    period = market_day().strftime("%Y-%m")
    report = world.regulator.get("/api/v1/reports/monthly",
                                 query_string={"city": "320200", "period": period}).json
    [line] = [line for line in report["instruments"] if line["instrument"] == "FO-QTY"]
    assert line["vwap_vs_guide"] == "0.0000"
