"""trading.explain_crossing: which crossing bids and offers the eligibility rules keep apart,
judged as the engine judges them (same county in the local window, grade limits)."""

from datetime import timedelta

from market.services import catalogue, trading
from models.base import utcnow


def _orders(world, instrument, ask, bid, seller_district="320282", buyer_district="320214",
            grade=5, **bid_extra):
    seller = world.trader("seller", seller_district)
    buyer = world.trader("buyer", buyer_district, cash="10000000")
    serial = world.lot(seller, instrument=instrument, quantity="5", grade=grade)
    base = {"instrument": instrument, "quantity": "1"}
    assert seller.post("/api/v1/orders", json={**base, "side": "sell", "price": ask,
                                               "lot_serial": serial,
                                               "client_order_id": "s-1"}).status_code == 201
    assert buyer.post("/api/v1/orders", json={**base, "side": "buy", "price": bid,
                                              "client_order_id": "b-1",
                                              **bid_extra}).status_code == 201


def test_an_uncrossed_book_needs_no_explanation(world):
    _orders(world, "LS", "460000.00", "450000.00")
    result = trading.explain_crossing(catalogue.instrument_by_code("LS"))
    assert (result.crossed, result.tradable, result.blocked) == (False, False, [])


def test_a_linkage_lot_in_its_county_window_is_kept_from_another_county_until_it_ends(world):
    _orders(world, "LS", "450000.00", "460000.00")
    instrument = catalogue.instrument_by_code("LS")
    result = trading.explain_crossing(instrument)
    assert result.crossed and not result.tradable
    [blocked] = result.blocked
    assert (blocked.reason, blocked.lot_place, blocked.buyer_place) == (
        "county_only", "宜兴市", "新吴区")
    assert abs(blocked.until - (utcnow() + timedelta(days=30))) < timedelta(minutes=5)
    # After the window the same pair may trade (LS stays within its city: both are Wuxi).
    later = trading.explain_crossing(instrument, utcnow() + timedelta(days=31))
    assert later.crossed and later.tradable and later.blocked == []


def test_a_bid_from_the_same_county_is_not_blocked(world):
    _orders(world, "LS", "450000.00", "460000.00", buyer_district="320282")
    result = trading.explain_crossing(catalogue.instrument_by_code("LS"))
    assert result.crossed and result.tradable and result.blocked == []


def test_a_grade_limit_that_excludes_the_offered_lot_is_named(world):
    _orders(world, "FO-QTY", "300000.00", "310000.00", grade=5, max_quality_grade=3)
    [blocked] = trading.explain_crossing(catalogue.instrument_by_code("FO-QTY")).blocked
    assert (blocked.reason, blocked.lot_grade, blocked.max_grade) == ("grade", 5, 3)
