"""Handoffs to peer supporters, their messages, and the audit trail (pseudonymous ids and times, never text).

Revision ID: handoffs_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "handoffs_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# if_not_exists: a gateway's SQLite file made before these migrations already has the tables; they are kept.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
GOING = "status IN ('offered', 'accepted', 'queued', 'claimed')"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("conversation", sa.Text(), nullable=False),
        sa.Column("tenant", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("share_transcript", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("supporter", sa.Text()),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("queued_at", sa.Float()),
        sa.Column("claimed_at", sa.Float()),
        sa.Column("ended_at", sa.Float()),
        sa.Column("reminded_at", sa.Float()),
        if_not_exists=True,
    )
    # At most one handoff that is still going per conversation.
    op.create_index(
        "one_active_handoff",
        "handoffs",
        ["conversation"],
        unique=True,
        sqlite_where=sa.text(GOING),
        postgresql_where=sa.text(GOING),
        if_not_exists=True,
    )
    op.create_index("handoff_queue", "handoffs", ["tenant", "status", "urgent", "queued_at"], if_not_exists=True)
    op.create_table(
        "handoff_messages",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("handoff", sa.Text(), sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.Text(), sa.CheckConstraint("author IN ('her', 'supporter', 'note')"), nullable=False),
        sa.Column("supporter", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("delivered_at", sa.Float()),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    op.create_index("handoff_messages_by_handoff", "handoff_messages", ["handoff", "id"], if_not_exists=True)
    op.create_table(
        "handoff_audit",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("handoff", sa.Text(), nullable=False),
        sa.Column("conversation", sa.Text(), nullable=False),
        sa.Column("supporter", sa.Text()),
        sa.Column("seconds", sa.Float()),
        sa.Column("tenant", sa.Text()),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("handoff_audit")}
    if "tenant" not in columns:  # a file made before the audit trail knew its tenant
        op.add_column("handoff_audit", sa.Column("tenant", sa.Text()))


def downgrade() -> None:
    """Undo this revision."""
    for table in ("handoff_audit", "handoff_messages", "handoffs"):
        op.drop_table(table)
