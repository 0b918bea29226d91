"""The issue's 'done when': log in, register a lot, verify it, see it, retire part of it."""

from tests.factories import PASSWORD


def test_a_seller_registers_a_lot_the_regulator_verifies_and_the_seller_retires_part(world):
    world.trader("jiangyin", "320281")
    login = world.client.post("/api/v1/auth/token",
                              json={"username": "jiangyin", "password": PASSWORD})
    assert login.status_code == 201, login.json
    seller = world.caller(world.regulator_user)
    seller.token = login.json["token"]

    registered = seller.post("/api/v1/lots", json={
        "instrument": "FO-QTY", "quantity": "12.5", "origin_district_code": "320281100",
        "project_name": "璜土镇高标准农田建设项目", "project_code": "JY-2024-017",
        "accepted_on": "2024-06-30", "vintage_year": 2024, "quality_grade": 5,
    })
    assert registered.status_code == 201, registered.json
    lot = registered.json
    assert lot["status"] == "pending"
    assert lot["serial"].startswith("FO-QTY-320281-2024-")
    assert lot["available"] == "0.0000"

    verified = world.regulator.post(f"/api/v1/lots/{lot['serial']}/verify")
    assert verified.status_code == 200, verified.json
    assert verified.json["status"] == "active"
    assert verified.json["available"] == "12.5000"

    listed = seller.get("/api/v1/lots", query_string={"instrument": "FO-QTY"})
    assert [row["serial"] for row in listed.json] == [lot["serial"]]

    retired = seller.post(f"/api/v1/lots/{lot['serial']}/retirements", json={
        "quantity": "2.25", "project_name": "无锡新吴区某产业园用地报批", "project_code": "YD-001"})
    assert retired.status_code == 201, retired.json
    after = seller.get(f"/api/v1/lots/{lot['serial']}").json
    assert (after["available"], after["retired"]) == ("10.2500", "2.2500")
    assert after["retirements"][0]["project_code"] == "YD-001"

    chain = world.regulator.get("/api/v1/audit/verify").json
    assert chain["ok"] is True and chain["checked"] > 0
