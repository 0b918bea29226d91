"""certificates: signed, publicly verifiable statements of issuance, transfer and use

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

KINDS = "'issuance', 'transfer', 'retirement', 'surrender', 'pledge'"


def upgrade():
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("holder_account_id", sa.Integer(), nullable=True),
        sa.Column("counterparty_account_id", sa.Integer(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("issued_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by_user_id", sa.Integer(), nullable=True),
        sa.Column("voided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_certificates_kind")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_certificates_lot_id_lots")),
        sa.ForeignKeyConstraint(["settlement_id"], ["settlements.id"],
                                name=op.f("fk_certificates_settlement_id_settlements")),
        sa.ForeignKeyConstraint(["holder_account_id"], ["accounts.id"],
                                name=op.f("fk_certificates_holder_account_id_accounts")),
        sa.ForeignKeyConstraint(["counterparty_account_id"], ["accounts.id"],
                                name=op.f("fk_certificates_counterparty_account_id_accounts")),
        sa.ForeignKeyConstraint(["issued_by_user_id"], ["users.id"],
                                name=op.f("fk_certificates_issued_by_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index("ix_certificates_subject", ["subject_type", "subject_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_settlement_id"), ["settlement_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_holder_account_id"),
                              ["holder_account_id"], unique=False)


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_holder_account_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_settlement_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_lot_id"))
        batch_op.drop_index("ix_certificates_subject")
    op.drop_table("certificates")
