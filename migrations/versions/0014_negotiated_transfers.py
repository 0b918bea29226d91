"""negotiated transfers (协议转让) and the negotiated_deviation threshold

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

A seller's proposal to a named buyer, the buyer's acceptance and the regulators' approvals
(the seller's side, and across provinces the buyer's too); the approved transfer names the
settlement its one trade made.
"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import models.base

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# The threshold this revision adds, frozen here: (key, value, description).
NEW_SETTINGS = [
    ("negotiated_deviation", "0.15",
     "a negotiated transfer priced more than this fraction from the guide price"),
]
NEW_KEYS = tuple(key for key, _value, _text in NEW_SETTINGS)

settings = sa.table("surveillance_settings", sa.column("key", sa.String),
                    sa.column("value", models.base.Quantity()),
                    sa.column("description", sa.String))


def upgrade():
    op.create_table('negotiated_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('seller_account_id', sa.Integer(), nullable=False),
    sa.Column('buyer_account_id', sa.Integer(), nullable=False),
    sa.Column('price', models.base.Money(), nullable=False),
    sa.Column('quantity', models.base.Quantity(), nullable=False),
    sa.Column('amount', models.base.Money(), nullable=False),
    sa.Column('deposit', models.base.Money(), nullable=False),
    sa.Column('cross_province', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_user_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_by_user_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seller_approved_by_user_id', sa.Integer(), nullable=True),
    sa.Column('seller_approved_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('buyer_approved_by_user_id', sa.Integer(), nullable=True),
    sa.Column('buyer_approved_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('settlement_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'accepted', 'approved', 'withdrawn', 'declined', 'rejected')", name=op.f('ck_negotiated_transfers_status')),
    sa.CheckConstraint('deposit >= 0', name=op.f('ck_negotiated_transfers_deposit_not_negative')),
    sa.CheckConstraint('price > 0', name=op.f('ck_negotiated_transfers_price_positive')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_negotiated_transfers_quantity_positive')),
    sa.CheckConstraint('seller_account_id <> buyer_account_id', name=op.f('ck_negotiated_transfers_two_parties')),
    sa.ForeignKeyConstraint(['accepted_by_user_id'], ['users.id'], name=op.f('fk_negotiated_transfers_accepted_by_user_id_users')),
    sa.ForeignKeyConstraint(['buyer_account_id'], ['accounts.id'], name=op.f('fk_negotiated_transfers_buyer_account_id_accounts')),
    sa.ForeignKeyConstraint(['buyer_approved_by_user_id'], ['users.id'], name=op.f('fk_negotiated_transfers_buyer_approved_by_user_id_users')),
    sa.ForeignKeyConstraint(['closed_by_user_id'], ['users.id'], name=op.f('fk_negotiated_transfers_closed_by_user_id_users')),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_negotiated_transfers_instrument_id_instruments')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_negotiated_transfers_lot_id_lots')),
    sa.ForeignKeyConstraint(['proposed_by_user_id'], ['users.id'], name=op.f('fk_negotiated_transfers_proposed_by_user_id_users')),
    sa.ForeignKeyConstraint(['seller_account_id'], ['accounts.id'], name=op.f('fk_negotiated_transfers_seller_account_id_accounts')),
    sa.ForeignKeyConstraint(['seller_approved_by_user_id'], ['users.id'], name=op.f('fk_negotiated_transfers_seller_approved_by_user_id_users')),
    sa.ForeignKeyConstraint(['settlement_id'], ['settlements.id'], name=op.f('fk_negotiated_transfers_settlement_id_settlements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiated_transfers'))
    )
    with op.batch_alter_table('negotiated_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiated_transfers_buyer_account_id'), ['buyer_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_negotiated_transfers_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_negotiated_transfers_seller_account_id'), ['seller_account_id'], unique=False)
        batch_op.create_index('ix_negotiated_transfers_status', ['status', 'instrument_id'], unique=False)
    op.bulk_insert(settings, [{"key": key, "value": Decimal(value), "description": text}
                              for key, value, text in NEW_SETTINGS])



def downgrade():
    op.execute(settings.delete().where(settings.c.key.in_(NEW_KEYS)))
    with op.batch_alter_table('negotiated_transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_negotiated_transfers_status')
        batch_op.drop_index(batch_op.f('ix_negotiated_transfers_seller_account_id'))
        batch_op.drop_index(batch_op.f('ix_negotiated_transfers_lot_id'))
        batch_op.drop_index(batch_op.f('ix_negotiated_transfers_buyer_account_id'))

    op.drop_table('negotiated_transfers')
