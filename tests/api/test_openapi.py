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


def _json_schema(node):
    """OpenAPI 3.0's `nullable` in JSON Schema's words: null is one more type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    return node


def _validator(spec, ref):
    """A JSON Schema validator for one component of the document (its $refs resolved)."""
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator({"$ref": ref,
                                          "components": _json_schema(spec["components"])})


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def test_every_error_response_declares_the_body_the_service_sends(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert schemas["Error"]["properties"].keys() == {"error"}
    assert schemas["Error"]["required"] == ["error"]
    detail = schemas["ErrorDetail"]["properties"]
    assert (detail["code"]["type"], detail["message"]["type"], detail["fields"]["type"]) == (
        "string", "string", "object")
    for name, response in spec["components"]["responses"].items():
        for content in response.get("content", {}).values():
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, name
    for method, path, operation in _operations(spec):
        assert operation["responses"]["default"] == {
            "$ref": "#/components/responses/DEFAULT_ERROR"}, (method, path)


def test_real_error_bodies_match_the_declared_schema(world):
    spec = world.client.get("/api/v1/openapi.json").json
    validator = _validator(spec, "#/components/schemas/Error")
    trader = world.trader("yixing", "320282")
    answers = [
        world.anonymous.get("/api/v1/orders"),  # 401
        trader.get("/api/v1/audit"),  # 403
        trader.get("/api/v1/lots/NO-SUCH-LOT"),  # 404
        trader.delete("/api/v1/lots"),  # 405
        trader.post("/api/v1/orders", json={"price": "1.234"}),  # 422, nested field errors
        trader.post("/api/v1/orders", data=b"{oops",
                    headers={"Content-Type": "application/json"}),  # 400
        trader.post("/api/v1/lots", data=b"[" * 100 + b"]" * 100,
                    headers={"Content-Type": "application/json"}),  # 400, too deep
    ]
    for response in answers:
        assert 400 <= response.status_code < 500
        errors = [error.message for error in validator.iter_errors(response.json)]
        assert errors == [], (response.status_code, response.json, errors)


def test_a_negative_district_net_matches_the_flow_schema(world):
    from tests.surveillance.helpers import trade

    seller = world.trader("xiangshan", "330225")
    buyer = world.trader("tongxiang", "330483", cash="10000000")
    serial = world.lot(seller, instrument="ECO-CARBON", quantity="100")
    trade(seller, buyer, serial, "60.00", "10", "ECO-CARBON")  # settles at once
    response = world.regulator.get("/api/v1/reports/flows")
    assert response.status_code == 200, response.json
    nets = {row["code"]: row["net"] for row in response.json["districts"]}
    assert nets["330483"] == "-600.00"
    spec = world.client.get("/api/v1/openapi.json").json
    validator = _validator(spec, "#/components/schemas/FlowMatrix")
    assert [error.message for error in validator.iter_errors(response.json)] == []


def test_the_limits_the_schemas_enforce_are_stated_in_the_document(client):
    spec = client.get("/api/v1/openapi.json").json
    for method, path, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            if parameter["in"] == "query" and schema.get("type") == "integer":
                assert "minimum" in schema and "maximum" in schema, (method, path, parameter)
            if schema.get("format") == "date":
                assert "2000-01-01 to 2100-12-31" in parameter["description"], (path, parameter)
    flows = {p["name"]: p for p in spec["paths"]["/api/v1/reports/flows"]["get"]["parameters"]}
    assert "not after `to`" in flows["from"]["description"]
    orders = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/orders"]["get"]["parameters"]}
    assert (orders["limit"]["minimum"], orders["limit"]["maximum"]) == (1, 1000)
    assert (orders["offset"]["minimum"], orders["offset"]["maximum"]) == (0, 2**31 - 1)


def test_out_of_window_flow_dates_are_a_422(world):
    response = world.regulator.get("/api/v1/reports/flows?from=1999-12-31&to=2000-01-31")
    assert response.status_code == 422
    assert "from" in response.json["error"]["fields"]
    response = world.regulator.get("/api/v1/reports/flows?to=9999-12-31")
    assert response.status_code == 422
    assert "to" in response.json["error"]["fields"]
