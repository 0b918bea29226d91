"""Negotiated transfers over the API: each rule, each refusal, and both approval paths."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from models import Instrument, Trade
from tests.negotiated.conftest import me, propose

BASE = "/api/v1/negotiated-transfers"


def lot_buckets(caller, serial):
    lot = caller.get(f"/api/v1/lots/{serial}").json
    return lot["available"], lot["encumbered"]


def test_within_a_province_one_approval_makes_the_trade_and_its_settlement(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    proposed = propose(cast.yixing, serial, cast.xinwu, "2", "310000.00")
    assert proposed.status_code == 201, proposed.json
    transfer = proposed.json
    assert (transfer["status"], transfer["cross_province"], transfer["amount"]) == (
        "proposed", False, "620000.00")
    assert lot_buckets(cast.yixing, serial) == ("8.0000", "2.0000")
    accepted = cast.xinwu.post(f"{BASE}/{transfer['id']}/accept")
    assert accepted.status_code == 200, accepted.json
    # FO-QTY asks a 20 % deposit: 124,000 of 620,000
    assert (accepted.json["status"], accepted.json["deposit"]) == ("accepted", "124000.00")
    assert me(cast.xinwu) == ("1876000.00", "124000.00")
    assert [a["side"] for a in accepted.json["approvals"]] == ["seller"]
    approved = cast.wuxi.post(f"{BASE}/{transfer['id']}/approve")
    assert approved.status_code == 200, approved.json
    body = approved.json
    assert (body["status"], body["awaiting"]) == ("approved", [])
    trade = db.session.get(Trade, body["trade_id"])
    assert (trade.mechanism, trade.buy_order_id, trade.sell_order_id, trade.price) == (
        "negotiated", None, None, Decimal("310000.00"))
    settlement = cast.xinwu.get(f"/api/v1/settlements/{body['settlement_id']}").json
    assert (settlement["status"], settlement["deposit"], settlement["amount_due"]) == (
        "pending_payment", "124000.00", "496000.00")
    assert me(cast.xinwu) == ("1876000.00", "0.00")
    paid = cast.xinwu.post(f"/api/v1/settlements/{body['settlement_id']}/pay").json
    assert paid["status"] == "completed"
    assert lot_buckets(cast.yixing, serial) == ("8.0000", "0.0000")
    trades = cast.xinwu.get("/api/v1/trades?mechanism=negotiated").json
    assert [t["mechanism"] for t in trades] == ["negotiated"]


def test_across_provinces_both_provinces_approve(cast):
    serial = cast.world.lot(cast.xiangshan, quantity="10")
    transfer = propose(cast.xiangshan, serial, cast.xinwu).json
    assert transfer["cross_province"] is True
    tid = transfer["id"]
    cast.xinwu.post(f"{BASE}/{tid}/accept")
    assert cast.jiangsu.get(f"{BASE}?awaiting=me").json[0]["id"] == tid
    assert cast.ningbo.get(f"{BASE}?awaiting=me").json[0]["id"] == tid
    first = cast.jiangsu.post(f"{BASE}/{tid}/approve")
    assert first.status_code == 200
    assert (first.json["status"], first.json["awaiting"]) == ("accepted", ["seller"])
    assert cast.jiangsu.get(f"{BASE}?awaiting=me").json == []
    again = cast.jiangsu.post(f"{BASE}/{tid}/approve")
    assert (again.status_code, again.json["error"]["code"]) == (409, "already_approved")
    assert db.session.scalar(select(Trade.id)) is None
    second = cast.ningbo.post(f"{BASE}/{tid}/approve")
    assert second.status_code == 200
    assert second.json["status"] == "approved"
    assert {a["side"]: a["approved_by_user_id"] for a in second.json["approvals"]} == {
        "seller": cast.ningbo.user.id, "buyer": cast.jiangsu.user.id}
    assert cast.xiangshan.get(f"{BASE}/{tid}").json["trade_id"] == second.json["trade_id"]
    lineage = cast.xinwu.get(f"/api/v1/trades/{second.json['trade_id']}").json
    assert lineage["mechanism"] == "negotiated"


def test_a_national_regulator_approves_every_side_at_once(cast):
    serial = cast.world.lot(cast.xiangshan, quantity="10")
    tid = propose(cast.xiangshan, serial, cast.xinwu).json["id"]
    cast.xinwu.post(f"{BASE}/{tid}/accept")
    assert cast.national.post(f"{BASE}/{tid}/approve").json["status"] == "approved"


def test_the_wrong_regulator_is_refused_and_nothing_moves(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    tid = propose(cast.yixing, serial, cast.xinwu).json["id"]
    cast.xinwu.post(f"{BASE}/{tid}/accept")
    # Ningbo's and Zhejiang's regulators see neither party: 404
    for outsider in (cast.ningbo, cast.zhejiang):
        assert outsider.get(f"{BASE}/{tid}").status_code == 404
        assert outsider.post(f"{BASE}/{tid}/approve").status_code == 404
        assert outsider.post(f"{BASE}/{tid}/reject", json={"reason": "x"}).status_code == 404
    # traders are not regulators
    assert cast.xinwu.post(f"{BASE}/{tid}/approve").status_code == 403
    assert cast.xinwu.get(f"{BASE}/{tid}").json["status"] == "accepted"


def test_a_buyer_side_regulator_cannot_reject_a_transfer_that_needs_only_the_seller(cast):
    """Within Jiangsu only the seller's side decides; a regulator who sees only the buyer
    (a buyer-side city inside the same province cannot exist apart from the seller's
    province, so a cross-province seller side stands in) is refused with 403."""
    serial = cast.world.lot(cast.xiangshan, quantity="10")
    tid = propose(cast.xiangshan, serial, cast.yinzhou).json["id"]  # 象山 → 鄞州, one province
    cast.yinzhou.post(f"{BASE}/{tid}/accept")
    assert cast.jiangsu.get(f"{BASE}/{tid}").status_code == 404
    assert cast.ningbo.post(f"{BASE}/{tid}/approve").json["status"] == "approved"


def test_the_price_band_is_checked_at_proposal_and_again_at_approval(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    far = propose(cast.yixing, serial, cast.xinwu, price="400000.00")  # band is ±30 % of 300k
    assert (far.status_code, far.json["error"]["code"]) == (422, "outside_band")
    off_tick = propose(cast.yixing, serial, cast.xinwu, price="300000.005")
    assert off_tick.status_code == 422
    bad_lot = propose(cast.yixing, serial, cast.xinwu, quantity="1.005")
    assert bad_lot.status_code == 422
    tid = propose(cast.yixing, serial, cast.xinwu, price="380000.00").json["id"]
    cast.xinwu.post(f"{BASE}/{tid}/accept")
    # the regulator lowers the guide price: 380,000 now lies outside 250,000 ± 30 %
    cast.national.patch("/api/v1/instruments/FO-QTY", json={"guide_price": "250000.00"})
    refused = cast.wuxi.post(f"{BASE}/{tid}/approve")
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "outside_band")
    assert cast.wuxi.get(f"{BASE}/{tid}").json["approvals"][0]["approved_at"] is None
    assert db.session.scalar(select(Trade.id)) is None


def test_rejection_releases_quantity_and_deposit_and_ends_the_transfer(cast):
    serial = cast.world.lot(cast.xiangshan, quantity="10")
    tid = propose(cast.xiangshan, serial, cast.xinwu).json["id"]
    cast.xinwu.post(f"{BASE}/{tid}/accept")
    cast.jiangsu.post(f"{BASE}/{tid}/approve")
    no_reason = cast.ningbo.post(f"{BASE}/{tid}/reject", json={})
    assert no_reason.status_code == 422
    rejected = cast.ningbo.post(f"{BASE}/{tid}/reject", json={"reason": "价格明显偏高"})
    assert (rejected.json["status"], rejected.json["close_reason"]) == ("rejected", "价格明显偏高")
    assert me(cast.xinwu) == ("2000000.00", "0.00")
    assert lot_buckets(cast.xiangshan, serial) == ("10.0000", "0.0000")
    after = cast.ningbo.post(f"{BASE}/{tid}/approve")
    assert (after.status_code, after.json["error"]["code"]) == (409, "transfer_closed")
    assert cast.xinwu.post(f"{BASE}/{tid}/accept").status_code == 409
    assert cast.xiangshan.post(f"{BASE}/{tid}/withdraw").status_code == 409


def test_the_seller_withdraws_and_the_buyer_declines(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    first = propose(cast.yixing, serial, cast.xinwu).json["id"]
    cast.xinwu.post(f"{BASE}/{first}/accept")
    assert cast.xinwu.post(f"{BASE}/{first}/withdraw").status_code == 403
    assert cast.yixing.post(f"{BASE}/{first}/withdraw").json["status"] == "withdrawn"
    assert me(cast.xinwu) == ("2000000.00", "0.00")
    second = propose(cast.yixing, serial, cast.xinwu).json["id"]
    assert cast.yixing.post(f"{BASE}/{second}/decline").status_code == 403
    assert cast.xinwu.post(f"{BASE}/{second}/decline").json["status"] == "declined"
    assert lot_buckets(cast.yixing, serial) == ("10.0000", "0.0000")


def test_only_the_named_buyer_accepts_and_only_with_the_cash(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    tid = propose(cast.yixing, serial, cast.liangxi).json["id"]
    # another trader cannot see it at all
    assert cast.xinwu.post(f"{BASE}/{tid}/accept").status_code == 404
    assert cast.xinwu.get(f"{BASE}/{tid}").status_code == 404
    assert cast.yixing.post(f"{BASE}/{tid}/accept").status_code == 403
    poor = cast.liangxi.post(f"{BASE}/{tid}/accept")  # 120,000 deposit, 50,000 cash
    assert (poor.status_code, poor.json["error"]["code"]) == (409, "insufficient_funds")
    assert me(cast.liangxi) == ("50000.00", "0.00")
    early = cast.wuxi.post(f"{BASE}/{tid}/approve")
    assert (early.status_code, early.json["error"]["code"]) == (409, "transfer_not_accepted")


def test_bad_proposals_change_nothing(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    other = cast.world.lot(cast.xiangshan, quantity="10")
    cases = [
        (propose(cast.yixing, serial, cast.xinwu, quantity="10.01"), 409,
         "insufficient_quantity"),
        (propose(cast.yixing, other, cast.xinwu), 422, "lot_not_yours"),
        (propose(cast.yixing, "NO-SUCH", cast.xinwu), 422, "lot_not_yours"),
        (propose(cast.yixing, serial, cast.yixing), 422, "same_account"),
        (cast.yixing.post(BASE, json={"lot_serial": serial, "quantity": "1",
                                      "price": "300000.00", "buyer_account_id": 99999}),
         422, "unknown_account"),
        (cast.yixing.post(BASE, json={"lot_serial": serial, "quantity": 1.5,
                                      "price": "300000.00",
                                      "buyer_account_id": cast.xinwu.user.account_id}),
         422, None),
        (cast.national.post(BASE, json={}), 403, None),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.json
        if code:
            assert response.json["error"]["code"] == code
    assert lot_buckets(cast.yixing, serial) == ("10.0000", "0.0000")
    assert cast.yixing.get(BASE).json == []


def test_the_book_quantity_and_the_proposal_share_the_lot(cast):
    serial = cast.world.lot(cast.yixing, quantity="3")
    assert propose(cast.yixing, serial, cast.xinwu, quantity="2").status_code == 201
    sell = cast.yixing.post("/api/v1/orders", json={
        "instrument": "FO-QTY", "side": "sell", "price": "300000.00", "quantity": "2",
        "client_order_id": "s1", "lot_serial": serial})
    assert sell.json["error"]["code"] == "insufficient_quantity"


def test_a_city_only_instrument_cannot_cross_provinces(cast):
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == "LS"))
    instrument.local_first_days = instrument.city_first_days = 0
    db.session.commit()
    serial = cast.world.lot(cast.yixing, instrument="LS", quantity="10")
    refused = propose(cast.yixing, serial, cast.yinzhou, price="450000.00")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "out_of_scope")
    ok = propose(cast.yixing, serial, cast.xinwu, price="450000.00")
    assert ok.status_code == 201, ok.json


def test_local_first_windows_hold_negotiated_transfers_too(cast):
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == "FO-QTY"))
    instrument.local_first_days = 30
    db.session.commit()
    serial = cast.world.lot(cast.yixing, quantity="10")
    for buyer in (cast.xinwu, cast.yinzhou):
        refused = propose(cast.yixing, serial, buyer)
        assert (refused.status_code, refused.json["error"]["code"]) == (409, "out_of_scope")


def test_a_full_deposit_instrument_delivers_at_approval(cast):
    serial = cast.world.lot(cast.xiangshan, instrument="ECO-CARBON", quantity="1000")
    tid = propose(cast.xiangshan, serial, cast.yinzhou, "100", "60.00").json["id"]
    assert cast.yinzhou.post(f"{BASE}/{tid}/accept").json["deposit"] == "6000.00"
    body = cast.ningbo.post(f"{BASE}/{tid}/approve").json
    settlement = cast.yinzhou.get(f"/api/v1/settlements/{body['settlement_id']}").json
    assert settlement["status"] == "completed"
    assert me(cast.yinzhou) == ("1994000.00", "0.00")


def test_lists_follow_the_parties_and_the_jurisdiction(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    tid = propose(cast.yixing, serial, cast.xinwu).json["id"]
    assert [t["id"] for t in cast.yixing.get(f"{BASE}?party=seller").json] == [tid]
    assert cast.yixing.get(f"{BASE}?party=buyer").json == []
    assert [t["id"] for t in cast.xinwu.get(BASE).json] == [tid]
    assert cast.yinzhou.get(BASE).json == []
    assert cast.ningbo.get(BASE).json == []
    assert [t["id"] for t in cast.wuxi.get(f"{BASE}?status=proposed").json] == [tid]
    assert cast.wuxi.get(f"{BASE}?awaiting=me").json == []
    assert cast.wuxi.get(f"{BASE}?status=nonsense").status_code == 422


def test_a_halt_a_frozen_lot_or_a_frozen_account_stops_the_transfer_until_lifted(cast):
    serial = cast.world.lot(cast.yixing, quantity="10")
    tid = propose(cast.yixing, serial, cast.xinwu).json["id"]
    cast.national.post("/api/v1/instruments/FO-QTY/halt", json={"reason": "核查"})
    halted = cast.xinwu.post(f"{BASE}/{tid}/accept")
    assert (halted.status_code, halted.json["error"]["code"]) == (409, "instrument_halted")
    cast.national.post("/api/v1/instruments/FO-QTY/resume", json={"reason": "核查完毕"})
    assert cast.xinwu.post(f"{BASE}/{tid}/accept").status_code == 200
    cast.national.post(f"/api/v1/lots/{serial}/freeze", json={"reason": "权属争议"})
    frozen = cast.wuxi.post(f"{BASE}/{tid}/approve")
    assert (frozen.status_code, frozen.json["error"]["code"]) == (409, "lot_not_active")
    cast.national.post(f"/api/v1/lots/{serial}/unfreeze", json={"reason": "已解决"})
    cast.national.post(f"/api/v1/accounts/{cast.xinwu.user.account_id}/freeze",
                       json={"reason": "调查"})
    account = cast.wuxi.post(f"{BASE}/{tid}/approve")
    assert (account.status_code, account.json["error"]["code"]) == (409, "account_frozen")
    assert db.session.scalar(select(Trade.id)) is None
    # a revocation waits until the transfer no longer holds the quantity
    revoke = cast.national.post(f"/api/v1/lots/{serial}/revoke", json={"reason": "虚假"})
    assert revoke.status_code == 409
    cast.wuxi.post(f"{BASE}/{tid}/reject", json={"reason": "账户冻结"})
    assert me(cast.xinwu) == ("2000000.00", "0.00")
