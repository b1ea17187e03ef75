"""Covering indexes for search's could-be-open test: a schedule's hours, days and dates by service and by venue.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPENING = ["opens_at", "closes_at", "byday", "valid_from", "valid_to", "until"]


def upgrade() -> None:
    """Apply this revision."""
    # The could-be-open lookup then reads only index pages, never the wide schedule rows.
    op.create_index("ix_schedule_service_opening", "schedule", ["service_id", *_OPENING])
    op.create_index("ix_schedule_venue_opening", "schedule", ["service_at_location_id", *_OPENING])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_schedule_venue_opening", table_name="schedule")
    op.drop_index("ix_schedule_service_opening", table_name="schedule")
