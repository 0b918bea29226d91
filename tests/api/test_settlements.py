"""Settlement edges: instant delivery versus payment, cancellation, refusals."""

import pytest


def order(instrument, side, price, quantity, cid, **extra):
    return {"instrument": instrument, "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid, **extra}


@pytest.fixture
def traded(world):
    """One FO-QTY trade of 2 mu at 300,000 awaiting payment."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="10")
    seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "2", "s",
                                            lot_serial=serial))
    buyer.post("/api/v1/orders", json=order("FO-QTY", "buy", "300000.00", "2", "b"))
    [settlement] = buyer.get("/api/v1/settlements").json
    return world, seller, buyer, serial, settlement


def test_a_zero_day_full_deposit_instrument_settles_at_the_match(world):
    seller = world.trader("xiangshan", "330225")
    buyer = world.trader("yinzhou", "330212", cash="100000")
    serial = world.lot(seller, instrument="ECO-CARBON", quantity="1000")
    seller.post("/api/v1/orders", json=order("ECO-CARBON", "sell", "58.50", "400", "s",
                                            lot_serial=serial))
    buy = buyer.post("/api/v1/orders", json=order("ECO-CARBON", "buy", "60.00", "400", "b")).json
    assert [(f["price"], f["amount"]) for f in buy["fills"]] == [("58.50", "23400.00")]
    [settlement] = buyer.get("/api/v1/settlements").json
    assert (settlement["status"], settlement["amount_due"]) == ("completed", "0.00")
    child = buyer.get(f"/api/v1/lots/{settlement['child_lot_serial']}").json
    assert (child["available"], child["parent"]["serial"]) == ("400.0000", serial)
    me = buyer.get("/api/v1/accounts/me").json
    assert (me["cash_available"], me["cash_held"]) == ("76600.00", "0.00")
    # 20 bp fee: 23,400 × 0.002 = 46.80
    assert seller.get("/api/v1/accounts/me").json["cash_available"] == "23353.20"


def test_a_regulator_cancels_a_settlement_and_everything_returns(traded):
    world, seller, buyer, serial, settlement = traded
    world.regulator.post(f"/api/v1/settlements/{settlement['id']}/payments",
                         json={"amount": "100000.00", "reference": "BOC-9"})
    cancelled = world.regulator.post(f"/api/v1/settlements/{settlement['id']}/cancel",
                                     json={"reason": "项目用地未获批准"})
    assert (cancelled.json["status"], cancelled.json["close_reason"]) == (
        "cancelled", "项目用地未获批准")
    # the deposit and the bank payment both go back to the buyer's available cash
    assert buyer.get("/api/v1/accounts/me").json["cash_available"] == "1100000.00"
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["encumbered"]) == ("10.0000", "0.0000")
    assert buyer.post(f"/api/v1/settlements/{settlement['id']}/pay").status_code == 409


def test_refusals_change_nothing(traded):
    world, seller, buyer, _serial, settlement = traded
    sid = settlement["id"]
    assert seller.post(f"/api/v1/settlements/{sid}/pay").status_code == 404
    over = world.regulator.post(f"/api/v1/settlements/{sid}/payments",
                                json={"amount": "480000.01", "reference": "x"})
    assert (over.status_code, over.json["error"]["code"]) == (422, "overpayment")
    world.regulator.post(f"/api/v1/accounts/{buyer.user.account_id}/withdrawals",
                         json={"amount": "800000.00", "reference": "out"})
    poor = buyer.post(f"/api/v1/settlements/{sid}/pay")
    assert (poor.status_code, poor.json["error"]["code"]) == (409, "insufficient_funds")
    assert buyer.get(f"/api/v1/settlements/{sid}").json["amount_due"] == "480000.00"
    assert buyer.post("/api/v1/settlements/999/pay").status_code == 404
    assert buyer.post(f"/api/v1/settlements/{sid}/cancel", json={"reason": "x"}
                      ).status_code == 403


def test_a_third_party_cannot_see_a_settlement(traded):
    world, _seller, _buyer, _serial, settlement = traded
    stranger = world.trader("liangxi", "320213")
    assert stranger.get(f"/api/v1/settlements/{settlement['id']}").status_code == 404
    assert stranger.get("/api/v1/settlements").json == []
    assert stranger.get("/api/v1/trades").json == []
    assert len(world.regulator.get("/api/v1/trades").json) == 1


def test_recent_trades_name_no_parties(traded):
    world, _seller, buyer, _serial, _settlement = traded
    [trade] = buyer.get("/api/v1/instruments/FO-QTY/trades").json
    assert "buyer_account_id" not in trade and trade["price"] == "300000.00"
