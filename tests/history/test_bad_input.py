"""Bad queries get a 4xx JSON error naming the field, never a 500."""

import pytest

BASE = "/api/v1/instruments/ECO-CARBON"

# (path, status, field the error must name)
CASES = [
    (f"{BASE}/candles?interval=hour", 422, "interval"),
    (f"{BASE}/candles?interval=", 422, "interval"),
    (f"{BASE}/candles?from=2024-05-02&to=2024-05-01", 422, "from"),
    (f"{BASE}/candles?from=2999-01-01", 422, "from"),
    (f"{BASE}/candles?from=2030-01-01", 422, "from"),  # after `to`, which defaults to today
    (f"{BASE}/candles?from=yesterday", 422, "from"),
    (f"{BASE}/candles?to=2024-02-30", 422, "to"),
    (f"{BASE}/candles?from=0001-01-01", 422, "from"),
    (f"{BASE}/candles?to=9999-12-31", 422, "to"),
    (f"{BASE}/candles?format=pdf", 422, "format"),
    ("/api/v1/instruments/GOLD/candles", 404, "instrument"),
    ("/api/v1/instruments/GOLD/candles?format=csv", 404, "instrument"),
    ("/api/v1/instruments/GOLD/stats", 404, "instrument"),
    ("/api/v1/instruments/GOLD/index", 404, "instrument"),
    ("/api/v1/instruments/GOLD/trades/export", 404, "instrument"),
    (f"{BASE}/index?level=county", 422, "level"),
    (f"{BASE}/index?from=2024-05-02&to=2024-05-01", 422, "from"),
    (f"{BASE}/trades/export?format=pdf", 422, "format"),
    (f"{BASE}/trades/export?from=2024-13-01", 422, "from"),
]


@pytest.mark.parametrize(("path", "status", "field"), CASES)
def test_bad_queries_name_the_field(world, path, status, field):
    caller = world.trader("xinwu", "320214")
    response = caller.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert field in response.json["error"]["fields"], response.json


@pytest.mark.parametrize("path", [f"{BASE}/candles", f"{BASE}/stats", f"{BASE}/index",
                                  f"{BASE}/trades/export", "/api/v1/trades/1"])
def test_history_needs_a_login(world, path):
    response = world.anonymous.get(path)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_a_trade_id_must_be_a_number(world):
    response = world.regulator.get("/api/v1/trades/abc")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_the_openapi_document_lists_the_history_paths(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/instruments/{code}/candles", "/api/v1/instruments/{code}/stats",
                 "/api/v1/instruments/{code}/index", "/api/v1/instruments/{code}/trades/export",
                 "/api/v1/lots/{serial}/trades", "/api/v1/trades/{trade_id}"):
        assert "get" in paths[path], path
