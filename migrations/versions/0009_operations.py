"""operations: audit_events.request_id, scheduler_heartbeats

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

Audit rows name the request or scheduler run that made them (outside the digest, so the
chain of existing rows verifies as before). The scheduler writes one heartbeat row per job.
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, never a batch copy: on SQLite a table rebuild would drop the
    # append-only triggers of audit_events (and UPDATE nothing: the column starts empty).
    op.add_column("audit_events", sa.Column("request_id", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_audit_events_request_id"), "audit_events", ["request_id"],
                    unique=False)

    op.create_table(
        "scheduler_heartbeats",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("last_run_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_status", sa.String(length=8), nullable=False),
        sa.Column("last_duration_ms", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_status IN ('ok', 'failed', 'skipped')",
                           name=op.f("ck_scheduler_heartbeats_last_status")),
        sa.CheckConstraint("runs >= 0 AND failures >= 0",
                           name=op.f("ck_scheduler_heartbeats_totals_not_negative")),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_scheduler_heartbeats")),
    )
    op.create_index(op.f("ix_scheduler_heartbeats_last_run_at"), "scheduler_heartbeats",
                    ["last_run_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_scheduler_heartbeats_last_run_at"), table_name="scheduler_heartbeats")
    op.drop_table("scheduler_heartbeats")
    op.drop_index(op.f("ix_audit_events_request_id"), table_name="audit_events")
    # SQLite (3.35+) drops a plain column in place, keeping the triggers.
    op.drop_column("audit_events", "request_id")
