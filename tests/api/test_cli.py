"""Operations commands: create-admin, demo data, invariant and chain checks."""

from sqlalchemy import select

from market.extensions import db
from models import Account, Instrument, Lot, User


def test_create_admin_provisions_a_fresh_database(app, db_session, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-admin-password")
    result = app.test_cli_runner().invoke(args=["create-admin", "root"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={
        "username": "root", "password": "a-long-admin-password"}).json["token"]
    created = client.post("/api/v1/accounts", json={"name": "梁溪区", "district_code": "320213"},
                          headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201


def test_demo_data_loads_once_with_verified_lots_of_every_instrument(app, db_session,
                                                                     evidence_dir):
    runner = app.test_cli_runner()
    # A week of history: the full one is the walkthrough's (tests/system/test_walkthrough.py).
    first = runner.invoke(args=["demo-data", "--history-days", "5"])
    assert first.exit_code == 0, first.output
    assert "regulator" in first.output and "demo-password" in first.output
    assert "already present" in runner.invoke(args=["demo-data"]).output
    instruments = set(db.session.scalars(select(Lot.instrument_id).where(Lot.status == "active")))
    assert instruments == set(db.session.scalars(select(Instrument.id)))
    districts = {a.district.name for a in db.session.scalars(select(Account))}
    assert {"宜兴市", "璜土镇", "象山县", "新吴区", "梁溪区", "鄞州区"} <= districts
    assert db.session.scalar(select(User).where(User.username == "regulator")).role == "regulator"
    assert runner.invoke(args=["check-invariants"]).exit_code == 0
    assert "intact" in runner.invoke(args=["verify-audit"]).output


def test_check_invariants_catches_a_balance_changed_behind_the_ledgers_back(app, world):
    buyer = world.trader("xinwu", "320214", cash="100")
    account = db.session.get(Account, buyer.user.account_id)
    account.cash_available += 1
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["check-invariants"])
    assert result.exit_code == 1
    assert f"account:{account.id}:available holds 101.00" in result.output
    account.cash_available -= 1
    db.session.commit()


def test_backfill_daily_stats_rebuilds_a_day_range(app, db_session):
    result = app.test_cli_runner().invoke(args=["backfill-daily-stats", "2026-01-01",
                                                "2026-01-31"])
    assert result.exit_code == 0, result.output
    assert "'days': 31" in result.output
