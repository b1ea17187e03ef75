"""The initial directory schema: the HSDS 3.0 tables Nightlight uses, plus problem reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "organization",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("alternate_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("tax_status", sa.Text(), nullable=True),
        sa.Column("tax_id", sa.Text(), nullable=True),
        sa.Column("year_incorporated", sa.Integer(), nullable=True),
        sa.Column("legal_status", sa.Text(), nullable=True),
        sa.Column("logo", sa.Text(), nullable=True),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("parent_organization_id", sa.String(length=255), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_organization_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_organization_parent_organization_id"), "organization", ["parent_organization_id"], unique=False
    )
    op.create_index(op.f("ix_organization_source"), "organization", ["source"], unique=False)

    op.create_table(
        "problem_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_problem_report_service_id"), "problem_report", ["service_id"], unique=False)

    op.create_table(
        "taxonomy_term",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.String(length=255), nullable=True),
        sa.Column("taxonomy", sa.String(length=255), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("taxonomy_id", sa.String(length=255), nullable=True),
        sa.Column("term_uri", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["taxonomy_term.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_taxonomy_term_code"), "taxonomy_term", ["code"], unique=False)
    op.create_index(op.f("ix_taxonomy_term_parent_id"), "taxonomy_term", ["parent_id"], unique=False)
    op.create_index(op.f("ix_taxonomy_term_source"), "taxonomy_term", ["source"], unique=False)

    op.create_table(
        "attribute",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("link_id", sa.String(length=255), nullable=False),
        sa.Column("taxonomy_term_id", sa.String(length=255), nullable=False),
        sa.Column("link_type", sa.String(length=255), nullable=True),
        sa.Column("link_entity", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["taxonomy_term_id"],
            ["taxonomy_term.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attribute_link_entity_link_id", "attribute", ["link_entity", "link_id"], unique=False)
    op.create_index(op.f("ix_attribute_link_id"), "attribute", ["link_id"], unique=False)
    op.create_index(op.f("ix_attribute_source"), "attribute", ["source"], unique=False)
    op.create_index(op.f("ix_attribute_taxonomy_term_id"), "attribute", ["taxonomy_term_id"], unique=False)

    op.create_table(
        "location",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("location_type", sa.String(length=32), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("organization_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("alternate_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("transportation", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("external_identifier", sa.Text(), nullable=True),
        sa.Column("external_identifier_type", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_location_latitude_longitude", "location", ["latitude", "longitude"], unique=False)
    op.create_index(op.f("ix_location_organization_id"), "location", ["organization_id"], unique=False)
    op.create_index(op.f("ix_location_source"), "location", ["source"], unique=False)

    op.create_table(
        "service",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("organization_id", sa.String(length=255), nullable=False),
        sa.Column("program_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("alternate_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("interpretation_services", sa.Text(), nullable=True),
        sa.Column("application_process", sa.Text(), nullable=True),
        sa.Column("fees_description", sa.Text(), nullable=True),
        sa.Column("wait_time", sa.Text(), nullable=True),
        sa.Column("fees", sa.Text(), nullable=True),
        sa.Column("accreditations", sa.Text(), nullable=True),
        sa.Column("eligibility_description", sa.Text(), nullable=True),
        sa.Column("minimum_age", sa.Integer(), nullable=True),
        sa.Column("maximum_age", sa.Integer(), nullable=True),
        sa.Column("assured_date", sa.Date(), nullable=True),
        sa.Column("assurer_email", sa.Text(), nullable=True),
        sa.Column("licenses", sa.Text(), nullable=True),
        sa.Column("alert", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_service_organization_id"), "service", ["organization_id"], unique=False)
    op.create_index(op.f("ix_service_source"), "service", ["source"], unique=False)

    op.create_table(
        "accessibility",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("location_id", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_accessibility_location_id"), "accessibility", ["location_id"], unique=False)
    op.create_index(op.f("ix_accessibility_source"), "accessibility", ["source"], unique=False)

    op.create_table(
        "address",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("location_id", sa.String(length=255), nullable=False),
        sa.Column("attention", sa.Text(), nullable=True),
        sa.Column("address_1", sa.Text(), nullable=True),
        sa.Column("address_2", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("state_province", sa.Text(), nullable=True),
        sa.Column("postal_code", sa.String(length=32), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("address_type", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_address_location_id"), "address", ["location_id"], unique=False)
    op.create_index(op.f("ix_address_source"), "address", ["source"], unique=False)

    op.create_table(
        "service_at_location",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("location_id", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_service_at_location_location_id"), "service_at_location", ["location_id"], unique=False)
    op.create_index(op.f("ix_service_at_location_service_id"), "service_at_location", ["service_id"], unique=False)
    op.create_index(op.f("ix_service_at_location_source"), "service_at_location", ["source"], unique=False)

    op.create_table(
        "phone",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("location_id", sa.String(length=255), nullable=True),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("organization_id", sa.String(length=255), nullable=True),
        sa.Column("contact_id", sa.String(length=255), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=255), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("extension", sa.String(length=32), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_phone_location_id"), "phone", ["location_id"], unique=False)
    op.create_index(op.f("ix_phone_organization_id"), "phone", ["organization_id"], unique=False)
    op.create_index(op.f("ix_phone_service_at_location_id"), "phone", ["service_at_location_id"], unique=False)
    op.create_index(op.f("ix_phone_service_id"), "phone", ["service_id"], unique=False)
    op.create_index(op.f("ix_phone_source"), "phone", ["source"], unique=False)

    op.create_table(
        "schedule",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("location_id", sa.String(length=255), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=255), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("dtstart", sa.Date(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("wkst", sa.String(length=2), nullable=True),
        sa.Column("freq", sa.String(length=16), nullable=True),
        sa.Column("interval", sa.Integer(), nullable=True),
        sa.Column("byday", sa.String(length=255), nullable=True),
        sa.Column("byweekno", sa.String(length=255), nullable=True),
        sa.Column("bymonthday", sa.String(length=255), nullable=True),
        sa.Column("byyearday", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("opens_at", sa.Time(), nullable=True),
        sa.Column("closes_at", sa.Time(), nullable=True),
        sa.Column("schedule_link", sa.Text(), nullable=True),
        sa.Column("attending_type", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("open_on_bank_holidays", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_schedule_location_id"), "schedule", ["location_id"], unique=False)
    op.create_index(op.f("ix_schedule_service_at_location_id"), "schedule", ["service_at_location_id"], unique=False)
    op.create_index(op.f("ix_schedule_service_id"), "schedule", ["service_id"], unique=False)
    op.create_index(op.f("ix_schedule_source"), "schedule", ["source"], unique=False)

    op.create_table(
        "service_area",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("extent", sa.Text(), nullable=True),
        sa.Column("extent_type", sa.String(length=32), nullable=True),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_service_area_service_at_location_id"), "service_area", ["service_at_location_id"], unique=False
    )
    op.create_index(op.f("ix_service_area_service_id"), "service_area", ["service_id"], unique=False)
    op.create_index(op.f("ix_service_area_source"), "service_area", ["source"], unique=False)

    op.create_table(
        "language",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("location_id", sa.String(length=255), nullable=True),
        sa.Column("phone_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["phone_id"],
            ["phone.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_language_location_id"), "language", ["location_id"], unique=False)
    op.create_index(op.f("ix_language_phone_id"), "language", ["phone_id"], unique=False)
    op.create_index(op.f("ix_language_service_id"), "language", ["service_id"], unique=False)
    op.create_index(op.f("ix_language_source"), "language", ["source"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_language_source"), table_name="language")
    op.drop_index(op.f("ix_language_service_id"), table_name="language")
    op.drop_index(op.f("ix_language_phone_id"), table_name="language")
    op.drop_index(op.f("ix_language_location_id"), table_name="language")

    op.drop_table("language")
    op.drop_index(op.f("ix_service_area_source"), table_name="service_area")
    op.drop_index(op.f("ix_service_area_service_id"), table_name="service_area")
    op.drop_index(op.f("ix_service_area_service_at_location_id"), table_name="service_area")

    op.drop_table("service_area")
    op.drop_index(op.f("ix_schedule_source"), table_name="schedule")
    op.drop_index(op.f("ix_schedule_service_id"), table_name="schedule")
    op.drop_index(op.f("ix_schedule_service_at_location_id"), table_name="schedule")
    op.drop_index(op.f("ix_schedule_location_id"), table_name="schedule")

    op.drop_table("schedule")
    op.drop_index(op.f("ix_phone_source"), table_name="phone")
    op.drop_index(op.f("ix_phone_service_id"), table_name="phone")
    op.drop_index(op.f("ix_phone_service_at_location_id"), table_name="phone")
    op.drop_index(op.f("ix_phone_organization_id"), table_name="phone")
    op.drop_index(op.f("ix_phone_location_id"), table_name="phone")

    op.drop_table("phone")
    op.drop_index(op.f("ix_service_at_location_source"), table_name="service_at_location")
    op.drop_index(op.f("ix_service_at_location_service_id"), table_name="service_at_location")
    op.drop_index(op.f("ix_service_at_location_location_id"), table_name="service_at_location")

    op.drop_table("service_at_location")
    op.drop_index(op.f("ix_address_source"), table_name="address")
    op.drop_index(op.f("ix_address_location_id"), table_name="address")

    op.drop_table("address")
    op.drop_index(op.f("ix_accessibility_source"), table_name="accessibility")
    op.drop_index(op.f("ix_accessibility_location_id"), table_name="accessibility")

    op.drop_table("accessibility")
    op.drop_index(op.f("ix_service_source"), table_name="service")
    op.drop_index(op.f("ix_service_organization_id"), table_name="service")

    op.drop_table("service")
    op.drop_index(op.f("ix_location_source"), table_name="location")
    op.drop_index(op.f("ix_location_organization_id"), table_name="location")
    op.drop_index("ix_location_latitude_longitude", table_name="location")

    op.drop_table("location")
    op.drop_index(op.f("ix_attribute_taxonomy_term_id"), table_name="attribute")
    op.drop_index(op.f("ix_attribute_source"), table_name="attribute")
    op.drop_index(op.f("ix_attribute_link_id"), table_name="attribute")
    op.drop_index("ix_attribute_link_entity_link_id", table_name="attribute")

    op.drop_table("attribute")
    op.drop_index(op.f("ix_taxonomy_term_source"), table_name="taxonomy_term")
    op.drop_index(op.f("ix_taxonomy_term_parent_id"), table_name="taxonomy_term")
    op.drop_index(op.f("ix_taxonomy_term_code"), table_name="taxonomy_term")

    op.drop_table("taxonomy_term")
    op.drop_index(op.f("ix_problem_report_service_id"), table_name="problem_report")

    op.drop_table("problem_report")
    op.drop_index(op.f("ix_organization_source"), table_name="organization")
    op.drop_index(op.f("ix_organization_parent_organization_id"), table_name="organization")

    op.drop_table("organization")
