"""The OpenAPI document and its browsable UI, served by the app itself."""

CONTRACT = [
    ("post", "/api/v1/auth/token"), ("get", "/api/v1/districts"), ("post", "/api/v1/accounts"),
    ("post", "/api/v1/users"), ("get", "/api/v1/accounts/me"),
    ("post", "/api/v1/accounts/{account_id}/deposits"),
    ("post", "/api/v1/accounts/{account_id}/withdrawals"),
    ("post", "/api/v1/accounts/{account_id}/freeze"),
    ("post", "/api/v1/accounts/{account_id}/unfreeze"),
    ("get", "/api/v1/instruments"), ("get", "/api/v1/instruments/{code}"),
    ("patch", "/api/v1/instruments/{code}"), ("post", "/api/v1/instruments/{code}/halt"),
    ("post", "/api/v1/instruments/{code}/resume"), ("post", "/api/v1/lots"),
    ("get", "/api/v1/lots"), ("get", "/api/v1/lots/{serial}"),
    ("post", "/api/v1/lots/{serial}/verify"), ("post", "/api/v1/lots/{serial}/reject"),
    ("post", "/api/v1/lots/{serial}/freeze"), ("post", "/api/v1/lots/{serial}/revoke"),
    ("post", "/api/v1/lots/{serial}/retirements"), ("get", "/api/v1/audit"),
    ("get", "/api/v1/audit/verify"),
    ("post", "/api/v1/orders"), ("get", "/api/v1/orders"), ("get", "/api/v1/orders/{order_id}"),
    ("patch", "/api/v1/orders/{order_id}"), ("delete", "/api/v1/orders/{order_id}"),
    ("get", "/api/v1/instruments/{code}/book"), ("get", "/api/v1/instruments/{code}/trades"),
    ("get", "/api/v1/instruments/{code}/candles"), ("get", "/api/v1/instruments/{code}/stats"),
    ("get", "/api/v1/settlements"), ("get", "/api/v1/settlements/{settlement_id}"),
    ("post", "/api/v1/settlements/{settlement_id}/pay"),
    ("post", "/api/v1/settlements/{settlement_id}/payments"),
    ("post", "/api/v1/settlements/{settlement_id}/cancel"),
    ("get", "/api/v1/surveillance/alerts"),
    ("post", "/api/v1/surveillance/alerts/{alert_id}/review"),
    ("get", "/api/v1/reports/flows"), ("get", "/api/v1/reports/monthly"),
    ("get", "/api/v1/reports/quarterly"),
]


def test_the_document_lists_every_contract_path(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    missing = [(m, p) for m, p in CONTRACT if m not in spec["paths"].get(p, {})]
    assert missing == []
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_browsable_ui_loads_its_assets_from_the_app_not_a_cdn(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page
    assert "https://" not in page
    bundle = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.data) > 100_000
