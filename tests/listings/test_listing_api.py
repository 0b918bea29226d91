"""Listing auctions over the API: announce, register, bid, extend, close, confirm."""

import hashlib
from decimal import Decimal

from sqlalchemy import func, select

from market.extensions import db
from market.services import listings
from matching.listing_auction import draw
from models import Auction, AuctionBid, AuctionRegistration, Settlement, Trade
from tests.listings.conftest import cash, iso, listing_body, lot_buckets, regulator_of


def _listed(cast, **changes):
    world, seller, buyer, rival, serial = cast
    created = seller.post("/api/v1/listings", json=listing_body(serial, **changes))
    assert created.status_code == 201, created.json
    return created.json


def test_a_listing_runs_end_to_end(cast, clock):
    world, seller, buyer, rival, serial = cast
    listing = _listed(cast)
    lid = listing["id"]
    assert (listing["status"], listing["best_bid"], listing["closes_at"]) == (
        "announced", None, iso(120))
    assert lot_buckets(serial) == (Decimal("8.0000"), Decimal("2.0000"))
    for caller in (buyer, rival):
        registered = caller.post(f"/api/v1/listings/{lid}/registrations")
        assert (registered.status_code, registered.json["status"]) == (201, "approved")
    assert cash(buyer) == (Decimal("940000.00"), Decimal("60000.00"))
    assert buyer.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "300000.00"}).json["error"]["code"] == "not_open_yet"

    clock.at(61)
    assert buyer.get(f"/api/v1/listings/{lid}").json["status"] == "bidding"
    low = buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "299900.00"})
    assert (low.status_code, low.json["error"]["code"]) == (422, "below_start")
    assert buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "300000.00"}).status_code \
        == 201
    small = rival.post(f"/api/v1/listings/{lid}/bids", json={"price": "300500.00"})
    assert (small.status_code, small.json["error"]["code"]) == (422, "increment_too_small")
    clock.at(118)  # in the last five minutes: the close moves to five minutes after the bid
    late = rival.post(f"/api/v1/listings/{lid}/bids", json={"price": "301000.00"})
    assert late.json["closes_at"] == iso(123)
    seen = buyer.get(f"/api/v1/listings/{lid}").json
    assert (seen["best_bid"], seen["bid_count"], seen["bidder_count"]) == ("301000.00", 2, 2)

    assert listings.close_due(clock.at(121)) == 0  # not yet: extended
    assert listings.close_due(clock.at(124)) == 1
    assert listings.close_due(clock.at(125)) == 0  # idempotent
    closed = rival.get(f"/api/v1/listings/{lid}").json
    assert closed["status"] == "closed"
    assert closed["result"]["price"] == "301000.00"
    assert closed["result"]["winner_account_id"] == rival.user.account_id
    trade = db.session.get(Trade, closed["result"]["trade_id"])
    assert (trade.mechanism, trade.buy_order_id, trade.amount) == (
        "listing", None, Decimal("602000.00"))
    settlement = db.session.get(Settlement, closed["result"]["settlement_id"])
    assert (settlement.deposit, settlement.amount_due) == (Decimal("60000.00"),
                                                           Decimal("542000.00"))
    # the loser's deposit is back; the winner's is the settlement's
    assert cash(buyer) == (Decimal("1000000.00"), Decimal("0.00"))
    assert cash(rival) == (Decimal("940000.00"), Decimal("0.00"))
    # a bystander sees the price but not who won
    bystander = world.trader("binhu", "320211")
    assert bystander.get(f"/api/v1/listings/{lid}").json["result"]["winner_account_id"] is None

    confirmation = rival.get(f"/api/v1/listings/{lid}/confirmation").json
    assert (confirmation["seller"]["account_id"], confirmation["buyer"]["account_id"]) == (
        seller.user.account_id, rival.user.account_id)
    assert (confirmation["amount"], confirmation["amount_due"]) == ("602000.00", "542000.00")
    assert len(confirmation["verification_code"]) >= 20
    document = seller.get(f"/api/v1/listings/{lid}/confirmation",
                          headers={"Accept": "application/pdf"})
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    assert document.data.startswith(b"%PDF")
    assert bystander.get(f"/api/v1/listings/{lid}/confirmation").status_code == 404
    assert buyer.get(f"/api/v1/listings/{lid}/confirmation").status_code == 404
    assert world.regulator.get(f"/api/v1/listings/{lid}/confirmation").status_code == 200
    # paying the balance delivers like any trade
    paid = rival.post(f"/api/v1/settlements/{settlement.id}/pay")
    assert paid.json["status"] == "completed"
    assert lot_buckets(serial) == (Decimal("8.0000"), Decimal("0.0000"))


def test_the_ceiling_is_accepted_and_a_lottery_decides(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast, ceiling_price="320000.00")["id"]
    third = world.trader("huishan", "320206", cash="1000000")
    commitment = buyer.get(f"/api/v1/listings/{lid}").json["seed_commitment"]
    assert len(commitment) == 64
    for caller in (buyer, rival, third):
        assert caller.post(f"/api/v1/listings/{lid}/registrations").status_code == 201
    clock.at(70)
    above = buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "320100.00"})
    assert above.json["error"]["code"] == "above_ceiling"
    buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "319500.00"})
    accepted = rival.post(f"/api/v1/listings/{lid}/bids", json={"price": "320000.00"}).json
    assert accepted["at_limit"] is True
    refused = third.post(f"/api/v1/listings/{lid}/bids", json={"price": "319900.00"})
    assert refused.json["error"]["code"] == "ceiling_reached"
    assert third.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "320000.00"}).status_code == 201
    again = rival.post(f"/api/v1/listings/{lid}/bids", json={"price": "320000.00"})
    assert again.json["error"]["code"] == "already_accepted"
    assert buyer.get(f"/api/v1/listings/{lid}").json["seed"] is None  # not before the close
    listings.close_due(clock.at(130))
    closed = world.regulator.get(f"/api/v1/listings/{lid}").json
    seed, lottery = closed["seed"], closed["lottery"]
    assert hashlib.sha256(seed.encode()).hexdigest() == commitment
    registrations = {r.account_id: r.id for r in db.session.scalars(select(AuctionRegistration))}
    assert lottery == [str(registrations[rival.user.account_id]),
                       str(registrations[third.user.account_id])]
    winner = db.session.get(AuctionRegistration, int(draw(seed, lottery)))
    assert closed["result"]["winner_account_id"] == winner.account_id
    assert closed["result"]["price"] == "320000.00"


def test_no_bid_fails_and_everything_comes_back(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast)["id"]
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    assert listings.close_due(clock.at(121)) == 1
    assert buyer.get(f"/api/v1/listings/{lid}").json["status"] == "failed"
    assert lot_buckets(serial) == (Decimal("10.0000"), Decimal("0.0000"))
    assert cash(buyer) == (Decimal("1000000.00"), Decimal("0.00"))
    assert db.session.scalar(select(func.count(Trade.id))) == 0


def test_review_holds_bidding_until_approved_and_rejection_releases(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast, qualification="review")["id"]
    pending = buyer.post(f"/api/v1/listings/{lid}/registrations").json
    other = rival.post(f"/api/v1/listings/{lid}/registrations").json
    assert pending["status"] == "pending" and cash(buyer)[1] == Decimal("60000.00")
    path = f"/api/v1/listings/{lid}/registrations"
    assert buyer.post(f"{path}/{pending['id']}/approve").status_code == 403
    assert len(world.regulator.get(path).json) == 2
    rejected = world.regulator.post(f"{path}/{other['id']}/reject", json={"reason": "无购买批文"})
    assert (rejected.json["status"], rejected.json["deposit_state"]) == ("rejected", "released")
    assert cash(rival) == (Decimal("1000000.00"), Decimal("0.00"))
    assert world.regulator.post(f"{path}/{other['id']}/approve").json["error"]["code"] == \
        "not_pending"
    clock.at(61)
    refused = buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "300000.00"})
    assert refused.json["error"]["code"] == "not_approved"
    assert world.regulator.post(f"{path}/{pending['id']}/approve").json["status"] == "approved"
    assert buyer.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "300000.00"}).status_code == 201
    assert rival.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "400000.00"}).json["error"]["code"] == "not_registered"


def test_a_regulator_cancels_before_the_close_and_not_after(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast)["id"]
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    assert seller.post(f"/api/v1/listings/{lid}/cancel", json={"reason": "x"}).status_code == 403
    cancelled = world.regulator.post(f"/api/v1/listings/{lid}/cancel",
                                     json={"reason": "权属争议"}).json
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "权属争议")
    assert lot_buckets(serial) == (Decimal("10.0000"), Decimal("0.0000"))
    assert cash(buyer) == (Decimal("1000000.00"), Decimal("0.00"))
    again = world.regulator.post(f"/api/v1/listings/{lid}/cancel", json={"reason": "x"})
    assert again.json["error"]["code"] == "auction_over"
    late = _listed(cast)["id"]
    clock.at(120)
    assert world.regulator.post(f"/api/v1/listings/{late}/cancel",
                                json={"reason": "x"}).json["error"]["code"] == \
        "too_late_to_cancel"


def _nothing_changed(serial, seller):
    assert db.session.scalar(select(func.count(Auction.id))) == 0
    assert lot_buckets(serial) == (Decimal("10.0000"), Decimal("0.0000"))


def test_bad_terms_are_4xx_and_change_nothing(cast, clock):
    world, seller, buyer, rival, serial = cast
    cases = [
        ({"start_price": "300050.00"}, 422, "start_price"),   # off the tick
        ({"start_price": "500000.00"}, 422, "start_price"),   # outside the band
        ({"start_price": 300000.5}, 422, "start_price"),       # a float
        ({"increment": "150.00"}, 422, "increment"),
        ({"ceiling_price": "290000.00"}, 422, "ceiling_price"),
        ({"quantity": "2.001"}, 422, "quantity"),
        ({"quantity": "11"}, 409, "quantity"),
        ({"bid_deposit": "700000.00"}, 422, "bid_deposit"),
        ({"announce_until": iso(-1), "bidding_opens_at": iso(0)}, 422, "announce_until"),
        ({"bidding_opens_at": iso(30)}, 422, "bidding_opens_at"),
        ({"bidding_closes_at": iso(60)}, 422, "bidding_closes_at"),
        ({"bidding_closes_at": "tomorrow"}, 422, "bidding_closes_at"),
        ({"qualification": "maybe"}, 422, "qualification"),
        ({"extension_minutes": 600}, 422, "extension_minutes"),
        ({"lot_serial": "FO-QTY-000000-2024-999999"}, 422, "lot_serial"),
    ]
    for changes, status, field in cases:
        answer = seller.post("/api/v1/listings", json=listing_body(serial, **changes))
        assert answer.status_code == status, (changes, answer.json)
        assert field in answer.json["error"]["fields"], (changes, answer.json)
    assert buyer.post("/api/v1/listings", json=listing_body(serial)).status_code == 422
    assert world.regulator.post("/api/v1/listings", json=listing_body(serial)).status_code == 403
    _nothing_changed(serial, seller)


def test_registration_refusals_hold_nothing(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast)["id"]
    poor = world.trader("poor", "320214", cash="100")
    assert poor.post(f"/api/v1/listings/{lid}/registrations").json["error"]["code"] == \
        "insufficient_funds"
    assert seller.post(f"/api/v1/listings/{lid}/registrations").json["error"]["code"] == \
        "own_auction"
    assert buyer.post("/api/v1/listings/999/registrations").status_code == 404
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    assert buyer.post(f"/api/v1/listings/{lid}/registrations").json["error"]["code"] == \
        "already_registered"
    clock.at(60)
    assert rival.post(f"/api/v1/listings/{lid}/registrations").json["error"]["code"] == \
        "registration_closed"
    assert cash(poor) == (Decimal("100.00"), Decimal("0.00"))
    assert cash(rival) == (Decimal("1000000.00"), Decimal("0.00"))
    assert db.session.scalar(select(func.count(AuctionRegistration.id))) == 1


def test_bad_bids_change_nothing(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast)["id"]
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    clock.at(61)
    for body, code in (({"price": "300050.00"}, "bad_tick"),
                       ({"price": "1000000.00"}, "outside_band"),
                       ({"price": 300000.0}, "validation_error"),
                       ({}, "validation_error"), ({"price": "-1"}, "validation_error")):
        answer = buyer.post(f"/api/v1/listings/{lid}/bids", json=body)
        assert (answer.status_code, answer.json["error"]["code"]) == (422, code), answer.json
    assert rival.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "300000.00"}).json["error"]["code"] == "not_registered"
    assert db.session.scalar(select(func.count(AuctionBid.id))) == 0
    before = buyer.get(f"/api/v1/listings/{lid}").json
    assert (before["best_bid"], before["closes_at"]) == (None, iso(120))
    clock.at(120)
    assert buyer.post(f"/api/v1/listings/{lid}/bids",
                      json={"price": "300000.00"}).json["error"]["code"] == "bidding_closed"


def test_the_lot_scope_applies_to_registrants(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast)["id"]
    # FO-QTY may cross cities, but not the province: Ningbo is in Zhejiang
    outsider = world.trader("yinzhou", "330212", cash="1000000")
    refused = outsider.post(f"/api/v1/listings/{lid}/registrations")
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "out_of_scope")
    assert cash(outsider) == (Decimal("1000000.00"), Decimal("0.00"))


def test_regulators_outside_the_jurisdiction_see_404(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast)["id"]
    ningbo = regulator_of(world, "ningbo-reg", "330200")
    wuxi = regulator_of(world, "wuxi-reg", "320200")
    assert ningbo.get(f"/api/v1/listings/{lid}").status_code == 404
    assert ningbo.get("/api/v1/listings").json == []
    assert ningbo.post(f"/api/v1/listings/{lid}/cancel", json={"reason": "x"}).status_code == 404
    assert [row["id"] for row in wuxi.get("/api/v1/listings").json] == [lid]
    assert [row["id"] for row in buyer.get("/api/v1/listings?status=announced").json] == [lid]
    assert buyer.get("/api/v1/listings?status=bidding").json == []
    assert buyer.get("/api/v1/listings?mine=true").json == []
    assert [row["id"] for row in seller.get("/api/v1/listings?mine=true").json] == [lid]


def test_a_lot_in_its_local_first_window_takes_only_registrants_of_its_county(cast, clock):
    world, seller, buyer, rival, _serial = cast
    linkage = world.lot(seller, instrument="LS", quantity="5", grade=None)  # 30 days local
    lid = seller.post("/api/v1/listings", json=listing_body(
        linkage, start_price="450000.00")).json["id"]
    refused = buyer.post(f"/api/v1/listings/{lid}/registrations")
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "out_of_scope")
    local = world.trader("yixing-town", "320282", cash="1000000")
    assert local.post(f"/api/v1/listings/{lid}/registrations").status_code == 201


def test_messages_are_chinese_and_english_on_request_and_reviews_stay_in_jurisdiction(
        cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = _listed(cast, qualification="review")["id"]
    pending = buyer.post(f"/api/v1/listings/{lid}/registrations").json["id"]
    early = buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "300000.00"})
    assert early.json["error"]["message"] == "您的报名正在等待监管部门资格审核"
    english = buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "300000.00"},
                         headers={"Accept-Language": "en"})
    assert english.json["error"]["message"] == "your registration waits for a regulator's approval"
    assert buyer.get(f"/api/v1/listings/{lid}/registrations").status_code == 403
    ningbo = regulator_of(world, "ningbo-reg", "330200")
    path = f"/api/v1/listings/{lid}/registrations/{pending}"
    assert ningbo.post(f"{path}/approve").status_code == 404
    assert ningbo.post(f"{path}/reject", json={"reason": "x"}).status_code == 404
    assert world.regulator.post(f"/api/v1/listings/{lid}/registrations/999/approve"
                                ).status_code == 404
    assert cash(buyer)[1] == Decimal("60000.00")
    assert world.regulator.get(f"/api/v1/listings/{lid}/registrations").json[0]["status"] == \
        "pending"
