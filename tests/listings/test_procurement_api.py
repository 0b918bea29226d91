"""Procurements (reverse auctions) over the API: demand, sellers' lots, offers down, close."""

from decimal import Decimal

from sqlalchemy import func, select

from market.extensions import db
from market.services import listings
from models import Auction, AuctionRegistration, Settlement, Trade
from tests.listings.conftest import cash, lot_buckets, procurement_body


def _demand(buyer, **changes):
    created = buyer.post("/api/v1/procurements", json=procurement_body(**changes))
    assert created.status_code == 201, created.json
    return created.json


def _sellers(world):
    first = world.trader("jiangyin", "320281", cash="100000")
    second = world.trader("yixing", "320282", cash="100000")
    return first, world.lot(first, quantity="5", grade=3), second, world.lot(second, quantity="5",
                                                                              grade=4)


def test_a_procurement_runs_end_to_end(world, clock):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    first, first_lot, second, second_lot = _sellers(world)
    demand = _demand(buyer, max_quality_grade=5)
    pid = demand["id"]
    assert (demand["status"], demand["floor_price"], demand["decrement"]) == (
        "announced", "250000.00", "1000.00")
    # the buyer's deposit on the demand at the start price: 20 % of 600,000
    assert cash(buyer) == (Decimal("880000.00"), Decimal("120000.00"))
    for seller, serial in ((first, first_lot), (second, second_lot)):
        registered = seller.post(f"/api/v1/procurements/{pid}/registrations",
                                 json={"lot_serial": serial})
        assert registered.status_code == 201, registered.json
        assert registered.json["lot_serial"] == serial
    assert lot_buckets(first_lot) == (Decimal("3.0000"), Decimal("2.0000"))
    assert cash(first) == (Decimal("80000.00"), Decimal("20000.00"))

    clock.at(61)
    path = f"/api/v1/procurements/{pid}/offers"
    assert first.post(path, json={"price": "300100.00"}).json["error"]["code"] == "above_start"
    assert first.post(path, json={"price": "300000.00"}).status_code == 201
    assert second.post(path, json={"price": "299500.00"}).json["error"]["code"] == \
        "decrement_too_small"
    assert second.post(path, json={"price": "249900.00"}).json["error"]["code"] == \
        "below_floor_price"
    assert second.post(path, json={"price": "280000.00"}).status_code == 201
    # the floor may be offered below the decrement, by several sellers: the earliest wins
    assert first.post(path, json={"price": "250000.00"}).status_code == 201
    assert second.post(path, json={"price": "250000.00"}).status_code == 201
    assert buyer.get(f"/api/v1/procurements/{pid}").json["best_offer"] == "250000.00"

    assert listings.close_due(clock.at(121)) == 1
    assert listings.close_due(clock.at(122)) == 0
    closed = buyer.get(f"/api/v1/procurements/{pid}").json
    assert closed["status"] == "closed"
    assert (closed["result"]["price"], closed["result"]["winner_account_id"]) == (
        "250000.00", first.user.account_id)
    trade = db.session.get(Trade, closed["result"]["trade_id"])
    assert (trade.mechanism, trade.seller_account_id, trade.buyer_account_id, trade.lot.serial) \
        == ("procurement", first.user.account_id, buyer.user.account_id, first_lot)
    settlement = db.session.get(Settlement, closed["result"]["settlement_id"])
    # the buyer's deposit at the deal's price (20 % of 500,000) is the settlement's; the
    # rest of its hold comes back
    assert (settlement.deposit, settlement.amount_due) == (Decimal("100000.00"),
                                                           Decimal("400000.00"))
    assert cash(buyer) == (Decimal("900000.00"), Decimal("0.00"))
    # every seller's deposit comes back; the loser's lot is free again
    assert cash(first) == cash(second) == (Decimal("100000.00"), Decimal("0.00"))
    assert lot_buckets(second_lot) == (Decimal("5.0000"), Decimal("0.0000"))
    assert lot_buckets(first_lot) == (Decimal("3.0000"), Decimal("2.0000"))
    confirmation = first.get(f"/api/v1/procurements/{pid}/confirmation").json
    assert confirmation["buyer"]["account_id"] == buyer.user.account_id
    assert second.get(f"/api/v1/procurements/{pid}/confirmation").status_code == 404
    assert buyer.post(f"/api/v1/settlements/{settlement.id}/pay").json["status"] == "completed"
    assert lot_buckets(first_lot) == (Decimal("3.0000"), Decimal("0.0000"))


def test_sellers_lots_must_deliver_the_demand(world, clock):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    pid = _demand(buyer, max_quality_grade=3)["id"]
    seller = world.trader("yixing", "320282", cash="100000")
    path = f"/api/v1/procurements/{pid}/registrations"
    worse = world.lot(seller, quantity="5", grade=6)
    small = world.lot(seller, quantity="1", grade=2)
    carbon = world.lot(seller, instrument="ECO-CARBON", quantity="100")
    outsider = world.trader("yinzhou", "330212", cash="100000")
    far = world.lot(outsider, quantity="5", grade=2)
    for caller, body, status, code in (
            (seller, {"lot_serial": worse}, 422, "out_of_scope"),
            (seller, {"lot_serial": small}, 409, "insufficient_quantity"),
            (seller, {"lot_serial": carbon}, 422, "lot_instrument_mismatch"),
            (seller, {}, 422, "validation_error"),
            (outsider, {"lot_serial": far}, 422, "out_of_scope"),
            (outsider, {"lot_serial": worse}, 422, "lot_not_yours"),
            (buyer, {"lot_serial": worse}, 409, "own_auction")):
        answer = caller.post(path, json=body)
        assert (answer.status_code, answer.json["error"]["code"]) == (status, code), answer.json
    assert db.session.scalar(select(func.count(AuctionRegistration.id))) == 0
    assert cash(seller) == (Decimal("100000.00"), Decimal("0.00"))
    assert lot_buckets(worse) == (Decimal("5.0000"), Decimal("0.0000"))


def test_bad_demands_are_4xx_and_change_nothing(world, clock):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    poor = world.trader("poor", "320214", cash="1000")
    for changes, status, field in (
            ({"floor_price": "310000.00"}, 422, "floor_price"),
            ({"floor_price": "100000.00"}, 422, "floor_price"),   # below the instrument floor
            ({"decrement": "50.00"}, 422, "decrement"),
            ({"instrument": "NOPE"}, 422, "instrument"),
            ({"instrument": "ECO-CARBON", "max_quality_grade": 3, "start_price": "60.00",
              "floor_price": "50.00", "decrement": "1.00", "quantity": "10",
              "bid_deposit": "1.00"}, 422, "max_quality_grade"),
            ({"max_quality_grade": 16}, 422, "max_quality_grade"),
            ({"bid_deposit": "600000.00"}, 422, "bid_deposit")):
        answer = buyer.post("/api/v1/procurements", json=procurement_body(**changes))
        assert answer.status_code == status, (changes, answer.json)
        assert field in answer.json["error"]["fields"], (changes, answer.json)
    broke = poor.post("/api/v1/procurements", json=procurement_body())
    assert broke.json["error"]["code"] == "insufficient_funds"
    assert db.session.scalar(select(func.count(Auction.id))) == 0
    assert cash(buyer) == (Decimal("1000000.00"), Decimal("0.00"))


def test_a_procurement_without_offers_fails_and_the_buyer_is_released(world, clock):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    seller = world.trader("yixing", "320282", cash="100000")
    lot = world.lot(seller, quantity="5")
    pid = _demand(buyer)["id"]
    seller.post(f"/api/v1/procurements/{pid}/registrations", json={"lot_serial": lot})
    listings.close_due(clock.at(200))
    assert buyer.get(f"/api/v1/procurements/{pid}").json["status"] == "failed"
    assert cash(buyer) == (Decimal("1000000.00"), Decimal("0.00"))
    assert cash(seller) == (Decimal("100000.00"), Decimal("0.00"))
    assert lot_buckets(lot) == (Decimal("5.0000"), Decimal("0.0000"))
    assert buyer.get(f"/api/v1/procurements/{pid}/confirmation").json["error"]["code"] == \
        "no_deal"
    # a listing's id is not a procurement's
    assert buyer.get(f"/api/v1/listings/{pid}").status_code == 404
