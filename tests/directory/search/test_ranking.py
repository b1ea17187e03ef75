"""Ranking: open first, then perinatal, then near, then the charity's own; at night the open 24/7 lines lead."""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.geography import resolve_place
from directory.search import search
from tests.directory.conftest import BUMPS_AND_BABIES, by_name
from tests.directory.search.conftest import (
    ROUND_THE_CLOCK_LINES,
    STARLING,
    TUESDAY_MORNING,
    WEDNESDAY_NIGHT,
    add_group,
    names,
)


def test_search_returns_the_tuesday_group_near_exeter_on_tuesday_morning_and_ranks_the_open_ones_first(
    sample: Session,
) -> None:
    results = search(sample, "EX4", at=TUESDAY_MORNING)
    found = by_name(results)
    assert found[BUMPS_AND_BABIES].open
    assert found[BUMPS_AND_BABIES].distance_km is not None and found[BUMPS_AND_BABIES].distance_km < 1.0
    assert found[BUMPS_AND_BABIES].address == "12 Example Quay Road, Exeter EX4"
    opens = [result.open for result in results]
    assert opens == sorted(opens, reverse=True)
    assert results[0].name == BUMPS_AND_BABIES  # open, perinatal and nearest of all
    assert [r.remote for r in results if r.open] == sorted(r.remote for r in results if r.open)


def test_at_night_the_round_the_clock_lines_come_first(sample: Session) -> None:
    results = search(sample, "EX4", at=WEDNESDAY_NIGHT)
    first = results[: len(ROUND_THE_CLOCK_LINES)]
    assert {result.name for result in first} == ROUND_THE_CLOCK_LINES
    assert all(result.open and result.remote for result in first)
    assert results[len(ROUND_THE_CLOCK_LINES)].name == STARLING  # open at night, but not round the clock
    assert first[0].name == "PANDAS text line (run with Shout)"  # the perinatal line first among equals
    assert first[0].reason.startswith("24/7 text line")


def test_in_the_day_local_open_services_come_before_remote_ones(sample: Session) -> None:
    results = search(sample, "EX4", at=TUESDAY_MORNING)
    open_results = [r for r in results if r.open]
    first_remote = next(i for i, r in enumerate(open_results) if r.remote)
    assert all(not r.remote for r in open_results[:first_remote])
    assert all(r.remote for r in open_results[first_remote:] if r.tags and "perinatal" not in r.tags)


def test_nearer_groups_rank_first_among_equals(empty: Session) -> None:
    exeter = resolve_place("EX4")
    for key, north in (("far", 0.08), ("near", 0.01), ("middle", 0.04)):
        add_group(empty, key, lat=exeter.lat + north, lon=exeter.lon)
    results = search(empty, exeter, at=TUESDAY_MORNING)
    assert names(results) == ["Group near", "Group middle", "Group far"]
    distances = [r.distance_km for r in results]
    assert distances == sorted(distances)  # type: ignore[type-var]


def test_open_beats_perinatal_beats_near(empty: Session) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "near-closed", lat=exeter.lat, lon=exeter.lon, day="WE")
    add_group(empty, "far-open-general", lat=exeter.lat + 0.1, lon=exeter.lon, tags=("peer-support",))
    add_group(empty, "far-open-perinatal", lat=exeter.lat + 0.1, lon=exeter.lon)
    results = search(empty, exeter, at=TUESDAY_MORNING)
    assert names(results) == ["Group far-open-perinatal", "Group far-open-general", "Group near-closed"]


def test_the_tenants_own_services_go_first_at_about_the_same_distance(empty: Session) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "theirs", lat=exeter.lat + 0.001, lon=exeter.lon, organization="other")
    add_group(empty, "ours", lat=exeter.lat + 0.003, lon=exeter.lon, organization="tenant")
    assert names(search(empty, exeter, at=TUESDAY_MORNING))[0] == "Group theirs"
    own = search(empty, exeter, at=TUESDAY_MORNING, own_organizations=frozenset({"tenant"}))
    assert names(own)[0] == "Group ours"
