"""Surveillance of listings: one qualified bidder, a rush to the ceiling, neighbours bidding."""

import json

from sqlalchemy import select

from market.extensions import db
from market.services import listings, surveillance
from models import Alert
from tests.listings.conftest import listing_body


def _alerts():
    db.session.expire_all()
    return {alert.kind: alert for alert in db.session.scalars(select(Alert))
            if alert.kind.startswith("listing_")}


def test_a_lone_bidder_at_the_ceiling_minutes_after_opening(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(
        serial, ceiling_price="320000.00")).json["id"]
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    clock.at(62)  # two minutes after bidding opened
    assert buyer.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "320000.00"}).status_code == 201
    listings.close_due(clock.at(130))
    surveillance.detect(clock.at(131))
    alerts = _alerts()
    assert set(alerts) == {"listing_single_bidder", "listing_ceiling_rush"}
    rush = alerts["listing_ceiling_rush"]
    assert json.loads(rush.details)["minutes_after_opening"] == 2
    assert "最高限价" in rush.summary and "合格竞买人" in alerts["listing_single_bidder"].summary
    assert surveillance.detect(clock.at(132)) == 0  # the same alerts are not raised twice
    shown = world.regulator.get("/api/v1/surveillance/alerts?kind=listing_ceiling_rush").json
    assert len(shown) == 1


def test_bidders_of_one_district_are_flagged_and_a_normal_auction_is_not(cast, clock):
    world, seller, buyer, rival, serial = cast
    neighbour = world.trader("xinwu-2", "320214", cash="1000000")
    lid = seller.post("/api/v1/listings", json=listing_body(serial)).json["id"]
    other = seller.post("/api/v1/listings", json=listing_body(
        serial, ceiling_price="320000.00")).json["id"]
    for caller in (buyer, neighbour, rival):
        caller.post(f"/api/v1/listings/{lid}/registrations")
    for caller in (buyer, rival):
        caller.post(f"/api/v1/listings/{other}/registrations")
    clock.at(61)
    buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "300000.00"})
    neighbour.post(f"/api/v1/listings/{lid}/bids", json={"price": "301000.00"})
    # the other listing: different districts, the ceiling only after half an hour
    buyer.post(f"/api/v1/listings/{other}/bids", json={"price": "300000.00"})
    clock.at(95)
    rival.post(f"/api/v1/listings/{other}/bids", json={"price": "320000.00"})
    listings.close_due(clock.at(130))
    surveillance.detect(clock.at(131))
    alerts = _alerts()
    assert set(alerts) == {"listing_same_district_bidders"}
    details = json.loads(alerts["listing_same_district_bidders"].details)
    assert (details["auction_id"], details["district"]) == (lid, "320214")
    assert sorted(details["accounts"]) == sorted([buyer.user.account_id,
                                                  neighbour.user.account_id])
