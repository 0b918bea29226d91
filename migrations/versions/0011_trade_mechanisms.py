"""trade mechanisms: a trade says how it was made, and off-book deals have no orders

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Listing auctions, procurements and negotiated transfers make trades without orders, so the
order columns become nullable. Trades made before this revision are marked by their
instrument's trading mode at the time of the upgrade (the only record there is of it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

MECHANISMS = "'continuous', 'call_auction', 'listing', 'procurement', 'negotiated'"


def upgrade():
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mechanism", sa.String(length=16), nullable=False,
                                      server_default="continuous"))
        batch_op.alter_column("buy_order_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("sell_order_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f("ck_trades_mechanism"),
                                         f"mechanism IN ({MECHANISMS})")
    op.execute("UPDATE trades SET mechanism = 'call_auction' WHERE instrument_id IN "
               "(SELECT id FROM instruments WHERE trading_mode = 'call_auction')")
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.alter_column("mechanism", existing_type=sa.String(length=16),
                              server_default=None)


def downgrade():
    # Refused (NOT NULL) while off-book trades exist: they have no orders to name, and
    # deleting them would lose settled deals.
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_trades_mechanism"), type_="check")
        batch_op.alter_column("sell_order_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("buy_order_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("mechanism")
