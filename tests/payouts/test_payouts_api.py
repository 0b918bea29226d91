"""Money back: beneficiaries, the split of net proceeds, disbursements, who sees what."""

from decimal import Decimal

import pytest

from market.services import payouts
from tests.payouts.helpers import VILLAGE, carbon_seller, sell_carbon


def test_split_by_largest_remainder_is_exact_and_deterministic():
    thirds = [Decimal("0.3333"), Decimal("0.3333"), Decimal("0.3334")]
    assert payouts.split_by_shares(Decimal("0.02"), thirds) == [
        Decimal("0.01"), Decimal("0.00"), Decimal("0.01")]
    parts = payouts.split_by_shares(Decimal("10.00"), thirds)
    assert parts == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    # 0.01 × 0.5 each: one fen left over goes to the first named of the equal losers
    assert payouts.split_by_shares(Decimal("0.01"), [Decimal("0.5"), Decimal("0.5")]) == [
        Decimal("0.01"), Decimal("0.00")]
    for total in ("0.01", "0.07", "1.00", "23353.20", "99999.99"):
        assert sum(payouts.split_by_shares(Decimal(total), thirds)) == Decimal(total)
    with pytest.raises(ValueError):
        payouts.split_by_shares(Decimal("1.00"), [Decimal("0.5"), Decimal("0.4")])


def test_a_sale_owes_each_beneficiary_its_share_of_the_net_proceeds(world):
    seller, serial = carbon_seller(world)
    named = seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    assert named.status_code == 200, named.json
    assert [(b["name"], b["share"]) for b in named.json["beneficiaries"]] == [
        ("东山村村民", "0.8500"), ("东山村村集体", "0.1500")]
    buyer = sell_carbon(world, seller, serial)
    # 400 × 58.50 = 23,400.00 less the 20 bp fee 46.80 = 23,353.20 net
    owed = seller.get("/api/v1/payouts").json
    assert [(p["beneficiary_name"], p["amount"], p["owed"], p["paid"]) for p in owed] == [
        ("东山村村民", "19850.22", "19850.22", "0.00"),
        ("东山村村集体", "3502.98", "3502.98", "0.00")]
    # the owed money is set aside: the seller cannot withdraw or spend it
    assert seller.get("/api/v1/accounts/me").json["cash_available"] == "0.00"
    # the buyer's child lot owes nobody
    [settlement] = buyer.get("/api/v1/settlements").json
    child = buyer.get(f"/api/v1/lots/{settlement['child_lot_serial']}").json
    assert child["beneficiaries"] == []
    assert buyer.get("/api/v1/payouts").json == []


def test_rounding_puts_the_left_over_fen_where_the_largest_remainders_are(world):
    seller, serial = carbon_seller(world)
    thirds = [{"name": n, "kind": "villager", "share": s}
              for n, s in (("甲", "0.3333"), ("乙", "0.3333"), ("丙", "0.3334"))]
    assert seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=thirds).status_code == 200
    sell_carbon(world, seller, serial, quantity="1", price="58.50")
    # 58.50 less fee 0.12 = 58.38: exact shares 19.458054, 19.458054, 19.463892
    amounts = [p["amount"] for p in seller.get("/api/v1/payouts").json]
    assert amounts == ["19.46", "19.46", "19.46"]
    assert sum(Decimal(a) for a in amounts) == Decimal("58.38")


def test_disbursements_pay_out_never_more_than_owed(world):
    seller, serial = carbon_seller(world)
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    sell_carbon(world, seller, serial)
    villagers, collective = seller.get("/api/v1/payouts").json
    path = f"/api/v1/payouts/{villagers['id']}/disbursements"
    paid = seller.post(path, json={"amount": "10000.00", "reference": "ICBC-001"})
    assert paid.status_code == 201, paid.json
    assert (paid.json["paid"], paid.json["owed"]) == ("10000.00", "9850.22")
    over = seller.post(path, json={"amount": "9850.23", "reference": "ICBC-002"})
    assert (over.status_code, over.json["error"]["code"]) == (422, "over_disbursement")
    rest = seller.post(path, json={"amount": "9850.22", "reference": "ICBC-002"}).json
    assert rest["owed"] == "0.00" and rest["paid_at"] is not None
    assert [d["reference"] for d in rest["disbursements"]] == ["ICBC-001", "ICBC-002"]
    again = seller.post(path, json={"amount": "0.01", "reference": "ICBC-003"})
    assert again.json["error"]["code"] == "over_disbursement"
    unpaid = seller.get("/api/v1/payouts?unpaid=true").json
    assert [p["id"] for p in unpaid] == [collective["id"]]
    actions = [e["action"] for e in world.regulator.get("/api/v1/audit?limit=100").json]
    assert actions.count("payout.disburse") == 2


def test_bad_beneficiaries_are_refused_and_change_nothing(world):
    seller, serial = carbon_seller(world)
    other = world.trader("yixing", "320282")
    path = f"/api/v1/lots/{serial}/beneficiaries"
    cases = [
        ([{"name": "a", "kind": "villager", "share": "0.5"},
          {"name": "b", "kind": "collective", "share": "0.4"}], 422, "shares_not_one"),
        ([{"name": "a", "kind": "villager", "share": "0.6"},
          {"name": "b", "kind": "collective", "share": "0.5"}], 422, "shares_not_one"),
        ([], 422, "shares_not_one"),
        ([{"name": "a", "kind": "villager", "share": "0.5"},
          {"name": "a", "kind": "villager", "share": "0.5"}], 422, "duplicate_beneficiary"),
        ([{"name": "a", "kind": "landlord", "share": "1"}], 422, None),
        ([{"name": "a", "kind": "villager", "share": 1.0}], 422, None),
        ([{"name": "a", "kind": "villager", "share": "0"}], 422, None),
        ([{"name": "a", "kind": "villager", "share": "1.00001"}], 422, None),
        ({"name": "a"}, 422, None),
    ]
    for body, status, code in cases:
        response = seller.put(path, json=body)
        assert response.status_code == status, (body, response.json)
        if code:
            assert response.json["error"]["code"] == code
    assert seller.get(f"/api/v1/lots/{serial}").json["beneficiaries"] == []
    assert other.put(path, json=VILLAGE).status_code == 404
    assert world.regulator.put(path, json=VILLAGE).status_code == 403
    assert seller.put("/api/v1/lots/NOPE/beneficiaries", json=VILLAGE).status_code == 404


def test_new_beneficiaries_change_future_sales_only(world):
    seller, serial = carbon_seller(world)
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    sell_carbon(world, seller, serial, quantity="100", tag="1")
    company = [{"name": "宜兴乡村振兴公司", "kind": "company", "share": "1"}]
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=company)
    sell_carbon(world, seller, serial, quantity="100", tag="2")
    names = [p["beneficiary_name"] for p in seller.get("/api/v1/payouts").json]
    assert names == ["东山村村民", "东山村村集体", "宜兴乡村振兴公司"]


def test_a_lot_without_beneficiaries_keeps_its_proceeds(world):
    seller, serial = carbon_seller(world)
    sell_carbon(world, seller, serial)
    assert seller.get("/api/v1/payouts").json == []
    assert seller.get("/api/v1/accounts/me").json["cash_available"] == "23353.20"


def test_regulators_see_payouts_in_their_jurisdiction_and_disburse_nothing(world):
    from market.services import identity
    from tests.factories import PASSWORD

    seller, serial = carbon_seller(world)
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    sell_carbon(world, seller, serial)
    [first, _second] = world.regulator.get("/api/v1/payouts").json
    wuxi = world.caller(identity.create_user(world.admin_user, {
        "username": "wuxi", "password": PASSWORD, "role": "regulator",
        "district_code": "320200"}))
    ningbo = world.caller(identity.create_user(world.admin_user, {
        "username": "ningbo", "password": PASSWORD, "role": "regulator",
        "district_code": "330200"}))
    assert len(wuxi.get("/api/v1/payouts").json) == 2
    assert ningbo.get("/api/v1/payouts").json == []
    assert ningbo.get(f"/api/v1/payouts/{first['id']}").status_code == 404
    assert wuxi.get(f"/api/v1/payouts/{first['id']}").status_code == 200
    refused = world.regulator.post(f"/api/v1/payouts/{first['id']}/disbursements",
                                   json={"amount": "1.00", "reference": "x"})
    assert refused.status_code == 403
    stranger = world.trader("yinzhou", "330212")
    assert stranger.post(f"/api/v1/payouts/{first['id']}/disbursements",
                         json={"amount": "1.00", "reference": "x"}).status_code == 404
