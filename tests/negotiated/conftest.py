"""A cast for negotiated transfers: sellers and buyers in two provinces and their regulators."""

from types import SimpleNamespace

import pytest

from market.services import identity
from tests.factories import PASSWORD


def regulator(world, username, district_code):
    """A regulator with a jurisdiction, as an API caller."""
    user = identity.create_user(world.admin_user, {
        "username": username, "password": PASSWORD, "role": "regulator",
        "district_code": district_code})
    return world.caller(user)


@pytest.fixture
def cast(world):
    """象山县 (浙江) and 宜兴市 (江苏) sellers; 新吴区 and 梁溪区 (江苏) buyers; 鄞州区 (浙江)."""
    return SimpleNamespace(
        world=world,
        xiangshan=world.trader("xiangshan", "330225"),
        yixing=world.trader("yixing", "320282"),
        xinwu=world.trader("xinwu", "320214", cash="2000000"),
        liangxi=world.trader("liangxi", "320213", cash="50000"),
        yinzhou=world.trader("yinzhou", "330212", cash="2000000"),
        jiangsu=regulator(world, "jiangsu", "320000"),
        wuxi=regulator(world, "wuxi", "320200"),
        zhejiang=regulator(world, "zhejiang", "330000"),
        ningbo=regulator(world, "ningbo", "330200"),
        national=world.regulator,
    )


def propose(seller, serial, buyer, quantity="2", price="300000.00"):
    """POST a proposal; the response."""
    return seller.post("/api/v1/negotiated-transfers", json={
        "lot_serial": serial, "quantity": quantity, "price": price,
        "buyer_account_id": buyer.user.account_id})


def me(caller):
    """The caller's account: (available, held)."""
    body = caller.get("/api/v1/accounts/me").json
    return body["cash_available"], body["cash_held"]
