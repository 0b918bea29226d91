"""Pledges: requested by the owner, registered, released or enforced by a regulator; pledged
quantity cannot be sold, retired or revoked, and a sale within the rest changes nothing."""

import pytest

from tests.payouts.helpers import order

PLEDGE = {"quantity": "6", "pledgee_name": "江苏银行宜兴支行", "amount": "1000000.00",
          "reference": "JSB-2026-0001"}


@pytest.fixture
def pledged(world):
    """A 10 mu lot with 6 mu pledged and registered."""
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    requested = seller.post(f"/api/v1/lots/{serial}/pledges", json=PLEDGE)
    assert requested.status_code == 201, requested.json
    assert requested.json["status"] == "pending"
    registered = world.regulator.post(f"/api/v1/pledges/{requested.json['id']}/register")
    assert registered.status_code == 200, registered.json
    return seller, serial, registered.json


def test_a_registered_pledge_moves_quantity_to_the_pledged_bucket(world, pledged):
    seller, serial, pledge = pledged
    assert pledge["status"] == "registered" and pledge["registered_at"]
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["pledged"], lot["encumbered"]) == ("4.0000", "6.0000",
                                                                     "0.0000")
    assert [p["id"] for p in lot["pledges"]] == [pledge["id"]]


def test_pledged_quantity_cannot_be_sold_retired_or_revoked(world, pledged):
    seller, serial, pledge = pledged
    sell = seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "5", "s",
                                                   lot_serial=serial))
    assert (sell.status_code, sell.json["error"]["code"]) == (409, "insufficient_quantity")
    retire = seller.post(f"/api/v1/lots/{serial}/retirements",
                         json={"quantity": "5", "project_name": "p", "project_code": "c"})
    assert retire.json["error"]["code"] == "insufficient_quantity"
    again = seller.post(f"/api/v1/lots/{serial}/pledges", json={**PLEDGE, "quantity": "5"})
    assert again.json["error"]["code"] == "insufficient_quantity"
    revoke = world.regulator.post(f"/api/v1/lots/{serial}/revoke", json={"reason": "核查"})
    assert (revoke.status_code, revoke.json["error"]["code"]) == (409, "lot_pledged")
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["pledged"], lot["status"]) == ("4.0000", "6.0000", "active")


def test_a_sale_within_the_unpledged_quantity_changes_nothing_for_the_lender(world, pledged):
    seller, serial, pledge = pledged
    buyer = world.trader("xinwu", "320214", cash="2000000")
    seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "4", "s",
                                            lot_serial=serial))
    buyer.post("/api/v1/orders", json=order("FO-QTY", "buy", "300000.00", "4", "b"))
    [settlement] = buyer.get("/api/v1/settlements").json
    assert buyer.post(f"/api/v1/settlements/{settlement['id']}/pay").status_code == 200
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["pledged"]) == ("0.0000", "6.0000")
    assert world.regulator.get(f"/api/v1/pledges/{pledge['id']}").json == pledge


def test_a_release_frees_the_quantity(world, pledged):
    seller, serial, pledge = pledged
    released = world.regulator.post(f"/api/v1/pledges/{pledge['id']}/release",
                                    json={"reason": "贷款已结清"})
    assert (released.json["status"], released.json["status_reason"]) == ("released",
                                                                         "贷款已结清")
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["pledged"]) == ("10.0000", "0.0000")
    twice = world.regulator.post(f"/api/v1/pledges/{pledge['id']}/release",
                                 json={"reason": "x"})
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "invalid_pledge_status")
    sell = seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "10", "s",
                                                   lot_serial=serial))
    assert sell.status_code == 201


def test_enforcement_delivers_the_pledged_quantity_to_the_lender(world, pledged):
    seller, serial, pledge = pledged
    bank = world.trader("jsbank", "320200")
    path = f"/api/v1/pledges/{pledge['id']}/enforce"
    nobody = world.regulator.post(path, json={"lender_account_id": 9999, "reason": "违约"})
    assert (nobody.status_code, nobody.json["error"]["code"]) == (422, "unknown_account")
    owner = world.regulator.post(path, json={"lender_account_id": seller.user.account_id,
                                             "reason": "违约"})
    assert owner.json["error"]["code"] == "lender_is_owner"
    enforced = world.regulator.post(path, json={"lender_account_id": bank.user.account_id,
                                                "reason": "借款人违约"})
    assert enforced.status_code == 200, enforced.json
    assert enforced.json["status"] == "enforced"
    child = bank.get(f"/api/v1/lots/{enforced.json['child_lot_serial']}").json
    assert (child["available"], child["parent"]["serial"]) == ("6.0000", serial)
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["pledged"]) == ("4.0000", "0.0000")


def test_bad_requests_and_wrong_callers_are_refused(world):
    seller = world.trader("yixing", "320282")
    other = world.trader("xinwu", "320214")
    serial = world.lot(seller, quantity="10")
    pending = world.lot(seller, quantity="10", verify=False)
    path = f"/api/v1/lots/{serial}/pledges"
    for body in ({**PLEDGE, "quantity": "0"}, {**PLEDGE, "amount": "-1"},
                 {**PLEDGE, "quantity": 1.5}, {k: v for k, v in PLEDGE.items() if k != "amount"},
                 {**PLEDGE, "pledgee_name": ""}):
        assert seller.post(path, json=body).status_code == 422, body
    too_much = seller.post(path, json={**PLEDGE, "quantity": "11"})
    assert too_much.json["error"]["code"] == "insufficient_quantity"
    assert seller.post(f"/api/v1/lots/{pending}/pledges", json=PLEDGE).json["error"][
        "code"] == "invalid_lot_status"
    assert other.post(path, json=PLEDGE).status_code == 404
    assert world.regulator.post(path, json=PLEDGE).status_code == 403
    pledge = seller.post(path, json=PLEDGE).json
    assert seller.post(f"/api/v1/pledges/{pledge['id']}/register").status_code == 403
    assert other.get(f"/api/v1/pledges/{pledge['id']}").status_code == 404
    assert other.get("/api/v1/pledges").json == []
    release = world.regulator.post(f"/api/v1/pledges/{pledge['id']}/release",
                                   json={"reason": "x"})
    assert release.json["error"]["code"] == "invalid_pledge_status"
    rejected = world.regulator.post(f"/api/v1/pledges/{pledge['id']}/reject",
                                    json={"reason": "合同不全"})
    assert rejected.json["status"] == "rejected"
    assert world.regulator.post(f"/api/v1/pledges/{pledge['id']}/register").status_code == 409
    assert world.regulator.post("/api/v1/pledges/999/register").status_code == 404
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (lot["available"], lot["pledged"]) == ("10.0000", "0.0000")


def test_registration_rechecks_what_is_available(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    first = seller.post(f"/api/v1/lots/{serial}/pledges", json=PLEDGE).json
    second = seller.post(f"/api/v1/lots/{serial}/pledges", json=PLEDGE).json
    assert world.regulator.post(f"/api/v1/pledges/{first['id']}/register").status_code == 200
    late = world.regulator.post(f"/api/v1/pledges/{second['id']}/register")
    assert (late.status_code, late.json["error"]["code"]) == (409, "insufficient_quantity")
    assert seller.get(f"/api/v1/pledges/{second['id']}").json["status"] == "pending"


def test_regulators_outside_the_jurisdiction_see_no_pledge(world, pledged):
    from market.services import identity
    from tests.factories import PASSWORD

    _seller, _serial, pledge = pledged
    ningbo = world.caller(identity.create_user(world.admin_user, {
        "username": "ningbo", "password": PASSWORD, "role": "regulator",
        "district_code": "330200"}))
    assert ningbo.get("/api/v1/pledges").json == []
    assert ningbo.post(f"/api/v1/pledges/{pledge['id']}/release",
                       json={"reason": "x"}).status_code == 404
