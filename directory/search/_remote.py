"""Remote services (phone, text, online, national): read once per directory version, offered where they serve."""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from directory.geography import Place, distance_km
from directory.models import Attribute, Location, Service, ServiceArea, ServiceAtLocation
from directory.regenerate_geography import AREAS_FILE, DATA_DIR, OUTCODES_FILE
from directory.schedules import ScheduleRule, Span, open_during
from directory.search._hours import _load_rules, _round_the_clock, _Rules
from directory.search._queries import _chunks, _physical, _tagged_with_any, _Terms
from directory.search._ranking import _Candidate
from directory.search._venues import KM_PER_DEGREE_LATITUDE, _Map, _Rings

# Remote services are few in real directories; the cap keeps a directory full of phone lines from slowing search.
REMOTE_CANDIDATE_CAP = 300
AREA_RADIUS_KM = 30.0
REMOTE_TAGS = frozenset({"online", "phone", "text-line", "helpline", "online-community"})
NATIONAL_AREAS = frozenset({"national", "united kingdom", "uk", "great britain", "gb", "nationwide"})
NATIONS = frozenset({"england", "scotland", "wales"})
_AREA_STOP_WORDS = frozenset({"and", "the", "of", "sample", "city", "county", "area", "only", "fictional", "for"})
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Remote:
    """A service that may be offered remotely, with everything search needs of it (see `_Snapshot`)."""

    service_id: str
    organization_id: str
    term_ids: frozenset[str]
    perinatal: bool
    line: bool
    areas: tuple[str, ...]
    rules: tuple[ScheduleRule, ...]
    round_the_clock: bool


def _remote_candidates(
    remotes: Sequence[_Remote], places: _Map, place: Place, wanted: Sequence[str], terms: _Terms, rings: _Rings
) -> list[_Candidate]:
    """Phone, text, online and national services carrying every asked-for tag that serve this place, less those
    with a venue inside the search area (they are local there)."""
    wanted_ids = frozenset(terms.ids[code] for code in wanted)
    # The cap counts services with the tags asked for, in id order, before their areas are checked.
    capped = [remote for remote in remotes if wanted_ids <= remote.term_ids][:REMOTE_CANDIDATE_CAP]
    found: list[_Candidate] = []
    for remote in capped:
        if remote.areas and not _serves(list(remote.areas), place):
            continue
        if any(rings.near(venue[0], venue[1]) is not None for venue in places.by_service.get(remote.service_id, ())):
            continue
        candidate = _Candidate(remote.service_id, remote.organization_id, True, remote.perinatal)
        candidate.rules = list(remote.rules)
        candidate.round_the_clock = remote.round_the_clock
        candidate.night_line = remote.line  # settled with the time asked, in _settle_remote
        found.append(candidate)
    return found


def _read_remote(session: Session, terms: _Terms) -> tuple[_Remote, ...]:
    """Active services that may be offered remotely: ones with a service area or a venue without coordinates that
    have no physical venue, serve a nation or carry a remote tag, in id order."""
    # Found through indexed lookups only (service areas, locations without coordinates), never a scan of services.
    connection = session.connection()
    with_area = select(ServiceArea.service_id).where(ServiceArea.service_id.is_not(None))
    placeless = select(ServiceAtLocation.service_id).where(
        ServiceAtLocation.location_id.in_(select(Location.id).where(Location.latitude.is_(None)))
    )
    has_physical = exists().where(
        ServiceAtLocation.service_id == Service.id, ServiceAtLocation.location_id == Location.id, _physical()
    )
    national = exists().where(
        ServiceArea.service_id == Service.id,
        func.lower(ServiceArea.name).in_(sorted(NATIONAL_AREAS | NATIONS)),
    )
    possible = {sid for sid in connection.scalars(with_area) if sid} | set(connection.scalars(placeless))
    if not possible:
        return ()
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(possible)):
        query = select(Service.id, Service.organization_id).where(
            Service.id.in_(chunk),
            Service.status == "active",
            or_(~has_physical, national, _tagged_with_any(REMOTE_TAGS, terms.ids)),
        )
        found.update((service_id, organization_id) for service_id, organization_id in connection.execute(query))
    ids = sorted(found)
    tagged: dict[str, set[str]] = defaultdict(set)
    areas: dict[str, list[str]] = defaultdict(list)
    rules = _Rules()
    venues: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        tag_query = select(Attribute.link_id, Attribute.taxonomy_term_id).where(
            Attribute.link_entity == "service", Attribute.link_id.in_(chunk)
        )
        for service_id, term_id in connection.execute(tag_query):
            tagged[service_id].add(term_id)
        area_query = select(
            ServiceArea.service_id, ServiceArea.name, ServiceArea.description, ServiceArea.extent
        ).where(ServiceArea.service_id.in_(chunk))
        for service_id, *texts in connection.execute(area_query):
            areas[service_id].append(" ".join(text for text in texts if text))
        _load_rules(session, chunk, rules)
        for service_id, venue_ids in _venues_of(session, chunk).items():
            venues[service_id].extend(venue_ids)
    remote: list[_Remote] = []
    for service_id in ids:
        term_ids = frozenset(tagged.get(service_id, ()))
        service_rules = tuple(rules.for_remote(service_id, venues.get(service_id, ())))
        remote.append(
            _Remote(
                service_id=service_id,
                organization_id=found[service_id],
                term_ids=term_ids,
                perinatal=bool(term_ids & terms.perinatal),
                line=bool(term_ids & terms.lines),
                areas=tuple(areas.get(service_id, ())),
                rules=service_rules,
                round_the_clock=_round_the_clock(service_rules),
            )
        )
    return tuple(remote)


def _serves(areas: list[str], place: Place) -> bool:
    """Whether any of a service's areas covers the place: national, its nation, or a district nearby by name."""
    nearby = _words_near(place.outcode, place.lat, place.lon) | _words(f"{place.name} {place.county} {place.region}")
    for text in areas:
        name = text.split("  ")[0].strip().lower()
        words = _words(text) - _AREA_STOP_WORDS
        if name in NATIONAL_AREAS or words & NATIONAL_AREAS:
            return True
        nations = words & NATIONS
        if nations:
            if place.country.lower() in nations:
                return True
            continue
        if place.outcode.lower() in words or words & nearby:
            return True
    return False


def _words(text: str) -> frozenset[str]:
    """Lowercase words, so "Devon (sample)" and "Mid Devon" share "devon"."""
    return frozenset(_WORD.findall(text.lower()))


@functools.lru_cache(maxsize=4096)
def _words_near(outcode: str, lat: float, lon: float) -> frozenset[str]:
    """Words of the district names of postcode districts within AREA_RADIUS_KM ("east", "devon", "exeter"...)."""
    words: set[str] = set()
    reach = AREA_RADIUS_KM / KM_PER_DEGREE_LATITUDE
    for _code, district, centre_lat, centre_lon in _districts():
        # A cheap latitude test first: this runs over every district in Great Britain.
        if abs(centre_lat - lat) <= reach and distance_km(lat, lon, centre_lat, centre_lon) <= AREA_RADIUS_KM:
            words |= _words(district)
    return frozenset(words - _AREA_STOP_WORDS - {"east", "west", "north", "south", "mid", "upon", "on"})


@functools.cache
def _districts() -> tuple[tuple[str, str, float, float], ...]:
    """(outcode, district, lat, lon) for every postcode district, from the shipped data."""
    centres: dict[str, tuple[float, float]] = {}
    with (DATA_DIR / OUTCODES_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            centres[row["outcode"]] = (float(row["lat"]), float(row["lon"]))
    found: list[tuple[str, str, float, float]] = []
    with (DATA_DIR / AREAS_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            if row["outcode"] in centres:
                found.append((row["outcode"], row["district"], *centres[row["outcode"]]))
    return tuple(found)


def _settle_remote(candidates: list[_Candidate], spans: tuple[Span, ...], nation: str) -> None:
    """Mark which remote services are open during the spans, and which are lines open at night."""
    for candidate in candidates:
        candidate.open = bool(candidate.rules) and open_during(candidate.rules, spans, nation=nation)
        # A candidate arrives with night_line saying whether it is a line at all.
        candidate.night_line = candidate.open and candidate.night_line


def _venues_of(session: Session, service_ids: Sequence[str]) -> dict[str, list[str]]:
    """service_at_location ids of each service."""
    found: dict[str, list[str]] = defaultdict(list)
    query = select(ServiceAtLocation.service_id, ServiceAtLocation.id).where(
        ServiceAtLocation.service_id.in_(sorted(set(service_ids)))
    )
    for service_id, venue_id in session.connection().execute(query):
        found[service_id].append(venue_id)
    return found
