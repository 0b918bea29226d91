"""Placing, changing and cancelling orders through the API."""

from decimal import Decimal

import pytest


def order(side, price, quantity, cid, **extra):
    body = {"instrument": "FO-QTY", "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid}
    body.update(extra)
    return body


@pytest.fixture
def market(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, quantity="50", grade=4)
    return world, seller, buyer, serial


def test_a_buy_holds_its_deposit_and_a_cancel_releases_it_exactly(market):
    _world, _seller, buyer, _serial = market
    placed = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "2.5", "b-1"))
    assert placed.status_code == 201, placed.json
    assert placed.json["order"]["status"] == "open"
    assert placed.json["order"]["held"] == "150000.00"  # 20 % of 300,000 × 2.5
    me = buyer.get("/api/v1/accounts/me").json
    assert (me["cash_available"], me["cash_held"]) == ("9850000.00", "150000.00")
    cancelled = buyer.delete(f"/api/v1/orders/{placed.json['order']['id']}")
    assert cancelled.json["status"] == "cancelled"
    me = buyer.get("/api/v1/accounts/me").json
    assert (me["cash_available"], me["cash_held"]) == ("10000000.00", "0.00")


def test_a_sell_encumbers_its_lot_and_a_crossing_buy_trades_at_the_sellers_price(market):
    _world, seller, buyer, serial = market
    sell = seller.post("/api/v1/orders", json=order("sell", "290000.00", "10", "s-1",
                                                   lot_serial=serial))
    assert sell.status_code == 201, sell.json
    assert seller.get(f"/api/v1/lots/{serial}").json["encumbered"] == "10.0000"
    buy = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "4", "b-1"))
    assert buy.status_code == 201, buy.json
    assert buy.json["order"]["status"] == "filled"
    [fill] = buy.json["fills"]
    assert (fill["price"], fill["quantity"], fill["amount"]) == ("290000.00", "4.0000",
                                                                  "1160000.00")
    assert buy.json["order"]["held"] == "0.00"


def test_the_same_client_order_id_replays_and_a_different_body_is_409(market):
    _world, _seller, buyer, _serial = market
    first = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "same"))
    again = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "same"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["order"]["id"] == first.json["order"]["id"]
    assert again.json["replayed"] is True
    different = buyer.post("/api/v1/orders", json=order("buy", "300100.00", "1", "same"))
    assert different.status_code == 409
    assert different.json["error"]["code"] == "duplicate_client_order_id"
    assert len(buyer.get("/api/v1/orders").json) == 1


@pytest.mark.parametrize(("body", "status", "code"), [
    (order("buy", "300050.00", "1", "x"), 422, "bad_tick"),
    (order("buy", "300000.00", "1.00005", "x"), 422, "validation_error"),
    (order("buy", "300000.00", "1.001", "x"), 422, "bad_lot"),
    (order("buy", "500000.00", "1", "x"), 422, "outside_band"),
    (order("buy", "200000.00", "1", "x"), 422, "outside_band"),
    (order("buy", "100000.00", "1", "x"), 422, "below_floor"),
    (order("buy", "300000.00", "1000", "x"), 409, "insufficient_funds"),
    (order("sell", "300000.00", "1", "x", lot_serial="FO-QTY-000000-2024-999999"), 422,
     "lot_not_yours"),
    (order("buy", "300000.00", "1", "x", tif="GTD"), 422, "validation_error"),
    (order("buy", "300000.00", "1", "x", tif="GTD", expires_at="2020-01-01T00:00:00+08:00"),
     422, "expired_on_arrival"),
    (dict(order("buy", "300000.00", "1", "x"), instrument="GOLD"), 422, "unknown_instrument"),
])
def test_bad_orders_get_their_own_error_and_change_nothing(market, body, status, code):
    _world, _seller, buyer, _serial = market
    response = buyer.post("/api/v1/orders", json=body)
    assert (response.status_code, response.json["error"]["code"]) == (status, code), response.json
    assert buyer.get("/api/v1/orders").json == []
    assert buyer.get("/api/v1/accounts/me").json["cash_held"] == "0.00"


def test_selling_more_than_the_lot_has_or_someone_elses_lot_is_refused(market):
    world, seller, buyer, serial = market
    too_much = seller.post("/api/v1/orders", json=order("sell", "300000.00", "50.01", "s",
                                                       lot_serial=serial))
    assert too_much.json["error"]["code"] == "insufficient_quantity"
    other = world.trader("huangtu", "320281100")
    theirs = other.post("/api/v1/orders", json=order("sell", "300000.00", "1", "s",
                                                    lot_serial=serial))
    assert theirs.json["error"]["code"] == "lot_not_yours"


def test_a_pending_lot_cannot_be_sold(market):
    world, seller, _buyer, _serial = market
    pending = world.lot(seller, quantity="5", verify=False)
    response = seller.post("/api/v1/orders", json=order("sell", "300000.00", "1", "s",
                                                       lot_serial=pending))
    assert (response.status_code, response.json["error"]["code"]) == (409, "lot_not_active")


def test_a_halted_instrument_and_a_frozen_account_refuse_orders(market):
    world, _seller, buyer, _serial = market
    world.regulator.post("/api/v1/instruments/FO-QTY/halt", json={"reason": "异常"})
    halted = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b"))
    assert (halted.status_code, halted.json["error"]["code"]) == (409, "instrument_halted")
    world.regulator.post("/api/v1/instruments/FO-QTY/resume", json={"reason": "恢复"})
    world.regulator.post(f"/api/v1/accounts/{buyer.user.account_id}/freeze",
                         json={"reason": "核查"})
    frozen = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b"))
    assert frozen.json["error"]["code"] == "account_frozen"


def test_reduce_keeps_priority_and_releases_the_difference(market):
    world, seller, buyer, serial = market
    other = world.trader("liangxi", "320213", cash="10000000")
    first = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "4", "b1")).json
    other.post("/api/v1/orders", json=order("buy", "300000.00", "4", "o1"))
    reduced = buyer.patch(f"/api/v1/orders/{first['order']['id']}", json={"quantity": "1"})
    assert reduced.status_code == 200, reduced.json
    assert (reduced.json["order"]["remaining"], reduced.json["order"]["held"]) == (
        "1.0000", "60000.00")
    sell = seller.post("/api/v1/orders", json=order("sell", "300000.00", "1", "s1",
                                                   lot_serial=serial)).json
    assert sell["fills"][0]["buyer_account_id"] == buyer.user.account_id


def test_replace_loses_priority_and_can_trade_at_once(market):
    world, seller, buyer, serial = market
    other = world.trader("liangxi", "320213", cash="10000000")
    mine = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b1")).json
    other.post("/api/v1/orders", json=order("buy", "300000.00", "1", "o1"))
    seller.post("/api/v1/orders", json=order("sell", "310000.00", "1", "s1", lot_serial=serial))
    moved = buyer.patch(f"/api/v1/orders/{mine['order']['id']}", json={"price": "310000.00"})
    assert moved.status_code == 200, moved.json
    assert moved.json["order"]["status"] == "filled"
    assert moved.json["fills"][0]["price"] == "310000.00"
    back = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b2")).json
    sell = seller.post("/api/v1/orders", json=order("sell", "300000.00", "1", "s2",
                                                   lot_serial=serial)).json
    assert sell["fills"][0]["buy_order_id"] != back["order"]["id"]


def test_ioc_and_fok(market):
    _world, seller, buyer, serial = market
    seller.post("/api/v1/orders", json=order("sell", "300000.00", "2", "s1", lot_serial=serial))
    fok = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "3", "f", tif="FOK")).json
    assert (fok["order"]["status"], fok["order"]["close_reason"], fok["fills"]) == (
        "cancelled", "fok_unfillable", [])
    ioc = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "3", "i", tif="IOC")).json
    assert (ioc["order"]["status"], ioc["order"]["filled"]) == ("cancelled", "2.0000")
    assert buyer.get("/api/v1/accounts/me").json["cash_held"] == "0.00"


def test_self_trade_is_prevented_by_cancelling_the_resting_order(world):
    both = world.trader("jiangyin", "320281", cash="10000000")
    serial = world.lot(both, quantity="5")
    resting = both.post("/api/v1/orders", json=order("sell", "300000.00", "1", "s",
                                                    lot_serial=serial)).json
    buy = both.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b")).json
    assert buy["fills"] == [] and buy["order"]["status"] == "open"
    old = both.get(f"/api/v1/orders/{resting['order']['id']}").json
    assert (old["status"], old["close_reason"]) == ("cancelled", "self_trade_prevented")
    assert both.get(f"/api/v1/lots/{serial}").json["encumbered"] == "0.0000"


def test_quality_demand_skips_worse_lots_but_keeps_their_place(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    poor = world.lot(seller, quantity="5", grade=9)
    good = world.lot(seller, quantity="5", grade=2)
    seller.post("/api/v1/orders", json=order("sell", "290000.00", "1", "p", lot_serial=poor))
    seller.post("/api/v1/orders", json=order("sell", "300000.00", "1", "g", lot_serial=good))
    buy = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b",
                                                 max_quality_grade=3)).json
    assert [f["lot_serial"] for f in buy["fills"]] == [good]
    book = buyer.get("/api/v1/instruments/FO-QTY/book").json
    assert book["best_ask"] == "290000.00"


def test_a_linkage_lot_trades_only_in_its_county_during_the_local_first_window(world):
    world.regulator.patch("/api/v1/instruments/LS", json={"trading_mode": "continuous"})
    seller = world.trader("huangtu", "320281100")
    serial = world.lot(seller, instrument="LS", quantity="5")
    city_buyer = world.trader("xinwu", "320214", cash="10000000")
    county_buyer = world.trader("jiangyin", "320281", cash="10000000")
    seller.post("/api/v1/orders", json=dict(order("sell", "450000.00", "1", "s",
                                                 lot_serial=serial), instrument="LS"))
    outside = city_buyer.post("/api/v1/orders", json=dict(order("buy", "450000.00", "1", "b"),
                                                        instrument="LS")).json
    assert outside["fills"] == []
    inside = county_buyer.post("/api/v1/orders", json=dict(order("buy", "450000.00", "1", "c"),
                                                          instrument="LS")).json
    assert [f["quantity"] for f in inside["fills"]] == ["1.0000"]


def test_depth_aggregates_levels(market):
    world, seller, buyer, serial = market
    other = world.trader("liangxi", "320213", cash="10000000")
    buyer.post("/api/v1/orders", json=order("buy", "280000.00", "1", "b1"))
    other.post("/api/v1/orders", json=order("buy", "280000.00", "2.5", "o1"))
    buyer.post("/api/v1/orders", json=order("buy", "270000.00", "1", "b2"))
    seller.post("/api/v1/orders", json=order("sell", "310000.00", "3", "s1", lot_serial=serial))
    book = buyer.get("/api/v1/instruments/FO-QTY/book").json
    assert book["bids"] == [{"price": "280000.00", "quantity": "3.5000", "orders": 2},
                            {"price": "270000.00", "quantity": "1.0000", "orders": 1}]
    assert (book["best_bid"], book["best_ask"]) == ("280000.00", "310000.00")
    assert Decimal(book["asks"][0]["quantity"]) == 3


def test_a_refused_order_leaves_only_a_rejection_record_for_surveillance(market):
    from sqlalchemy import select

    from market.extensions import db
    from models import OrderRejection

    _world, _seller, buyer, _serial = market
    buyer.post("/api/v1/orders", json=order("buy", "200000.00", "1", "far"))
    [rejection] = db.session.scalars(select(OrderRejection)).all()
    assert (rejection.code, rejection.price, rejection.account_id) == (
        "outside_band", Decimal("200000.00"), buyer.user.account_id)


def test_freezing_a_lot_or_an_account_cancels_its_resting_orders(market):
    world, seller, buyer, serial = market
    ask = seller.post("/api/v1/orders", json=order("sell", "310000.00", "2", "s",
                                                  lot_serial=serial)).json["order"]
    bid = buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "b")).json["order"]
    world.regulator.post(f"/api/v1/lots/{serial}/freeze", json={"reason": "权属争议"})
    cancelled = seller.get(f"/api/v1/orders/{ask['id']}").json
    assert (cancelled["status"], cancelled["close_reason"]) == ("cancelled", "lot_frozen")
    assert seller.get(f"/api/v1/lots/{serial}").json["encumbered"] == "0.0000"
    world.regulator.post(f"/api/v1/accounts/{buyer.user.account_id}/freeze",
                         json={"reason": "核查"})
    assert buyer.get(f"/api/v1/orders/{bid['id']}").json["close_reason"] == "account_frozen"
    assert buyer.get("/api/v1/accounts/me").json["cash_held"] == "0.00"


def test_a_replay_reports_the_fills_of_the_placement_not_later_ones(market):
    _world, seller, buyer, serial = market
    first = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b-1")).json
    assert first["fills"] == []
    seller.post("/api/v1/orders", json=order("sell", "300000.00", "1", "s-1", lot_serial=serial))
    again = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b-1")).json
    assert (again["replayed"], again["fills"], again["order"]["status"]) == (True, [], "filled")
    taker = seller.post("/api/v1/orders", json=order("sell", "290000.00", "1", "s-2",
                                                    lot_serial=serial)).json
    buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b-2"))
    assert taker["fills"] == []
    crossing = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "1", "b-2")).json
    assert [f["price"] for f in crossing["fills"]] == ["290000.00"]


def test_a_refusal_among_several_commands_fails_the_whole_call(market):
    """Of several commands (a freeze's cancels), one the book refuses means the book and the
    rows disagree: the seam fails the call rather than write the others' events alone (a
    live book would have applied them and kept them)."""
    from market.extensions import db
    from market.services.trading import engine
    from matching import Cancel
    from models import Order
    from models.base import utcnow

    _world, _seller, buyer, _serial = market
    ids = [buyer.post("/api/v1/orders", json=order("buy", price, "1", cid)).json["order"]["id"]
           for price, cid in (("290000.00", "b1"), ("291000.00", "b2"))]
    first, second = (db.session.get(Order, order_id) for order_id in ids)
    with pytest.raises(RuntimeError, match="refused 1 of 2 commands"):
        # The book holds only the second: cancelling the first is refused.
        engine._run(first.instrument, [second], [first, second],
                    [Cancel(first.id, at=utcnow()), Cancel(second.id, at=utcnow())], None,
                    utcnow())
    db.session.rollback()
    assert [db.session.get(Order, order_id).status for order_id in ids] == ["open", "open"]


def test_an_amendment_event_moves_the_hold_and_the_encumbrance_with_the_open_quantity(market):
    """The API only reduces or reprices; the seam still persists an engine ``Amend`` exactly."""
    from market.extensions import db
    from market.services.trading import engine
    from matching import Amend
    from models import Lot, Order
    from models.base import utcnow

    _world, seller, buyer, serial = market
    bought = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "2", "b1")).json
    sold = seller.post("/api/v1/orders", json=order("sell", "320000.00", "5", "s1",
                                                   lot_serial=serial)).json
    for order_id, change in ((bought["order"]["id"], {"new_quantity": Decimal("3")}),
                             (sold["order"]["id"], {"new_quantity": Decimal("4")})):
        row = db.session.get(Order, order_id)
        outcome = engine._run(row.instrument, [row], [row], [Amend(row.id, **change)], None,
                              utcnow())
        assert outcome.rejection is None
    db.session.flush()
    buy_row, sell_row = db.session.get(Order, bought["order"]["id"]), db.session.get(
        Order, sold["order"]["id"])
    assert (buy_row.remaining, buy_row.held) == (Decimal("3"), Decimal("180000.00"))
    lot = db.session.get(Lot, sell_row.lot_id)
    assert (sell_row.remaining, sell_row.quantity) == (Decimal("4"), Decimal("4"))
    assert lot.encumbered == Decimal("4")
