"""The whole search: the tags and places asked, a limit, widening when nothing fits, and a cache that sees changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.errors import AmbiguousPlace, UnknownPlace
from directory.geography import resolve_place
from directory.hsds import import_package
from directory.models import Attribute, Location, Schedule, Service, TaxonomyTerm
from directory.search import search, widen
from directory.search._search import _SNAPSHOTS
from tests.directory.conftest import BUMPS_AND_BABIES, SAMPLE
from tests.directory.search.conftest import (
    EVENING_ONLINE,
    ROUND_THE_CLOCK_LINES,
    TIVERTON_CIRCLE,
    TUESDAY_MORNING,
    WEDNESDAY_NIGHT,
    YOUNG_PARENTS,
    add_group,
    names,
    north_of,
)

# --- the sample directory ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected", "unexpected"),
    [
        ("baby-welcome", BUMPS_AND_BABIES, "Samaritans"),
        ("creche", YOUNG_PARENTS, BUMPS_AND_BABIES),
        ("online", EVENING_ONLINE, BUMPS_AND_BABIES),
    ],
)
def test_tags_filter_to_services_carrying_every_tag(sample: Session, tag: str, expected: str, unexpected: str) -> None:
    results = search(sample, "EX4", at=TUESDAY_MORNING, tags=[tag], within_km=30)
    assert expected in names(results)
    assert unexpected not in names(results)
    assert all(tag in result.tags for result in results)


def test_several_tags_must_all_be_carried(sample: Session) -> None:
    results = search(sample, "EX4", at=TUESDAY_MORNING, tags=["creche", "term-time-only"], within_km=30)
    assert set(names(results)) == {YOUNG_PARENTS, TIVERTON_CIRCLE}
    assert search(sample, "EX4", at=TUESDAY_MORNING, tags=["creche", "dads"]) == []


def test_an_unknown_tag_matches_nothing(sample: Session) -> None:
    assert search(sample, "EX4", at=TUESDAY_MORNING, tags=["not-a-tag"]) == []


def test_ambiguous_and_unknown_places_raise_the_named_errors(sample: Session) -> None:
    with pytest.raises(AmbiguousPlace):
        search(sample, "Newport")
    with pytest.raises(UnknownPlace):
        search(sample, "Atlantis-under-the-Sea")
    with pytest.raises(UnknownPlace, match="Northern Ireland"):
        search(sample, "BT1")


def test_limit_returns_the_best_few(sample: Session) -> None:
    everything = search(sample, "EX4", at=TUESDAY_MORNING)
    assert names(search(sample, "EX4", at=TUESDAY_MORNING, limit=3)) == names(everything)[:3]


def test_widen_looks_further_away_when_nothing_is_near(sample: Session) -> None:
    assert search(sample, "EX4", at=TUESDAY_MORNING, tags=["creche"], within_km=1) == []
    results, sentence = widen(sample, "EX4", at=TUESDAY_MORNING, tags=["creche"], within_km=1)
    assert YOUNG_PARENTS in names(results)
    assert sentence == "Nothing within 1 km, so here is what's within 40 km."


def test_widen_offers_what_opens_later_this_week_when_nothing_is_open_then(sample: Session) -> None:
    results, sentence = widen(sample, "EX2", at=TUESDAY_MORNING, tags=["dads"], within_km=5)
    assert names(results) == ["Dads and Babies Saturday Club, Exeter (sample)"]
    assert sentence == "Nothing open then within 5 km, so here is what's open later this week."


def test_widen_drops_the_filter_last_and_says_so(sample: Session) -> None:
    results, sentence = widen(sample, "Inverness", at=TUESDAY_MORNING, tags=["creche"], within_km=20)
    assert results and all(result.remote for result in results)
    assert "Samaritans" in names(results)
    assert "NHS 111, mental health option" not in names(results)  # England-only lines are not offered in Scotland
    assert sentence == "Nothing matched crèche, so here is what's nearby without that filter."


def test_widen_says_honestly_when_there_is_nothing(empty: Session) -> None:
    results, sentence = widen(empty, "Inverness", at=TUESDAY_MORNING, tags=(), within_km=20)
    assert results == []
    assert sentence == "We couldn't find anything within 80 km, even at other times."


# --- hand-built cases ------------------------------------------------------------------------------------------


def test_an_import_changes_search_results_at_once_though_search_caches_the_directory(empty: Session) -> None:
    exeter = resolve_place("EX4")
    assert search(empty, exeter, at=WEDNESDAY_NIGHT) == []
    import_package(empty, SAMPLE)
    assert set(names(search(empty, exeter, at=WEDNESDAY_NIGHT))) >= ROUND_THE_CLOCK_LINES


def test_an_edit_through_the_orm_changes_search_results_at_once(empty: Session) -> None:
    exeter = resolve_place("EX4")
    import_package(empty, SAMPLE)
    assert "Samaritans" in names(search(empty, exeter, at=WEDNESDAY_NIGHT))
    samaritans = empty.scalars(select(Service).where(Service.name == "Samaritans")).one()
    samaritans.status = "inactive"
    empty.commit()
    assert "Samaritans" not in names(search(empty, exeter, at=WEDNESDAY_NIGHT))


def test_moving_a_venue_retiming_a_group_or_retagging_it_through_the_orm_shows_in_search_at_once(
    empty: Session,
) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "changing", lat=exeter.lat, lon=exeter.lon)
    found = search(empty, exeter, within_km=5, at=TUESDAY_MORNING, tags=["postnatal"], limit=5)
    assert [(result.name, result.open) for result in found] == [("Group changing", True)]
    schedule = empty.get(Schedule, "sch-changing")
    assert schedule is not None
    schedule.byday = "WE"
    empty.commit()
    assert not search(empty, exeter, within_km=5, at=TUESDAY_MORNING, limit=5)[0].open
    empty.add(TaxonomyTerm(id="creche", code="creche", name="creche", taxonomy="nightlight-perinatal"))
    empty.add(
        Attribute(
            id="changing-creche",
            link_id="changing",
            link_entity="service",
            link_type="service",
            taxonomy_term_id="creche",
        )
    )
    empty.commit()
    assert names(search(empty, exeter, within_km=5, at=TUESDAY_MORNING, tags=["creche"], limit=5)) == ["Group changing"]
    location = empty.get(Location, "loc-changing")
    assert location is not None
    location.latitude = north_of(exeter.lat, 10.0)
    empty.commit()
    assert search(empty, exeter, within_km=5, at=TUESDAY_MORNING, limit=5) == []


def test_a_new_directory_version_replaces_the_cached_map_of_the_old_one(empty: Session) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "first", lat=exeter.lat, lon=exeter.lon)
    url = empty.connection().engine.url.render_as_string(hide_password=False)
    assert names(search(empty, exeter, at=TUESDAY_MORNING)) == ["Group first"]
    add_group(empty, "second", lat=exeter.lat, lon=exeter.lon)
    assert names(search(empty, exeter, at=TUESDAY_MORNING)) == ["Group first", "Group second"]
    assert len([key for key in _SNAPSHOTS if key[0] == url]) == 1
