"""The order writer answers with the endpoint's own body; the web worker reads nothing again.

Whether the body came in the writer's notification or, too large for one, was read back by
the web worker from the trades' id range, the API answers exactly what the schema makes of
the committed rows.
"""

import threading

import pytest
from sqlalchemy import event

from market.extensions import db
from market.schemas.trading import OrderSchema, PlaceResultSchema
from market.services import trading
from market.services.trading import command_bus
from models import Order
from tests.api.test_orders import order


@pytest.fixture
def market(world, order_writer):
    seller = world.trader("yixing", "320282")
    other = world.trader("xuxiake", "320281")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serials = world.lot(seller, quantity="50", grade=4), world.lot(other, quantity="50", grade=4)
    return seller, other, buyer, serials


def _as_committed(order_id: int) -> dict:
    db.session.rollback()
    placed = db.session.get(Order, order_id, populate_existing=True)
    return PlaceResultSchema().dump(
        trading.PlaceResult(placed, trading.fills_on_arrival(placed)))


def _sweep(market, cid: str) -> dict:
    seller, other, buyer, (mine, theirs) = market
    for caller, serial, price, suffix in ((seller, mine, "300000.00", "a"),
                                          (other, theirs, "301000.00", "b")):
        rested = caller.post("/api/v1/orders", json=order(
            "sell", price, "1", f"{cid}-{suffix}", lot_serial=serial))
        assert rested.status_code == 201, rested.json
    swept = buyer.post("/api/v1/orders", json=order("buy", "301000.00", "3", cid))
    assert swept.status_code == 201, swept.json
    assert len(swept.json["fills"]) == 2
    return swept.json


def test_a_placement_is_answered_with_the_committed_order_and_its_fills(market):
    answered = _sweep(market, "s")
    assert answered == _as_committed(answered["order"]["id"])
    assert {fill["lot_serial"] for fill in answered["fills"]} == set(market[3])


def test_an_answer_too_large_for_a_notification_is_read_back_the_same(market, monkeypatch):
    monkeypatch.setattr(command_bus, "MAX_PAYLOAD", 200)  # no body fits
    answered = _sweep(market, "l")
    assert answered == _as_committed(answered["order"]["id"])


def test_a_cancel_is_answered_with_the_cancelled_order(market):
    _seller, _other, buyer, _serials = market
    placed = buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "c"))
    cancelled = buyer.delete(f"/api/v1/orders/{placed.json['order']['id']}")
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled"
    db.session.rollback()
    assert cancelled.json == OrderSchema().dump(db.session.get(Order, cancelled.json["id"]))


def test_an_order_request_through_the_writer_reads_nothing_from_the_database(market):
    """Not even the token: the writer authenticates it, in the batch (test_writer_auth)."""
    _seller, _other, buyer, _serials = market
    db.session.rollback()  # the fixture's own transaction, as a new request would find it
    request_thread, seen = threading.get_ident(), []

    def on_this_thread(connection, cursor, statement, *rest):
        if threading.get_ident() == request_thread:  # not the writer's thread
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_this_thread)
    try:
        placed = buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "ro"))
        assert placed.status_code == 201, placed.json
        changed = buyer.patch(f"/api/v1/orders/{placed.json['order']['id']}",
                              json={"quantity": "0.5"})
        assert changed.status_code == 200, changed.json
        cancelled = buyer.delete(f"/api/v1/orders/{placed.json['order']['id']}")
        assert cancelled.status_code == 200, cancelled.json
        assert seen == []
        listed = buyer.get("/api/v1/orders")  # not an order command: it reads, as ever
        assert listed.status_code == 200
        assert seen, "the listener saw no statement at all"
    finally:
        event.remove(db.engine, "before_cursor_execute", on_this_thread)


def test_an_orders_log_line_says_where_its_time_went_in_the_writer(market, capsys):
    from tests.operations.test_logs import request_lines

    seller, _other, buyer, (mine, _theirs) = market
    capsys.readouterr()
    placed = seller.post("/api/v1/orders", json=order("sell", "300000.00", "1", "timed",
                                                      lot_serial=mine))
    assert placed.status_code == 201, placed.json
    cancelled = seller.delete(f"/api/v1/orders/{placed.json['order']['id']}")
    assert cancelled.status_code == 200, cancelled.json
    listed = buyer.get("/api/v1/orders")  # read by the web worker itself: no writer
    assert listed.status_code == 200
    place_line, cancel_line, list_line = request_lines(capsys)
    for line in (place_line, cancel_line):
        timing = line["writer"]
        assert set(timing) == {"batch_ms", "batch", "round_trip_ms"}
        assert timing["batch"] == 1 and timing["batch_ms"] > 0
        # The writer's part happens inside the round trip the web worker saw.
        assert timing["round_trip_ms"] >= timing["batch_ms"]
        assert line["duration_ms"] >= timing["round_trip_ms"] - 0.1  # rounded to 0.1
    assert "writer" not in list_line
