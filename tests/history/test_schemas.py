"""The fast list dump gives exactly what marshmallow's generic nested dump gives."""

from datetime import date
from decimal import Decimal

import pytest
from marshmallow import Schema, fields

from market.schemas.history import CandleSchema, FlatList, IndexPointSchema


class Generic(Schema):
    candles = fields.List(fields.Nested(CandleSchema))
    points = fields.List(fields.Nested(IndexPointSchema))


class Fast(Schema):
    candles = FlatList(CandleSchema)
    points = FlatList(IndexPointSchema)


def test_flat_list_dumps_like_a_nested_list():
    candle = {"period": "2024-W18", "start": date(2024, 4, 29), "end": date(2024, 5, 5),
              "open": Decimal("60"), "high": Decimal("62.5"), "low": Decimal("58.00"),
              "close": Decimal("59.50"), "volume": Decimal("49"), "turnover": Decimal("2918"),
              "trades": 5, "vwap": Decimal("59.55")}
    point = {"day": date(2024, 5, 1), "index": Decimal("98.3871"), "vwap": Decimal("61"),
             "volume": Decimal("10.5"), "turnover": Decimal("640.50"), "trades": 1}
    data = {"candles": [candle, dict(candle, period="2024-W19")], "points": [point]}
    assert Fast().dump(data) == Generic().dump(data)
    assert Fast().dump(data)["candles"][0]["open"] == "60.00"
    assert Fast().dump({"candles": [], "points": None}) == {"candles": [], "points": None}


def test_flat_list_refuses_fields_it_cannot_dump():
    class Nested(Schema):
        when = fields.DateTime()

    with pytest.raises(TypeError):
        FlatList(Nested)
