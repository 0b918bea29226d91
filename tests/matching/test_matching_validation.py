"""Order validation: every rejection is an event, never an exception, and changes nothing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from helpers_matching import book, buy, sell

from matching import (
    REJECT_CODES,
    BookSpec,
    BuyerEligibility,
    LotEligibility,
    Mode,
    Rejected,
    Submit,
    TimeInForce,
)


@pytest.mark.parametrize(
    ("price", "qty", "code"),
    [
        ("10.00", "0", "non_positive_quantity"),
        ("10.00", "-3", "non_positive_quantity"),
        ("10.00", "1.5", "bad_lot"),
        ("0", "1", "non_positive_price"),
        ("-1", "1", "non_positive_price"),
        ("10.005", "1", "bad_tick"),
        ("9.49", "1", "below_floor"),
        ("8.99", "1", "below_floor"),
        ("11.01", "1", "outside_band"),
        ("NaN", "1", "non_positive_price"),
        ("10.00", "Infinity", "non_positive_quantity"),
    ],
)
def test_rejections(price, qty, code):
    b = book()
    events = b.apply(buy(1, "b", price, qty))
    assert len(events) == 1 and isinstance(events[0], Rejected)
    assert events[0].code == code and events[0].code in REJECT_CODES and events[0].message
    assert len(b) == 0


def test_band_edges_are_inclusive():
    # Reference 10.00 ± 10% is [9.00, 11.00]; the floor 9.50 binds below.
    b = book()
    assert b.apply(buy(1, "b", "11.00", 1))[0].__class__.__name__ == "Accepted"
    assert b.apply(buy(2, "b", "9.50", 1))[0].__class__.__name__ == "Accepted"
    lower = book(floor_price=None)
    assert lower.apply(buy(1, "b", "9.00", 1))[0].__class__.__name__ == "Accepted"
    assert lower.apply(buy(2, "b", "8.99", 1))[0].code == "outside_band"


def test_band_rounds_inwards_onto_the_tick_grid():
    # 10.05 ± 10% is [9.045, 11.055]: on a 0.01 grid that is [9.05, 11.05].
    b = book(reference_price=D("10.05"), floor_price=None)
    assert b.apply(buy(1, "b", "9.04", 1))[0].code == "outside_band"
    assert b.apply(buy(2, "b", "11.06", 1))[0].code == "outside_band"
    assert b.apply(buy(3, "b", "9.05", 1))[0].__class__.__name__ == "Accepted"


def test_no_band_without_reference():
    b = book(reference_price=None, floor_price=None)
    assert b.apply(buy(1, "b", "999.99", 1))[0].__class__.__name__ == "Accepted"


def test_wrong_eligibility_kind_is_rejected():
    b = book()
    assert b.apply(buy(1, "b", "10", 1, eligibility=LotEligibility()))[0].code == "bad_eligibility"
    assert b.apply(sell(2, "s", "10", 1, eligibility=BuyerEligibility()))[0].code == (
        "bad_eligibility"
    )


def test_bad_side_and_tif():
    b = book()
    assert b.apply(Submit(1, "b", "hold", D("10"), D("1")))[0].code == "bad_side"
    assert b.apply(Submit(2, "b", "buy", D("10"), D("1"), "DAY"))[0].code == "bad_tif"
    # Plain strings equal to the enum values are accepted.
    assert b.apply(Submit(3, "b", "buy", D("10"), D("1"), "GTC"))[0].side == "buy"


def test_ioc_and_fok_cannot_wait_for_an_auction():
    b = book(Mode.CALL_AUCTION)
    for tif in (TimeInForce.IOC, TimeInForce.FOK):
        assert b.apply(buy(1, "b", "10", 1, tif))[0].code == "tif_not_allowed"


def test_spec_must_have_positive_grid():
    with pytest.raises(ValueError):
        book(tick_size=D("0"))
    assert BookSpec("X", D("0.01"), D("1")).mode == Mode.CONTINUOUS


def test_floats_never_enter_but_ints_are_exact():
    from matching import Reduce, Replace

    b = book()
    assert b.apply(Submit(1, "b", "buy", 10.0, D("1")))[0].code == "not_a_decimal"
    assert b.apply(Submit(2, "b", "buy", D("10"), 1.0))[0].code == "not_a_decimal"
    assert b.apply(Submit(3, "b", "buy", None, D("1")))[0].code == "not_a_decimal"
    accepted = b.apply(Submit(4, "b", "buy", 10, 2))[0]
    assert accepted.price == D("10") and type(accepted.price) is D
    assert type(b.order(4).price) is D
    assert b.apply(Reduce(4, by=0.5))[0].code == "not_a_decimal"
    assert b.apply(Replace(4, 10.1))[0].code == "not_a_decimal"
    assert b.apply(Reduce(4, by=1))[0].new_remaining == D("1")
