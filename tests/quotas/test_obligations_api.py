"""Obligations over the API: who sets and sees them, surrender and every refusal."""

from decimal import Decimal

import pytest

from market.extensions import db
from models import Lot, Obligation, Retirement
from tests.quotas.helpers import end_period, obligation_body, set_obligation


@pytest.fixture
def yixing(world):
    """A trader in 宜兴市 with an active carbon lot of 500."""
    trader = world.trader("yixing", "320282")
    trader.serial = world.lot(trader, instrument="ECO-CARBON", quantity="500")
    return trader


def _lot(serial: str) -> Lot:
    db.session.expire_all()
    return db.session.scalar(db.select(Lot).where(Lot.serial == serial))


def test_a_regulator_sets_an_obligation_and_the_district_sees_it(world, yixing):
    made = set_obligation(world)
    assert (made["instrument"], made["kind"], made["status"]) == ("ECO-CARBON", "eco_product",
                                                                   "open")
    assert (made["quantity"], made["surrendered"], made["shortfall"]) == (
        "100.0000", "0.0000", "100.0000")
    seen = yixing.get("/api/v1/obligations")
    assert [o["id"] for o in seen.json] == [made["id"]]
    elsewhere = world.trader("xiangshan", "330225")
    assert elsewhere.get("/api/v1/obligations").json == []
    assert elsewhere.get(f"/api/v1/obligations/{made['id']}").status_code == 404


def test_a_town_sees_and_meets_its_countys_obligation(world):
    made = set_obligation(world, district_code="320281")
    town = world.trader("huangtu", "320281007")
    serial = world.lot(town, instrument="ECO-CARBON", quantity="50")
    assert [o["id"] for o in town.get("/api/v1/obligations").json] == [made["id"]]
    done = town.post(f"/api/v1/obligations/{made['id']}/surrenders",
                     json={"lot_serial": serial, "quantity": "50"})
    assert done.status_code == 201, done.json


def test_surrender_retires_against_the_obligation_in_one_ledger_move(world, yixing):
    made = set_obligation(world)
    done = yixing.post(f"/api/v1/obligations/{made['id']}/surrenders",
                       json={"lot_serial": yixing.serial, "quantity": "40"})
    assert done.status_code == 201, done.json
    assert (done.json["obligation_id"], done.json["quantity"]) == (made["id"], "40.0000")
    lot = _lot(yixing.serial)
    assert (lot.available, lot.retired) == (Decimal("460.0000"), Decimal("40.0000"))
    after = yixing.get(f"/api/v1/obligations/{made['id']}").json
    assert (after["surrendered"], after["shortfall"]) == ("40.0000", "60.0000")
    listed = world.regulator.get(f"/api/v1/obligations/{made['id']}/surrenders").json
    assert [(s["lot_serial"], s["quantity"]) for s in listed] == [(yixing.serial, "40.0000")]
    detail = yixing.get(f"/api/v1/lots/{yixing.serial}").json
    assert detail["retirements"][0]["obligation_id"] == made["id"]


def test_a_kind_obligation_takes_any_instrument_of_the_kind_and_refuses_others(world, yixing):
    made = set_obligation(world, instrument="eco_product", quantity="20")
    assert (made["instrument"], made["instrument_code"]) == ("eco_product", None)
    wetland = world.lot(yixing, instrument="ECO-WETLAND", quantity="10")
    farmland = world.lot(yixing, instrument="FO-QTY", quantity="10")
    path = f"/api/v1/obligations/{made['id']}/surrenders"
    assert yixing.post(path, json={"lot_serial": wetland, "quantity": "10"}).status_code == 201
    wrong = yixing.post(path, json={"lot_serial": farmland, "quantity": "1"})
    assert wrong.status_code == 422 and wrong.json["error"]["code"] == "wrong_instrument"
    assert _lot(farmland).retired == 0


def test_another_instrument_is_refused_for_an_instrument_obligation(world, yixing):
    made = set_obligation(world)
    wetland = world.lot(yixing, instrument="ECO-WETLAND", quantity="10")
    wrong = yixing.post(f"/api/v1/obligations/{made['id']}/surrenders",
                        json={"lot_serial": wetland, "quantity": "1"})
    assert wrong.status_code == 422 and wrong.json["error"]["code"] == "wrong_instrument"


def _refused(trader, obligation_id, body, status, code):
    before = db.session.scalar(db.select(db.func.count(Retirement.id)))
    response = trader.post(f"/api/v1/obligations/{obligation_id}/surrenders", json=body)
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert db.session.scalar(db.select(db.func.count(Retirement.id))) == before


def test_surrender_refusals_change_nothing(world, yixing):
    made = set_obligation(world)
    oid = made["id"]
    # Another district's lot: not the trader's own, so it does not exist for it.
    other = world.trader("xiangshan", "330225")
    foreign = world.lot(other, instrument="ECO-CARBON", quantity="100")
    _refused(yixing, oid, {"lot_serial": foreign, "quantity": "1"}, 404, "not_found")
    # A trader of another district cannot reach the obligation at all.
    _refused(other, oid, {"lot_serial": foreign, "quantity": "1"}, 404, "not_found")
    # More than the lot has available, and more than the obligation still lacks.
    small = world.lot(yixing, instrument="ECO-CARBON", quantity="5")
    _refused(yixing, oid, {"lot_serial": small, "quantity": "6"}, 409, "insufficient_quantity")
    _refused(yixing, oid, {"lot_serial": yixing.serial, "quantity": "101"}, 409,
             "exceeds_obligation")
    # A lot that is not active.
    pending = world.lot(yixing, instrument="ECO-CARBON", quantity="5", verify=False)
    _refused(yixing, oid, {"lot_serial": pending, "quantity": "1"}, 409, "invalid_lot_status")
    # Bad input.
    _refused(yixing, oid, {"lot_serial": yixing.serial, "quantity": "-1"}, 422,
             "validation_error")
    _refused(yixing, oid, {"lot_serial": yixing.serial}, 422, "validation_error")
    # A closed period.
    end_period(oid)
    _refused(yixing, oid, {"lot_serial": yixing.serial, "quantity": "1"}, 409, "period_closed")
    assert _lot(yixing.serial).available == Decimal("500.0000")


def test_a_period_not_yet_open_refuses_surrender(world, yixing):
    from datetime import timedelta

    from market.calendar import market_day
    start = market_day() + timedelta(days=5)
    made = set_obligation(world, period_start=start.isoformat(),
                          period_end=(start + timedelta(days=5)).isoformat())
    _refused(yixing, made["id"], {"lot_serial": yixing.serial, "quantity": "1"}, 409,
             "period_not_started")


def test_only_regulators_set_obligations_and_only_in_their_jurisdiction(world, yixing):
    assert yixing.post("/api/v1/obligations", json=obligation_body()).status_code == 403
    from market.services import identity
    ningbo = world.caller(identity.create_user(world.admin_user, {
        "username": "ningbo", "password": "correct-horse-battery", "role": "regulator",
        "district_code": "330200"}))
    outside = ningbo.post("/api/v1/obligations", json=obligation_body())
    assert outside.status_code == 422
    assert outside.json["error"]["code"] == "outside_jurisdiction"
    inside = ningbo.post("/api/v1/obligations", json=obligation_body(district_code="330225"))
    assert inside.status_code == 201
    # Each regulator sees only what lies in its jurisdiction.
    national = set_obligation(world)
    assert [o["id"] for o in ningbo.get("/api/v1/obligations").json] == [inside.json["id"]]
    assert ningbo.get(f"/api/v1/obligations/{national['id']}").status_code == 404


@pytest.mark.parametrize(("overrides", "field"), [
    ({"district_code": "999999"}, "district_code"),
    ({"instrument": "NOPE"}, "instrument"),
    ({"instrument": "any_kind"}, "instrument"),
    ({"quantity": "0"}, "quantity"),
    ({"quantity": 1.5}, "quantity"),
    ({"period_start": "2026-13-01"}, "period_start"),
    ({"period_start": "2026-06-30", "period_end": "2026-06-01"}, "period_end"),
    ({"period_start": "2020-01-01", "period_end": "2020-12-31"}, "period_end"),
])
def test_bad_obligations_are_refused_and_change_nothing(world, overrides, field):
    response = world.regulator.post("/api/v1/obligations", json=obligation_body(**overrides))
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(Obligation.id))) == 0


def test_messages_are_chinese_by_default_and_english_on_request(world, yixing):
    made = set_obligation(world)
    end_period(made["id"])
    body = {"lot_serial": yixing.serial, "quantity": "1"}
    path = f"/api/v1/obligations/{made['id']}/surrenders"
    chinese = yixing.post(path, json=body).json["error"]["message"]
    english = yixing.post(path, json=body, headers={"Accept-Language": "en"}).json
    assert "closed" in english["error"]["message"]
    assert "closed" not in chinese and chinese != english["error"]["message"]
