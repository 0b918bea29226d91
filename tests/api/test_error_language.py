"""Refusals read in Chinese by default and in English on request; their codes never change."""

import pytest

ENGLISH = {"Accept-Language": "en"}


def order(price="300000.00", quantity="1", **extra):
    return {"instrument": "FO-QTY", "side": "buy", "price": price, "quantity": quantity,
            "client_order_id": "lang", **extra}


@pytest.fixture
def buyer(world):
    return world.trader("xinwu", "320214", cash="100000")


def both(caller, body):
    """The same refused order, once in Chinese (the default) and once in English."""
    return (caller.post("/api/v1/orders", json=body).json["error"],
            caller.post("/api/v1/orders", json=body, headers=ENGLISH).json["error"])


def test_insufficient_funds(buyer):
    chinese, english = both(buyer, order(quantity="1000"))
    assert chinese["code"] == english["code"] == "insufficient_funds"
    assert english["message"].startswith("the deposit ")
    assert " exceeds available cash 100000" in english["message"]
    assert chinese["message"].startswith("保证金 ") and " 超过可用资金 100000" in chinese["message"]
    assert (chinese["fields"], english["fields"]) == ({"quantity": ["保证金超过可用资金"]},
                                                      {"quantity": ["deposit too large"]})


def test_bad_tick(buyer):
    chinese, english = both(buyer, order(price="300050.00"))
    assert chinese["code"] == english["code"] == "bad_tick"
    assert english["message"] == "price is not a multiple of the tick size"
    assert chinese["message"] == "price 不是最小变动价位的整数倍"


def test_unknown_instrument(buyer):
    chinese, english = both(buyer, order(instrument="GOLD"))
    assert chinese["code"] == english["code"] == "unknown_instrument"
    assert english["message"] == "instrument: unknown instrument 'GOLD'"
    assert chinese["message"] == "instrument：未知品种 'GOLD'"


def test_a_missing_field(buyer):
    body = order()
    del body["price"]
    chinese, english = both(buyer, body)
    assert chinese["code"] == english["code"] == "validation_error"
    assert english["fields"] == {"price": ["Missing data for required field."]}
    assert chinese["fields"] == {"price": ["缺少必填字段。"]}
    assert english["message"] == "invalid input: price: Missing data for required field."
    assert chinese["message"] == "输入有误：price：缺少必填字段。"


def test_a_missing_thing_names_it_in_the_readers_language(world):
    chinese = world.regulator.get("/api/v1/lots/NO-SUCH-LOT").json["error"]
    assert chinese["message"] == "未找到指标 NO-SUCH-LOT"


def test_a_status_in_a_refusal_is_a_word_of_the_readers_language(world, buyer):
    world.regulator.post("/api/v1/instruments/FO-QTY/halt", json={"reason": "核查"})
    chinese, english = both(buyer, order())
    assert chinese["code"] == english["code"] == "instrument_halted"
    assert english["message"] == "FO-QTY is halted: 核查"
    assert chinese["message"] == "FO-QTY 已暂停：核查"
