"""A directory version counter, bumped by every import, so search can reuse what it read while nothing changed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    version = op.create_table(
        "directory_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # The one row (id 1, see models.DIRECTORY_VERSION_ID) that imports count up.
    op.bulk_insert(version, [{"id": 1, "version": 0}])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("directory_version")
