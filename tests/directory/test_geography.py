"""Offline UK geography: postcodes, districts, towns, namesakes, Northern Ireland and the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from directory import regenerate_geography
from directory.errors import AmbiguousPlace, UnknownPlace
from directory.geography import Place, distance_km, normalise_postcode, resolve_place, stored_place

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FULL_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9OIL][A-Z0-9]?\s*[0-9O][A-Z]{2}", re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ex44qj", "EX4 4QJ"),
        ("EX4 4QJ", "EX4 4QJ"),
        ("  ex4   4qj ", "EX4 4QJ"),
        ("EX4-4QJ", "EX4 4QJ"),
        ("sw1a1aa", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("m1 1ae", "M1 1AE"),
        ("ex4", "EX4"),
        ("SW1A", "SW1A"),
        ("w1", "W1"),
        ("LL57", "LL57"),
    ],
)
def test_normalise_postcode_fixes_spacing_and_case(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EXO 4QJ", "EX0 4QJ"),  # O typed for a zero in a digit position
        ("EX4 OQJ", "EX4 0QJ"),
        ("SWIA 1AA", "SW1A 1AA"),  # I typed for a one
        ("EXL 4QJ", "EX1 4QJ"),  # l typed for a one
        ("W1O", "W10"),
        ("B1O", "B10"),
        ("0X4 4QJ", "OX4 4QJ"),  # zero typed for the letter O
        ("0X1", "OX1"),
    ],
)
def test_normalise_postcode_fixes_common_typos(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", ["Hull", "Ely", "Bath", "Exeter", "", "XX1", "EX4 4Q", "EX44QJJ", "EX4 4QJ!", "12345"])
def test_normalise_postcode_rejects_what_is_not_postcode_shaped(text: str) -> None:
    assert normalise_postcode(text) is None


def test_every_shipped_district_normalises_to_itself() -> None:
    text = (regenerate_geography.DATA_DIR / regenerate_geography.OUTCODES_FILE).read_text(encoding="utf-8")
    outcodes = [line.split(",")[0] for line in text.splitlines()[3:]]
    assert len(outcodes) > 2800
    assert [code for code in outcodes if normalise_postcode(code) != code] == []


def test_full_postcode_resolves_to_its_district_centre_without_keeping_the_postcode() -> None:
    place = resolve_place("ex4 4qj")
    assert place.kind == "postcode"
    assert place.name == "EX4"
    assert place.outcode == "EX4"
    assert "4QJ" not in repr(place)
    assert place.county == "Exeter"
    assert place.country == "England"
    assert place.lat == pytest.approx(50.73, abs=0.05)
    assert place.lon == pytest.approx(-3.53, abs=0.05)


def test_postcode_with_typos_resolves_like_the_clean_one() -> None:
    assert resolve_place("SWIA 1AA") == resolve_place("SW1A 1AA")
    assert resolve_place("SWIA 1AA").name == "SW1A"


def test_district_resolves_to_its_centroid() -> None:
    place = resolve_place("EX4")
    assert place == Place("EX4", "district", "EX4", place.lat, place.lon, "Exeter", "South West", "England")
    assert resolve_place("pl4").county == "City of Plymouth"


def test_split_district_like_w1_resolves_to_the_middle_of_its_parts() -> None:
    place = resolve_place("W1")
    assert (place.kind, place.outcode, place.region) == ("district", "W1", "London")
    assert distance_km(place.lat, place.lon, 51.515, -0.142) < 2


def test_welsh_district_uses_the_english_council_name() -> None:
    place = resolve_place("NP20")
    assert (place.county, place.country) == ("Newport", "Wales")


@pytest.mark.parametrize(
    ("query", "name", "county"),
    [
        ("Exeter", "Exeter", "Exeter"),
        ("exeter", "Exeter", "Exeter"),
        ("  PLYMOUTH ", "Plymouth", "City of Plymouth"),
        ("Newcastle upon Tyne", "Newcastle upon Tyne", "Newcastle upon Tyne"),
        ("newcastle-upon-tyne", "Newcastle upon Tyne", "Newcastle upon Tyne"),
        ("newcastle", "Newcastle upon Tyne", "Newcastle upon Tyne"),
        ("Hull", "Kingston upon Hull", "City of Kingston upon Hull"),
        ("Stratford-upon-Avon", "Stratford-upon-Avon", "Stratford-on-Avon"),
        ("St. Albans", "St Albans", "St. Albans"),
        ("Saint Albans", "St Albans", "St. Albans"),
        ("Swansea", "Swansea", "Swansea"),
        ("Inverness", "Inverness", "Highland"),
        ("aird asaig", "Àird Asaig", "Na h-Eileanan an Iar"),
        ("Totnes", "Totnes", "South Hams"),
        ("Croydon", "Croydon", "Croydon"),
    ],
)
def test_town_names_resolve_ignoring_case_accents_and_punctuation(query: str, name: str, county: str) -> None:
    place = resolve_place(query)
    assert (place.kind, place.name, place.county) == ("town", name, county)


def test_town_carries_its_postcode_district_region_and_country() -> None:
    place = resolve_place("Exeter")
    assert (place.outcode, place.region, place.country) == ("EX4", "South West", "England")
    assert resolve_place("Bangor").country == "Wales"


@pytest.mark.parametrize(
    ("query", "outcode"),
    [
        ("Bedford", "MK40"),  # a town beats a suburb of Wigan with the same name
        ("Taunton", "TA1"),
        ("Wick", "KW1"),  # the Highland town beats the villages called Wick
        ("Bath", "BA2"),
    ],
)
def test_one_clearly_biggest_place_wins_over_smaller_namesakes(query: str, outcode: str) -> None:
    assert resolve_place(query).outcode == outcode


def test_st_ives_with_or_without_the_full_stop_is_ambiguous_between_the_two_towns() -> None:
    with pytest.raises(AmbiguousPlace) as dotted:
        resolve_place("St. Ives")
    with pytest.raises(AmbiguousPlace) as plain:
        resolve_place("st ives")
    assert dotted.value.candidates == plain.value.candidates
    assert [place.label for place in dotted.value.candidates][:2] == ["St Ives, Cornwall", "St Ives, Huntingdonshire"]


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("Newport", {"Newport, Isle of Wight", "Newport, Newport (Wales)", "Newport, Telford and Wrekin"}),
        ("Stratford", {"Stratford, Newham", "Stratford-upon-Avon, Stratford-on-Avon"}),
        ("Richmond", {"Richmond, Richmondshire", "Richmond upon Thames, Richmond upon Thames"}),
    ],
)
def test_ambiguous_names_list_candidates_with_their_county(query: str, labels: set[str]) -> None:
    with pytest.raises(AmbiguousPlace) as raised:
        resolve_place(query)
    candidates = raised.value.candidates
    assert labels <= {place.label for place in candidates}
    assert raised.value.query == query
    assert 2 <= len(candidates) <= 8
    assert all(place.county and place.outcode for place in candidates)


def test_biggest_candidates_come_first() -> None:
    with pytest.raises(AmbiguousPlace) as raised:
        resolve_place("Newport")
    assert raised.value.candidates[0].label == "Newport, Newport (Wales)"


@pytest.mark.parametrize(
    ("answer", "outcode"),
    [
        ("Newport, Isle of Wight", "PO30"),
        ("Newport Isle of Wight", "PO30"),
        ("Newport, Newport (Wales)", "NP20"),
        ("Newport, Pembrokeshire", "SA42"),
        ("St Ives, Cornwall", "TR26"),
        ("Richmond, Richmondshire", "DL10"),
        ("Stratford, Newham", "E15"),
    ],
)
def test_a_candidate_label_given_back_resolves_to_that_place(answer: str, outcode: str) -> None:
    assert resolve_place(answer).outcode == outcode


@pytest.mark.parametrize("query", ["Nowhereville", "Atlantis upon Sea", "???"])
def test_unknown_places_raise_with_an_honest_reason(query: str) -> None:
    with pytest.raises(UnknownPlace) as raised:
        resolve_place(query)
    assert raised.value.query == query
    assert "couldn't find" in raised.value.reason or "No place" in raised.value.reason


def test_unknown_district_says_it_is_not_a_district_we_know() -> None:
    with pytest.raises(UnknownPlace) as raised:
        resolve_place("EX99 1AA")
    assert "EX99 isn't a postcode district we know" in raised.value.reason


def test_channel_islands_say_they_are_not_covered() -> None:
    with pytest.raises(UnknownPlace) as raised:
        resolve_place("JE2 3AB")
    assert "Jersey" in raised.value.reason


@pytest.mark.parametrize(
    "query",
    [
        "BT1 1AA",
        "bt71nn",
        "BT7",
        "Belfast",
        "Derry",
        "Londonderry",
        "Lisburn",
        "Newry",
        "Armagh",
        "Omagh",
        "Enniskillen",
        "Bangor NI",
        "Bangor, Northern Ireland",
        "Bangor, Co. Down",
        "Northern Ireland",
    ],
)
def test_northern_ireland_is_not_covered_yet(query: str) -> None:
    with pytest.raises(UnknownPlace) as raised:
        resolve_place(query)
    assert "Northern Ireland isn't in Nightlight's directory yet" in raised.value.reason


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("EX4 4QJ", "EX4"),
        ("ex44qj", "EX4"),
        ("SWIA 1AA", "SW1A"),
        ("ex4", "EX4"),
        ("Exeter", "Exeter"),
        ("St Ives, Cornwall", "St Ives, Cornwall"),
        ("near EX4 4QJ please", "near EX4 please"),
        ("pl1 2ab and ex4 4qj", "PL1 and EX4"),
    ],
)
def test_stored_place_reduces_full_postcodes_to_their_district(text: str, kept: str) -> None:
    assert stored_place(text) == kept


@pytest.mark.parametrize("text", ["EX4 4QJ", "ex44qj", "SWIA 1AA", "EXO 4QJ", "I live at TR26 1AB", "M1 1AE"])
def test_stored_place_never_returns_a_full_postcode(text: str) -> None:
    kept = stored_place(text)
    assert FULL_POSTCODE.search(kept) is None
    assert " " not in (normalise_postcode(kept) or "")


def test_distance_from_exeter_to_plymouth_is_about_sixty_km() -> None:
    exeter, plymouth = resolve_place("Exeter"), resolve_place("Plymouth")
    assert distance_km(exeter.lat, exeter.lon, plymouth.lat, plymouth.lon) == pytest.approx(60, abs=5)


def test_distance_is_zero_to_itself_and_symmetric() -> None:
    assert distance_km(50.7, -3.5, 50.7, -3.5) == 0
    assert distance_km(50.7, -3.5, 51.5, -0.1) == pytest.approx(distance_km(51.5, -0.1, 50.7, -3.5))


def test_regenerating_from_the_shipped_sources_reproduces_the_shipped_files(tmp_path: Path) -> None:
    written = regenerate_geography.regenerate(regenerate_geography.DATA_DIR, tmp_path)
    assert [path.name for path in written] == list(regenerate_geography.SHIPPED_FILES)
    for path in written:
        shipped = regenerate_geography.DATA_DIR / path.name
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped} differs from what the regenerate script makes"


def test_regenerating_in_place_keeps_the_sources_and_rewrites_the_areas(tmp_path: Path) -> None:
    for name in regenerate_geography.SHIPPED_FILES:
        (tmp_path / name).write_bytes((regenerate_geography.DATA_DIR / name).read_bytes())
    (tmp_path / regenerate_geography.AREAS_FILE).write_text("stale\n", encoding="utf-8")
    regenerate_geography.regenerate(tmp_path, tmp_path)
    for name in regenerate_geography.SHIPPED_FILES:
        assert (tmp_path / name).read_bytes() == (regenerate_geography.DATA_DIR / name).read_bytes(), name


def test_shipped_files_keep_their_open_government_licence_attribution() -> None:
    for name in regenerate_geography.SHIPPED_FILES:
        head = (regenerate_geography.DATA_DIR / name).read_text(encoding="utf-8")[:2000]
        assert "Contains OS data (c) Crown copyright" in head, name
        assert "Open Government Licence v3.0" in head, name
