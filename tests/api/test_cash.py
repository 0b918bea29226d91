"""Bank deposits and withdrawals, freezing, and the ledger behind them."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from models import JournalEntry


def test_a_deposit_and_a_withdrawal_move_cash_through_the_journal(world):
    buyer = world.trader("xinwu", "320214")
    account_id = buyer.user.account_id
    deposit = world.regulator.post(f"/api/v1/accounts/{account_id}/deposits",
                                   json={"amount": "1500000.50", "reference": "ICBC-20261122-01"})
    assert deposit.status_code == 201, deposit.json
    assert deposit.json["cash_available"] == "1500000.50"
    withdrawal = world.regulator.post(f"/api/v1/accounts/{account_id}/withdrawals",
                                      json={"amount": "500000.25", "reference": "ICBC-02"})
    assert withdrawal.json["cash_available"] == "1000000.25"
    books = db.session.execute(select(JournalEntry.book, JournalEntry.amount)
                               .order_by(JournalEntry.id)).all()
    assert books == [
        ("system:bank", Decimal("-1500000.5000")),
        (f"account:{account_id}:available", Decimal("1500000.5000")),
        (f"account:{account_id}:available", Decimal("-500000.2500")),
        ("system:bank", Decimal("500000.2500")),
    ]


def test_withdrawing_more_than_available_is_refused_and_changes_nothing(world):
    buyer = world.trader("xinwu", "320214", cash="100")
    response = world.regulator.post(f"/api/v1/accounts/{buyer.user.account_id}/withdrawals",
                                    json={"amount": "100.01", "reference": "x"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "insufficient_funds"
    assert buyer.get("/api/v1/accounts/me").json["cash_available"] == "100.00"


def test_a_frozen_account_cannot_retire_until_unfrozen(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller)
    account_id = seller.user.account_id
    frozen = world.regulator.post(f"/api/v1/accounts/{account_id}/freeze",
                                  json={"reason": "涉嫌违规交易"})
    assert frozen.json["frozen"] is True and frozen.json["frozen_reason"] == "涉嫌违规交易"
    retire = seller.post(f"/api/v1/lots/{serial}/retirements",
                         json={"quantity": "1", "project_name": "p", "project_code": "c"})
    assert retire.status_code == 409
    assert retire.json["error"]["code"] == "account_frozen"
    world.regulator.post(f"/api/v1/accounts/{account_id}/unfreeze", json={"reason": "核查无误"})
    assert seller.post(f"/api/v1/lots/{serial}/retirements", json={
        "quantity": "1", "project_name": "p", "project_code": "c"}).status_code == 201


def test_freeze_needs_a_reason(world):
    buyer = world.trader("xinwu", "320214")
    response = world.regulator.post(f"/api/v1/accounts/{buyer.user.account_id}/freeze", json={})
    assert response.status_code == 422
    assert "reason" in response.json["error"]["fields"]


def test_regulators_list_accounts_by_district(world):
    world.trader("xinwu", "320214")
    world.trader("liangxi", "320213")
    listed = world.regulator.get("/api/v1/accounts", query_string={"district_code": "320213"})
    assert [row["name"] for row in listed.json] == ["liangxi account"]
