"""The listing and procurement pages: sellers list, buyers register, bid and follow the live
panel, sellers offer to demands, regulators review and cancel; refusals change nothing."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from market.extensions import db
from market.services import listings
from models import Auction, AuctionBid
from tests.listings.conftest import T0, cash, listing_body, lot_buckets, procurement_body
from tests.web.conftest import Browser


def _local(minutes):
    # The forms take Beijing time (UTC+8) as YYYY-MM-DDTHH:MM.
    return (T0 + timedelta(hours=8, minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def _browser(app, username):
    browser = Browser(app)
    assert browser.login(username).status_code == 302
    return browser


FORM = {"quantity": "2", "start_price": "300000.00", "bid_deposit": "60000.00",
        "announce_until": _local(60), "bidding_opens_at": _local(60),
        "bidding_closes_at": _local(120), "extension_minutes": "5", "qualification": "open"}


def test_a_seller_lists_a_lot_from_the_page(app, cast):
    world, seller, buyer, rival, serial = cast
    page = _browser(app, "yixing")
    html = page.get("/trade/listings/new").get_data(as_text=True)
    assert serial in html and "挂牌" in html
    answer = page.submit("/trade/listings/new", "/trade/listings/new",
                         {**FORM, "lot_serial": serial, "increment": "1000.00",
                          "ceiling_price": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert lot_buckets(serial) == (Decimal("8.0000"), Decimal("2.0000"))
    assert answer.headers["Location"] in page.get("/trade/listings?mine=1").get_data(
        as_text=True)
    listed = page.get(answer.headers["Location"]).get_data(as_text=True)
    assert "公告中" in listed and "300,000.00" in listed
    assert "listings.js" in listed


def test_a_bad_form_is_refused_and_nothing_is_listed(app, cast):
    world, seller, buyer, rival, serial = cast
    page = _browser(app, "yixing")
    for changes in ({"start_price": "300050.00"}, {"start_price": "abc"},
                    {"bidding_closes_at": _local(30)}, {"quantity": "99"}):
        answer = page.submit("/trade/listings/new", "/trade/listings/new",
                             {**FORM, "lot_serial": serial, "increment": "1000.00",
                              "ceiling_price": "", **changes})
        assert answer.status_code in (409, 422), changes
        assert 'role="alert"' in answer.get_data(as_text=True) or \
            "field-error" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Auction.id))) == 0
    assert lot_buckets(serial) == (Decimal("10.0000"), Decimal("0.0000"))


def test_a_buyer_registers_bids_accepts_and_follows_the_live_panel(app, cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(
        serial, ceiling_price="320000.00")).json["id"]
    page = _browser(app, "xinwu")
    assert f"/trade/listings/{lid}" in page.get("/trade/listings").get_data(as_text=True)
    assert f"/trade/listings/{lid}" not in page.get("/trade/listings?mine=1").get_data(
        as_text=True)
    path = f"/trade/listings/{lid}"
    assert page.submit(path, f"{path}/register", {}).status_code == 302
    assert cash(buyer)[1] == Decimal("60000.00")
    clock.at(61)
    low = page.submit(path, f"{path}/bid", {"price": "299900.00"})
    assert low.status_code == 422 and "首次报价不得低于起始价" in low.get_data(as_text=True)
    assert page.submit(path, f"{path}/bid", {"price": "301000.00"}).status_code == 302
    live = page.get(f"{path}/live").json
    assert (live["status"], live["best_price"], live["bid_count"]) == ("bidding", "301,000.00", 1)
    assert page.submit(path, f"{path}/accept", {}).status_code == 302
    assert db.session.scalar(select(func.count(AuctionBid.id))) == 2
    listings.close_due(clock.at(130))
    closed = page.get(path).get_data(as_text=True)
    assert "已成交" in closed and "confirmation.pdf" in closed
    document = page.get(f"{path}/confirmation.pdf")
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    # a post without the form's CSRF token is refused
    assert page.post(f"{path}/bid", data={"price": "1"}).status_code == 400


def test_a_seller_offers_to_a_demand_from_the_page(app, world, clock):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    seller = world.trader("yixing", "320282", cash="100000")
    serial = world.lot(seller, quantity="5")
    pid = buyer.post("/api/v1/procurements", json=procurement_body()).json["id"]
    page = _browser(app, "yixing")
    path = f"/trade/procurements/{pid}"
    assert serial in page.get(path).get_data(as_text=True)
    assert page.submit(path, f"{path}/register", {"lot_serial": serial}).status_code == 302
    assert lot_buckets(serial) == (Decimal("3.0000"), Decimal("2.0000"))
    clock.at(70)
    assert page.submit(path, f"{path}/bid", {"price": "290000.00"}).status_code == 302
    assert buyer.get(f"/api/v1/procurements/{pid}").json["best_offer"] == "290000.00"


def test_a_buyer_announces_a_demand_from_the_page(app, world, clock):
    world.trader("xinwu", "320214", cash="1000000")
    page = _browser(app, "xinwu")
    answer = page.submit("/trade/procurements/new", "/trade/procurements/new", {
        **FORM, "bid_deposit": "1000.00", "instrument": "FO-QTY", "max_quality_grade": "5",
        "floor_price": "250000.00", "decrement": "1000.00"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert db.session.scalar(select(Auction.kind)) == "procurement"


def test_a_regulator_reviews_registrants_and_cancels(app, cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(
        serial, qualification="review")).json["id"]
    first = buyer.post(f"/api/v1/listings/{lid}/registrations").json["id"]
    second = rival.post(f"/api/v1/listings/{lid}/registrations").json["id"]
    desk = _browser(app, "regulator")
    assert f"/desk/listings/{lid}" in desk.get("/desk/listings").get_data(as_text=True)
    path = f"/desk/listings/{lid}"
    assert "待审核" in desk.get(path).get_data(as_text=True)
    assert desk.submit(path, f"{path}/registrations/{first}/approve", {}).status_code == 302
    refused = desk.submit(path, f"{path}/registrations/{second}/reject", {"reason": ""})
    assert refused.status_code == 422
    assert cash(rival)[1] == Decimal("60000.00")
    assert desk.submit(path, f"{path}/registrations/{second}/reject",
                       {"reason": "无购买批文"}).status_code == 302
    assert cash(rival) == (Decimal("1000000.00"), Decimal("0.00"))
    assert desk.submit(path, f"{path}/cancel", {"reason": "权属争议"}).status_code == 302
    assert lot_buckets(serial) == (Decimal("10.0000"), Decimal("0.0000"))
    assert cash(buyer) == (Decimal("1000000.00"), Decimal("0.00"))
    # traders are kept out of the desk
    assert _browser(app, "xinwu").get(path).status_code == 403
