"""audit keys and checkpoints: HMAC-keyed digests, no TRUNCATE, kept chain heads

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Existing rows are re-digested with the configured AUDIT_KEY (derived from SECRET_KEY when
unset), so the whole chain is keyed from the first row and `flask verify-audit` passes right
after the upgrade. The old unkeyed chain is verified first: a broken one stops the upgrade,
because re-keying it would bless the tampering. Downgrade re-digests without the key.
"""
import hashlib
import hmac
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

events = sa.table(
    "audit_events", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
    sa.column("at", models.base.UTCDateTime()), sa.column("actor_user_id", sa.Integer),
    *(sa.column(name, sa.String) for name in ("actor", "action", "target_type", "target_id",
                                              "details", "prev_digest", "digest")),
)


def upgrade():
    _redigest(_unkeyed, _keyed(_configured_key))
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_checkpoints_seq'))
    )
    _guard_checkpoints_and_refuse_truncate()


def downgrade():
    _redigest(_keyed(_configured_key), _unkeyed)
    _drop_guards()
    op.drop_table('audit_checkpoints')


# Checkpoints are append-only like the log. PostgreSQL's row triggers do not fire on
# TRUNCATE, so both tables also get a statement trigger that refuses it.
def _guard_checkpoints_and_refuse_truncate():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_checkpoints_append_only
            BEFORE UPDATE OR DELETE ON audit_checkpoints
            FOR EACH ROW EXECUTE FUNCTION audit_append_only()
        """)
        for table in ("audit_events", "audit_checkpoints"):
            op.execute(f"""
                CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()
            """)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_checkpoints_no_{verb.lower()}
                BEFORE {verb} ON audit_checkpoints
                BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END
            """)


def _drop_guards():
    if op.get_bind().dialect.name == "postgresql":
        for table in ("audit_events", "audit_checkpoints"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_delete")


# The digest formula as of this revision, kept here so later changes to the app's code cannot
# change what this migration does.
def _content(row, previous: str) -> bytes:
    moment = row.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = [row.seq, moment, row.actor_user_id, row.actor, row.action, row.target_type,
               row.target_id, row.details, previous]
    return json.dumps(content, ensure_ascii=False).encode()


def _unkeyed(row, previous: str) -> str:
    return hashlib.sha256(_content(row, previous)).hexdigest()


def _keyed(key_of):
    def digest(row, previous: str) -> str:
        return hmac.new(key_of(), _content(row, previous), hashlib.sha256).hexdigest()
    return digest


def _configured_key() -> bytes:
    # Flask-Migrate runs migrations inside the app, whose create_app settled AUDIT_KEY.
    from flask import current_app

    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise RuntimeError("0006 re-keys the audit log: set AUDIT_KEY or SECRET_KEY")
    return str(key).encode()


def _rows(connection, batch: int = 5000):
    """Every row in chain order, a batch at a time."""
    last_seq = 0
    while rows := connection.execute(
            sa.select(events).where(events.c.seq > last_seq).order_by(events.c.seq)
            .limit(batch)).all():
        yield from rows
        last_seq = rows[-1].seq


def _redigest(old, new):
    """Check the whole chain with the old formula, then rewrite every link and digest."""
    connection = op.get_bind()
    # All checked before anything is written: SQLite runs this migration without a
    # transaction around it, so a half re-keyed chain must never be left behind.
    previous, expected_seq = GENESIS, 1
    for row in _rows(connection):
        if (row.seq != expected_seq or row.prev_digest != previous
                or old(row, previous) != row.digest):
            raise RuntimeError(f"audit chain broken at seq {expected_seq}: not re-keying it; "
                               "find out what happened first")
        previous, expected_seq = row.digest, expected_seq + 1
    if expected_seq == 1:
        return
    _update_guard(enabled=False)
    previous = GENESIS
    for row in _rows(connection):
        digest = new(row, previous)
        connection.execute(events.update().where(events.c.id == row.id)
                           .values(prev_digest=previous, digest=digest))
        previous = digest
    _update_guard(enabled=True)


def _update_guard(enabled: bool):
    """The migration itself must rewrite digests the append-only trigger refuses to change."""
    if op.get_bind().dialect.name == "postgresql":
        state = "ENABLE" if enabled else "DISABLE"
        op.execute(f"ALTER TABLE audit_events {state} TRIGGER audit_events_append_only")
    elif enabled:
        op.execute("""
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
        """)
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
