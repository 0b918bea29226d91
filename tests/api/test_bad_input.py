"""Bad input gets a 4xx JSON error naming the field, never a 500, and changes nothing."""

import pytest
from sqlalchemy import func, select

from market.extensions import db
from models import Base

LONG = "长" * 10_000

LOT = {
    "instrument": "FO-QTY", "quantity": "20", "origin_district_code": "320282",
    "project_name": "项目", "project_code": "YX-1", "accepted_on": "2024-03-01",
    "vintage_year": 2024, "quality_grade": 3,
}


def with_(base, **changes):
    body = dict(base)
    for key, value in changes.items():
        if value is ...:
            body.pop(key)
        else:
            body[key] = value
    return body


# (who, path, body, field the error must name or None for a body-level error)
CASES = [
    ("seller", "/api/v1/lots", with_(LOT, quantity=...), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity="-5"), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity="0"), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity="1.00001"), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity=1.5), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity="NaN"), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity="1e400"), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity=True), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, quantity=LONG), "quantity"),
    ("seller", "/api/v1/lots", with_(LOT, instrument="GOLD"), "instrument"),
    ("seller", "/api/v1/lots", with_(LOT, origin_district_code="999999"),
     "origin_district_code"),
    ("seller", "/api/v1/lots", with_(LOT, project_name=LONG), "project_name"),
    ("seller", "/api/v1/lots", with_(LOT, project_name=""), "project_name"),
    ("seller", "/api/v1/lots", with_(LOT, vintage_year="2024x"), "vintage_year"),
    ("seller", "/api/v1/lots", with_(LOT, accepted_on="yesterday"), "accepted_on"),
    ("seller", "/api/v1/lots", with_(LOT, quality_grade=0), "quality_grade"),
    ("seller", "/api/v1/lots", with_(LOT, surprise="field"), "surprise"),
    ("seller", "/api/v1/lots", ["not", "an", "object"], None),
    ("regulator", "/api/v1/accounts/{account}/deposits", {"amount": "-1", "reference": "r"},
     "amount"),
    ("regulator", "/api/v1/accounts/{account}/deposits", {"amount": "0", "reference": "r"},
     "amount"),
    ("regulator", "/api/v1/accounts/{account}/deposits", {"amount": "1.001", "reference": "r"},
     "amount"),
    ("regulator", "/api/v1/accounts/{account}/deposits", {"amount": "10", "reference": LONG},
     "reference"),
    ("regulator", "/api/v1/accounts/{account}/deposits", {"amount": "99999999999999999999",
                                                         "reference": "r"}, "amount"),
    ("regulator", "/api/v1/accounts/{account}/freeze", {"reason": LONG}, "reason"),
    ("admin", "/api/v1/accounts", {"name": "x", "district_code": "000000"}, "district_code"),
    ("admin", "/api/v1/accounts", {"name": LONG, "district_code": "320214"}, "name"),
    ("admin", "/api/v1/users", {"username": "a b", "password": "long-enough-pw",
                                "role": "trader", "account_id": 1}, "username"),
    ("admin", "/api/v1/users", {"username": "abc", "password": "short", "role": "trader",
                                "account_id": 1}, "password"),
    ("admin", "/api/v1/users", {"username": "abc", "password": "long-enough-pw",
                                "role": "emperor"}, "role"),
    ("seller", "/api/v1/lots/{serial}/retirements", {"quantity": "0", "project_name": "p",
                                                     "project_code": "c"}, "quantity"),
    ("seller", "/api/v1/lots/{serial}/retirements", {"quantity": "1"}, "project_name"),
]


def snapshot():
    """Row counts of every table: nothing may change when input is refused."""
    db.session.rollback()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


@pytest.fixture
def cast(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller)
    return {"world": world, "seller": seller, "serial": serial,
            "account": seller.user.account_id}


@pytest.mark.parametrize(("who", "path", "body", "field"), CASES)
def test_bad_bodies_are_refused_with_the_field_named(cast, who, path, body, field):
    world = cast["world"]
    caller = {"seller": cast["seller"], "regulator": world.regulator, "admin": world.admin}[who]
    before = snapshot()
    response = caller.post(path.format(**cast), json=body)
    assert 400 <= response.status_code < 500, response.json
    error = response.json["error"]
    assert error["code"] and error["message"]
    if field:
        assert field in error["fields"], error
    assert snapshot() == before


@pytest.mark.parametrize("payload", [b"{not json", b"\xff\xfe", b'{"quantity": }'])
def test_malformed_json_is_a_400_naming_the_problem(cast, payload):
    before = snapshot()
    response = cast["seller"].post("/api/v1/lots", data=payload,
                                   headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.data
    assert response.json["error"]["code"] == "malformed_json"
    assert snapshot() == before


def test_invalid_json_says_so(cast):
    response = cast["seller"].post("/api/v1/lots", data=b"{oops",
                                   headers={"Content-Type": "application/json",
                                            "Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json["error"] == {"code": "malformed_json",
                                      "message": "the request body is not valid JSON",
                                      "fields": {"body": ["is not valid JSON"]}}


def test_unknown_paths_and_methods_are_json_errors(cast):
    seller = cast["seller"]
    missing = seller.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    wrong = seller.delete("/api/v1/lots")
    assert wrong.status_code == 405 and wrong.json["error"]["code"] == "method_not_allowed"


def test_bad_query_parameters_are_422(cast):
    response = cast["world"].regulator.get("/api/v1/lots", query_string={"vintage_year": "x"})
    assert response.status_code == 422
    assert "vintage_year" in response.json["error"]["fields"]


@pytest.mark.parametrize("path", [
    "/api/v1/audit?before_seq=-26581081217653538074393365708800",
    "/api/v1/trades?limit=10&offset=6210271714411200816393767919827288064",
    "/api/v1/orders/99999999999999999999999999",
    "/api/v1/settlements/99999999999999999999999999",
])
def test_huge_numbers_are_4xx_not_an_overflow(cast, path):
    response = cast["world"].regulator.get(path)
    assert 400 <= response.status_code < 500, response.json


LOOSE_NUMBERS = [" 290000 ", "290000 ", "+290000", "2_9_0_0_0_0", "٢٩٠٠٠٠", "２９００００",
                 "290000.", ".5", "29e4", "0x10", "-0", "290,000", "29 0000", "1.2.3"]


@pytest.mark.parametrize("price", [*LOOSE_NUMBERS, "290000.000"])
def test_a_price_outside_the_documented_pattern_places_no_order(world, price):
    buyer = world.trader("xinwu", "320214", cash="10000000")
    before = snapshot()
    response = buyer.post("/api/v1/orders", json={
        "instrument": "FO-QTY", "side": "buy", "price": price, "quantity": "1",
        "client_order_id": "loose-1"})
    assert response.status_code == 422, response.json
    assert "price" in response.json["error"]["fields"], response.json
    assert snapshot() == before


@pytest.mark.parametrize("quantity", [*LOOSE_NUMBERS, "1.00000"])
def test_a_quantity_outside_the_documented_pattern_registers_no_lot(cast, quantity):
    before = snapshot()
    response = cast["seller"].post("/api/v1/lots", json=with_(LOT, quantity=quantity))
    assert response.status_code == 422, response.json
    assert "quantity" in response.json["error"]["fields"], response.json
    assert snapshot() == before


def test_the_documented_decimal_pattern_matches_what_is_accepted(client):
    import re

    spec = client.get("/api/v1/openapi.json").json
    order = spec["components"]["schemas"]["OrderCreate"]["properties"]
    price, quantity = order["price"]["pattern"], order["quantity"]["pattern"]
    for text in LOOSE_NUMBERS:
        assert not re.search(price, text) and not re.search(quantity, text), text
    for text in ("290000", "290000.5", "290000.50", "0.01"):
        assert re.search(price, text), text
    assert re.search(quantity, "1.2345") and not re.search(price, "1.234")
