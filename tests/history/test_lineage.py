"""Prices bound to the registry: from a lot to its trades, from a trade to its lots."""

import pytest

from tests.history.conftest import trade


@pytest.fixture
def farmland(world):
    """宜兴 sells 50 mu of FO-QTY; 新吴 buys twice (10-day settlement, 20 % deposit)."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    stranger = world.trader("liangxi", "320213", cash="1000000")
    serial = world.lot(seller, quantity="50", grade=4)
    first = trade(seller, buyer, serial, "300000.00", "2", instrument="FO-QTY")
    second = trade(seller, buyer, serial, "310000.00", "1.5", instrument="FO-QTY")
    return world, seller, buyer, stranger, serial, first, second


def test_a_trade_names_its_lot_then_its_child_lot_once_paid(farmland):
    world, seller, buyer, _stranger, serial, first, _second = farmland
    pending = buyer.get(f"/api/v1/trades/{first}").json
    assert {key: pending[key] for key in (
        "id", "instrument", "price", "quantity", "amount", "lot_serial", "origin_district_code",
        "child_lot_serial", "settlement_status")} == {
        "id": first, "instrument": "FO-QTY", "price": "300000.00", "quantity": "2.0000",
        "amount": "600000.00", "lot_serial": serial, "origin_district_code": "320282",
        "child_lot_serial": None, "settlement_status": "pending_payment"}
    assert buyer.post(f"/api/v1/settlements/{pending['settlement_id']}/pay").status_code == 200
    paid = seller.get(f"/api/v1/trades/{first}").json
    assert paid["settlement_status"] == "completed"
    child = paid["child_lot_serial"]
    assert child and child != serial
    assert buyer.get(f"/api/v1/lots/{child}").json["parent"]["serial"] == serial
    assert world.regulator.get(f"/api/v1/trades/{first}").json == paid


def test_from_a_lot_to_the_trades_that_moved_it_both_ways(farmland):
    world, seller, buyer, _stranger, serial, first, second = farmland
    settlement = buyer.get(f"/api/v1/trades/{first}").json["settlement_id"]
    buyer.post(f"/api/v1/settlements/{settlement}/pay")
    # A regulator annuls the second trade's settlement: the quantity returns, the trade stays.
    cancelled = world.regulator.post(
        f"/api/v1/settlements/{buyer.get(f'/api/v1/trades/{second}').json['settlement_id']}"
        "/cancel", json={"reason": "合同争议"})
    assert cancelled.status_code == 200, cancelled.json

    out = seller.get(f"/api/v1/lots/{serial}/trades").json
    assert [(t["id"], t["direction"], t["price"], t["quantity"], t["settlement_status"])
            for t in out] == [(first, "out", "300000.00", "2.0000", "completed"),
                              (second, "out", "310000.00", "1.5000", "cancelled")]
    child = out[0]["child_lot_serial"]
    came_in = buyer.get(f"/api/v1/lots/{child}/trades").json
    assert [(t["id"], t["direction"], t["lot_serial"], t["child_lot_serial"])
            for t in came_in] == [(first, "in", serial, child)]
    assert world.regulator.get(f"/api/v1/lots/{child}/trades").json == came_in


def test_an_immediately_settled_trade_has_its_child_lot_at_once(world):
    seller = world.trader("xiangshan", "330225")
    buyer = world.trader("yinzhou", "330212", cash="10000")
    serial = world.lot(seller, instrument="ECO-CARBON", quantity="40")
    trade_id = trade(seller, buyer, serial, "60.00", "7")
    detail = buyer.get(f"/api/v1/trades/{trade_id}").json
    assert (detail["settlement_status"], detail["lot_serial"]) == ("completed", serial)
    assert buyer.get(f"/api/v1/lots/{detail['child_lot_serial']}/trades").json[0]["id"] == \
        trade_id


def test_only_the_parties_and_regulators_see_a_trade_and_only_owners_a_lots_trades(farmland):
    world, _seller, _buyer, stranger, serial, first, _second = farmland
    hidden = stranger.get(f"/api/v1/trades/{first}")
    assert hidden.status_code == 404 and hidden.json["error"]["code"] == "not_found"
    # Indistinguishable from a trade that does not exist.
    assert stranger.get("/api/v1/trades/999999").json["error"]["code"] == "not_found"
    assert stranger.get(f"/api/v1/lots/{serial}/trades").status_code == 404
    assert world.anonymous.get(f"/api/v1/trades/{first}").status_code == 401
    assert world.anonymous.get(f"/api/v1/lots/{serial}/trades").status_code == 401
    assert world.admin.get(f"/api/v1/trades/{first}").status_code == 403
    assert world.regulator.get(f"/api/v1/lots/{serial}/trades").status_code == 200
    assert world.regulator.get("/api/v1/lots/NO-SUCH-LOT/trades").status_code == 404
