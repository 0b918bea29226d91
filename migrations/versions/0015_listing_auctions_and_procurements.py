"""listing auctions and procurements: auctions, their registrations and bids

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

One table per part for both directions (`kind` listing or procurement): the auction with its
terms, reservations and outcome; each registrant's deposit (and a procurement seller's lot);
each valid bid or offer in sequence.
"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import models.base


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


# The threshold this revision adds, frozen here: (key, value, description).
NEW_SETTINGS = [
    ("listing_ceiling_minutes", "10",
     "a listing reaching its ceiling this many minutes after bidding opens is an alert"),
]
NEW_KEYS = tuple(key for key, _value, _text in NEW_SETTINGS)
settings = sa.table("surveillance_settings", sa.column("key", sa.String),
                    sa.column("value", models.base.Quantity()),
                    sa.column("description", sa.String))


def upgrade():
    op.create_table('auctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('owner_account_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('quantity', models.base.Quantity(), nullable=False),
    sa.Column('max_quality_grade', sa.Integer(), nullable=True),
    sa.Column('start_price', models.base.Money(), nullable=False),
    sa.Column('step', models.base.Money(), nullable=False),
    sa.Column('ceiling_price', models.base.Money(), nullable=True),
    sa.Column('floor_price', models.base.Money(), nullable=True),
    sa.Column('bid_deposit', models.base.Money(), nullable=False),
    sa.Column('announce_until', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('bidding_opens_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('bidding_closes_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('extension_minutes', sa.Integer(), nullable=False),
    sa.Column('qualification', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('encumbered', models.base.Quantity(), nullable=False),
    sa.Column('held', models.base.Money(), nullable=False),
    sa.Column('seed_commitment', sa.String(length=64), nullable=True),
    sa.Column('seed', sa.String(length=64), nullable=True),
    sa.Column('lottery', sa.Text(), nullable=True),
    sa.Column('winner_registration_id', sa.Integer(), nullable=True),
    sa.Column('price', models.base.Money(), nullable=True),
    sa.Column('trade_id', sa.Integer(), nullable=True),
    sa.Column('settlement_id', sa.Integer(), nullable=True),
    sa.Column('verification_code', sa.String(length=32), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind = 'procurement' OR lot_id IS NOT NULL", name=op.f('ck_auctions_listing_has_lot')),
    sa.CheckConstraint("kind IN ('listing', 'procurement')", name=op.f('ck_auctions_kind')),
    sa.CheckConstraint("qualification IN ('open', 'review')", name=op.f('ck_auctions_qualification')),
    sa.CheckConstraint("state IN ('open', 'closed', 'failed', 'cancelled')", name=op.f('ck_auctions_state')),
    sa.CheckConstraint('announce_until <= bidding_opens_at AND bidding_opens_at < bidding_closes_at AND bidding_closes_at <= closes_at', name=op.f('ck_auctions_times_in_order')),
    sa.CheckConstraint('encumbered >= 0 AND held >= 0', name=op.f('ck_auctions_reservations_not_negative')),
    sa.CheckConstraint('extension_minutes >= 0', name=op.f('ck_auctions_extension_minutes')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_auctions_quantity_positive')),
    sa.CheckConstraint('start_price > 0 AND step > 0 AND bid_deposit >= 0', name=op.f('ck_auctions_terms')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_auctions_created_by_user_id_users')),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_auctions_instrument_id_instruments')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_auctions_lot_id_lots')),
    sa.ForeignKeyConstraint(['owner_account_id'], ['accounts.id'], name=op.f('fk_auctions_owner_account_id_accounts')),
    sa.ForeignKeyConstraint(['settlement_id'], ['settlements.id'], name=op.f('fk_auctions_settlement_id_settlements')),
    sa.ForeignKeyConstraint(['trade_id'], ['trades.id'], name=op.f('fk_auctions_trade_id_trades')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auctions')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_auctions_verification_code'))
    )
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.create_index('ix_auctions_due', ['state', 'closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auctions_instrument_id'), ['instrument_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auctions_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auctions_owner_account_id'), ['owner_account_id'], unique=False)

    op.create_table('auction_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('auction_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('deposit', models.base.Money(), nullable=False),
    sa.Column('held', models.base.Money(), nullable=False),
    sa.Column('deposit_state', sa.String(length=10), nullable=False),
    sa.Column('encumbered', models.base.Quantity(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("deposit_state IN ('held', 'released', 'escrowed')", name=op.f('ck_auction_registrations_deposit_state')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_auction_registrations_status')),
    sa.CheckConstraint('deposit >= 0 AND held >= 0 AND encumbered >= 0', name=op.f('ck_auction_registrations_amounts')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_auction_registrations_account_id_accounts')),
    sa.ForeignKeyConstraint(['auction_id'], ['auctions.id'], name=op.f('fk_auction_registrations_auction_id_auctions')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_auction_registrations_lot_id_lots')),
    sa.ForeignKeyConstraint(['reviewed_by_user_id'], ['users.id'], name=op.f('fk_auction_registrations_reviewed_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auction_registrations')),
    sa.UniqueConstraint('auction_id', 'account_id', name='uq_auction_registrations_account')
    )
    with op.batch_alter_table('auction_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auction_registrations_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_registrations_auction_id'), ['auction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_registrations_lot_id'), ['lot_id'], unique=False)

    op.create_table('auction_bids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('auction_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('price', models.base.Money(), nullable=False),
    sa.Column('at_limit', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('placed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price > 0', name=op.f('ck_auction_bids_price_positive')),
    sa.ForeignKeyConstraint(['auction_id'], ['auctions.id'], name=op.f('fk_auction_bids_auction_id_auctions')),
    sa.ForeignKeyConstraint(['registration_id'], ['auction_registrations.id'], name=op.f('fk_auction_bids_registration_id_auction_registrations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auction_bids')),
    sa.UniqueConstraint('auction_id', 'sequence', name='uq_auction_bids_sequence')
    )
    with op.batch_alter_table('auction_bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auction_bids_auction_id'), ['auction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_bids_registration_id'), ['registration_id'], unique=False)
    op.bulk_insert(settings, [{"key": key, "value": Decimal(value), "description": text}
                              for key, value, text in NEW_SETTINGS])


def downgrade():
    op.execute(settings.delete().where(settings.c.key.in_(NEW_KEYS)))
    with op.batch_alter_table('auction_bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auction_bids_registration_id'))
        batch_op.drop_index(batch_op.f('ix_auction_bids_auction_id'))

    op.drop_table('auction_bids')
    with op.batch_alter_table('auction_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auction_registrations_lot_id'))
        batch_op.drop_index(batch_op.f('ix_auction_registrations_auction_id'))
        batch_op.drop_index(batch_op.f('ix_auction_registrations_account_id'))

    op.drop_table('auction_registrations')
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auctions_owner_account_id'))
        batch_op.drop_index(batch_op.f('ix_auctions_lot_id'))
        batch_op.drop_index(batch_op.f('ix_auctions_instrument_id'))
        batch_op.drop_index('ix_auctions_due')

    op.drop_table('auctions')
