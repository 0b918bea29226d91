"""Who may see the pages: regulators only; CSRF on every page form, never on the API."""

import re

import pytest

from market.extensions import csrf
from tests.web.conftest import Browser, csrf_token, instrument_status

DESK_PAGES = [
    ("/desk", "行情总览"),
    ("/desk/instruments", "品种管控"),
    ("/desk/instruments/FO-QTY", "补充耕地数量指标"),
    ("/desk/settlements", "结算监控"),
    ("/desk/alerts", "异常预警"),
    ("/desk/flows", "资金流向"),
    ("/desk/reports", "月报季报"),
    ("/desk/audit", "审计日志"),
    ("/desk/audit/verify", "审计日志"),
]


@pytest.mark.parametrize(("path", "heading"), DESK_PAGES)
def test_each_page_renders_for_a_regulator_with_its_chinese_heading(regulator, path, heading):
    response = regulator.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"<h1>{heading}" in html
    assert '<html lang="zh-CN">' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("path", "_heading"), DESK_PAGES)
def test_each_page_needs_a_login(browser, path, _heading):
    response = browser.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(("path", "_heading"), DESK_PAGES)
def test_a_trader_is_told_the_desk_is_for_regulators(browser, world, path, _heading):
    world.trader("xinwu", "320214")
    assert browser.login("xinwu").status_code == 302
    response = browser.get(path)
    assert response.status_code == 403
    assert "此页面不属于您的角色" in response.get_data(as_text=True)


def test_a_trader_cannot_halt_even_with_a_valid_form(browser, world, db_session):
    world.trader("xinwu", "320214")
    browser.login("xinwu")
    response = browser.submit("/login", "/desk/instruments/FO-QTY/halt", {"reason": "试试"})
    assert response.status_code == 403
    assert instrument_status(db_session, "FO-QTY") == "open"


def test_every_page_route_but_login_and_landing_is_guarded(app, browser):
    # A certificate's page is public by design: its QR code is printed for anyone to check.
    open_to_all = {"/", "/login", "/static/<path:filename>", "/verify/<code>"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("web.") and rule.rule not in open_to_all:
            path = re.sub(r"<int:\w+>", "1", rule.rule.replace("<code>", "FO-QTY")
                          .replace("<serial>", "FO-QTY-320282-2024-000001"))
            path = path.replace("<any(reject, freeze, unfreeze, revoke):act>", "freeze")
            method = "GET" if "GET" in rule.methods else "POST"
            response = browser.open(path, method=method)
            # POSTs stop at the CSRF check (400) before the login check (302).
            assert response.status_code in (302, 400), rule.rule


def test_a_post_without_the_csrf_token_changes_nothing(regulator, db_session):
    response = regulator.post("/desk/instruments/FO-QTY/halt", data={"reason": "x"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert instrument_status(db_session, "FO-QTY") == "open"


def test_a_post_with_another_sessions_token_is_refused(regulator, app, db_session):
    foreign_html = Browser(app).get("/login").get_data(as_text=True)
    response = regulator.post("/desk/instruments/FO-QTY/halt", data={
        "reason": "x", "csrf_token": csrf_token(foreign_html)})
    assert response.status_code == 400
    assert instrument_status(db_session, "FO-QTY") == "open"


def test_every_api_blueprint_is_exempt_from_csrf_and_no_page_is(app):
    exempt = csrf._exempt_blueprints
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        if rule.rule.startswith("/api/v1/") and rule.methods & {"POST", "PATCH", "DELETE"}:
            assert blueprint in exempt, rule.rule
        if rule.endpoint.startswith("web."):
            assert blueprint not in exempt, rule.rule


def test_the_api_still_works_without_csrf_tokens(world):
    response = world.regulator.post("/api/v1/instruments/FO-QTY/halt", json={"reason": "API"})
    assert response.status_code == 200, response.json


def test_unknown_desk_pages_are_html_and_unknown_api_paths_json(client):
    page = client.get("/desk/nope")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "页面不存在" in page.get_data(as_text=True)
    api = client.get("/api/v1/nope")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"


def test_each_role_lands_on_its_own_desk_and_only_there(browser, world):
    world.trader("xinwu", "320214", cash="1000")
    assert browser.login("xinwu").headers["Location"] == "/trade"
    home = browser.get("/trade").get_data(as_text=True)
    assert "我的工作台" in home and "可用资金" in home and "1,000.00" in home
    assert browser.get("/desk").status_code == 403
    assert browser.get("/admin").status_code == 403
    admin = type(browser)(browser.app)
    assert admin.login("admin").headers["Location"] == "/admin"
    assert "xinwu account" in admin.get("/admin").get_data(as_text=True)
    assert admin.get("/trade").status_code == 403


def test_pages_stay_chinese_in_a_browser_set_to_english(browser, world):
    world.trader("xinwu", "320214", cash="1000")
    browser.login("xinwu")
    home = browser.get("/trade", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "可用资金" in home.get_data(as_text=True)
    assert "Available cash" not in home.get_data(as_text=True)
