"""Local venues: within the distance asked, active only, read ring by ring, settled only as far as a limit needs."""

from __future__ import annotations

import math
from datetime import datetime, time

import pytest
from sqlalchemy.orm import Session

from directory.geography import resolve_place
from directory.models import Location, Schedule, Service, ServiceAtLocation
from directory.search import search
from tests.directory.search.conftest import (
    TUESDAY_MORNING,
    WEDNESDAY_NIGHT,
    WEDNESDAY_TEATIME,
    add_group,
    add_line,
    at,
    names,
    north_of,
)


def test_results_are_within_the_distance_asked(sample: Session) -> None:
    results = search(sample, "EX4", at=TUESDAY_MORNING, within_km=10, include_remote=False)
    assert results
    assert all(r.distance_km is not None and r.distance_km <= 10 for r in results)
    assert "Plymouth Mums' Peer Support Group (sample)" not in names(results)
    further = search(sample, "EX4", at=TUESDAY_MORNING, within_km=70, include_remote=False)
    assert "Plymouth Mums' Peer Support Group (sample)" in names(further)


@pytest.mark.parametrize(
    "when",
    [TUESDAY_MORNING, WEDNESDAY_TEATIME, WEDNESDAY_NIGHT, at(2026, 12, 6, 9, 0), at(2026, 12, 7, 3, 30)],
    ids=["tuesday-morning", "wednesday-teatime", "wednesday-night", "sunday-morning", "monday-small-hours"],
)
@pytest.mark.parametrize(
    ("near", "tags", "include_remote"),
    [("EX4", (), True), ("EX4", (), False), ("Exeter", ("baby-welcome",), True), ("EX1", (), False)],
)
def test_early_stopped_search_with_a_limit_equals_the_first_few_of_the_full_search(
    sample: Session, when: datetime, near: str, tags: tuple[str, ...], include_remote: bool
) -> None:
    everything = [
        result.as_json() for result in search(sample, near, at=when, tags=tags, include_remote=include_remote)
    ]
    for limit in (1, 2, 3, 5, 10):
        limited = search(sample, near, at=when, tags=tags, include_remote=include_remote, limit=limit)
        assert [result.as_json() for result in limited] == everything[:limit]


def test_inactive_services_are_never_returned(empty: Session) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "closed-down", lat=exeter.lat, lon=exeter.lon, status="inactive")
    assert search(empty, exeter, at=TUESDAY_MORNING) == []


def test_a_venue_just_outside_the_radius_is_left_out_though_inside_the_box(empty: Session) -> None:
    exeter = resolve_place("EX4")
    # The corner of the bounding box is ~1.41 x the radius away: the exact distance must drop it.
    add_group(empty, "corner", lat=exeter.lat + 0.08, lon=exeter.lon + 0.13)
    assert search(empty, exeter, within_km=10, at=TUESDAY_MORNING) == []
    assert names(search(empty, exeter, within_km=14, at=TUESDAY_MORNING)) == ["Group corner"]


def test_at_night_a_local_round_the_clock_line_beats_the_national_ones_even_with_a_limit(empty: Session) -> None:
    exeter = resolve_place("EX4")
    for key in ("national-a", "national-b"):
        add_line(empty, key)
    add_line(empty, "local", lat=exeter.lat + 0.01, lon=exeter.lon)
    everything = search(empty, exeter, at=WEDNESDAY_NIGHT)
    assert names(everything) == ["Line local", "Line national-a", "Line national-b"]
    for limit in (1, 2):
        assert names(search(empty, exeter, at=WEDNESDAY_NIGHT, limit=limit)) == names(everything)[:limit]


def test_a_limited_search_finds_the_one_open_group_far_out_past_many_closed_nearer_ones(empty: Session) -> None:
    exeter = resolve_place("EX4")
    for index in range(12):
        add_group(empty, f"closed-{index:02d}", lat=north_of(exeter.lat, 0.3 + index * 0.1), lon=exeter.lon, day="WE")
    add_group(empty, "open-far", lat=north_of(exeter.lat, 17.0), lon=exeter.lon)
    everything = search(empty, exeter, at=TUESDAY_MORNING)
    assert names(everything)[:2] == ["Group open-far", "Group closed-00"]
    for limit in (1, 3, 12):
        assert names(search(empty, exeter, at=TUESDAY_MORNING, limit=limit)) == names(everything)[:limit]


def test_when_nothing_near_is_open_the_nearest_closed_groups_come_from_the_outer_bands(empty: Session) -> None:
    exeter = resolve_place("EX4")
    for key, km in (("d", 19.0), ("b", 11.0), ("c", 14.5), ("a", 6.0)):
        add_group(empty, key, lat=north_of(exeter.lat, km), lon=exeter.lon, day="WE")
    everything = search(empty, exeter, at=TUESDAY_MORNING, include_remote=False)
    assert names(everything) == ["Group a", "Group b", "Group c", "Group d"]
    for limit in (1, 2, 3):
        limited = search(empty, exeter, at=TUESDAY_MORNING, include_remote=False, limit=limit)
        assert [result.as_json() for result in limited] == [result.as_json() for result in everything[:limit]]


def test_a_group_just_inside_a_band_edge_due_north_ranks_before_one_just_past_it(empty: Session) -> None:
    exeter = resolve_place("EX4")
    # 1.999 km due north is outside the 2 km box (a degree of latitude is a little under 111.32 km), so it is only
    # read with the next ring; it must still come first.
    add_group(empty, "inside", lat=north_of(exeter.lat, 1.999), lon=exeter.lon, day="WE")
    east = exeter.lon + 2.05 / (111.2 * math.cos(math.radians(exeter.lat)))
    add_group(empty, "outside", lat=exeter.lat, lon=east, day="WE")
    for limit in (None, 1):
        results = search(empty, exeter, at=TUESDAY_MORNING, include_remote=False, limit=limit)
        assert names(results) == ["Group inside", "Group outside"][: limit or 2]
    assert search(empty, exeter, at=TUESDAY_MORNING, include_remote=False)[0].distance_km == pytest.approx(1.999)


def test_a_service_open_at_a_far_venue_is_found_there_though_its_nearest_venue_is_closed(empty: Session) -> None:
    exeter = resolve_place("EX4")
    for index in range(5):
        add_group(empty, f"closed-{index}", lat=north_of(exeter.lat, 1.0 + index * 0.1), lon=exeter.lon, day="WE")
    empty.add(Service(id="two-venues", organization_id="org", name="Group two-venues", status="active"))
    for venue, km, day in (("near", 0.5, "WE"), ("far", 12.0, "TU")):
        latitude = north_of(exeter.lat, km)
        empty.add(Location(id=f"loc-{venue}", location_type="physical", latitude=latitude, longitude=exeter.lon))
        empty.add(ServiceAtLocation(id=f"sal-{venue}", service_id="two-venues", location_id=f"loc-{venue}"))
        empty.add(
            Schedule(
                id=f"sch-{venue}",
                service_at_location_id=f"sal-{venue}",
                freq="WEEKLY",
                byday=day,
                opens_at=time(10),
                closes_at=time(12),
            )
        )
    empty.commit()
    everything = search(empty, exeter, at=TUESDAY_MORNING, include_remote=False)
    first = everything[0]
    assert (first.name, first.open, first.address) == ("Group two-venues", True, None)
    assert first.distance_km == pytest.approx(12.0)
    for limit in (1, 2):
        limited = search(empty, exeter, at=TUESDAY_MORNING, include_remote=False, limit=limit)
        assert [result.as_json() for result in limited] == [result.as_json() for result in everything[:limit]]
