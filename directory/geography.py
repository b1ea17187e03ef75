"""Offline UK places: postcodes, postcode districts and towns in Great Britain, from shipped OGL data."""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from directory.errors import AmbiguousPlace, UnknownPlace
from directory.regenerate_geography import AREAS_FILE, DATA_DIR, OUTCODES_FILE, PLACES_FILE

EARTH_RADIUS_KM = 6371.0088
MAX_CANDIDATES = 8

# OS Open Names settlement types, biggest first; suburbs sit with villages because they are parts of towns.
_RANKS = {"City": 5, "Town": 4, "Village": 3, "Suburban Area": 3, "Hamlet": 2, "Other Settlement": 1}
_TOWN = _RANKS["Town"]

# Words that join a short name to its river or qualifier ("Stratford-upon-Avon", "Barrow-in-Furness").
_CONNECTORS = frozenset({"upon", "on", "under", "in", "by", "super", "de", "le", "en", "next", "cum"})

# What people call some cities, where OS Open Names files them under their formal name.
_ALIASES = {
    "newcastle": "Newcastle upon Tyne",
    "hull": "Kingston upon Hull",
    "stoke": "Stoke-on-Trent",
    "brighton": "Brighton and Hove",
    "westminster": "City of Westminster",
}

_NI_REASON = (
    "Northern Ireland isn't in Nightlight's directory yet, so we can't look up places there. "
    "If you meant somewhere in England, Scotland or Wales, a postcode district like EX4 or a town name will work."
)
_CROWN_DEPENDENCY_REASON = (
    "Jersey, Guernsey and the Isle of Man aren't in Nightlight's directory yet, so we can't look up places there."
)
_NI_PLACES = frozenset(
    {
        "belfast",
        "derry",
        "londonderry",
        "lisburn",
        "newry",
        "armagh",
        "omagh",
        "enniskillen",
        "bangor",
        "craigavon",
        "portadown",
        "lurgan",
        "ballymena",
        "coleraine",
        "newtownabbey",
        "carrickfergus",
        "larne",
        "antrim",
        "downpatrick",
        "dungannon",
        "cookstown",
        "strabane",
        "limavady",
        "ballymoney",
        "banbridge",
        "newtownards",
        "holywood",
        "magherafelt",
        "portrush",
        "fermanagh",
        "tyrone",
    }
)
_NI_QUALIFIERS = frozenset(
    {"northern ireland", "ni", "n ireland", "n i", "ulster"}
    | {f"{prefix} {county}" for prefix in ("co", "county") for county in ("antrim", "armagh", "down", "fermanagh")}
    | {f"{prefix} {county}" for prefix in ("co", "county") for county in ("londonderry", "derry", "tyrone")}
)

# Royal Mail's rules for which letters may appear where in the outward code; they also settle O/0 typos.
_AREA_FIRST = frozenset("ABCDEFGHIJKLMNOPRSTUWYZ")
_AREA_SECOND = frozenset("ABCDEFGHKLMNOPQRSTUVWXY")
_A9A_THIRD = frozenset("ABCDEFGHJKPSTUW")
_AA9A_FOURTH = frozenset("ABEHMNPRVWXY")
_ANY_LETTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Slot shapes of the six outward code formats: letters from a set, or "9" for a digit.
_OUTWARD_FORMATS: tuple[tuple[frozenset[str] | None, ...], ...] = (
    (_AREA_FIRST, None),
    (_AREA_FIRST, None, None),
    (_AREA_FIRST, None, _A9A_THIRD),
    (_AREA_FIRST, _AREA_SECOND, None),
    (_AREA_FIRST, _AREA_SECOND, None, None),
    (_AREA_FIRST, _AREA_SECOND, None, _AA9A_FOURTH),
)
_INWARD_FORMAT: tuple[frozenset[str] | None, ...] = (None, _ANY_LETTER, _ANY_LETTER)
_DIGIT_TYPOS = {"O": "0", "I": "1", "L": "1"}
_LETTER_TYPOS = {"0": "O"}
_APOSTROPHES = re.compile(r"['’`]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_EMBEDDED_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """Somewhere in Great Britain that a search can start from; never holds more than a postcode district."""

    name: str
    kind: str
    outcode: str
    lat: float
    lon: float
    county: str
    region: str
    country: str

    @property
    def label(self) -> str:
        """How to name the place when asking which one she meant: "Newport, Newport (Wales)"."""
        where = f"{self.name}, {self.county}"
        return where if self.country == "England" else f"{where} ({self.country})"


class _Entry(NamedTuple):
    """A place from OS Open Names under one of its names, with what we need to choose between namesakes."""

    name: str
    outcode: str
    lat: float
    lon: float
    county: str
    region: str
    country: str
    rank: int
    row: int
    area_words: frozenset[str]

    @property
    def place(self) -> Place:
        """The entry as a Place (built on demand: making 80,000 frozen dataclasses up front is slow)."""
        return Place(self.name, "town", self.outcode, self.lat, self.lon, self.county, self.region, self.country)


@dataclass(frozen=True)
class _Gazetteer:
    """The shipped data, indexed once for lookups that take microseconds."""

    outcodes: dict[str, Place]
    names: dict[str, list[_Entry]]
    short_names: dict[str, list[_Entry]]
    gb_town_keys: frozenset[str]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _read_slots(text: str, slots: tuple[frozenset[str] | None, ...]) -> tuple[str, int] | None:
    """Fit `text` to slot shapes, fixing O/0 and I/L/1 typos; returns the fixed text and how many fixes it took."""
    fixed: list[str] = []
    fixes = 0
    for char, allowed in zip(text, slots, strict=True):
        if allowed is None:
            if char.isdigit():
                fixed.append(char)
            elif char in _DIGIT_TYPOS:
                fixed.append(_DIGIT_TYPOS[char])
                fixes += 1
            else:
                return None
        elif char in allowed:
            fixed.append(char)
        elif char in _LETTER_TYPOS and _LETTER_TYPOS[char] in allowed:
            fixed.append(_LETTER_TYPOS[char])
            fixes += 1
        else:
            return None
    return "".join(fixed), fixes


def _postcode_readings(text: str) -> list[str]:
    """Every postcode or district `text` could be, fewest typo fixes first; empty if it isn't postcode-shaped."""
    compact = re.sub(r"[\s.\-]+", "", text).upper()
    # Without a real digit it is a word ("Hull" would otherwise read as HU11).
    if not compact.isalnum() or not compact.isascii() or not any(char.isdigit() for char in compact):
        return []
    if 2 <= len(compact) <= 4:
        outward, inward = compact, ""
    elif 5 <= len(compact) <= 7:
        outward, inward = compact[:-3], compact[-3:]
    else:
        return []
    inward_fixes = 0
    if inward:
        read = _read_slots(inward, _INWARD_FORMAT)
        if read is None:
            return []
        inward, inward_fixes = read
    readings: list[tuple[int, str]] = []
    for slots in _OUTWARD_FORMATS:
        if len(slots) == len(outward):
            read = _read_slots(outward, slots)
            if read is not None:
                readings.append((read[1] + inward_fixes, f"{read[0]} {inward}".strip()))
    return [reading for _, reading in sorted(readings)]


def normalise_postcode(text: str) -> str | None:
    """Tidy a postcode or district ("ex44qj" -> "EX4 4QJ", "EXO" -> "EX0"); None if `text` isn't postcode-shaped."""
    readings = _postcode_readings(text)
    return readings[0] if readings else None


def stored_place(text: str) -> str:
    """What may be kept of a place she gave: a full postcode becomes its district; a town is kept as written."""
    postcode = normalise_postcode(text)
    if postcode is not None:
        return postcode.split(" ")[0]
    # A postcode inside other words ("EX4 4QJ Exeter") is reduced too: we never keep a full address.
    return _EMBEDDED_POSTCODE.sub(lambda match: match.group(1).upper(), text.strip())


def _place_key(text: str) -> str:
    """A name reduced for matching: case, accents, punctuation and "Saint"/"St." ignored."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _APOSTROPHES.sub("", text.lower().replace("&", " and "))
    words = _NOT_ALPHANUMERIC.sub(" ", plain).split()
    if "saint" in words:
        words = ["st" if word == "saint" else word for word in words]
    return " ".join(words)


def _short_key(key: str) -> str | None:
    """The everyday short form of a long name: "stratford upon avon" -> "stratford"."""
    if " " not in key:
        return None
    words = key.split()
    for index in range(1, len(words)):
        if words[index] in _CONNECTORS:
            return " ".join(words[:index])
    return None


def _county(district: str) -> str:
    """The English form of a bilingual Welsh district ("Casnewydd - Newport" -> "Newport")."""
    return district.rsplit(" - ", 1)[-1].strip()


def _data_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a shipped CSV, skipping its attribution lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


@functools.cache
def _gazetteer() -> _Gazetteer:
    """Load and index the shipped data on first use, once per process."""
    areas = {row["outcode"]: row for row in _data_rows(DATA_DIR / AREAS_FILE)}
    outcodes: dict[str, Place] = {}
    for row in _data_rows(DATA_DIR / OUTCODES_FILE):
        area = areas[row["outcode"]]
        outcodes[row["outcode"]] = Place(
            name=row["outcode"],
            kind="district",
            outcode=row["outcode"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            county=_county(area["district"]),
            region=area["region"],
            country=area["country"],
        )
    # People write "W1" or "EC1" for districts Royal Mail has split into W1A...W1W: use the middle of the parts.
    parts: dict[str, list[Place]] = {}
    for outcode, place in outcodes.items():
        if outcode[-1].isalpha() and outcode[:-1] not in outcodes:
            parts.setdefault(outcode[:-1], []).append(place)
    for parent, pieces in parts.items():
        county, region, country = Counter((p.county, p.region, p.country) for p in pieces).most_common(1)[0][0]
        outcodes[parent] = Place(
            name=parent,
            kind="district",
            outcode=parent,
            lat=sum(piece.lat for piece in pieces) / len(pieces),
            lon=sum(piece.lon for piece in pieces) / len(pieces),
            county=county,
            region=region,
            country=country,
        )

    names: dict[str, list[_Entry]] = {}
    short_names: dict[str, list[_Entry]] = {}
    gb_town_keys: set[str] = set()
    area_words: dict[tuple[str, str, str, str], frozenset[str]] = {}
    county_keys: dict[str, tuple[str, str]] = {}
    with (DATA_DIR / PLACES_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(line for line in handle if not line.startswith("#"))
        columns = {column: index for index, column in enumerate(next(reader))}
        name_at, alt_at, type_at = columns["name"], columns["name_alt"], columns["local_type"]
        outcode_at, lat_at, lon_at = columns["outcode"], columns["lat"], columns["lon"]
        district_at, region_at, country_at = columns["district"], columns["region"], columns["country"]
        for row_number, fields in enumerate(reader):
            district, region, country, outcode = (
                fields[district_at],
                fields[region_at],
                fields[country_at],
                fields[outcode_at],
            )
            if district not in county_keys:
                county_keys[district] = (_county(district), _place_key(_county(district)))
            county, county_key = county_keys[district]
            area_key = (district, region, country, outcode)
            if area_key not in area_words:
                area_words[area_key] = frozenset(_place_key(f"{county} {' '.join(area_key)}").split())
            lat, lon = float(fields[lat_at]), float(fields[lon_at])
            for name in (fields[name_at], fields[alt_at]):
                if not name:
                    continue
                key = _place_key(name)
                rank = _RANKS.get(fields[type_at], 0)
                # A place that gives its name to its council is a principal town, whatever OS calls it: London's
                # borough centres ("Richmond upon Thames", "Croydon") are filed as Other Settlement or Suburban Area.
                if key == county_key or key == f"city of {county_key}":
                    rank = max(rank, _TOWN)
                entry = _Entry(name, outcode, lat, lon, county, region, country, rank, row_number, area_words[area_key])
                names.setdefault(key, []).append(entry)
                short = _short_key(key)
                if short is not None:
                    short_names.setdefault(short, []).append(entry)
                if rank >= _TOWN:
                    gb_town_keys.add(key)
    for alias, formal in _ALIASES.items():
        formal_entries = [entry for entry in names[_place_key(formal)] if entry.rank == _RANKS["City"]]
        names.setdefault(alias, []).extend(formal_entries)
        gb_town_keys.add(alias)
    return _Gazetteer(outcodes, names, short_names, frozenset(gb_town_keys))


def _unique(entries: list[_Entry]) -> list[_Entry]:
    """Entries without repeats of the same row, in order."""
    seen: set[int] = set()
    kept: list[_Entry] = []
    for entry in entries:
        if entry.row not in seen:
            seen.add(entry.row)
            kept.append(entry)
    return kept


def _without(entries: list[_Entry], found: list[_Entry]) -> list[_Entry]:
    """Entries for places not already in `found`."""
    rows = {entry.row for entry in found}
    return [entry for entry in entries if entry.row not in rows]


def _choose(query: str, exact: list[_Entry], shortened: list[_Entry]) -> Place:
    """The one place a name clearly means, or AmbiguousPlace listing the likeliest ones."""
    pool = exact or shortened
    rivals = shortened if exact else []
    ordered = sorted(pool, key=lambda entry: -entry.rank)
    best = ordered[0]
    runner_up = ordered[1].rank if len(ordered) > 1 else None
    # One place wins when it is a town or bigger and nothing else of that name is: Richmond (a town) and Richmond
    # upon Thames, or Newport (a city) and Newport (a town), are both places she could mean, so we ask.
    clear = runner_up is None or (best.rank >= _TOWN and runner_up < _TOWN)
    # A long name's short form ("Newcastle") usually means the biggest of them, so only a bigger rival blocks it.
    if clear and all(best.rank > rival.rank for rival in rivals):
        return best.place
    candidates: list[Place] = []
    labels: set[str] = set()
    for entry in sorted(ordered + rivals, key=lambda entry: -entry.rank):
        # The same name twice in one district (a village and its suburb) is one choice for her.
        if entry.place.label not in labels:
            labels.add(entry.place.label)
            candidates.append(entry.place)
    raise AmbiguousPlace(query, candidates[:MAX_CANDIDATES])


def _resolve_postcode(query: str, readings: list[str]) -> Place:
    """The district centroid for a postcode or postcode district."""
    gazetteer = _gazetteer()
    outcodes = [reading.split(" ")[0] for reading in readings]
    if outcodes[0].startswith("BT"):
        raise UnknownPlace(query, _NI_REASON)
    if outcodes[0][:2] in {"GY", "JE", "IM"}:
        raise UnknownPlace(query, _CROWN_DEPENDENCY_REASON)
    for reading, outcode in zip(readings, outcodes, strict=True):
        if outcode in gazetteer.outcodes:
            district = gazetteer.outcodes[outcode]
            if " " in reading:
                # Only the district's centre is used; the full postcode goes no further than this function.
                return replace(district, kind="postcode")
            return district
    raise UnknownPlace(
        query,
        f"{outcodes[0]} isn't a postcode district we know. It may be mistyped; "
        "the first half of a postcode (like EX4) or a town name will work.",
    )


def _is_northern_ireland(key: str) -> bool:
    """Whether a place key names Northern Ireland or one of its towns and nothing bigger in Great Britain."""
    if key in _NI_QUALIFIERS:
        return True
    return key in _NI_PLACES and key not in _gazetteer().gb_town_keys


def is_town_name(text: str) -> bool:
    """Whether a name is a town or city in Great Britain (not only a village or a suburb of that name)."""
    return _place_key(text) in _gazetteer().gb_town_keys


def resolve_place(query: str) -> Place:
    """A postcode, postcode district or town/city/village in Great Britain, as a Place to search from."""
    readings = _postcode_readings(query)
    if readings:
        return _resolve_postcode(query, readings)
    key = _place_key(query)
    if not key:
        raise UnknownPlace(query, "No place was given: a town or the first half of a postcode (like EX4) will do.")
    if _is_northern_ireland(key):
        raise UnknownPlace(query, _NI_REASON)
    gazetteer = _gazetteer()
    exact = _unique(gazetteer.names.get(key, []))
    shortened = _without(_unique(gazetteer.short_names.get(key, [])), exact)
    if exact or shortened:
        return _choose(query, exact, shortened)

    # "Newport, Isle of Wight", "St Ives Cornwall", "Bangor NI": a name followed by where it is.
    words = key.split()
    for split in range(len(words) - 1, 0, -1):
        name, qualifier = " ".join(words[:split]), words[split:]
        if " ".join(qualifier) in _NI_QUALIFIERS:
            raise UnknownPlace(query, _NI_REASON)
        wanted = set(qualifier)
        exact = [entry for entry in _unique(gazetteer.names.get(name, [])) if wanted <= entry.area_words]
        shortened = [
            entry
            for entry in _without(_unique(gazetteer.short_names.get(name, [])), exact)
            if wanted <= entry.area_words
        ]
        if exact or shortened:
            return _choose(query, exact, shortened)
    raise UnknownPlace(
        query,
        f"We couldn't find a town, city or village called {query.strip()!r} in England, Scotland or Wales. "
        "Check the spelling, or try the first half of a postcode (like EX4).",
    )
