"""The package's tables: each HSDS file, its columns and how each is parsed, and the model it loads into."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from directory.hsds._cells import (
    Parser,
    _boolean,
    _byday,
    _coordinate,
    _country,
    _date,
    _email,
    _https_url,
    _identifier,
    _integer,
    _number_list,
    _one_of,
    _phone_number,
    _text,
    _time,
    _timestamp,
    _timezone,
)
from directory.models import (
    Accessibility,
    Address,
    Attribute,
    Base,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

REQUIRED_FILES = ("organizations.csv", "services.csv")


@dataclass(frozen=True)
class Column:
    """One CSV column: how to parse it, whether it must have a value, and which file's ids it must match."""

    name: str
    parse: Parser = _text
    required: bool = False
    refers_to: str | None = None


def _id() -> Column:
    return Column("id", _identifier, required=True)


def _ref(name: str, file: str, *, required: bool = False) -> Column:
    return Column(name, _identifier, required=required, refers_to=file)


@dataclass(frozen=True)
class TableSpec:
    """One file of the package and the model it loads into."""

    file: str
    model: type[Base]
    columns: tuple[Column, ...]

    @property
    def table(self) -> Table:
        """The database table of the model."""
        table = self.model.__table__
        assert isinstance(table, Table)
        return table


# In load order: every file comes after the files its rows point at.
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "organizations.csv",
        Organization,
        (
            _id(),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("email", _email),
            Column("website", _https_url),
            Column("tax_status"),
            Column("tax_id"),
            Column("year_incorporated", _integer(1000, 2999, "1998")),
            Column("legal_status"),
            Column("logo", _https_url),
            Column("uri", _https_url),
            _ref("parent_organization_id", "organizations.csv"),
        ),
    ),
    TableSpec(
        "taxonomy_terms.csv",
        TaxonomyTerm,
        (
            _id(),
            Column("code"),
            Column("name", required=True),
            Column("description"),
            _ref("parent_id", "taxonomy_terms.csv"),
            Column("taxonomy"),
            Column("language"),
            Column("taxonomy_id", _identifier),
            Column("term_uri", _https_url),
        ),
    ),
    TableSpec(
        "services.csv",
        Service,
        (
            _id(),
            _ref("organization_id", "organizations.csv", required=True),
            Column("program_id", _identifier),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("url", _https_url),
            Column("email", _email),
            Column("status", _one_of("active", "inactive", "defunct", "temporarily closed")),
            Column("interpretation_services"),
            Column("application_process"),
            Column("fees_description"),
            Column("wait_time"),
            Column("fees"),
            Column("accreditations"),
            Column("eligibility_description"),
            Column("minimum_age", _integer(0, 130, "16")),
            Column("maximum_age", _integer(0, 130, "25")),
            Column("assured_date", _date),
            Column("assurer_email", _email),
            Column("licenses"),
            Column("alert"),
            Column("last_modified", _timestamp),
        ),
    ),
    TableSpec(
        "locations.csv",
        Location,
        (
            _id(),
            Column("location_type", _one_of("physical", "postal", "virtual")),
            Column("url", _https_url),
            _ref("organization_id", "organizations.csv"),
            Column("name"),
            Column("alternate_name"),
            Column("description"),
            Column("transportation"),
            Column("latitude", _coordinate(90)),
            Column("longitude", _coordinate(180)),
            Column("external_identifier"),
            Column("external_identifier_type"),
        ),
    ),
    TableSpec(
        "service_at_location.csv",
        ServiceAtLocation,
        (
            _id(),
            _ref("service_id", "services.csv", required=True),
            _ref("location_id", "locations.csv", required=True),
            Column("description"),
        ),
    ),
    TableSpec(
        "phones.csv",
        Phone,
        (
            _id(),
            _ref("location_id", "locations.csv"),
            _ref("service_id", "services.csv"),
            _ref("organization_id", "organizations.csv"),
            Column("contact_id", _identifier),
            _ref("service_at_location_id", "service_at_location.csv"),
            Column("number", _phone_number, required=True),
            Column("extension"),
            Column("type"),
            Column("description"),
        ),
    ),
    TableSpec(
        "languages.csv",
        Language,
        (
            _id(),
            _ref("service_id", "services.csv"),
            _ref("location_id", "locations.csv"),
            _ref("phone_id", "phones.csv"),
            Column("name"),
            Column("code"),
            Column("note"),
        ),
    ),
    TableSpec(
        "schedules.csv",
        Schedule,
        (
            _id(),
            _ref("service_id", "services.csv"),
            _ref("location_id", "locations.csv"),
            _ref("service_at_location_id", "service_at_location.csv"),
            Column("valid_from", _date),
            Column("valid_to", _date),
            Column("dtstart", _date),
            Column("timezone", _timezone),
            Column("until", _date),
            Column("count", _integer(1, 10_000, "10")),
            Column("wkst", _one_of("MO", "TU", "WE", "TH", "FR", "SA", "SU", upper=True)),
            Column("freq", _one_of("WEEKLY", "MONTHLY", upper=True)),
            Column("interval", _integer(1, 52, "2")),
            Column("byday", _byday),
            Column("byweekno", _number_list(-53, 53, "1,27")),
            Column("bymonthday", _number_list(-31, 31, "1,15")),
            Column("byyearday", _number_list(-366, 366, "1,100")),
            Column("description"),
            Column("opens_at", _time),
            Column("closes_at", _time),
            Column("schedule_link", _https_url),
            Column("attending_type"),
            Column("notes"),
            # Nightlight's extension: overrides the bank-holiday policy for this rule (true/false, blank = default).
            Column("open_on_bank_holidays", _boolean),
        ),
    ),
    TableSpec(
        "addresses.csv",
        Address,
        (
            _id(),
            _ref("location_id", "locations.csv", required=True),
            Column("attention"),
            Column("address_1"),
            Column("address_2"),
            Column("city"),
            Column("region"),
            Column("state_province"),
            Column("postal_code"),
            Column("country", _country),
            Column("address_type", _one_of("physical", "postal", "virtual")),
        ),
    ),
    TableSpec(
        "accessibility.csv",
        Accessibility,
        (
            _id(),
            _ref("location_id", "locations.csv"),
            Column("description"),
            Column("details"),
            Column("url", _https_url),
        ),
    ),
    TableSpec(
        "service_areas.csv",
        ServiceArea,
        (
            _id(),
            _ref("service_id", "services.csv"),
            _ref("service_at_location_id", "service_at_location.csv"),
            Column("name"),
            Column("description"),
            Column("extent"),
            Column("extent_type"),
            Column("uri", _https_url),
        ),
    ),
    TableSpec(
        "attributes.csv",
        Attribute,
        (
            _id(),
            Column("link_id", _identifier, required=True),
            _ref("taxonomy_term_id", "taxonomy_terms.csv", required=True),
            Column("link_type"),
            Column("link_entity", required=True),
            Column("value"),
            Column("label"),
        ),
    ),
)
SPECS = {spec.file: spec for spec in TABLES}
# attributes.link_entity names a table; these are the ones whose ids we can check.
LINK_ENTITIES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "phone": "phones.csv",
    "schedule": "schedules.csv",
    "taxonomy_term": "taxonomy_terms.csv",
}
# Files of the HSDS 3.0 package that Nightlight does not use: named in the warning so nobody thinks it is a typo.
KNOWN_UNUSED_FILES = {
    "contacts.csv",
    "cost_options.csv",
    "funding.csv",
    "metadata.csv",
    "meta_table_descriptions.csv",
    "organization_identifiers.csv",
    "programs.csv",
    "required_documents.csv",
    "service_capacities.csv",
    "taxonomies.csv",
    "units.csv",
    "urls.csv",
}
