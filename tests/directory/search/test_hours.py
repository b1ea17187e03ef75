"""Opening hours: weekly, fortnightly, monthly and term-time groups, bank holidays, and the hours a row can be open."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from directory.geography import resolve_place
from directory.models import Schedule
from directory.schedules import LONDON, ScheduleRule, open_at
from directory.search import search
from directory.search._hours import _dated_open, _Hours, _hours_mask
from tests.directory.conftest import BUMPS_AND_BABIES, by_name
from tests.directory.search.conftest import (
    BIRTH_STORY,
    EXMOUTH_FORTNIGHTLY,
    LANTERN,
    TIVERTON_CIRCLE,
    TUESDAY_MORNING,
    YOUNG_PARENTS,
    add_group,
    at,
)


def test_search_picks_the_venue_that_meets_on_the_day_asked(sample: Session) -> None:
    thursday = search(sample, "EX1", at=at(2026, 12, 3, 10, 30))
    group = by_name(thursday)[BUMPS_AND_BABIES]
    assert group.open
    assert group.schedule_text == "Thursdays 10:00-11:30"
    assert group.address is not None and group.address.endswith("EX1")


def test_term_time_group_is_open_in_term_and_not_in_half_term(sample: Session) -> None:
    in_term = by_name(search(sample, "EX2", at=at(2026, 10, 16, 13)))[YOUNG_PARENTS]
    half_term = by_name(search(sample, "EX2", at=at(2026, 10, 30, 13)))[YOUNG_PARENTS]
    assert in_term.open
    assert not half_term.open
    assert half_term.next_open == at(2026, 11, 6, 12, 30)
    tiverton_half_term = by_name(search(sample, "Tiverton", at=at(2026, 10, 28, 10)))[TIVERTON_CIRCLE]
    assert not tiverton_half_term.open
    assert "term time only" in tiverton_half_term.schedule_text


def test_fortnightly_group_meets_every_other_monday_from_its_start(sample: Session) -> None:
    assert by_name(search(sample, "EX8", at=at(2026, 12, 14, 13, 30)))[EXMOUTH_FORTNIGHTLY].open
    off_week = by_name(search(sample, "EX8", at=at(2026, 12, 7, 13, 30)))[EXMOUTH_FORTNIGHTLY]
    assert not off_week.open
    assert off_week.next_open == at(2026, 12, 14, 13)


def test_monthly_groups_meet_on_the_second_tuesday_and_the_last_thursday(sample: Session) -> None:
    assert by_name(search(sample, "EX1", at=at(2026, 12, 8, 19, 30)))[BIRTH_STORY].open
    assert not by_name(search(sample, "EX1", at=at(2026, 12, 1, 19, 30)))[BIRTH_STORY].open
    assert by_name(search(sample, "EX4", at=at(2026, 12, 31, 19, 30)))[LANTERN].open
    assert not by_name(search(sample, "EX4", at=at(2026, 12, 24, 19, 30)))[LANTERN].open


def test_bank_holiday_overrides_come_from_the_schedule_row(empty: Session) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "holiday-group", lat=exeter.lat, lon=exeter.lon, day="MO")
    boxing_day_monday = at(2027, 8, 30, 10, 30)  # the summer bank holiday
    assert not search(empty, exeter, at=boxing_day_monday)[0].open
    row = empty.get(Schedule, "sch-holiday-group")
    assert row is not None
    row.open_on_bank_holidays = True
    empty.commit()
    assert search(empty, exeter, at=boxing_day_monday)[0].open


@pytest.mark.parametrize("seed", range(3))
def test_the_hours_a_row_could_be_open_in_hold_every_moment_it_is_open(seed: int) -> None:
    rng = random.Random(seed)
    days = [None, "", "MO", "tu", "SA,SU", "MO,TU,WE,TH,FR", "MO,TU,WE,TH,FR,SA,SU", "2TU", "-1TH", "1WE,3WE"]
    checked = 0
    for _ in range(400):
        byday = rng.choice(days)
        opens = time(rng.randrange(24), rng.choice([0, 15, 30, 59]))
        closes = rng.choice(
            [None, time(23, 59), time(0, 0), opens, time(rng.randrange(24), rng.choice([0, 1, 30, 59]))]
        )
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(700))
        valid_from, valid_to, until = (
            rng.choice([None, start + timedelta(days=rng.randrange(-30, 30))]) for _ in "abc"
        )
        monthly = bool(byday) and byday[0] in "-123"
        rule = ScheduleRule(
            freq="MONTHLY" if monthly else "WEEKLY",
            byday=tuple((byday or "").split(",")),
            opens_at=opens,
            closes_at=closes,
            valid_from=valid_from,
            valid_to=valid_to,
            until=until,
        )
        ends = [end for end in (valid_to, until) if end is not None]
        hours = (_Hours(_hours_mask(byday, opens, closes), valid_from, min(ends) if ends else None),)
        for _ in range(25):
            around = datetime.combine(start + timedelta(days=rng.randrange(-40, 40)), opens, tzinfo=LONDON)
            moment = around + timedelta(minutes=rng.randrange(-120, 24 * 60))
            if open_at([rule], moment):
                checked += 1
                today = moment.date()
                bit = 1 << (24 * moment.weekday() + moment.hour)
                assert _dated_open(hours, bit, today, today - timedelta(days=1)), (rule, moment)
    assert checked > 500


def test_a_group_open_only_in_term_time_is_found_open_in_term_and_closed_in_the_holidays(empty: Session) -> None:
    exeter = resolve_place("EX4")
    add_group(empty, "term-time", lat=exeter.lat, lon=exeter.lon)
    schedule = empty.get(Schedule, "sch-term-time")
    assert schedule is not None
    schedule.valid_from, schedule.valid_to = date(2026, 11, 2), date(2026, 12, 18)
    empty.commit()
    for limit in (None, 1):
        assert search(empty, exeter, at=TUESDAY_MORNING, limit=limit)[0].open
        assert not search(empty, exeter, at=at(2026, 12, 22, 10, 30), limit=limit)[0].open
