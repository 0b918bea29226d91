"""Off-book deals make one trade (with its mechanism, without orders) and settle like any."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from market.extensions import db
from market.services import ledger, settlement
from models import Account, Lot, Settlement, Trade
from models.base import utcnow


def _deal(world, deposit, mechanism="negotiated"):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    lot = db.session.scalar(select(Lot).where(Lot.serial == world.lot(seller, quantity="5")))
    ledger.encumber(lot, Decimal("2"), None, "deal")
    ledger.hold_cash(buyer.user.account_id, deposit, None, memo="deal deposit", reference="deal")
    return lot, buyer, settlement.Deal(
        lot=lot, buyer_account_id=buyer.user.account_id, price=Decimal("300000.00"),
        quantity=Decimal("2"), mechanism=mechanism, final_side="buy", deposit=deposit)


def test_a_deal_is_one_trade_without_orders_and_a_pending_settlement(world):
    lot, buyer, deal = _deal(world, Decimal("60000.00"))
    opened = settlement.record_deal(deal, None, utcnow())
    trade = db.session.get(Trade, opened.trade_id)
    assert (trade.mechanism, trade.buy_order_id, trade.sell_order_id) == ("negotiated", None, None)
    assert trade.amount == Decimal("600000.00")
    assert opened.status == "pending_payment"
    assert opened.amount_due == Decimal("540000.00")
    assert ledger.check_invariants() == []


def test_a_deal_paid_in_full_by_its_deposit_delivers_at_once(world):
    lot, buyer, deal = _deal(world, Decimal("600000.00"), mechanism="listing")
    closed = settlement.record_deal(deal, None, utcnow())
    assert closed.status == "completed"
    child = db.session.get(Lot, closed.child_lot_id)
    assert child.owner_account_id == buyer.user.account_id and child.quantity == Decimal("2")
    assert db.session.get(Account, buyer.user.account_id) is not None
    assert ledger.check_invariants() == []


def test_a_book_mechanism_is_refused(world):
    lot, buyer, deal = _deal(world, Decimal("0"), mechanism="continuous")
    with pytest.raises(ValueError):
        settlement.record_deal(deal, None, utcnow())
    assert db.session.scalar(select(Settlement.id)) is None
