"""The search itself: the steps in order over a snapshot of the directory, then the ranking; and widening."""

from __future__ import annotations

import csv
import functools
import heapq
import math
import operator
import re
import sys
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from directory.errors import InvalidPhoneNumber
from directory.geography import EARTH_RADIUS_KM, Place, distance_km, resolve_place
from directory.models import (
    DIRECTORY_VERSION_ID,
    UNCOMMITTED_CHANGE,
    Address,
    Attribute,
    DirectoryVersion,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory.phones import sms_link, tel_link
from directory.schedules import (
    LONDON,
    ScheduleRule,
    Span,
    describe_next,
    describe_rule,
    describe_span,
    next_open,
    open_during,
    windows_in,
)
from directory.search._hours import _CouldOpen, _load_rules, _round_the_clock, _Rules, _WeekHours
from directory.search._queries import _among, _chunks, _ids, _physical, _tagged_with_any, _Terms
from directory.search._ranking import DISTANCE_BANDS_KM, _band, _Candidate, _is_night, _rank

KM_PER_DEGREE_LATITUDE = 111.32
# Remote services are few in real directories; the cap keeps a directory full of phone lines from slowing search.
REMOTE_CANDIDATE_CAP = 300
MAX_REASON_TAGS = 3
MAX_TIMES_SHOWN = 2
AREA_RADIUS_KM = 30.0
# Services settled in the first batch of a stream (each later batch doubles): each batch costs a query or two.
SETTLE_BATCH = 16

REMOTE_TAGS = frozenset({"online", "phone", "text-line", "helpline", "online-community"})
NATIONAL_AREAS = frozenset({"national", "united kingdom", "uk", "great britain", "gb", "nationwide"})
NATIONS = frozenset({"england", "scotland", "wales"})
SAMPLE_SUFFIX = "(sample)"
SAMPLE_PREFIX = "SAMPLE DATA"

# How each tag reads in a one-line reason, in the order they matter to her.
TAG_WORDS = {
    "perinatal-mental-health-team": "perinatal mental health team",
    "baby-welcome": "babies welcome",
    "creche": "crèche",
    "partners-welcome": "partners welcome",
    "dads": "for dads",
    "young-parents": "for young parents",
    "birth-trauma": "birth trauma support",
    "loss": "support after loss",
    "term-time-only": "term time only",
    "specialist-charity": "specialist charity",
    "self-referral": "no referral needed",
    "gp-referral": "needs a GP referral",
    "home-visiting": "home visits",
    "free": "free",
}
_AREA_STOP_WORDS = frozenset({"and", "the", "of", "sample", "city", "county", "area", "only", "fictional", "for"})
_WORD = re.compile(r"[a-z0-9]+")
_TEXT_KEYWORD = re.compile(r"\b[Tt]ext\s+(?:the word\s+)?([A-Z][A-Z0-9]+)\b")


@dataclass(frozen=True)
class SearchResult:
    """One service found, with everything a result card needs."""

    service_id: str
    name: str
    organization: str
    description: str
    distance_km: float | None
    remote: bool
    open: bool
    next_open: datetime | None
    next_open_text: str
    schedule_text: str
    tags: tuple[str, ...]
    reason: str
    times_in_window: str
    phone: str | None
    tel: str | None
    sms: str | None
    url: str | None
    email: str | None
    address: str | None
    assured_date: date | None
    sample: bool

    def as_json(self) -> dict[str, object]:
        """JSON-ready fields (interface 4): times as ISO London time, the date as ISO."""
        return {
            "service_id": self.service_id,
            "name": self.name,
            "organization": self.organization,
            "description": self.description,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
            "remote": self.remote,
            "open": self.open,
            "next_open": None if self.next_open is None else self.next_open.isoformat(),
            "next_open_text": self.next_open_text,
            "schedule_text": self.schedule_text,
            "tags": list(self.tags),
            "reason": self.reason,
            "times_in_window": self.times_in_window,
            "phone": self.phone,
            "tel": self.tel,
            "sms": self.sms,
            "url": self.url,
            "email": self.email,
            "address": self.address,
            "assured_date": None if self.assured_date is None else self.assured_date.isoformat(),
            "sample": self.sample,
        }


# --- the search ---------------------------------------------------------------------------------------------------


def search(
    session: Session,
    near: str | Place,
    *,
    within_km: float = 20.0,
    at: datetime | None = None,
    during: Sequence[Span] = (),
    now: datetime | None = None,
    tags: Sequence[str] = (),
    include_remote: bool = True,
    own_organizations: frozenset[str] = frozenset(),
    limit: int | None = None,
) -> list[SearchResult]:
    """Services near a place, ranked; raises UnknownPlace / AmbiguousPlace when `near` is a name we cannot place.

    `at` asks about one moment (default: now). `during` asks about a time window instead (a list of spans, like
    `schedules.phrase_spans` gives): a service is open then when it is open at any point of any span, and its result
    says when (`times_in_window`). Days in words ("today", "tomorrow", "Tuesday") count from `now`, the real time;
    without it, from `at` (or the real time, for a window).
    """
    place = resolve_place(near) if isinstance(near, str) else near
    spans = _spans(at, during)
    moment = spans[0][0]
    wanted = tuple(dict.fromkeys(code.strip().lower() for code in tags if code.strip()))
    snapshot = _snapshot(session)
    terms = snapshot.terms
    if any(code not in terms.ids for code in wanted):
        return []  # a tag no service can carry: nothing matches, honestly
    night = _is_night(moment)

    rings = _Rings(place, within_km)
    ranked: list[_Candidate] = []
    if include_remote:
        remote = snapshot.remote_candidates(place, wanted, terms, rings)
        _settle_remote(remote, spans, place.country)
        ranked += remote
    ranked += _ranked_local(
        session, rings, wanted, spans, place.country, snapshot, night, own_organizations, ranked, limit
    )
    ranked.sort(key=lambda candidate: _rank(candidate, night, own_organizations))
    chosen = ranked if limit is None else ranked[: max(limit, 0)]
    clock = _london(now) if now is not None else spans[0][0] if not during else _london(None)
    # The moment asked about is "now" when none was given, or when it is the same as the real time given.
    asked_now = not during and (at is None or (now is not None and _london(at) == clock))
    asked = _Asked(spans, clock, window=bool(during), now=asked_now)
    return _results(session, chosen, asked, place.country, wanted)


@dataclass(frozen=True)
class _Asked:
    """When she asked about (spans), the real time (`clock`), and whether it was a window or "now"."""

    spans: tuple[Span, ...]
    clock: datetime
    window: bool
    now: bool


def _spans(at: datetime | None, during: Sequence[Span]) -> tuple[Span, ...]:
    """The spans asked about, in London time, in order: the window, or the moment `at` (or now) as (m, m)."""
    if during:
        spans = tuple((_london(start), _london(end)) for start, end in during)
        return tuple(sorted(spans, key=lambda span: span[0].astimezone(timezone.utc)))
    moment = _london(at)
    return ((moment, moment),)


def _london(at: datetime | None) -> datetime:
    """The moment asked about, as aware London time (naive means London wall-clock time)."""
    if at is None:
        return datetime.now(LONDON)
    return at.replace(tzinfo=LONDON) if at.tzinfo is None else at.astimezone(LONDON)


# One place a local service is delivered, inside the radius: (service_at_location id, location id, distance).
_Venue = tuple[str, str, float]
_Venues = dict[str, tuple[_Venue, ...]]
# A latitude/longitude box: (lowest latitude, highest latitude, lowest longitude, highest longitude).
_Box = tuple[float, float, float, float]
_NO_BOX: _Box = (1.0, 0.0, 1.0, 0.0)  # holds no point: what the first ring leaves out
# A physical venue on the map: (latitude, longitude, service id, service_at_location id, location id).
_Place = tuple[float, float, str, str, str]
CELL_DEGREES = 0.02  # the map's grid: about 2 km north-south
_ROUND_OFF = 1e-9  # degrees: more than a grid cell's edge can be off by in floating point


class _Map:
    """Where every physical venue is, which services are active (and their organisations), perinatal or lines, which
    carry each tag, and in which hours of the week each service and venue could be open: read once per directory
    version (`_Snapshot`), so that a search reads no venue from the database. A dense city has thousands of venues
    in reach: testing them here costs a fraction of a microsecond each, against microseconds each for an index probe
    and a row through the database driver.
    """

    def __init__(self, session: Session, terms: _Terms) -> None:
        connection = session.connection()
        intern = sys.intern  # one string per service id, shared by every table here
        # Active services' organisations, and which services are perinatal and which are lines (the ranking flags).
        active = select(Service.id, Service.organization_id).where(Service.status == "active")
        self.active = {
            intern(service_id): organization for service_id, organization in connection.execute(active).all()
        }
        tagged: dict[str, set[str]] = defaultdict(set)
        attributes = select(Attribute.link_id, Attribute.taxonomy_term_id).where(Attribute.link_entity == "service")
        for link_id, term_id in connection.execute(attributes).all():
            if link_id and term_id:
                tagged[term_id].add(intern(link_id))
        self._tagged = {term_id: frozenset(services) for term_id, services in tagged.items()}
        self.perinatal, self.lines = (
            frozenset().union(*(self._tagged.get(term_id, ()) for term_id in term_ids))
            for term_ids in (terms.perinatal, terms.lines)
        )
        self.hours = hours = _WeekHours.read(connection)
        # Services whose test needs more than their undated hours: dated rows, or venues with rows of their own.
        slow = set(hours.service_dated)
        cells: dict[tuple[int, int], list[_Place]] = defaultdict(list)
        by_service: dict[str, list[_Place]] = defaultdict(list)
        venues = (
            select(
                ServiceAtLocation.service_id, ServiceAtLocation.id, Location.id, Location.latitude, Location.longitude
            )
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(_physical())
        )
        for service_id, venue_id, location_id, lat, lon in connection.execute(venues).all():
            if not (math.isfinite(lat) and math.isfinite(lon)):
                continue  # NaN (PostgreSQL has it) is in no box
            place: _Place = (lat, lon, intern(service_id), venue_id, location_id)
            cells[(math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES))].append(place)
            by_service[place[2]].append(place)
            if venue_id in hours.venue_hours or venue_id in hours.venue_dated:
                slow.add(place[2])
        self.cells = {key: tuple(group) for key, group in cells.items()}
        self.by_service = {service_id: tuple(group) for service_id, group in by_service.items()}
        self.slow = frozenset(slow)
        # Per cell, every hour any of its venues could be open in, whatever the dates: most cells of a city can be
        # passed over whole at a quiet hour.
        everything = hours.services_whenever()
        self.cell_hours = {
            key: functools.reduce(
                operator.or_,
                (
                    everything.get(service_id, 0) | hours.venue_whenever(venue_id)
                    for _lat, _lon, service_id, venue_id, _location_id in group
                ),
                0,
            )
            for key, group in self.cells.items()
        }
        # The venues of lines, few: at night they are looked for in the whole search area.
        self.line_places = tuple(place for service_id in self.lines for place in self.by_service.get(service_id, ()))

    def tagged(self, term_ids: Sequence[str]) -> frozenset[str] | None:
        """Services carrying every one of these terms (None: no terms asked, so every service)."""
        if not term_ids:
            return None
        sets = sorted((self._tagged.get(term_id, frozenset()) for term_id in dict.fromkeys(term_ids)), key=len)
        return sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]

    def could_open(self, spans: Sequence[Span]) -> _CouldOpen:
        """The test of whether a service could be open during these spans at one of its venues (see `_CouldOpen`)."""
        return _CouldOpen.during(self.hours, self.slow, spans)


def _box(place: Place, radius_km: float) -> _Box:
    """The latitude/longitude box around the place that venues are looked for in, for `radius_km`."""
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(min(abs(place.lat) + dlat, 89.0))), 0.01)
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    return (place.lat - dlat, place.lat + dlat, place.lon - dlon, place.lon + dlon)


def _reach(place: Place, box: _Box) -> float:
    """A distance every point outside `box` is further than (km): the nearest of its four edges, less a hair."""
    lat_low, lat_high, lon_low, lon_high = box
    north_south = math.radians(min(lat_high - place.lat, place.lat - lat_low))
    # The nearest point of a meridian Δλ away is asin(cos φ · sin Δλ) away along a great circle.
    east_west = math.radians(min(lon_high - place.lon, place.lon - lon_low, 90.0))
    across = math.asin(min(1.0, math.cos(math.radians(place.lat)) * math.sin(east_west)))
    return max(EARTH_RADIUS_KM * min(north_south, across) * (1 - 1e-9) - 1e-9, 0.0)


class _Rings:
    """The search area as rings that grow band by band (DISTANCE_BANDS_KM), so a dense city is read only as far out
    as ranking needs.

    Ring k is the box for the k-th radius less the box for the one before; the last box is the box for the radius
    asked. Once rings 0..k are read, every venue within `reach[k]` of the place is known.
    """

    def __init__(self, place: Place, within_km: float) -> None:
        radii = [radius for radius in DISTANCE_BANDS_KM if radius < within_km] + [within_km]
        self.place, self.within_km = place, within_km
        self.boxes = [_box(place, radius) for radius in radii]
        self.reach = [_reach(place, box) for box in self.boxes[:-1]] + [within_km]
        # geography.distance_km written out with the place's terms computed once: this runs for every venue read.
        self._phi1 = math.radians(place.lat)
        self._cos_phi1 = math.cos(self._phi1)

    def distance(self, lat: float, lon: float) -> float:
        """Great-circle distance from the place (km), exactly as `read` computes it."""
        radians, sin = math.radians, math.sin
        phi2 = radians(lat)
        return (2 * EARTH_RADIUS_KM) * math.asin(
            math.sqrt(
                sin((phi2 - self._phi1) / 2) ** 2
                + self._cos_phi1 * math.cos(phi2) * sin(radians(lon - self.place.lon) / 2) ** 2
            )
        )

    def near(self, lat: float, lon: float) -> float | None:
        """The distance of a point inside the search area (the box asked for, then the radius), else None."""
        lat_low, lat_high, lon_low, lon_high = self.boxes[-1]
        if not (lat_low <= lat <= lat_high and lon_low <= lon <= lon_high):
            return None
        distance = self.distance(lat, lon)
        return distance if distance <= self.within_km else None

    def read(
        self, places: _Map, ring: int, allowed: frozenset[str] | None, hopeful: _CouldOpen | None
    ) -> list[tuple[float, str, str, str]]:
        """(distance, service id, location id, service_at_location id) of the venues in one ring within the radius,
        of services in `allowed` (None: any) that pass `hopeful` (None: all)."""
        lat_low, lat_high, lon_low, lon_high = self.boxes[ring]
        in_lat_low, in_lat_high, in_lon_low, in_lon_high = self.boxes[ring - 1] if ring else _NO_BOX
        radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
        phi1, cos_phi1, lon1, diameter = self._phi1, self._cos_phi1, self.place.lon, 2 * EARTH_RADIUS_KM
        within, size, floor = self.within_km, CELL_DEGREES, math.floor
        bit = hopeful.bit if hopeful is not None else 0
        cells, cell_hours, slow = places.cells, places.cell_hours, places.slow
        service_hours = places.hours.service_hours
        found: list[tuple[float, str, str, str]] = []
        for row in range(floor(lat_low / size), floor(lat_high / size) + 1):
            # Cell edges, a hair wider: a venue's cell is worked out in floating point.
            south, north = row * size - _ROUND_OFF, (row + 1) * size + _ROUND_OFF
            rows_inside = in_lat_low <= south and north <= in_lat_high
            for column in range(floor(lon_low / size), floor(lon_high / size) + 1):
                west, east = column * size - _ROUND_OFF, (column + 1) * size + _ROUND_OFF
                if rows_inside and in_lon_low <= west and east <= in_lon_high:
                    continue  # the whole cell was in an earlier ring
                if bit and not cell_hours.get((row, column), 0) & bit:
                    continue  # nothing in the cell could be open then
                venues = cells.get((row, column), ())
                # Whether every venue of the cell is inside the box, and whether each may be in the inner box.
                inside = lat_low <= south and north <= lat_high and lon_low <= west and east <= lon_high
                overlaps = in_lat_low <= north and south <= in_lat_high and in_lon_low <= east and west <= in_lon_high
                for lat, lon, service_id, venue_id, location_id in venues:
                    if not inside and not (lat_low <= lat <= lat_high and lon_low <= lon <= lon_high):
                        continue
                    if overlaps and in_lat_low <= lat <= in_lat_high and in_lon_low <= lon <= in_lon_high:
                        continue
                    if allowed is not None and service_id not in allowed:
                        continue
                    if (
                        bit
                        and not service_hours.get(service_id, 0) & bit
                        and not (service_id in slow and hopeful is not None and hopeful.rest(service_id, venue_id))
                    ):
                        continue
                    phi2 = radians(lat)
                    distance = diameter * asin(
                        sqrt(sin((phi2 - phi1) / 2) ** 2 + cos_phi1 * cos(phi2) * sin(radians(lon - lon1) / 2) ** 2)
                    )
                    if distance <= within:
                        found.append((distance, service_id, location_id, venue_id))
        return found


class _Stream:
    """Local services carrying the asked-for tags, nearest first, read ring by ring only as far as asked.

    With `hopeful`, only services that could be open at the moment (`_Map.could_open`: a superset of those open,
    checked exactly later), each placed by its nearest venue it could be open at. Otherwise every service, placed by
    its nearest venue, leaving out those `excluded` says (asked once, when the first ring is read).
    """

    def __init__(
        self,
        rings: _Rings,
        places: _Map,
        allowed: frozenset[str] | None,
        hopeful: _CouldOpen | None,
        skip: set[str],
        excluded: Callable[[], Callable[[str], bool]] | None = None,
    ) -> None:
        self.rings, self.places, self.allowed, self.hopeful, self.skip = rings, places, allowed, hopeful, skip
        self.excluded = excluded
        self._left_out: Callable[[str], bool] | None = None
        self.found: list[str] = []  # services, nearest first, without those skipped or excluded
        self.nearest: dict[str, _Venue] = {}  # every service reached so far, at its nearest venue
        self._pending: list[tuple[float, str, str, str]] = []  # read but maybe not yet the nearest left (a heap)
        self._read = 0  # rings read

    @property
    def complete(self) -> bool:
        """Whether every ring has been read."""
        return self._read == len(self.rings.boxes)

    def distance(self, index: int) -> float | None:
        """The distance of the entry at `index`, or, before it is read, a distance it is at least; None: no entry."""
        if index < len(self.found):
            return self.nearest[self.found[index]][2]
        if self.complete:
            return None
        return self.rings.reach[self._read - 1] if self._read else 0.0

    def known(self, index: int) -> bool:
        """Whether there is an entry at `index`, reading further rings as needed."""
        while len(self.found) <= index and not self.complete:
            self._read_ring()
        return len(self.found) > index

    def finish(self) -> None:
        """Read every ring."""
        while not self.complete:
            self._read_ring()

    def _read_ring(self) -> None:
        if self.excluded is not None and self._left_out is None:
            self._left_out = self.excluded()
        ring = self._read
        pending = self._pending
        for venue in self.rings.read(self.places, ring, self.allowed, self.hopeful):
            heapq.heappush(pending, venue)
        self._read += 1
        # Ties at one distance go by service id, then location and venue ids: the same order as a single sort.
        reach, nearest = self.rings.reach[ring], self.nearest
        while pending and pending[0][0] <= reach:
            distance, service_id, location_id, venue_id = heapq.heappop(pending)
            if service_id in nearest:
                continue
            nearest[service_id] = (venue_id, location_id, distance)
            if service_id in self.skip or (self._left_out is not None and self._left_out(service_id)):
                continue
            self.found.append(service_id)


def _ranked_local(
    session: Session,
    rings: _Rings,
    wanted: Sequence[str],
    spans: tuple[Span, ...],
    nation: str,
    snapshot: _Snapshot,
    night: bool,
    own: frozenset[str],
    remote: list[_Candidate],
    limit: int | None,
) -> list[_Candidate]:
    """Local candidates, one per service, settled nearest first only until the first `limit` results are certain.

    Services that could be open (a `_Stream` with `hopeful`) are settled exactly first, then the rest, which are
    closed; each stream reads rings of the search area only as far out as it is followed. At night every line that
    could be open is settled before either, wherever it is, so no service left can be an open line. A service not
    yet settled can rank no better than its best case: open if it could be open, else closed; perinatal and the
    tenant's own, at its nearest venue, or, before that is read, at the distance every venue not yet read is beyond.
    Once `limit` settled candidates rank before the best case of the next unsettled service, nothing later can
    displace them. With no limit all are settled.
    """
    terms, places = snapshot.terms, snapshot.map
    allowed = places.tagged([terms.ids[code] for code in wanted])
    could_open = places.could_open(spans)
    settled: list[_Candidate] = []
    keys = [_rank(candidate, night, own) for candidate in remote]
    skip: set[str] = set()
    hopeful = _Stream(rings, places, allowed, could_open, skip)

    def not_closed() -> Callable[[str], bool]:
        hopeful.finish()  # only then is every service that could be open known
        return hopeful.nearest.__contains__

    closed = _Stream(rings, places, allowed, None, skip, not_closed)

    def settle_hopeful(chunk: list[str]) -> list[_Candidate]:
        return _settle_hopeful(session, places, chunk, _venues_within(places, rings, chunk), spans, nation)

    def add(found: list[_Candidate]) -> None:
        settled.extend(found)
        keys.extend(_rank(candidate, night, own) for candidate in found)

    if night and limit is not None:
        # At night an open line ranks ahead of everything, wherever it is, and only lines can be: settle every one
        # that could be open first. Every other service is then no better than an open, perinatal, own service.
        lines = _hopeful_lines(places, rings, allowed, could_open)
        skip.update(lines)
        if lines:
            add(settle_hopeful(lines))

    def settle(stream: _Stream, is_open: bool, settle_batch: Callable[[list[str]], list[_Candidate]]) -> None:
        position, batch = 0, SETTLE_BATCH

        def certain(distance: float | None) -> bool:
            """Whether the first `limit` are settled, given a distance the next service is no nearer than."""
            if distance is None:
                return True
            if limit is None or len(keys) < max(limit, 1):
                return False
            # With no own organisations asked for, no service can rank as one, so the best case cannot either.
            best_case = (True, True, not is_open, False, False, _band(distance), not own, distance)
            # Compared without the service id, so a tie up to the distance keeps settling: the safe side.
            return heapq.nsmallest(max(limit, 1), keys)[-1][:8] < best_case

        while True:
            # First against what is known without reading further, then against the next service itself.
            if certain(stream.distance(position)) or not stream.known(position) or certain(stream.distance(position)):
                return
            if limit is None:
                stream.finish()
                batch = len(stream.found)
            # A whole batch if the rings hold one: each batch settled costs a query.
            stream.known(position + batch - 1)
            chunk = stream.found[position : position + batch]
            position += len(chunk)
            batch *= 2
            add(settle_batch(chunk))

    settle(hopeful, True, settle_hopeful)
    settle(closed, False, lambda chunk: _settle_closed(places, chunk, closed.nearest))
    return settled


def _venues_within(places: _Map, rings: _Rings, service_ids: Sequence[str]) -> _Venues:
    """Every venue of these services inside the search area, nearest first (ties by location and venue id)."""
    found: _Venues = {}
    for service_id in service_ids:
        group = []
        for lat, lon, _service_id, venue_id, location_id in places.by_service.get(service_id, ()):
            distance = rings.near(lat, lon)
            if distance is not None:
                group.append((distance, location_id, venue_id))
        if group:
            group.sort()
            found[service_id] = tuple((venue_id, location_id, distance) for distance, location_id, venue_id in group)
    return found


def _hopeful_lines(
    places: _Map,
    rings: _Rings,
    allowed: frozenset[str] | None,
    could_open: _CouldOpen,
) -> list[str]:
    """Services carrying a line tag and the asked-for tags that could be open at a venue inside the search area,
    nearest first."""
    nearest: dict[str, float] = {}
    hopeful: set[str] = set()
    for lat, lon, service_id, venue_id, _location_id in places.line_places:
        if allowed is not None and service_id not in allowed:
            continue
        distance = rings.near(lat, lon)
        if distance is not None:
            nearest[service_id] = min(distance, nearest.get(service_id, distance))
            if service_id not in hopeful and could_open(service_id, venue_id):
                hopeful.add(service_id)
    found = {service_id: nearest[service_id] for service_id in hopeful}
    return sorted(found, key=lambda service_id: (found[service_id], service_id))


def _flags(places: _Map, service_ids: Sequence[str]) -> dict[str, tuple[str, bool, bool]]:
    """Active services among these: organisation id, perinatal, a line."""
    active, perinatal, lines = places.active, places.perinatal, places.lines
    return {
        service_id: (active[service_id], service_id in perinatal, service_id in lines)
        for service_id in service_ids
        if service_id in active
    }


def _settle_hopeful(
    session: Session,
    places: _Map,
    service_ids: list[str],
    venues: _Venues,
    spans: tuple[Span, ...],
    nation: str,
) -> list[_Candidate]:
    """Candidates for services that could be open: active ones only, each at its open venue if any, else its nearest."""
    flags = _flags(places, service_ids)
    if not flags:
        return []
    rules = _Rules()
    _load_rules(session, flags, rules)
    best: dict[str, _Candidate] = {}
    for service_id in service_ids:
        if service_id not in flags:
            continue
        organization_id, perinatal, line = flags[service_id]
        for venue_id, location_id, distance in venues.get(service_id, ()):
            candidate = _Candidate(service_id, organization_id, False, perinatal, distance, location_id, venue_id)
            candidate.rules = rules.for_venue(service_id, venue_id)
            candidate.open = bool(candidate.rules) and open_during(candidate.rules, spans, nation=nation)
            candidate.round_the_clock = _round_the_clock(candidate.rules)
            candidate.night_line = candidate.open and line
            # One result per service: its open venue if any, else its nearest.
            kept = best.get(service_id)
            if kept is None or (candidate.open, -(candidate.distance or 0.0)) > (kept.open, -(kept.distance or 0.0)):
                best[service_id] = candidate
    return list(best.values())


def _settle_closed(places: _Map, service_ids: list[str], nearest: dict[str, _Venue]) -> list[_Candidate]:
    """Candidates for services that cannot be open now: active ones only, each at its nearest venue."""
    flags = _flags(places, service_ids)
    found: list[_Candidate] = []
    for service_id in service_ids:
        if service_id in flags:
            venue_id, location_id, distance = nearest[service_id]
            organization_id, perinatal, _line = flags[service_id]
            found.append(_Candidate(service_id, organization_id, False, perinatal, distance, location_id, venue_id))
    return found


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


@dataclass(frozen=True)
class _Snapshot:
    """What search reads of the directory regardless of place and time: the taxonomy terms, the remote services and
    the map of local venues.

    Read once per directory version (see `_snapshot`), so a search queries only the services ranking reaches.
    """

    terms: _Terms
    remote: tuple[_Remote, ...]  # by service id
    map: _Map  # every venue, tag and opening hour, for the local candidates

    @classmethod
    def read(cls, session: Session) -> _Snapshot:
        """Read the terms, every remote service with its areas, tags and rules, and the map of local venues."""
        terms = _Terms.read(session)
        return cls(terms, _read_remote(session, terms), _Map(session, terms))

    def remote_candidates(self, place: Place, wanted: Sequence[str], terms: _Terms, rings: _Rings) -> list[_Candidate]:
        """Phone, text, online and national services carrying every asked-for tag that serve this place, less those
        with a venue inside the search area (they are local there)."""
        wanted_ids = frozenset(terms.ids[code] for code in wanted)
        # The cap counts services with the tags asked for, in id order, before their areas are checked.
        capped = [remote for remote in self.remote if wanted_ids <= remote.term_ids][:REMOTE_CANDIDATE_CAP]
        found: list[_Candidate] = []
        for remote in capped:
            if remote.areas and not _serves(list(remote.areas), place):
                continue
            if any(
                rings.near(venue[0], venue[1]) is not None for venue in self.map.by_service.get(remote.service_id, ())
            ):
                continue
            candidate = _Candidate(remote.service_id, remote.organization_id, True, remote.perinatal)
            candidate.rules = list(remote.rules)
            candidate.round_the_clock = remote.round_the_clock
            candidate.night_line = remote.line  # settled with the time asked, in _settle_remote
            found.append(candidate)
        return found


# Snapshots of recently used directories, by (database URL, directory version); a few, as a process uses one or two.
_SNAPSHOTS: OrderedDict[tuple[str, int], _Snapshot] = OrderedDict()
_SNAPSHOTS_KEPT = 4
_SNAPSHOTS_LOCK = threading.Lock()


def _snapshot(session: Session) -> _Snapshot:
    """The snapshot of this session's directory: cached while its version is unchanged, else read afresh."""
    connection = session.connection()
    url = connection.engine.url
    # Two in-memory SQLite databases share a URL, and a session's own uncommitted change has no settled version.
    in_memory = url.get_backend_name() == "sqlite" and (url.database or ":memory:") == ":memory:"
    version = connection.scalar(select(DirectoryVersion.version).where(DirectoryVersion.id == DIRECTORY_VERSION_ID))
    if version is None or in_memory or session.info.get(UNCOMMITTED_CHANGE):
        return _Snapshot.read(session)
    key = (url.render_as_string(hide_password=False), version)
    with _SNAPSHOTS_LOCK:
        cached = _SNAPSHOTS.get(key)
        if cached is not None:
            _SNAPSHOTS.move_to_end(key)
            return cached
    # Read after the version: a change committed in between is then at worst in a snapshot filed as older.
    snapshot = _Snapshot.read(session)
    with _SNAPSHOTS_LOCK:
        # Older versions of the same directory are done with: a large directory's map is tens of megabytes.
        for older in [kept for kept in _SNAPSHOTS if kept[0] == key[0] and kept[1] < version]:
            del _SNAPSHOTS[older]
        _SNAPSHOTS[key] = snapshot
        while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
            _SNAPSHOTS.popitem(last=False)
    return snapshot


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
    data = Path(__file__).resolve().parents[1] / "data"
    centres: dict[str, tuple[float, float]] = {}
    with (data / "outcode_centroids_gb_codepointopen_2025.2.0.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            centres[row["outcode"]] = (float(row["lat"]), float(row["lon"]))
    found: list[tuple[str, str, float, float]] = []
    with (data / "outcode_areas.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            if row["outcode"] in centres:
                found.append((row["outcode"], row["district"], *centres[row["outcode"]]))
    return tuple(found)


# --- opening times --------------------------------------------------------------------------------------------------


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


def _carrying(session: Session, service_ids: Sequence[str], term_ids: Iterable[str]) -> set[str]:
    """Which of these services carry at least one of these taxonomy terms."""
    if not service_ids:
        return set()
    query = select(Attribute.link_id).where(
        Attribute.link_entity == "service",
        Attribute.link_id.in_(sorted(set(service_ids))),
        Attribute.taxonomy_term_id.in_(sorted(term_ids)),
    )
    return set(session.connection().scalars(query))


# --- building results -------------------------------------------------------------------------------------------


def _results(
    session: Session,
    chosen: list[_Candidate],
    asked: _Asked,
    nation: str,
    wanted: Sequence[str],
) -> list[SearchResult]:
    """Full results for the chosen candidates, with every detail loaded in one query per table."""
    if not chosen:
        return []
    ids = [candidate.service_id for candidate in chosen]
    rules = _Rules()
    missing = [c.service_id for c in chosen if not c.remote and not c.rules]
    _load_rules(session, missing, rules)
    sqlite, params = _ids(session, ids)
    services = {row.id: row for row in session.execute(_details_query(sqlite), params)}
    tags = _tags_of(session, ids)
    phones = _phones_of(session, ids)
    addresses = _addresses_of(session, [c.location_id for c in chosen if c.location_id])
    virtual_urls = _virtual_urls(session, [c.service_id for c in chosen if c.remote])
    results: list[SearchResult] = []
    for candidate in chosen:
        service = services[candidate.service_id]
        organized = service.organization_id is not None
        if not candidate.rules and not candidate.remote:
            candidate.rules = rules.for_venue(candidate.service_id, candidate.service_at_location_id)
        upcoming = next_open(candidate.rules, asked.spans[0][0], nation=nation) if candidate.rules else None
        codes = tags.get(candidate.service_id, ())
        phone, tel, sms = _contacts(phones.get(candidate.service_id, []))
        # Cards speak from the real time: "opens today" must not mean the day she asked about.
        same = asked.clock == asked.spans[0][0]
        from_now = upcoming if same or not candidate.rules else next_open(candidate.rules, asked.clock, nation=nation)
        next_text = _next_text(candidate, asked.clock, from_now)
        in_window = _times_in_window(candidate, asked, nation)
        results.append(
            SearchResult(
                service_id=service.id,
                name=service.name,
                organization=service.organization_name if organized else "",
                description=service.description or "",
                distance_km=None if candidate.remote else candidate.distance,
                remote=candidate.remote,
                open=candidate.open,
                next_open=upcoming,
                next_open_text=next_text,
                schedule_text=_schedule_text(candidate.rules),
                tags=codes,
                reason=_reason(candidate, codes, next_text, wanted, asked.now, in_window),
                times_in_window=in_window,
                phone=phone,
                tel=tel,
                sms=sms,
                url=service.url
                or virtual_urls.get(service.id)
                or (service.organization_website if organized else None),
                email=service.email or (service.organization_email if organized else None),
                address=addresses.get(candidate.location_id) if candidate.location_id else None,
                assured_date=service.assured_date,
                sample=_is_sample(service.name, service.description)
                or (organized and _is_sample(service.organization_name, service.organization_description)),
            )
        )
    return results


@functools.lru_cache(maxsize=2)
def _details_query(sqlite: bool) -> Select[Any]:
    """What a result card shows of the services `ids` and their organisations (`_among`): plain columns, not ORM
    objects, as the services' other columns can be long."""
    return (
        select(
            Service.id,
            Service.name,
            Service.description,
            Service.url,
            Service.email,
            Service.assured_date,
            Organization.id.label("organization_id"),
            Organization.name.label("organization_name"),
            Organization.description.label("organization_description"),
            Organization.website.label("organization_website"),
            Organization.email.label("organization_email"),
        )
        .outerjoin(Organization, Organization.id == Service.organization_id)
        .where(_among(Service.id, sqlite))
    )


@functools.lru_cache(maxsize=2)
def _tags_query(sqlite: bool) -> Select[Any]:
    """The taxonomy codes of the services `ids` (`_among`), in the order they were given."""
    return (
        select(Attribute.link_id, TaxonomyTerm.code)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(Attribute.link_entity == "service", _among(Attribute.link_id, sqlite))
        .order_by(Attribute.link_id, Attribute.id)
    )


@functools.lru_cache(maxsize=2)
def _phones_query(sqlite: bool) -> Select[Any]:
    """The phones of the services `ids` (`_among`)."""
    return (
        select(Phone.service_id, Phone.number, Phone.type, Phone.description)
        .where(_among(Phone.service_id, sqlite))
        .order_by(Phone.id)
    )


@functools.lru_cache(maxsize=2)
def _addresses_query(sqlite: bool) -> Select[Any]:
    """The addresses of the locations `ids` (`_among`)."""
    return (
        select(Address.location_id, Address.address_1, Address.address_2, Address.city, Address.postal_code)
        .where(_among(Address.location_id, sqlite))
        .order_by(Address.address_type, Address.id)
    )


@functools.lru_cache(maxsize=2)
def _virtual_urls_query(sqlite: bool) -> Select[Any]:
    """The links of the virtual locations of the services `ids` (`_among`)."""
    return (
        select(ServiceAtLocation.service_id, Location.url)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(_among(ServiceAtLocation.service_id, sqlite), Location.url.is_not(None))
    )


def _tags_of(session: Session, service_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Perinatal taxonomy codes of each service, in the order they were given."""
    found: dict[str, list[str]] = defaultdict(list)
    sqlite, params = _ids(session, service_ids)
    for service_id, code in session.connection().execute(_tags_query(sqlite), params):
        if code and code not in found[service_id]:
            found[service_id].append(code)
    return {service_id: tuple(codes) for service_id, codes in found.items()}


class _Phone(NamedTuple):
    """The columns of a phone that a result card shows."""

    number: str
    type: str | None
    description: str | None


def _phones_of(session: Session, service_ids: Sequence[str]) -> dict[str, list[_Phone]]:
    """Phones of each service."""
    found: dict[str, list[_Phone]] = defaultdict(list)
    sqlite, params = _ids(session, service_ids)
    for service_id, number, kind, description in session.execute(_phones_query(sqlite), params):
        if service_id:
            found[service_id].append(_Phone(number, kind, description))
    return found


def _addresses_of(session: Session, location_ids: Sequence[str]) -> dict[str, str]:
    """One line per location: "12 Example Street, Exeter EX4"."""
    found: dict[str, str] = {}
    sqlite, params = _ids(session, location_ids)
    for location_id, address_1, address_2, city, postal_code in session.execute(_addresses_query(sqlite), params):
        if location_id in found:
            continue
        street = ", ".join(part for part in (address_1, address_2) if part)
        if city and city.lower() not in street.lower():
            street = f"{street}, {city}" if street else city
        line = f"{street} {postal_code}".strip() if postal_code else street
        if line:
            found[location_id] = line
    return found


def _virtual_urls(session: Session, service_ids: Sequence[str]) -> dict[str, str]:
    """The joining link of each remote service's virtual location."""
    if not service_ids:
        return {}
    sqlite, params = _ids(session, service_ids)
    return {
        service_id: url for service_id, url in session.connection().execute(_virtual_urls_query(sqlite), params) if url
    }


def _contacts(phones: list[_Phone]) -> tuple[str | None, str | None, str | None]:
    """(number to show, tel: link, sms: link with what to send when the data says)."""
    voice = next((p for p in phones if (p.type or "voice") in ("voice", "cell", "")), None)
    text = next((p for p in phones if p.type == "text"), None) or next((p for p in phones if p.type == "cell"), None)
    tel = sms = None
    try:
        tel = tel_link(voice.number) if voice else None
    except InvalidPhoneNumber:
        tel = None
    if text is not None:
        keyword = _TEXT_KEYWORD.search(text.description or "")
        try:
            sms = sms_link(text.number, keyword.group(1) if keyword else None)
        except InvalidPhoneNumber:
            sms = None
    shown = voice or text
    return (shown.number if shown else None), tel, sms


def _is_sample(name: str | None, description: str | None) -> bool:
    """Sample data is marked by name and description (see directory/sample/README.md)."""
    return (name or "").rstrip().endswith(SAMPLE_SUFFIX) or (description or "").lstrip().startswith(SAMPLE_PREFIX)


def _schedule_text(rules: Sequence[ScheduleRule]) -> str:
    """The rules in words, each distinct line once ("Fridays 12:30-14:30, term time only")."""
    if not rules:
        return "opening times not listed"
    ordered = sorted(rules, key=lambda rule: (rule.valid_from or date.min, rule.opens_at or time.min))
    return "; ".join(dict.fromkeys(describe_rule(rule) for rule in ordered))


def _next_text(candidate: _Candidate, clock: datetime, upcoming: datetime | None) -> str:
    """When it next opens from the real time `clock`, in words ("opens Tuesday 10:00", "opens 15 Dec at 10:00");
    "tonight" reads better than "today" for an evening session."""
    if not candidate.rules:
        return "opening times not listed"
    text = describe_next(clock, upcoming)
    if upcoming is not None and text.startswith("opens today") and upcoming.hour >= 18:
        text = text.replace("opens today", "opens tonight", 1)
    return text


def _times_in_window(candidate: _Candidate, asked: _Asked, nation: str) -> str:
    """The openings that fall in the window she named, counted from now ("Tuesday 10:00-11:30"); "" if none or no
    window was asked about. Round-the-clock lines say so in their reason instead."""
    if not asked.window or not candidate.open or candidate.round_the_clock or _round_the_clock(candidate.rules):
        return ""
    openings = windows_in(candidate.rules, asked.spans, nation=nation)
    shown = [describe_span(asked.clock, opens, closes) for opens, closes in openings[:MAX_TIMES_SHOWN]]
    more = len(openings) - len(shown)
    if more > 0:
        return f"{', '.join(shown)} and {more} more"
    return " and ".join(shown)


def _kind(codes: Sequence[str]) -> str:
    """What a remote service is, in two words."""
    if "text-line" in codes and not ({"helpline", "phone"} & set(codes)):
        return "text line"
    if "helpline" in codes or "phone" in codes:
        return "phone and text line" if "text-line" in codes else "phone line"
    if "online-community" in codes:
        return "online community"
    return "online"


def _reason(
    candidate: _Candidate,
    codes: Sequence[str],
    next_text: str,
    wanted: Sequence[str],
    asked_now: bool,
    in_window: str = "",
) -> str:
    """One line saying why this result fits: "open now, 1.2 km, babies welcome, crèche"."""
    parts: list[str] = []
    if candidate.remote:
        kind = _kind(codes)
        parts.append(f"24/7 {kind}" if candidate.round_the_clock else kind)
    if not (candidate.remote and candidate.round_the_clock):
        if candidate.open:
            parts.append("open now" if asked_now else f"open {in_window}" if in_window else "open then")
        else:
            parts.append(next_text)
    if candidate.distance is not None and not candidate.remote:
        parts.append(f"{candidate.distance:.1f} km")
    asked = [code for code in wanted if code in TAG_WORDS]
    others = [code for code in TAG_WORDS if code in codes and code not in asked]
    if "crisis" in codes and candidate.remote:
        others.insert(0, "crisis")
    words = {**TAG_WORDS, "crisis": "crisis support"}
    parts.extend(words[code] for code in (asked + others)[:MAX_REASON_TAGS])
    return ", ".join(parts)


# --- when nothing fits ----------------------------------------------------------------------------------------------


def widen(
    session: Session,
    near: str | Place,
    *,
    at: datetime | None,
    tags: Sequence[str],
    within_km: float,
    during: Sequence[Span] = (),
    now: datetime | None = None,
) -> tuple[list[SearchResult], str]:
    """Widen a search that found nothing: other days, then further away, then without the filters; says which."""
    place = resolve_place(near) if isinstance(near, str) else near
    moment = _london(at) if not during else _spans(None, during)[0][0]
    when: dict[str, Any] = {"during": during, "now": now} if during else {"at": moment, "now": now}
    results = search(session, place, within_km=within_km, tags=tags, **when)
    if any(result.open for result in results):
        return results, ""
    week = moment + timedelta(days=7)
    later = [r for r in results if r.next_open is not None and r.next_open.astimezone(timezone.utc) <= week]
    if later:
        later.sort(key=lambda r: r.next_open.astimezone(timezone.utc) if r.next_open else week)
        return later, f"Nothing open then within {within_km:g} km, so here is what's open later this week."
    for radius in (max(within_km * 2, 40.0), max(within_km * 4, 80.0)):
        further = search(session, place, within_km=radius, tags=tags, **when)
        if further:
            return further, f"Nothing within {within_km:g} km, so here is what's within {radius:g} km."
    if tags:
        untagged = search(session, place, within_km=within_km, **when)
        if untagged:
            asked = ", ".join(TAG_WORDS.get(code, code) for code in tags)
            return untagged, f"Nothing matched {asked}, so here is what's nearby without that filter."
    if results:
        return results, f"Nothing opens within {within_km:g} km in the next week; these are the nearest we know of."
    return [], f"We couldn't find anything within {max(within_km * 4, 80.0):g} km, even at other times."
