"""lot evidence: acceptance documents (验收材料) attached to lots

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The files themselves live in EVIDENCE_DIR, named by their SHA-256; this table keeps what
was uploaded, by whom, and the digest that names (and checks) the file.
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lot_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_user_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("content_type IN ('application/pdf', 'image/jpeg', 'image/png')",
                           name=op.f("ck_lot_evidence_content_type")),
        sa.CheckConstraint("size > 0", name=op.f("ck_lot_evidence_size_positive")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"],
                                name=op.f("fk_lot_evidence_lot_id_lots")),
        sa.ForeignKeyConstraint(["uploaded_by_user_id"], ["users.id"],
                                name=op.f("fk_lot_evidence_uploaded_by_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot_evidence")),
    )
    with op.batch_alter_table("lot_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lot_evidence_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lot_evidence_sha256"), ["sha256"], unique=False)


def downgrade():
    with op.batch_alter_table("lot_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lot_evidence_sha256"))
        batch_op.drop_index(batch_op.f("ix_lot_evidence_lot_id"))
    op.drop_table("lot_evidence")
