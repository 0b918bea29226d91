"""Hostile input — NUL bytes, lone surrogates, deep nesting, huge bodies — is a 4xx, never a 500.

Each case is sent anonymously as well as by a trader: the guard runs before authentication,
so nobody can make the service fail by sending bytes it cannot store.
"""

import json

import pytest

from tests.api.test_bad_input import LOT, snapshot, with_
from tests.web.conftest import Browser, csrf_token


def deep(levels: int) -> bytes:
    return ("[" * levels + "]" * levels).encode()


@pytest.fixture
def seller(world):
    return world.trader("yixing", "320282")


def _assert_refused(response, status, code, field=None):
    assert response.status_code == status, response.data[:300]
    assert response.is_json, response.data[:300]
    error = response.json["error"]
    assert error["code"] == code, error
    assert error["message"]
    if field is not None:
        assert field in error["fields"], error


@pytest.mark.parametrize("username", ["adm\x00in", "\udfff", "a\ud800b"])
def test_login_user_names_with_nul_or_surrogates_are_refused_anonymously(world, username):
    before = snapshot()
    body = json.dumps({"username": username, "password": "whatever-password"})
    response = world.client.post("/api/v1/auth/token", data=body,
                                 headers={"Content-Type": "application/json"})
    _assert_refused(response, 422, "invalid_characters", "username")
    assert snapshot() == before


@pytest.mark.parametrize("name", ["项目\x00", "\udfff项目", "\ud83d"])
def test_a_lot_whose_project_name_cannot_be_stored_is_refused(seller, name):
    before = snapshot()
    body = json.dumps(with_(LOT, project_name=name))
    response = seller.post("/api/v1/lots", data=body,
                           headers={"Content-Type": "application/json"})
    _assert_refused(response, 422, "invalid_characters", "project_name")
    assert snapshot() == before


def test_nested_keys_are_checked_too_and_never_echoed_back(seller):
    body = json.dumps({"instrument": "FO-QTY", "extra": [{"\udfff": "x"}]})
    response = seller.post("/api/v1/lots", data=body,
                           headers={"Content-Type": "application/json"})
    _assert_refused(response, 422, "invalid_characters")
    assert "\\udfff" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/lots/AB%00CD", "/api/v1/instruments/FO%00QTY",
                                  "/api/v1/nothing%00here"])
@pytest.mark.parametrize("who", ["anonymous", "seller"])
def test_a_nul_in_the_path_is_a_400(world, seller, path, who):
    caller = seller if who == "seller" else world.anonymous
    _assert_refused(caller.get(path), 400, "invalid_characters", "path")


@pytest.mark.parametrize("query", ["instrument=A%00B", "status=open&instrument=%00",
                                   "instr%00ument=FO-QTY"])
@pytest.mark.parametrize("who", ["anonymous", "seller"])
def test_a_nul_in_the_query_is_a_422(world, seller, query, who):
    caller = seller if who == "seller" else world.anonymous
    _assert_refused(caller.get(f"/api/v1/orders?{query}"), 422, "invalid_characters")


def test_the_query_error_names_the_parameter(seller):
    response = seller.get("/api/v1/orders?instrument=A%00B")
    _assert_refused(response, 422, "invalid_characters", "instrument")


@pytest.mark.parametrize("who", ["anonymous", "seller"])
def test_json_nested_a_thousand_deep_is_a_400(world, seller, who):
    caller = seller if who == "seller" else world.anonymous
    before = snapshot()
    for path in ("/api/v1/auth/token", "/api/v1/lots", "/api/v1/orders"):
        response = caller.post(path, data=deep(1000),
                               headers={"Content-Type": "application/json"})
        _assert_refused(response, 400, "json_too_deep", "body")
    assert snapshot() == before


def test_ordinary_nesting_still_parses(seller):
    # A body a little nested (a list of objects) is far from the limit.
    response = seller.post("/api/v1/lots", json=with_(LOT, extra=[{"a": [1, {"b": 2}]}]))
    _assert_refused(response, 422, "validation_error", "extra")


def test_a_number_too_long_to_convert_is_a_400_not_a_500(world):
    body = b'{"username": "admin", "password": ' + b"1" * 5000 + b"}"
    response = world.client.post("/api/v1/auth/token", data=body,
                                 headers={"Content-Type": "application/json"})
    _assert_refused(response, 400, "malformed_json", "body")


@pytest.mark.parametrize("who", ["anonymous", "seller"])
def test_a_body_over_the_limit_is_a_413_before_it_is_read(world, seller, who, app):
    caller = seller if who == "seller" else world.anonymous
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 16 * 1024 * 1024
    body = b'{"username": "' + b"a" * (limit + 1) + b'"}'
    before = snapshot()
    response = caller.post("/api/v1/auth/token", data=body,
                           headers={"Content-Type": "application/json"})
    _assert_refused(response, 413, "payload_too_large")
    assert snapshot() == before


def test_a_body_within_the_limit_is_read(world):
    body = json.dumps({"username": "a" * 100_000, "password": "x"})
    response = world.client.post("/api/v1/auth/token", data=body,
                                 headers={"Content-Type": "application/json"})
    _assert_refused(response, 422, "validation_error", "username")


@pytest.mark.parametrize("username", ["regu\x00lator", "\x00"])
def test_the_login_page_refuses_a_nul_with_a_chinese_page(app, world, username):
    browser = Browser(app)
    token = csrf_token(browser.get("/login").get_data(as_text=True))
    before = snapshot()
    response = browser.post("/login", data={"username": username, "password": "whatever-pw",
                                            "csrf_token": token})
    assert 400 <= response.status_code < 500
    assert response.mimetype == "text/html"
    assert "不允许的字符" in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_nul_in_a_page_query_is_a_chinese_page(app, world):
    browser = Browser(app)
    assert browser.login("regulator").status_code == 302
    response = browser.get("/desk/flows?instrument=A%00B")
    assert 400 <= response.status_code < 500
    assert response.mimetype == "text/html"
    assert "不允许的字符" in response.get_data(as_text=True)


def test_a_route_may_allow_a_larger_body_than_the_default():
    from flask import Flask, request

    from market.request_guard import body_limit, install

    small = Flask(__name__)
    small.config["MAX_CONTENT_LENGTH"] = 1000
    install(small)

    @small.post("/ordinary")
    def ordinary():
        return str(len(request.get_data()))

    @small.post("/upload")
    @body_limit(5000)
    def upload():
        return str(len(request.get_data()))

    client = small.test_client()
    assert client.post("/ordinary", data=b"x" * 1001).status_code == 413
    assert client.post("/upload", data=b"x" * 4000).get_data(as_text=True) == "4000"
    assert client.post("/upload", data=b"x" * 5001).status_code == 413
