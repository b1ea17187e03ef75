"""The gateway's own small state: each conversation's safety state, Telegram's polling offset, and leases (which
gateway polls Telegram).

Revision ID: gateway_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "safety_state",
        sa.Column("conversation", sa.Text(), primary_key=True),
        sa.Column("nation", sa.Text(), nullable=False),
        sa.Column("elevated_until", sa.Float(), nullable=False),
        sa.Column("rasa_told", sa.Integer(), nullable=False),
        if_not_exists=True,  # kept as it is in a file made before these migrations
    )
    op.create_table(
        "telegram_offsets",
        sa.Column("bot", sa.Text(), primary_key=True),  # a digest of the bot token, never the token
        sa.Column("next_update_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    """Undo this revision."""
    for table in ("leases", "telegram_offsets", "safety_state"):
        op.drop_table(table)
