"""Hand-built directories, sample services and moments the search tests share."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from directory.db import make_engine, migrate, session_factory
from directory.geography import EARTH_RADIUS_KM
from directory.models import (
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory.schedules import LONDON
from directory.search import SearchResult

TUESDAY_MORNING = datetime(2026, 12, 1, 10, 30, tzinfo=LONDON)
WEDNESDAY_TEATIME = datetime(2026, 12, 2, 17, 0, tzinfo=LONDON)
WEDNESDAY_NIGHT = datetime(2026, 12, 2, 23, 0, tzinfo=LONDON)

YOUNG_PARENTS = "Young Parents Group, Exeter (sample)"
TIVERTON_CIRCLE = "Wednesday Wellbeing Circle with crèche, Tiverton (sample)"
EXMOUTH_FORTNIGHTLY = "Exmouth Mums Peer Support Group (sample)"
BIRTH_STORY = "Birth Story Circle (sample)"
LANTERN = "Lantern Loss Support Evening (sample)"
EVENING_ONLINE = "Wednesday Evening Online Group (sample)"
STARLING = "Starling Night Listening Line (sample)"
ROUND_THE_CLOCK_LINES = {
    "Samaritans",
    "Shout",
    "PANDAS text line (run with Shout)",
    "NHS 111, mental health option",
    "National Domestic Abuse Helpline (Refuge)",
}


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Session]:
    """A session on an empty migrated SQLite directory, for hand-built cases."""
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'directory.db'}")
    migrate(engine)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


def names(results: list[SearchResult]) -> list[str]:
    return [result.name for result in results]


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def add_group(
    session: Session,
    key: str,
    *,
    lat: float,
    lon: float,
    organization: str = "org",
    tags: tuple[str, ...] = ("postnatal",),
    status: str = "active",
    day: str = "TU",
) -> None:
    """A weekly group at one venue, with its tags."""
    if session.get(Organization, organization) is None:
        session.add(Organization(id=organization, name=f"Organisation {organization}"))
    session.add(Service(id=key, organization_id=organization, name=f"Group {key}", status=status))
    session.add(Location(id=f"loc-{key}", location_type="physical", latitude=lat, longitude=lon))
    session.add(ServiceAtLocation(id=f"sal-{key}", service_id=key, location_id=f"loc-{key}"))
    session.add(
        Schedule(id=f"sch-{key}", service_id=key, freq="WEEKLY", byday=day, opens_at=time(10), closes_at=time(12))
    )
    for code in tags:
        if session.get(TaxonomyTerm, code) is None:
            session.add(TaxonomyTerm(id=code, code=code, name=code, taxonomy="nightlight-perinatal"))
        session.add(
            Attribute(
                id=f"{key}-{code}", link_id=key, link_entity="service", link_type="service", taxonomy_term_id=code
            )
        )
    session.commit()


def add_line(session: Session, key: str, *, lat: float | None = None, lon: float | None = None) -> None:
    """A round-the-clock helpline: at a venue when lat/lon are given, else a national line with no venue."""
    session.add(Organization(id=f"org-{key}", name=f"Organisation {key}"))
    session.add(Service(id=key, organization_id=f"org-{key}", name=f"Line {key}", status="active"))
    if lat is None or lon is None:
        session.add(ServiceArea(id=f"area-{key}", service_id=key, name="United Kingdom"))
    else:
        session.add(Location(id=f"loc-{key}", location_type="physical", latitude=lat, longitude=lon))
        session.add(ServiceAtLocation(id=f"sal-{key}", service_id=key, location_id=f"loc-{key}"))
    session.add(
        Schedule(
            id=f"sch-{key}",
            service_id=key,
            freq="WEEKLY",
            byday="MO,TU,WE,TH,FR,SA,SU",
            opens_at=time(0, 0),
            closes_at=time(23, 59),
        )
    )
    for code in ("helpline", "postnatal"):
        if session.get(TaxonomyTerm, code) is None:
            session.add(TaxonomyTerm(id=code, code=code, name=code, taxonomy="nightlight-perinatal"))
        session.add(
            Attribute(
                id=f"{key}-{code}", link_id=key, link_entity="service", link_type="service", taxonomy_term_id=code
            )
        )
    session.commit()


def north_of(lat: float, km: float) -> float:
    """The latitude `km` due north of `lat`, on the sphere search measures with."""
    return lat + km / (math.pi * EARTH_RADIUS_KM / 180)
