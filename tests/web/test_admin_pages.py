"""The admin's pages: accounts and users created, a user deactivated, a new password."""

import pytest
from sqlalchemy import select

from models import Account, AuditEvent, User
from tests.factories import PASSWORD
from tests.web.conftest import Browser

NEW_PASSWORD = "another-secret-42"


@pytest.fixture
def admin(browser):
    """A browser logged in as the admin."""
    assert browser.login("admin").status_code == 302
    return browser


def user_named(session, username: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.username == username))


def test_open_an_account_then_a_trader_for_it(admin, db_session):
    opened = admin.submit("/admin", "/admin/accounts", {
        "name": "江阴市自然资源局", "kind": "bureau", "district_code": "320281"})
    assert opened.status_code == 302
    assert "已开立账户 江阴市自然资源局。" in admin.get("/admin").get_data(as_text=True)
    account = db_session.scalar(select(Account).where(Account.name == "江阴市自然资源局"))
    created = admin.submit("/admin", "/admin/users", {
        "username": "jiangyin", "password": NEW_PASSWORD, "role": "trader",
        "account_id": str(account.id)})
    assert created.status_code == 302
    assert user_named(db_session, "jiangyin").account_id == account.id
    actions = db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor == "admin").order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["account.create", "user.create"]


def test_a_regulator_may_name_its_city(admin, db_session):
    created = admin.submit("/admin", "/admin/users", {
        "username": "wuxi", "password": NEW_PASSWORD, "role": "regulator",
        "district_code": "320200"})
    assert created.status_code == 302
    assert user_named(db_session, "wuxi").district.code == "320200"


@pytest.mark.parametrize(("data", "message"), [
    ({"role": "trader"}, "交易方须指定所属账户"),
    ({"role": "regulator", "district_code": "320282"}, "辖区须为地级市或省"),
    ({"role": "regulator", "district_code": "999999"}, "未知的地区代码"),
    ({"role": "admin", "username": "regulator"}, "该用户名已被使用"),
    ({"role": "king"}, "未知的角色"),
    ({"role": "admin", "username": "a b"}, "须为 3 至 64 个字母"),
    ({"role": "admin", "password": "short"}, "须为 10 至 200 个字符"),
    ({"role": "trader", "account_id": "x1"}, "须为整数"),
])
def test_a_bad_user_is_refused_in_chinese_and_not_created(admin, db_session, data, message):
    before = db_session.scalars(select(User.id)).all()
    response = admin.submit("/admin", "/admin/users", {
        "username": "newcomer", "password": NEW_PASSWORD, **data})
    assert response.status_code in (409, 422)
    assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalars(select(User.id)).all() == before


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "kind": "bureau", "district_code": "320281"}, "请填写名称"),
    ({"name": "某账户", "kind": "bank", "district_code": "320281"}, "未知的账户类型"),
    ({"name": "某账户", "kind": "bureau", "district_code": "000000"}, "未知的地区代码"),
    ({"name": "某账户", "kind": "bureau", "district_code": ""}, "请填写地区代码"),
])
def test_a_bad_account_is_refused_in_chinese_and_not_opened(admin, db_session, data, message):
    response = admin.submit("/admin", "/admin/accounts", data)
    assert response.status_code in (404, 409, 422)
    assert message in response.get_data(as_text=True)
    assert db_session.scalars(select(Account.id)).all() == []


def test_a_duplicate_account_name_is_refused(admin, world):
    world.trader("yixing", "320282")
    response = admin.submit("/admin", "/admin/accounts", {
        "name": "yixing account", "kind": "bureau", "district_code": "320282"})
    assert response.status_code == 409 and "该名称已被使用" in response.get_data(as_text=True)


def test_deactivate_a_user_with_a_reason_ends_their_session(app, admin, world, db_session):
    trader = world.trader("xinwu", "320214")
    their_browser = Browser(app)
    their_browser.login("xinwu")
    page = f"/admin/users/{trader.user.id}"
    empty = admin.submit(page, f"{page}/deactivate", {"reason": ""})
    assert empty.status_code == 422 and "请填写原因" in empty.get_data(as_text=True)
    assert user_named(db_session, "xinwu").active is True

    assert admin.submit(page, f"{page}/deactivate", {"reason": "人员调离"}).status_code == 302
    assert user_named(db_session, "xinwu").active is False
    assert their_browser.get("/trade").status_code == 302  # back to the login page
    event = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.deactivate")).one()
    assert "人员调离" in event.details


def test_an_admin_cannot_deactivate_themselves(admin, world):
    page = f"/admin/users/{world.admin_user.id}"
    response = admin.submit(page, f"{page}/deactivate", {"reason": "试试"})
    assert response.status_code == 409
    assert "不能停用自己的账号" in response.get_data(as_text=True)


def test_a_new_password_replaces_the_old_one(app, admin, world, db_session):
    page = f"/admin/users/{world.regulator_user.id}"
    short = admin.submit(page, f"{page}/password", {"password": "short"})
    assert short.status_code == 422 and "须为 10 至 200 个字符" in short.get_data(as_text=True)
    assert admin.submit(page, f"{page}/password", {"password": NEW_PASSWORD}).status_code == 302
    assert "已设置新密码。" in admin.get(page).get_data(as_text=True)
    assert Browser(app).login("regulator", PASSWORD).status_code != 302
    assert Browser(app).login("regulator", NEW_PASSWORD).status_code == 302
    assert db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "user.password_change")).all() == ["user.password_change"]


def test_an_unknown_user_is_a_404_and_a_regulator_cannot_use_the_admin_forms(regulator, world):
    assert regulator.get("/admin").status_code == 403
    admin = Browser(regulator.app)
    admin.login("admin")
    assert admin.get("/admin/users/999999").status_code == 404
