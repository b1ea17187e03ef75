"""Local venues on the map: where every venue is, the search area as rings, and local services settled nearest first."""

from __future__ import annotations

import functools
import heapq
import math
import operator
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.geography import EARTH_RADIUS_KM, Place
from directory.models import Attribute, Location, Service, ServiceAtLocation
from directory.schedules import Span, open_during
from directory.search._hours import _CouldOpen, _load_rules, _round_the_clock, _Rules, _WeekHours
from directory.search._queries import _physical, _Terms
from directory.search._ranking import DISTANCE_BANDS_KM, _band, _Candidate, _rank

KM_PER_DEGREE_LATITUDE = 111.32
CELL_DEGREES = 0.02  # the map's grid: about 2 km north-south
_ROUND_OFF = 1e-9  # degrees: more than a grid cell's edge can be off by in floating point
# Services settled in the first batch of a stream (each later batch doubles): each batch costs a query or two.
SETTLE_BATCH = 16

# One place a local service is delivered, inside the radius: (service_at_location id, location id, distance).
_Venue = tuple[str, str, float]
_Venues = dict[str, tuple[_Venue, ...]]
# A latitude/longitude box: (lowest latitude, highest latitude, lowest longitude, highest longitude).
_Box = tuple[float, float, float, float]
_NO_BOX: _Box = (1.0, 0.0, 1.0, 0.0)  # holds no point: what the first ring leaves out
# A physical venue on the map: (latitude, longitude, service id, service_at_location id, location id).
_Place = tuple[float, float, str, str, str]


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
    places: _Map,
    terms: _Terms,
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
