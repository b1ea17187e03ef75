"""The message store: conversations, what she sent, the replies (the outbox) and the keys of updates already seen.

Revision ID: messages_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "messages_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# if_not_exists: a gateway's SQLite file made before these migrations already has the tables; they are kept.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "conversations",
        sa.Column("conversation", sa.Text(), primary_key=True),
        sa.Column("tenant", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("address", sa.Text()),  # where replies go (a Telegram chat id); NULL for the widget and the API
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "inbound",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "conversation",
            sa.Text(),
            sa.ForeignKey("conversations.conversation", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.Text(), sa.CheckConstraint("kind IN ('text', 'payload')"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.Text(), unique=True),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("handled_at", sa.Float()),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    op.create_index(
        "inbound_pending",
        "inbound",
        ["handled_at"],
        sqlite_where=sa.text("handled_at IS NULL"),
        postgresql_where=sa.text("handled_at IS NULL"),
        if_not_exists=True,
    )
    op.create_index("inbound_conversation", "inbound", ["conversation"], if_not_exists=True)
    op.create_index("inbound_received", "inbound", ["received_at"], if_not_exists=True)
    op.create_table(
        "outbound",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "conversation",
            sa.Text(),
            sa.ForeignKey("conversations.conversation", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("inbound_id", sa.BigInteger()),
        sa.Column("body", sa.Text(), nullable=False),  # JSON: {"messages": [...], "safety": {...}, "handoff": ...}
        sa.Column("crisis", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("delivered_at", sa.Float()),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    op.create_index("outbound_undelivered", "outbound", ["conversation", "delivered_at"], if_not_exists=True)
    op.create_index("outbound_created", "outbound", ["created_at"], if_not_exists=True)
    op.create_table(
        "seen_keys",
        # Kept after the message is purged, so an old Telegram update is never replayed.
        sa.Column("dedupe_key", sa.Text(), primary_key=True),
        sa.Column("seen_at", sa.Float(), nullable=False),
        if_not_exists=True,
    )


def downgrade() -> None:
    """Undo this revision."""
    for table in ("seen_keys", "outbound", "inbound", "conversations"):
        op.drop_table(table)
