"""The registry: registration rules, the lifecycle, search and retirement."""

from decimal import Decimal

from market.extensions import db
from market.services import ledger, registry


def lot_body(**overrides):
    body = {
        "instrument": "FO-QTY", "quantity": "20", "origin_district_code": "320282",
        "project_name": "宜兴市土地综合整治项目", "project_code": "YX-2024-001",
        "accepted_on": "2024-03-01", "vintage_year": 2024, "quality_grade": 3,
    }
    body.update(overrides)
    return body


def test_only_an_active_lot_can_be_retired(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, verify=False)
    response = seller.post(f"/api/v1/lots/{serial}/retirements",
                           json={"quantity": "1", "project_name": "p", "project_code": "c"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_lot_status"


def test_a_rejected_lot_keeps_its_reason_and_issues_nothing(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, verify=False)
    rejected = world.regulator.post(f"/api/v1/lots/{serial}/reject",
                                    json={"reason": "验收资料不全"})
    assert (rejected.json["status"], rejected.json["status_reason"]) == ("rejected", "验收资料不全")
    assert rejected.json["available"] == "0.0000"
    assert world.regulator.post(f"/api/v1/lots/{serial}/verify").status_code == 409


def test_farmland_lots_need_a_quality_grade_and_others_refuse_one(world):
    seller = world.trader("yixing", "320282")
    missing = seller.post("/api/v1/lots", json=lot_body(quality_grade=None))
    assert missing.status_code == 422 and "quality_grade" in missing.json["error"]["fields"]
    carbon = seller.post("/api/v1/lots", json=lot_body(instrument="ECO-CARBON", quality_grade=2))
    assert carbon.status_code == 422 and "quality_grade" in carbon.json["error"]["fields"]
    out_of_range = seller.post("/api/v1/lots", json=lot_body(quality_grade=16))
    assert out_of_range.status_code == 422


def test_a_seller_registers_only_lots_from_its_own_district(world):
    town = world.trader("huangtu", "320281100")
    response = town.post("/api/v1/lots", json=lot_body(origin_district_code="320281104"))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "origin_outside_district"
    county = world.trader("jiangyin", "320281")
    ok = county.post("/api/v1/lots", json=lot_body(origin_district_code="320281104"))
    assert ok.status_code == 201
    assert ok.json["serial"].startswith("FO-QTY-320281-2024-")


def test_acceptance_cannot_be_in_the_future(world):
    seller = world.trader("yixing", "320282")
    response = seller.post("/api/v1/lots", json=lot_body(accepted_on="2099-01-01",
                                                         vintage_year=2099))
    assert response.status_code == 422


def test_retiring_more_than_available_is_refused_and_changes_nothing(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="5")
    response = seller.post(f"/api/v1/lots/{serial}/retirements",
                           json={"quantity": "5.0001", "project_name": "p", "project_code": "c"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "insufficient_quantity"
    assert seller.get(f"/api/v1/lots/{serial}").json["available"] == "5.0000"


def test_frozen_and_revoked_lots_cannot_be_retired(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    assert world.regulator.post(f"/api/v1/lots/{serial}/freeze",
                                json={"reason": "权属争议"}).json["status"] == "frozen"
    retire = {"quantity": "1", "project_name": "p", "project_code": "c"}
    assert seller.post(f"/api/v1/lots/{serial}/retirements", json=retire).status_code == 409
    world.regulator.post(f"/api/v1/lots/{serial}/unfreeze", json={"reason": "争议解决"})
    assert seller.post(f"/api/v1/lots/{serial}/retirements", json=retire).status_code == 201
    revoked = world.regulator.post(f"/api/v1/lots/{serial}/revoke", json={"reason": "验收造假"})
    assert revoked.json["status"] == "revoked"
    assert (revoked.json["available"], revoked.json["retired"]) == ("0.0000", "1.0000")
    assert seller.post(f"/api/v1/lots/{serial}/retirements", json=retire).status_code == 409


def test_search_by_instrument_origin_status_vintage_and_grade(world):
    yixing = world.trader("yixing", "320282")
    jiangyin = world.trader("jiangyin", "320281")
    a = world.lot(yixing, "FO-QTY", grade=2)
    b = world.lot(yixing, "FO-PADDY", grade=8)
    c = world.lot(jiangyin, "FO-QTY", origin="320281100", grade=6)
    d = world.lot(jiangyin, "LS", origin="320281104", verify=False)

    def serials(**query):
        response = world.regulator.get("/api/v1/lots", query_string=query)
        assert response.status_code == 200, response.json
        return [row["serial"] for row in response.json]

    assert serials() == [a, b, c, d]
    assert serials(instrument="FO-QTY") == [a, c]
    assert serials(origin_district_code="320281") == [c, d]
    assert serials(origin_district_code="320200") == [a, b, c, d]
    assert serials(status="pending") == [d]
    assert serials(max_quality_grade=6) == [a, c]
    assert serials(quality_grade=8) == [b]
    assert serials(vintage_year=2023) == []
    assert serials(owner_account_id=jiangyin.user.account_id) == [c, d]
    assert world.regulator.get("/api/v1/lots", query_string={"instrument": "NOPE"}
                               ).status_code == 422


def test_lineage_is_queryable_from_parent_and_child(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214")
    serial = world.lot(seller, quantity="10")
    parent = registry.get_lot(serial)
    ledger.encumber(parent, Decimal("4"), None, "test listing")
    child = registry.transfer_to_child(parent, Decimal("4"), buyer.user.account, None, "T1")
    db.session.commit()
    child_serial = child.serial

    from_parent = world.regulator.get(f"/api/v1/lots/{serial}").json
    assert [row["serial"] for row in from_parent["children"]] == [child_serial]
    assert (from_parent["available"], from_parent["encumbered"]) == ("6.0000", "0.0000")
    from_child = buyer.get(f"/api/v1/lots/{child_serial}").json
    assert from_child["parent"]["serial"] == serial
    assert from_child["owner_account_id"] == buyer.user.account_id
    assert (from_child["origin_district_code"], from_child["quality_grade"]) == ("320282", 5)
    assert from_child["available"] == "4.0000"
    assert buyer.post(f"/api/v1/lots/{child_serial}/retirements", json={
        "quantity": "4", "project_name": "新吴区用地报批", "project_code": "XW-1"}
    ).status_code == 201


def test_revoking_cancels_resting_sells_but_waits_for_settlements(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="10")

    def sell(quantity, cid):
        return seller.post("/api/v1/orders", json={
            "instrument": "FO-QTY", "side": "sell", "price": "300000.00", "quantity": quantity,
            "lot_serial": serial, "client_order_id": cid}).json["order"]

    sell("1", "s1")
    buyer.post("/api/v1/orders", json={"instrument": "FO-QTY", "side": "buy",
                                       "price": "300000.00", "quantity": "1",
                                       "client_order_id": "b1"})
    resting = sell("2", "s2")
    refused = world.regulator.post(f"/api/v1/lots/{serial}/revoke", json={"reason": "核查"})
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "lot_encumbered")
    # the refusal rolled back everything, the cancellation of the resting sell included
    assert seller.get(f"/api/v1/orders/{resting['id']}").json["status"] == "open"
    [pending] = buyer.get("/api/v1/settlements").json
    world.regulator.post(f"/api/v1/settlements/{pending['id']}/cancel", json={"reason": "撤销"})
    revoked = world.regulator.post(f"/api/v1/lots/{serial}/revoke", json={"reason": "验收造假"})
    assert (revoked.json["status"], revoked.json["available"]) == ("revoked", "0.0000")
    cancelled = seller.get(f"/api/v1/orders/{resting['id']}").json
    assert (cancelled["status"], cancelled["close_reason"]) == ("cancelled", "lot_revoked")
