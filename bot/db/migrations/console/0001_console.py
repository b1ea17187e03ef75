"""Peer supporters' accounts (argon2id hashes only), console sessions (token hashes only) and canned replies.

Revision ID: console_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "console_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# if_not_exists: a gateway's SQLite file made before these migrations already has the tables; they are kept.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "supporters",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("username", sa.Text(), nullable=False, unique=True),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), sa.CheckConstraint("role IN ('supporter', 'coordinator')"), nullable=False),
        sa.Column("tenant", sa.Text(), nullable=False, server_default="default"),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.Float()),
        sa.Column("created_at", sa.Float(), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.Text(), primary_key=True),
        sa.Column("supporter", sa.Text(), sa.ForeignKey("supporters.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        if_not_exists=True,
    )
    op.create_index("sessions_by_supporter", "sessions", ["supporter"], if_not_exists=True)
    op.create_table(
        "canned_replies",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("tenant", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Text()),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    op.create_index("canned_replies_by_tenant", "canned_replies", ["tenant", "title"], if_not_exists=True)


def downgrade() -> None:
    """Undo this revision."""
    for table in ("canned_replies", "sessions", "supporters"):
        op.drop_table(table)
