"""The catalogue and the regulator's changes to it."""

import json

from sqlalchemy import select

from market.extensions import db
from models import AuditEvent


def test_the_catalogue_has_every_seeded_instrument_with_its_terms(world):
    catalogue = world.regulator.get("/api/v1/instruments").json
    assert {row["code"] for row in catalogue} == {
        "FO-QTY", "FO-PADDY", "FO-GRAIN", "LS", "ECO-CARBON", "ECO-WETLAND", "CL-SCALE"}
    grain = world.regulator.get("/api/v1/instruments/FO-GRAIN").json
    assert (grain["unit"], grain["kind"], grain["name_zh"]) == (
        "kg", "farmland_offset", "补充耕地粮食产能指标")
    assert world.regulator.get("/api/v1/instruments/NOPE").status_code == 404


def test_a_regulator_changes_terms_and_the_audit_log_keeps_old_and_new(world):
    response = world.regulator.patch("/api/v1/instruments/FO-QTY", json={
        "guide_price": "320000.00", "price_band": "0.25", "fee_bps": 40})
    assert response.status_code == 200, response.json
    assert (response.json["guide_price"], response.json["price_band"]) == ("320000.00", "0.2500")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "instrument.update")).one()
    details = json.loads(event.details)
    assert details["guide_price"] == {"old": "300000.00", "new": "320000.00"}
    assert details["fee_bps"] == {"old": 30, "new": 40}


def test_a_floor_above_the_guide_price_is_refused(world):
    response = world.regulator.patch("/api/v1/instruments/FO-QTY",
                                     json={"floor_price": "400000.00"})
    assert response.status_code == 422
    assert "floor_price" in response.json["error"]["fields"]


def test_traders_cannot_change_terms(world):
    trader = world.trader("xinwu", "320214")
    assert trader.patch("/api/v1/instruments/FO-QTY", json={"fee_bps": 0}).status_code == 403
    assert trader.post("/api/v1/instruments/FO-QTY/halt", json={"reason": "x"}).status_code == 403


def test_halt_and_resume_are_audited_with_their_reason(world):
    halted = world.regulator.post("/api/v1/instruments/LS/halt", json={"reason": "价格异常波动"})
    assert (halted.json["status"], halted.json["status_reason"]) == ("halted", "价格异常波动")
    again = world.regulator.post("/api/v1/instruments/LS/halt", json={"reason": "again"})
    assert again.status_code == 409
    assert world.regulator.post("/api/v1/instruments/LS/resume",
                                json={"reason": "核查完毕"}).json["status"] == "open"
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_id == "LS")).all()
    assert actions == ["instrument.halt", "instrument.resume"]


def test_terms_that_contradict_each_other_are_refused(world):
    zero_day = world.regulator.patch("/api/v1/instruments/FO-QTY", json={"settlement_days": 0})
    assert zero_day.status_code == 422 and "settlement_days" in zero_day.json["error"]["fields"]
    fen = world.regulator.patch("/api/v1/instruments/ECO-CARBON", json={"lot_size": "0.5"})
    assert fen.status_code == 422 and "tick_size" in fen.json["error"]["fields"]


def test_the_grid_cannot_change_under_resting_orders(world):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    buyer.post("/api/v1/orders", json={"instrument": "FO-QTY", "side": "buy",
                                       "price": "300000.00", "quantity": "1",
                                       "client_order_id": "b"})
    response = world.regulator.patch("/api/v1/instruments/FO-QTY", json={"tick_size": "1000.00"})
    assert (response.status_code, response.json["error"]["code"]) == (409, "open_orders_exist")


def test_a_repeated_halt_or_freeze_is_409_already_in_state_and_a_patch_changing_nothing_422(
        world):
    assert world.regulator.post("/api/v1/instruments/FO-QTY/halt",
                                json={"reason": "核查"}).status_code == 200
    again = world.regulator.post("/api/v1/instruments/FO-QTY/halt", json={"reason": "核查"})
    assert (again.status_code, again.json["error"]["code"]) == (409, "already_in_state")
    account = world.trader("yixing", "320282").user.account_id
    world.regulator.post(f"/api/v1/accounts/{account}/freeze", json={"reason": "核查"})
    twice = world.regulator.post(f"/api/v1/accounts/{account}/freeze", json={"reason": "核查"})
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "already_in_state")
    guide = world.regulator.get("/api/v1/instruments/FO-QTY").json["guide_price"]
    same = world.regulator.patch("/api/v1/instruments/FO-QTY", json={"guide_price": guide})
    assert (same.status_code, same.json["error"]["code"]) == (422, "no_change")
