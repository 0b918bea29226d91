"""Bids arriving at one moment on PostgreSQL: the auction's row lock orders them."""

import os
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from market.extensions import db
from models import AuctionBid
from tests.listings.conftest import listing_body

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="races need PostgreSQL (set TEST_DATABASE_URL); SQLite serializes writers")

DISTRICTS = ["320214", "320213", "320206", "320211", "320205", "320281"]


@pytest.mark.parametrize(("price", "accepted"), [("300000.00", 1), ("320000.00", 6)],
                         ids=["same-price-once", "every-ceiling-acceptance"])
def test_six_bids_at_once(app, cast, clock, price, accepted):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(
        serial, ceiling_price="320000.00")).json["id"]
    bidders = [world.trader(f"bidder{i}", code, cash="1000000")
               for i, code in enumerate(DISTRICTS)]
    for bidder in bidders:
        assert bidder.post(f"/api/v1/listings/{lid}/registrations").status_code == 201
    clock.at(61)
    db.session.commit()
    barrier = threading.Barrier(len(bidders))
    statuses = [0] * len(bidders)

    def send(index):
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/listings/{lid}/bids", json={"price": price},
                               headers={"Authorization": f"Bearer {bidders[index].token}"})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bidders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Counter(statuses)[201] == accepted, statuses
    assert set(statuses) <= {201, 422}
    db.session.expire_all()
    sequences = db.session.scalars(select(AuctionBid.sequence).order_by(AuctionBid.sequence))
    assert list(sequences) == list(range(1, accepted + 1))
