"""Which gateway has taken a message left unanswered, or a reply left unsent, by a gateway that stopped.

Revision ID: messages_0002
Revises: messages_0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "messages_0002"
down_revision: str | Sequence[str] | None = "messages_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    for table in ("inbound", "outbound"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("taken_at", sa.Float()))
            batch.add_column(sa.Column("taken_by", sa.Text()))  # a gateway's id: host, process and a random part


def downgrade() -> None:
    """Undo this revision."""
    for table in ("inbound", "outbound"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("taken_by")
            batch.drop_column("taken_at")
