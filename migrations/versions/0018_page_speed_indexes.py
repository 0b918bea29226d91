"""page speed indexes: a lot's latest trades and its creating settlement, closed settlements

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

Measured with bench/pages.py on a 1,000,000-trade history (docs/BENCHMARKS.md, "Pages"):
a lot's page lists its latest trades (`lot_id, id`: ordered by id alone, a lot with no trades
walked all of them) and looks up the settlement that delivered into it (`child_lot_id`),
which was a scan of every settlement; the settlement monitor counts and lists closed
settlements of a recent window and the latest defaulted and cancelled ones, by status and
closing time; a seller's home page sums the proceeds of the month, which read every
settlement the seller ever had.
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.create_index("ix_trades_lot_newest", ["lot_id", "id"], unique=False)
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlements_child_lot_id"), ["child_lot_id"],
                              unique=False)
        batch_op.create_index("ix_settlements_status_closed", ["status", "closed_at"],
                              unique=False)
        batch_op.create_index("ix_settlements_seller_closed",
                              ["seller_account_id", "status", "closed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.drop_index("ix_settlements_seller_closed")
        batch_op.drop_index("ix_settlements_status_closed")
        batch_op.drop_index(batch_op.f("ix_settlements_child_lot_id"))
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.drop_index("ix_trades_lot_newest")
