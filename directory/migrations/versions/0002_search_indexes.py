"""Covering indexes for search: the location box, venues by location, and a service's tags.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # The box query then reads only indexes: no table row is visited for the thousands of venues in a city.
    op.drop_index("ix_location_latitude_longitude", table_name="location")
    op.create_index(
        "ix_location_latitude_longitude", "location", ["latitude", "longitude", "location_type", "id"], unique=False
    )
    op.create_index(
        "ix_service_at_location_location_service", "service_at_location", ["location_id", "service_id", "id"]
    )
    op.create_index("ix_attribute_link_id_term", "attribute", ["link_id", "taxonomy_term_id", "link_entity"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_attribute_link_id_term", table_name="attribute")
    op.drop_index("ix_service_at_location_location_service", table_name="service_at_location")
    op.drop_index("ix_location_latitude_longitude", table_name="location")
    op.create_index("ix_location_latitude_longitude", "location", ["latitude", "longitude"], unique=False)
