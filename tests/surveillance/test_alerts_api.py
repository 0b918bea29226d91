"""Alerts over the API: listing, review (audited), thresholds, and who may see them."""

import json

import pytest

from market.services import surveillance
from tests.surveillance.helpers import trade


@pytest.fixture
def flagged(world):
    """Two trades far from the guide price, detected: two open guide_deviation alerts."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, quantity="50")
    fills = [trade(seller, buyer, serial, "340000.00", "1"),
             trade(seller, buyer, serial, "350000.00", "1")]
    assert surveillance.detect() == 2
    return world, seller, buyer, serial, fills


def test_alerts_come_with_their_trades_accounts_and_numbers(flagged):
    world, seller, buyer, _serial, fills = flagged
    listed = world.regulator.get("/api/v1/surveillance/alerts?kind=guide_deviation")
    assert listed.status_code == 200
    newest, oldest = listed.json
    assert (oldest["status"], oldest["severity"], oldest["instrument"]) == (
        "open", "medium", "FO-QTY")
    assert oldest["details"]["price"] == "340000.00"
    assert oldest["details"]["guide_price"] == "300000.00"
    assert newest["details"]["deviation"] == "0.1667"
    assert [t["id"] for t in oldest["trades"]] == [fills[0]["id"]]
    assert oldest["trades"][0]["amount"] == "340000.00"
    assert {(a["id"], a["district_code"]) for a in oldest["accounts"]} == {
        (seller.user.account_id, "320282"), (buyer.user.account_id, "320214")}
    one = world.regulator.get(f"/api/v1/surveillance/alerts/{oldest['id']}")
    assert one.json == oldest
    assert world.regulator.get("/api/v1/surveillance/alerts/9999").status_code == 404


def test_filters_and_paging(flagged):
    world = flagged[0]
    get = world.regulator.get
    assert len(get("/api/v1/surveillance/alerts?instrument=FO-QTY").json) == 2
    assert get("/api/v1/surveillance/alerts?instrument=ECO-CARBON").json == []
    assert len(get("/api/v1/surveillance/alerts?limit=1").json) == 1
    assert len(get("/api/v1/surveillance/alerts?limit=1&offset=1").json) == 1
    assert get("/api/v1/surveillance/alerts?status=reviewed").json == []
    bad = get("/api/v1/surveillance/alerts?kind=nonsense")
    assert bad.status_code == 422 and "kind" in bad.json["error"]["fields"]
    unknown = get("/api/v1/surveillance/alerts?instrument=GOLD")
    assert unknown.status_code == 422 and "instrument" in unknown.json["error"]["fields"]


def test_a_review_records_who_when_and_why_and_is_audited(flagged):
    world = flagged[0]
    first, second = sorted(a["id"] for a in world.regulator.get(
        "/api/v1/surveillance/alerts").json)[:2]
    reviewed = world.regulator.post(f"/api/v1/surveillance/alerts/{first}/review",
                                    json={"status": "reviewed", "note": "called the buyer"})
    assert reviewed.status_code == 200, reviewed.json
    assert (reviewed.json["status"], reviewed.json["reviewed_by"],
            reviewed.json["review_note"]) == ("reviewed", "regulator", "called the buyer")
    assert reviewed.json["reviewed_at"] is not None
    dismissed = world.regulator.post(f"/api/v1/surveillance/alerts/{second}/review",
                                     json={"status": "dismissed"})
    assert (dismissed.json["status"], dismissed.json["review_note"]) == ("dismissed", None)

    events = world.regulator.get("/api/v1/audit?target_type=alert").json
    assert [(e["action"], e["target_id"], e["actor"]) for e in events] == [
        ("alert.dismiss", str(second), "regulator"), ("alert.review", str(first), "regulator")]
    assert events[1]["details"] == {"kind": "guide_deviation", "old": "open",
                                    "new": "reviewed", "note": "called the buyer"}
    again = world.regulator.post(f"/api/v1/surveillance/alerts/{first}/review",
                                 json={"status": "dismissed"})
    assert (again.status_code, again.json["error"]["code"]) == (409, "alert_closed")
    assert [a["id"] for a in world.regulator.get(
        "/api/v1/surveillance/alerts?status=reviewed").json] == [first]


@pytest.mark.parametrize("body", [{"status": "open"}, {"status": "maybe"}, {},
                                  {"status": "reviewed", "note": "x" * 2001}])
def test_bad_reviews_are_422_naming_the_field(flagged, body):
    world = flagged[0]
    alert_id = world.regulator.get("/api/v1/surveillance/alerts").json[0]["id"]
    response = world.regulator.post(f"/api/v1/surveillance/alerts/{alert_id}/review", json=body)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) <= {"status", "note"}
    assert response.json["error"]["fields"]


def test_reviewing_an_unknown_alert_is_404(world):
    response = world.regulator.post("/api/v1/surveillance/alerts/12345/review",
                                    json={"status": "reviewed"})
    assert response.status_code == 404


def test_settings_are_listed_and_a_change_takes_effect_and_is_audited(world):
    settings = world.regulator.get("/api/v1/surveillance/settings").json
    assert {s["key"]: s["value"] for s in settings} == {
        "guide_deviation": "0.1", "vwap_deviation": "0.15", "band_rejection_storm": "10",
        "circular_days": "30", "concentration_share": "0.5", "cancel_fill_ratio": "10",
        "concentration_min_trades": "5", "cancel_fill_min_cancels": "20",
        "negotiated_deviation": "0.15",
        "listing_ceiling_minutes": "10",
        "payout_overdue_days": "30"}
    changed = world.regulator.patch("/api/v1/surveillance/settings",
                                    json={"guide_deviation": "0.2", "circular_days": "30"})
    assert changed.status_code == 200, changed.json
    assert {s["key"]: s["value"] for s in changed.json}["guide_deviation"] == "0.2"
    [event] = world.regulator.get("/api/v1/audit?action=surveillance.settings").json
    assert event["details"] == {"guide_deviation": {"old": "0.1000", "new": "0.2000"}}

    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, quantity="50")
    trade(seller, buyer, serial, "340000.00", "1")          # +13.3 %: under the new 20 %
    assert surveillance.detect() == 0
    trade(seller, buyer, serial, "370000.00", "1")          # +23.3 %
    assert surveillance.detect() == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"guide_deviation": "1.5"}, "guide_deviation"),
    ({"guide_deviation": "0"}, "guide_deviation"),
    ({"guide_deviation": 0.2}, "guide_deviation"),
    ({"band_rejection_storm": "2.5"}, "band_rejection_storm"),
    ({"circular_days": "400"}, "circular_days"),
    ({"concentration_share": "-0.1"}, "concentration_share"),
    ({"no_such_threshold": "1"}, "no_such_threshold"),
])
def test_bad_settings_are_422_naming_the_field(world, body, field):
    response = world.regulator.patch("/api/v1/surveillance/settings", json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_a_patch_that_changes_nothing_is_refused(world):
    response = world.regulator.patch("/api/v1/surveillance/settings",
                                     json={"guide_deviation": "0.10"})
    assert (response.status_code, response.json["error"]["code"]) == (422, "no_change")


def test_the_regulator_can_run_detection_on_demand(flagged):
    world = flagged[0]
    assert world.regulator.post("/api/v1/surveillance/detect").json == {"created": 0}


PATHS = [
    ("get", "/api/v1/surveillance/alerts"), ("get", "/api/v1/surveillance/alerts/1"),
    ("post", "/api/v1/surveillance/alerts/1/review"), ("post", "/api/v1/surveillance/detect"),
    ("get", "/api/v1/surveillance/settings"), ("patch", "/api/v1/surveillance/settings"),
    ("get", "/api/v1/surveillance/settlements"), ("get", "/api/v1/reports/flows"),
    ("get", "/api/v1/reports/monthly?city=320200&period=2026-11"),
    ("get", "/api/v1/reports/quarterly?city=320200&period=2026-Q4"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_only_regulators_get_in(world, method, path):
    trader = world.trader("xinwu", "320214")
    body = {"json": {"status": "reviewed"}} if method != "get" else {}
    assert getattr(trader, method)(path, **body).status_code == 403
    assert getattr(world.admin, method)(path, **body).status_code == 403
    assert getattr(world.anonymous, method)(path, **body).status_code == 401


def test_alert_details_are_json_objects(flagged):
    world = flagged[0]
    for alert in world.regulator.get("/api/v1/surveillance/alerts").json:
        assert isinstance(alert["details"], dict)
        assert json.dumps(alert["details"])


def test_the_cancel_floor_is_a_setting_too(world):
    lowered = world.regulator.patch("/api/v1/surveillance/settings",
                                    json={"cancel_fill_min_cancels": "3"})
    assert lowered.status_code == 200, lowered.json
    buyer = world.trader("xinwu", "320214", cash="10000000")
    for n in range(3):
        placed = buyer.post("/api/v1/orders", json={
            "instrument": "FO-QTY", "side": "buy", "price": "280000.00", "quantity": "1",
            "client_order_id": f"c{n}"}).json["order"]
        buyer.delete(f"/api/v1/orders/{placed['id']}")
    world.regulator.post("/api/v1/surveillance/detect")
    alerts = world.regulator.get("/api/v1/surveillance/alerts?kind=cancel_fill_ratio").json
    assert [a["details"]["min_cancels"] for a in alerts] == [3]
