"""SQLAlchemy models for the directory, one per Open Referral HSDS 3.0 table, with HSDS field names."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    and_,
    event,
    update,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    SessionTransaction,
    foreign,
    mapped_column,
    relationship,
)

# HSDS ids are strings (usually UUIDs); 255 leaves room for the other schemes people use.
ID_LENGTH = 255


class Base(DeclarativeBase):
    """Declarative base for every directory table."""


def _id() -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True)


def _ref(target: str, *, nullable: bool = True) -> Mapped[str | None]:
    return mapped_column(String(ID_LENGTH), ForeignKey(target), nullable=nullable, index=True)


def _source() -> Mapped[str | None]:
    # Which import a row came from, so `import --replace` removes exactly that source's rows.
    return mapped_column(String(ID_LENGTH), index=True)


class Organization(Base):
    """An organisation that provides services (HSDS organization)."""

    __tablename__ = "organization"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    tax_status: Mapped[str | None] = mapped_column(Text)
    tax_id: Mapped[str | None] = mapped_column(Text)
    year_incorporated: Mapped[int | None] = mapped_column(Integer)
    legal_status: Mapped[str | None] = mapped_column(Text)
    logo: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)
    parent_organization_id: Mapped[str | None] = _ref("organization.id")
    source: Mapped[str | None] = _source()

    services: Mapped[list[Service]] = relationship(back_populates="organization")


class Service(Base):
    """A service an organisation offers (HSDS service)."""

    __tablename__ = "service"

    id: Mapped[str] = _id()
    organization_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("organization.id"), index=True)
    program_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    name: Mapped[str] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default="active")
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(Text)
    fees: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    assured_date: Mapped[date | None] = mapped_column(Date)
    assurer_email: Mapped[str | None] = mapped_column(Text)
    licenses: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(Text)
    # Stored as naive UTC so SQLite and PostgreSQL give back the same value.
    last_modified: Mapped[datetime | None] = mapped_column(DateTime)
    source: Mapped[str | None] = _source()

    organization: Mapped[Organization] = relationship(back_populates="services")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(back_populates="service")
    schedules: Mapped[list[Schedule]] = relationship(back_populates="service")
    phones: Mapped[list[Phone]] = relationship(back_populates="service")
    languages: Mapped[list[Language]] = relationship(back_populates="service")
    service_areas: Mapped[list[ServiceArea]] = relationship(back_populates="service")
    # Attributes point at any table through (link_entity, link_id), so this join cannot be a foreign key.
    attributes: Mapped[list[Attribute]] = relationship(
        primaryjoin=lambda: and_(foreign(Attribute.link_id) == Service.id, Attribute.link_entity == "service"),
        viewonly=True,
    )


class Location(Base):
    """A place where services are delivered: physical, postal or virtual (HSDS location)."""

    __tablename__ = "location"
    # Covering, so search's box query reads the index alone (migration 0002).
    __table_args__ = (Index("ix_location_latitude_longitude", "latitude", "longitude", "location_type", "id"),)

    id: Mapped[str] = _id()
    location_type: Mapped[str | None] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)
    organization_id: Mapped[str | None] = _ref("organization.id")
    name: Mapped[str | None] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    external_identifier: Mapped[str | None] = mapped_column(Text)
    external_identifier_type: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(back_populates="location")
    addresses: Mapped[list[Address]] = relationship(back_populates="location")
    schedules: Mapped[list[Schedule]] = relationship(back_populates="location")
    phones: Mapped[list[Phone]] = relationship(back_populates="location")
    accessibility: Mapped[list[Accessibility]] = relationship(back_populates="location")


class ServiceAtLocation(Base):
    """A service delivered at a location (HSDS service_at_location)."""

    __tablename__ = "service_at_location"
    __table_args__ = (Index("ix_service_at_location_location_service", "location_id", "service_id", "id"),)

    id: Mapped[str] = _id()
    service_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("service.id"), index=True)
    location_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("location.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship(back_populates="service_at_locations")
    schedules: Mapped[list[Schedule]] = relationship(back_populates="service_at_location")


class Schedule(Base):
    """One RFC 5545-style opening rule (HSDS schedule); times are Europe/London wall-clock times."""

    __tablename__ = "schedule"
    # Covering indexes for search's could-be-open test (migration 0004): only index pages are read, per service
    # and per venue, for the thousands of candidates in a city.
    __table_args__ = (
        Index(
            "ix_schedule_service_opening",
            "service_id",
            "opens_at",
            "closes_at",
            "byday",
            "valid_from",
            "valid_to",
            "until",
        ),
        Index(
            "ix_schedule_venue_opening",
            "service_at_location_id",
            "opens_at",
            "closes_at",
            "byday",
            "valid_from",
            "valid_to",
            "until",
        ),
    )

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref("service.id")
    location_id: Mapped[str | None] = _ref("location.id")
    service_at_location_id: Mapped[str | None] = _ref("service_at_location.id")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    dtstart: Mapped[date | None] = mapped_column(Date)
    # HSDS allows a UTC offset here; we keep whatever was given (a number or "Europe/London") but evaluate in London.
    timezone: Mapped[str | None] = mapped_column(String(64))
    until: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None] = mapped_column(Integer)
    wkst: Mapped[str | None] = mapped_column(String(2))
    freq: Mapped[str | None] = mapped_column(String(16))
    interval: Mapped[int | None] = mapped_column(Integer)
    byday: Mapped[str | None] = mapped_column(String(255))
    byweekno: Mapped[str | None] = mapped_column(String(255))
    bymonthday: Mapped[str | None] = mapped_column(String(255))
    byyearday: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    schedule_link: Mapped[str | None] = mapped_column(Text)
    attending_type: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # Nightlight extension (not in HSDS): lets the data override the bank-holiday policy for one rule.
    open_on_bank_holidays: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str | None] = _source()

    service: Mapped[Service | None] = relationship(back_populates="schedules")
    location: Mapped[Location | None] = relationship(back_populates="schedules")
    service_at_location: Mapped[ServiceAtLocation | None] = relationship(back_populates="schedules")


class Phone(Base):
    """A phone number for a service, location or organisation (HSDS phone), kept exactly as given."""

    __tablename__ = "phone"

    id: Mapped[str] = _id()
    location_id: Mapped[str | None] = _ref("location.id")
    service_id: Mapped[str | None] = _ref("service.id")
    organization_id: Mapped[str | None] = _ref("organization.id")
    # Contacts are not modelled, so this is kept as given without a foreign key.
    contact_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    service_at_location_id: Mapped[str | None] = _ref("service_at_location.id")
    number: Mapped[str] = mapped_column(String(64))
    extension: Mapped[str | None] = mapped_column(String(32))
    type: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    service: Mapped[Service | None] = relationship(back_populates="phones")
    location: Mapped[Location | None] = relationship(back_populates="phones")


class Address(Base):
    """A postal or physical address of a location (HSDS address)."""

    __tablename__ = "address"

    id: Mapped[str] = _id()
    location_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("location.id"), index=True)
    attention: Mapped[str | None] = mapped_column(Text)
    address_1: Mapped[str | None] = mapped_column(Text)
    address_2: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    state_province: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    address_type: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = _source()

    location: Mapped[Location] = relationship(back_populates="addresses")


class Language(Base):
    """A language a service, location or phone line is offered in (HSDS language)."""

    __tablename__ = "language"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref("service.id")
    location_id: Mapped[str | None] = _ref("location.id")
    phone_id: Mapped[str | None] = _ref("phone.id")
    name: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    service: Mapped[Service | None] = relationship(back_populates="languages")


class Accessibility(Base):
    """Accessibility provision at a location (HSDS accessibility)."""

    __tablename__ = "accessibility"

    id: Mapped[str] = _id()
    location_id: Mapped[str | None] = _ref("location.id")
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    location: Mapped[Location | None] = relationship(back_populates="accessibility")


class ServiceArea(Base):
    """The area a service covers (HSDS service_area)."""

    __tablename__ = "service_area"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref("service.id")
    service_at_location_id: Mapped[str | None] = _ref("service_at_location.id")
    name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None] = mapped_column(String(32))
    uri: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    service: Mapped[Service | None] = relationship(back_populates="service_areas")


class TaxonomyTerm(Base):
    """A term in a taxonomy, e.g. `baby-welcome` in "nightlight-perinatal" (HSDS taxonomy_term)."""

    __tablename__ = "taxonomy_term"

    id: Mapped[str] = _id()
    code: Mapped[str | None] = mapped_column(String(255), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = _ref("taxonomy_term.id")
    taxonomy: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(32))
    # Taxonomies are not a table here, so this is kept as given without a foreign key.
    taxonomy_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    term_uri: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()


class Attribute(Base):
    """A taxonomy term attached to a row of any table through (link_entity, link_id) (HSDS attribute)."""

    __tablename__ = "attribute"
    __table_args__ = (
        Index("ix_attribute_link_entity_link_id", "link_entity", "link_id"),
        # Covering, so "does this service carry that tag" is answered from the index alone.
        Index("ix_attribute_link_id_term", "link_id", "taxonomy_term_id", "link_entity"),
    )

    id: Mapped[str] = _id()
    link_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    taxonomy_term_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("taxonomy_term.id"), index=True)
    link_type: Mapped[str | None] = mapped_column(String(255))
    link_entity: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = _source()

    taxonomy_term: Mapped[TaxonomyTerm] = relationship()


def _new_report_id() -> str:
    return str(uuid.uuid4())


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class ProblemReport(Base):
    """Someone said a service is wrong or has closed; kept for the charity to review (not part of HSDS)."""

    __tablename__ = "problem_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_report_id)
    # No foreign key: a report must outlive the service it is about (a re-import may remove that service).
    service_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=_utc_now)
    reason: Mapped[str] = mapped_column(Text)


class DirectoryVersion(Base):
    """One row counting changes to the directory, so search can reuse what it read while nothing has changed."""

    __tablename__ = "directory_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


DIRECTORY_VERSION_ID = 1
# Tables whose changes do not affect search results.
_UNVERSIONED = ("problem_report", "directory_version")


# Set in Session.info while the session's transaction holds a counted change: search then bypasses its cache, whose
# versions only make sense for committed data (a rolled-back change's number is reused by the next change).
UNCOMMITTED_CHANGE = "directory_uncommitted_change"


def bump_directory_version(session: Session) -> None:
    """Count a change to the directory, in the session's transaction (commits with it, or rolls back with it)."""
    session.info[UNCOMMITTED_CHANGE] = True
    # On the connection, not session.execute: this also runs inside a flush, where the ORM must not autoflush.
    session.connection().execute(
        update(DirectoryVersion)
        .where(DirectoryVersion.id == DIRECTORY_VERSION_ID)
        .values(version=DirectoryVersion.version + 1)
    )


@event.listens_for(Session, "before_flush")
def _count_orm_changes(session: Session, _context: Any, _instances: Any) -> None:
    """Edits made through the ORM (an admin fixing one row) count as changes too, like an import."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, Base) and row.__tablename__ not in _UNVERSIONED for row in changed):
        bump_directory_version(session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    """The counted change is committed or gone with the outermost transaction: search may use its cache again."""
    if transaction.parent is None:
        session.info.pop(UNCOMMITTED_CHANGE, None)
