"""Time windows: the phrases she uses for when, as spans, and search that lists what is open at any point in them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.db import make_engine, migrate, session_factory
from directory.models import Location, Organization, Schedule, Service, ServiceAtLocation
from directory.schedules import LONDON, ScheduleRule, describe_span, open_during, windows_in
from directory.search import search, widen
from directory.when import phrase_spans, school_holiday
from tests.directory.conftest import BUMPS_AND_BABIES, by_name

TUESDAY_9PM = datetime(2026, 12, 1, 21, 0, tzinfo=LONDON)
EXETER = (50.7236, -3.5275)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def weekly(byday: str, opens: time, closes: time) -> ScheduleRule:
    return ScheduleRule(freq="WEEKLY", byday=(byday,), opens_at=opens, closes_at=closes)


# --- phrases as spans -------------------------------------------------------------------------------------------


def test_tuesday_mornings_at_9pm_on_a_tuesday_are_the_next_two_tuesday_mornings() -> None:
    assert phrase_spans("tuesday mornings", TUESDAY_9PM) == (
        (at(2026, 12, 8, 9), at(2026, 12, 8, 12)),
        (at(2026, 12, 15, 9), at(2026, 12, 15, 12)),
    )


def test_a_single_tuesday_morning_is_one_span() -> None:
    assert phrase_spans("tuesday morning", TUESDAY_9PM) == ((at(2026, 12, 8, 9), at(2026, 12, 8, 12)),)


def test_weekday_evenings_are_each_weekday_evening_for_a_week_starting_with_what_is_left_of_tonight() -> None:
    spans = phrase_spans("weekday evenings", TUESDAY_9PM)
    assert spans is not None
    assert spans[0] == (TUESDAY_9PM, at(2026, 12, 1, 23, 59))
    assert [start.weekday() for start, _end in spans] == [1, 2, 3, 4, 0, 1]
    assert all(start.hour >= 18 for start, _end in spans)


@pytest.mark.parametrize(
    ("phrase", "first"),
    [
        ("after the school run", (at(2026, 12, 2, 9, 15), at(2026, 12, 2, 12))),
        ("this weekend", (at(2026, 12, 5, 0), at(2026, 12, 6, 23, 59))),
        ("tonight", (TUESDAY_9PM, at(2026, 12, 1, 23, 59))),
        ("after work", (TUESDAY_9PM, at(2026, 12, 1, 23, 59))),
        ("in the holidays", (at(2026, 12, 20, 0), at(2027, 1, 3, 23, 59))),
        ("weekend mornings", (at(2026, 12, 5, 9), at(2026, 12, 5, 12))),
    ],
)
def test_everyday_phrases_are_windows(phrase: str, first: tuple[datetime, datetime]) -> None:
    spans = phrase_spans(phrase, TUESDAY_9PM)
    assert spans is not None and spans[0] == first


def test_after_six_means_the_evening_and_moves_to_tomorrow_when_tonight_is_over() -> None:
    assert phrase_spans("after 6", at(2026, 12, 1, 10)) == ((at(2026, 12, 1, 18), at(2026, 12, 1, 23, 59)),)
    assert phrase_spans("after 6", at(2026, 12, 1, 23, 59)) == ((at(2026, 12, 2, 18), at(2026, 12, 2, 23, 59)),)


def test_words_we_do_not_know_are_not_guessed() -> None:
    assert phrase_spans("whenever the baby sleeps", TUESDAY_9PM) is None
    assert phrase_spans("purple", TUESDAY_9PM) is None


@pytest.mark.parametrize(
    ("now", "nation", "first_day", "last_day"),
    [
        (at(2027, 2, 1, 12), "England", date(2027, 2, 13), date(2027, 2, 21)),  # February half term
        (at(2027, 3, 20, 12), "England", date(2027, 3, 20), date(2027, 4, 5)),  # Easter 2027 is 28 March
        (at(2027, 9, 1, 12), "England", date(2027, 10, 23), date(2027, 10, 31)),
        (at(2027, 9, 1, 12), "Scotland", date(2027, 10, 9), date(2027, 10, 24)),
        (at(2027, 6, 10, 12), "Northern Ireland", date(2027, 7, 1), date(2027, 8, 31)),
    ],
)
def test_school_holidays_follow_the_usual_pattern_of_each_nation(
    now: datetime, nation: str, first_day: date, last_day: date
) -> None:
    start, end = school_holiday(now, nation)
    assert (start.date(), end.date()) == (first_day, last_day)


# --- open during a window, across midnight and the clock changes ------------------------------------------------


def test_a_group_open_for_part_of_the_window_is_open_during_it_and_says_its_own_times() -> None:
    rules = [weekly("TU", time(10), time(11, 30))]
    spans = phrase_spans("tuesday morning", TUESDAY_9PM)
    assert spans is not None
    assert open_during(rules, spans)
    assert windows_in(rules, spans) == [(at(2026, 12, 8, 10), at(2026, 12, 8, 11, 30))]
    assert not open_during([weekly("TU", time(13), time(14))], spans)


def test_an_overnight_line_opening_before_midnight_is_open_in_the_small_hours_window() -> None:
    rules = [weekly("MO", time(22), time(2))]
    small_hours = ((at(2026, 12, 8, 0, 30), at(2026, 12, 8, 1, 30)),)  # Tuesday: the line opened on Monday
    assert open_during(rules, small_hours)
    assert windows_in(rules, small_hours) == [(at(2026, 12, 7, 22), at(2026, 12, 8, 2))]
    assert not open_during(rules, ((at(2026, 12, 8, 2, 30), at(2026, 12, 8, 5)),))


def test_a_window_over_the_spring_clock_change_counts_the_hours_that_happen() -> None:
    # 29 March 2026: 01:00 becomes 02:00. A line open 00:00-03:00 is open; one that opens at 01:30 does not open.
    night = ((at(2026, 3, 29, 0), at(2026, 3, 29, 4)),)
    assert open_during([weekly("SU", time(0), time(3))], night)
    assert not open_during([weekly("SU", time(1, 30), time(1, 45))], night)


def test_a_window_over_the_autumn_clock_change_finds_the_hour_that_happens_twice_once() -> None:
    # 25 October 2026: 02:00 goes back to 01:00.
    night = ((at(2026, 10, 25, 0), at(2026, 10, 25, 4)),)
    openings = windows_in([weekly("SU", time(1, 15), time(1, 45))], night)
    assert len(openings) == 1


def test_days_on_a_card_count_from_the_real_time_and_show_a_date_beyond_six_days() -> None:
    assert describe_span(TUESDAY_9PM, at(2026, 12, 2, 10), at(2026, 12, 2, 11, 30)) == "tomorrow 10:00-11:30"
    assert describe_span(TUESDAY_9PM, at(2026, 12, 7, 10), at(2026, 12, 7, 11)) == "Monday 10:00-11:00"
    assert describe_span(TUESDAY_9PM, at(2026, 12, 8, 10), at(2026, 12, 8, 11, 30)) == "Tue 8 Dec 10:00-11:30"
    assert describe_span(at(2026, 12, 1, 9), at(2026, 12, 1, 19), at(2026, 12, 1, 21)) == "tonight 19:00-21:00"


# --- search over a window ---------------------------------------------------------------------------------------


def test_the_tuesday_group_is_open_on_tuesday_morning_asked_at_9pm_on_tuesday(sample: Session) -> None:
    spans = phrase_spans("tuesday morning", TUESDAY_9PM)
    assert spans is not None
    group = by_name(search(sample, "EX4", during=spans, now=TUESDAY_9PM))[BUMPS_AND_BABIES]
    assert group.open
    assert group.times_in_window == "Tue 8 Dec 10:00-11:30"
    assert group.reason.startswith("open Tue 8 Dec 10:00-11:30")
    # The card's "next opens" line never says "today" for a day a week away.
    assert "today" not in group.next_open_text
    assert group.next_open_text == "opens 8 Dec at 10:00"  # a week away: a date, not a weekday


def test_a_single_moment_at_nine_would_have_missed_the_group_that_starts_at_ten(sample: Session) -> None:
    nine = by_name(search(sample, "EX4", at=at(2026, 12, 8, 9)))[BUMPS_AND_BABIES]
    assert not nine.open
    assert nine.times_in_window == ""


def test_every_result_open_in_a_window_says_when_in_it(sample: Session) -> None:
    spans = phrase_spans("weekday evenings", TUESDAY_9PM)
    assert spans is not None
    results = search(sample, "EX4", during=spans, now=TUESDAY_9PM)
    assert any(result.open for result in results)
    for result in results:
        if result.open and "24/7" not in result.reason:
            assert result.times_in_window, result.name
            assert result.times_in_window in result.reason
        if not result.open:
            assert result.times_in_window == ""


def test_widen_keeps_the_window(sample: Session) -> None:
    spans = phrase_spans("tuesday morning", TUESDAY_9PM)
    assert spans is not None
    results, sentence = widen(
        sample, "EX4", at=None, during=spans, now=TUESDAY_9PM, tags=["baby-welcome"], within_km=20
    )
    assert sentence == ""
    assert by_name(results)[BUMPS_AND_BABIES].open


@pytest.fixture
def overnight(tmp_path: Path) -> Iterator[Session]:
    """A directory with one group that meets on Saturday night 23:00-01:00 in Exeter."""
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.db'}")
    migrate(engine)
    with session_factory(engine)() as session:
        session.add(Organization(id="org", name="Organisation"))
        session.add(Service(id="late", organization_id="org", name="Late Group", status="active"))
        session.add(Location(id="loc", location_type="physical", latitude=EXETER[0], longitude=EXETER[1]))
        session.add(ServiceAtLocation(id="sal", service_id="late", location_id="loc"))
        session.add(
            Schedule(id="sch", service_id="late", freq="WEEKLY", byday="SA", opens_at=time(23), closes_at=time(1))
        )
        session.commit()
        yield session
    engine.dispose()


def test_a_group_running_past_midnight_is_found_for_the_sunday_small_hours(overnight: Session) -> None:
    sunday_small_hours = ((at(2026, 12, 6, 0, 15), at(2026, 12, 6, 0, 45)),)
    late = by_name(search(overnight, "EX4", during=sunday_small_hours, now=TUESDAY_9PM))["Late Group"]
    assert late.open
    assert late.times_in_window == "Saturday 23:00-01:00"
    monday = ((at(2026, 12, 7, 0, 15), at(2026, 12, 7, 0, 45)),)
    assert not by_name(search(overnight, "EX4", during=monday, now=TUESDAY_9PM))["Late Group"].open


def test_a_week_long_window_finds_every_weekday_hour_without_reading_each_moment(overnight: Session) -> None:
    week = ((TUESDAY_9PM, TUESDAY_9PM + timedelta(days=8)),)
    assert by_name(search(overnight, "EX4", during=week, now=TUESDAY_9PM))["Late Group"].open
