"""order writer: a book version per instrument and the log of every book command

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02

The order writer keeps each instrument's book in memory. `instruments.book_version` counts
the changes made to a book by anything else (the inline path: freezes, expiry, auctions,
rematching, an embedded demo); the writer compares it under the instrument's lock before each
batch and rebuilds a book that someone else changed. `book_commands` logs every command that
changed a book, in the order the book saw them, so the persisted fills can be checked against
a fresh book replaying the same commands.
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs, not a batch: SQLite would rebuild the referenced instruments table.
    op.add_column("instruments", sa.Column("book_version", sa.BigInteger(), nullable=False,
                                           server_default="0"))
    op.create_table(
        "book_commands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("price", models.base.Money(), nullable=True),
        sa.Column("quantity", models.base.Quantity(), nullable=True),
        sa.Column("at", models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('submit', 'cancel', 'reduce', 'replace', 'amend', "
                           "'expire', "
                           "'rematch', 'uncross')", name=op.f("ck_book_commands_kind")),
        sa.ForeignKeyConstraint(["instrument_id"], ["instruments.id"],
                                name=op.f("fk_book_commands_instrument_id_instruments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_commands")),
    )
    op.create_index("ix_book_commands_instrument", "book_commands", ["instrument_id", "id"])


def downgrade():
    op.drop_index("ix_book_commands_instrument", table_name="book_commands")
    op.drop_table("book_commands")
    op.execute("ALTER TABLE instruments DROP COLUMN book_version")
