"""The use-case boundary: commit on success, roll back on error, keep evidence, retry aborts."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from market.errors import DomainError
from market.extensions import db
from market.services import audit
from market.services.transaction import keep_after_rollback, use_case
from models import AuditEvent


def _note(action: str) -> None:
    audit.record(None, action, "test", "1", {}, actor_name="test")


def _actions(db_session) -> list[str]:
    """The test actions committed to the audit log, in order."""
    db_session.rollback()  # see only what was committed
    return [action for action in db_session.scalars(
        select(AuditEvent.action).order_by(AuditEvent.seq)) if action.startswith("test.")]


def test_a_use_case_commits_what_it_did(db_session):
    use_case(lambda: _note("test.done"))()
    assert _actions(db_session) == ["test.done"]


def test_a_failing_use_case_leaves_nothing_but_what_it_kept(db_session):
    @use_case
    def refused():
        _note("test.partial")
        keep_after_rollback(lambda: _note("test.evidence"))
        raise DomainError("refused", "no")

    with pytest.raises(DomainError):
        refused()
    assert _actions(db_session) == ["test.evidence"]


def test_kept_records_are_not_written_when_the_use_case_succeeds(db_session):
    @use_case
    def fine():
        keep_after_rollback(lambda: _note("test.evidence"))
        _note("test.done")

    fine()
    assert _actions(db_session) == ["test.done"]


def test_a_use_case_inside_another_joins_its_transaction(db_session):
    inner = use_case(lambda: _note("test.inner"))

    @use_case
    def outer():
        inner()
        raise DomainError("refused", "the outer one fails after the inner one ran")

    with pytest.raises(DomainError):
        outer()
    assert _actions(db_session) == []


class _Deadlock(Exception):
    pgcode = "40P01"


def test_a_deadlock_is_retried_and_then_commits(db_session):
    attempts = []

    @use_case
    def flaky():
        attempts.append(1)
        _note(f"test.attempt{len(attempts)}")
        if len(attempts) < 3:
            raise DBAPIError("UPDATE …", {}, _Deadlock())

    flaky()
    assert len(attempts) == 3
    assert _actions(db_session) == ["test.attempt3"]


def test_other_database_errors_are_not_retried(db_session):
    attempts = []

    @use_case
    def broken():
        attempts.append(1)
        raise DBAPIError("SELECT …", {}, Exception("no pgcode"))

    with pytest.raises(DBAPIError):
        broken()
    assert attempts == [1]


def test_keeping_a_record_outside_a_use_case_is_a_programming_error(db_session):
    with pytest.raises(RuntimeError):
        keep_after_rollback(lambda: None)


def test_rows_kept_for_later_go_in_exactly_as_given(world, database):
    """The order writer's rows reach the database as written, whatever their characters
    (they travel as one literal string: nothing in them may act as SQL or as a
    placeholder), with their decimals and times exact."""
    if database["dialect"] != "postgresql":
        pytest.skip("ids drawn ahead come from PostgreSQL's sequences (the writer's only)")
    from datetime import UTC, datetime
    from decimal import Decimal

    from market.services import row_ids
    from models import JournalEntry, JournalTransaction

    memo = "100% of lot 'A'; -- DROP TABLE orders; %s %(x)s \\ 江苏省"
    at = datetime(2026, 12, 3, 8, 30, 15, 123456, tzinfo=UTC)
    with row_ids.drawing_ahead(row_ids.IdPool(block=2)):
        kept = row_ids.insert_later(JournalTransaction, {
            "kind": "hold", "memo": memo, "reference": None, "actor_user_id": None,
            "created_at": at})
        for amount in (Decimal("-12345678.91"), Decimal("12345678.91")):
            row_ids.insert_later(JournalEntry, {"transaction_id": kept, "asset": "CNY",
                                                "book": "system:bank", "amount": amount})
        row_ids.insert_now()
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.get(JournalTransaction, kept)
    assert (stored.memo, stored.reference, stored.created_at) == (memo, None, at)
    assert sorted(entry.amount for entry in stored.entries) == [
        Decimal("-12345678.91"), Decimal("12345678.91")]
