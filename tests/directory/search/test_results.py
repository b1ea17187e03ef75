"""Results: when each opens next, whether it is open, a one-line reason, the sample flag and the JSON fields."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from directory.schedules import phrase_window
from directory.search import search
from tests.directory.conftest import BUMPS_AND_BABIES, by_name
from tests.directory.search.conftest import (
    EVENING_ONLINE,
    LANTERN,
    TUESDAY_MORNING,
    WEDNESDAY_NIGHT,
    WEDNESDAY_TEATIME,
    at,
)


def test_every_result_says_when_it_next_opens_and_whether_it_is_open(sample: Session) -> None:
    results = search(sample, "Exeter", at=TUESDAY_MORNING)
    for result in results:
        assert result.next_open_text
        if result.open:
            assert result.next_open == TUESDAY_MORNING
    lantern = by_name(results)[LANTERN]
    assert not lantern.open
    assert lantern.next_open == at(2026, 12, 31, 19)
    app = by_name(results)["Action on Postpartum Psychosis (peer support; not a crisis service)"]
    assert app.next_open is None and not app.open


def test_tonight_finds_the_evening_online_group(sample: Session) -> None:
    window = phrase_window("tonight", WEDNESDAY_TEATIME)
    assert window is not None
    start, end = window
    results = search(sample, "EX4", at=start)
    group = by_name(results)[EVENING_ONLINE]
    assert group.remote and group.distance_km is None
    assert group.next_open is not None and start <= group.next_open < end
    assert group.reason.startswith("online, opens tonight at 19:30")


def test_every_result_has_a_one_line_reason(sample: Session) -> None:
    for when in (TUESDAY_MORNING, WEDNESDAY_TEATIME, WEDNESDAY_NIGHT):
        for result in search(sample, "EX4", at=when):
            assert result.reason.strip()
            assert "\n" not in result.reason
    bumps = by_name(search(sample, "EX4"))[BUMPS_AND_BABIES]
    assert "km" in bumps.reason and "babies welcome" in bumps.reason


def test_the_reason_says_open_now_and_the_distance_when_no_time_was_asked(sample: Session) -> None:
    samaritans = by_name(search(sample, "EX4"))["Samaritans"]
    assert samaritans.reason.startswith("24/7 phone line")
    open_now = [r for r in search(sample, "EX4") if r.open and not r.remote and "24/7" not in r.reason]
    assert all(r.reason.startswith("open now, ") for r in open_now)


def test_sample_services_are_flagged_and_real_ones_are_not(sample: Session) -> None:
    results = by_name(search(sample, "EX4", at=TUESDAY_MORNING))
    assert results[BUMPS_AND_BABIES].sample
    assert not results["Samaritans"].sample
    assert results["Samaritans"].assured_date == date(2026, 11, 22)


def test_as_json_gives_interface_four_fields(sample: Session) -> None:
    item = by_name(search(sample, "EX4", at=TUESDAY_MORNING))[BUMPS_AND_BABIES].as_json()
    assert {"service_id", "name", "distance_km", "remote", "open", "next_open", "reason", "sample"} <= set(item)
    assert item["next_open"] == "2026-12-01T10:30:00+00:00"
