"""The scheduler's book jobs with the order writer leading: GTD expiry, an expired lot's
offers, rematching and uncrossing are commands to the writer, which changes its own live
books (nothing changes them behind it).

Every scheduled-job test (tests/services/test_scheduled_jobs.py) is collected again here and
holds with the writer in charge; the tests below show that the writer itself did the work.
"""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from market.extensions import db
from market.services import registry, trading
from market.services.trading import command_bus
from models import BookCommand, Lot, Order
from models.base import utcnow
from tests.services.test_scheduled_jobs import *  # noqa: F403  (the same tests, collected again here)
from tests.services.test_scheduled_jobs import _linkage_book, crossed_across_a_scope_window, order
from tests.writer.commands import place
from tests.writer.test_random_batches import _book_state


@pytest.fixture(autouse=True)
def _through_the_writer(order_writer):
    return order_writer


def _last_logged_kind() -> str:
    db.session.rollback()  # what the writer committed, not this session's snapshot
    return db.session.scalars(select(BookCommand.kind).order_by(BookCommand.id.desc())).first()


def test_the_writer_expires_gtd_orders_in_its_own_book(world, order_writer):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="5")
    expires = (utcnow() + timedelta(hours=1)).isoformat()
    bid = buyer.post("/api/v1/orders", json=order("FO-QTY", "buy", "300000.00", "1", "g",
                                                  tif="GTD", expires_at=expires)).json
    far_ask = seller.post("/api/v1/orders", json=order(
        "FO-QTY", "sell", "390000.00", "2", "far", lot_serial=serial, tif="GTD",
        expires_at=expires)).json
    books = order_writer.writer.books
    before = (books.rebuilds, books.catch_ups)
    assert trading.expire_due(utcnow() + timedelta(hours=2)) == 2
    assert _last_logged_kind() == "expire"
    # A sell at the expired bid's price now rests: the writer's book lost the bid, and it
    # never had to catch up with (or rebuild from) a change made behind it.
    ask = seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "1", "s",
                                                   lot_serial=serial)).json
    assert ask["fills"] == [] and ask["order"]["status"] == "open"
    assert (books.rebuilds, books.catch_ups) == before
    expired = buyer.get(f"/api/v1/orders/{bid['order']['id']}").json
    assert (expired["status"], expired["held"]) == ("expired", "0.00")
    assert buyer.get("/api/v1/accounts/me").json["cash_held"] == "0.00"
    assert seller.get(f"/api/v1/orders/{far_ask['order']['id']}").json["status"] == "expired"
    # Only the resting sell of 1 is still encumbered: the expired offer's 2 came back.
    assert seller.get(f"/api/v1/lots/{serial}").json["encumbered"] == "1.0000"


def test_the_writer_rematches_its_own_book(world, order_writer):
    city_buyer = crossed_across_a_scope_window(world)
    books = order_writer.writer.books
    before = (books.rebuilds, books.catch_ups)
    assert trading.rematch_crossed(utcnow() + timedelta(days=31)) == 1
    assert _last_logged_kind() == "rematch"
    more = city_buyer.post("/api/v1/orders", json=order("LS", "buy", "430000.00", "1", "b2"))
    assert more.status_code == 201 and more.json["fills"] == []
    assert (books.rebuilds, books.catch_ups) == before


def test_the_writer_uncrosses_its_own_book(world, order_writer):
    buyer, _buyer2 = _linkage_book(world)
    books = order_writer.writer.books
    before = (books.rebuilds, books.catch_ups)
    slot = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    result = trading.uncross("LS", slot_at=slot)
    assert (result.price, result.volume, result.trades) == (450000, 5, 2)
    assert _last_logged_kind() == "uncross"
    assert trading.uncross("LS", slot_at=slot) is None  # once per slot, the writer knows
    # What the uncross left (b1 with 4 at 470,000 filled; b2 with 3, 1 filled, 2 open) is
    # the writer's book as it stands: a new bid joins it, no rebuild, no catch-up.
    later = buyer.post("/api/v1/orders", json=order("LS", "buy", "450000.00", "1", "b3"))
    assert later.status_code == 201, later.json
    assert buyer.get("/api/v1/instruments/LS/book").json["indicative"] is None  # 450k < 460k
    assert (books.rebuilds, books.catch_ups) == before


def test_the_writer_withdraws_the_offers_of_an_expired_lot(world, order_writer):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="5")
    ask = seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "1", "s",
                                                   lot_serial=serial)).json["order"]
    registry.get_lot(serial).expires_on = date(2030, 1, 1)
    db.session.commit()
    books = order_writer.writer.books
    before = (books.rebuilds, books.catch_ups)
    assert trading.expire_due(datetime(2030, 1, 2, 12, tzinfo=UTC)) == 1
    assert _last_logged_kind() == "cancel"
    withdrawn = seller.get(f"/api/v1/orders/{ask['id']}").json
    assert (withdrawn["status"], withdrawn["close_reason"]) == ("cancelled", "lot_expired")
    # A bid at the withdrawn offer's price rests: the writer's book lost the offer itself.
    bid = buyer.post("/api/v1/orders", json=order("FO-QTY", "buy", "300000.00", "1", "b")).json
    assert bid["fills"] == [] and bid["order"]["status"] == "open"
    assert (books.rebuilds, books.catch_ups) == before


def test_a_withdrawal_after_a_fill_in_its_batch_leaves_the_book_and_the_rows_alike(
        writer, replies, world):
    """The lot's first offer is filled by a command earlier in the same batch (its row still
    says open until the batch commits): the withdrawal cancels the other offer only."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="5")
    raw, channel, collect = replies
    offers = [place(seller, channel, "s1", "sell", "300000.00", "1", serial),
              place(seller, channel, "s2", "sell", "310000.00", "1", serial)]
    writer.serve(offers, raw)
    placed = collect(2)
    db.session.rollback()
    lot = db.session.scalar(select(Lot).where(Lot.serial == serial))
    withdraw = command_bus.new_command(
        "withdraw", channel, time.time() + 30, "en", None, None,
        {"instrument_id": lot.instrument_id, "lot_id": lot.id, "now": utcnow()})
    batch = [place(buyer, channel, "b1", "buy", "300000.00", "1"), withdraw]
    writer.serve(batch, raw)
    answers = collect(2)
    assert answers[withdraw.id]["closed"] == 1
    db.session.rollback()
    s1, s2 = (db.session.get(Order, placed[c.id]["order_id"]) for c in offers)
    assert (s1.status, s2.status, s2.close_reason) == ("filled", "cancelled", "lot_expired")
    open_rows = {order.id: order.remaining for order in db.session.scalars(
        select(Order).where(Order.status == "open"))}
    assert _book_state(writer) == open_rows == {}
