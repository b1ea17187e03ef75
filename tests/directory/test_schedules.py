"""Opening times: HSDS schedule rules in London time, bank holidays, clock changes and the phrases people use."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from directory.schedules import (
    LONDON,
    ScheduleRule,
    describe_next,
    describe_rule,
    next_open,
    open_at,
    parse_byday,
    phrase_window,
    windows_between,
)

UTC = timezone.utc


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0) -> datetime:
    """Aware London wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON, fold=fold)


def weekly(*days: str, opens: str, closes: str, **fields: Any) -> ScheduleRule:
    """A weekly rule with HH:MM times, for short tests."""
    return ScheduleRule(
        "WEEKLY", byday=days, opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes), **fields
    )


def monthly(*days: str, opens: str = "10:00", closes: str = "12:00", **fields: Any) -> ScheduleRule:
    """A monthly rule with HH:MM times."""
    return ScheduleRule(
        "MONTHLY", byday=days, opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes), **fields
    )


def hours(window: tuple[datetime, datetime]) -> float:
    """Real elapsed hours of a window, whatever the clocks said."""
    return (window[1] - window[0].astimezone(UTC)).total_seconds() / 3600


TUESDAY_GROUP = weekly("TU", opens="10:00", closes="12:00")
ROUND_THE_CLOCK = ScheduleRule(None, opens_at=time(0, 0), closes_at=time(23, 59))


# --- weekly rules and London time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (london(2026, 1, 13, 9, 59), False),
        (london(2026, 1, 13, 10, 0), True),
        (london(2026, 1, 13, 11, 59), True),
        (london(2026, 1, 13, 12, 0), False),
        (london(2026, 1, 14, 10, 30), False),
    ],
)
def test_weekly_group_is_open_from_its_opening_time_until_just_before_it_closes(at: datetime, expected: bool) -> None:
    assert open_at([TUESDAY_GROUP], at) is expected


def test_naive_times_are_read_as_london_wall_clock_and_aware_times_are_converted() -> None:
    summer_group = weekly("TU", opens="10:00", closes="11:00")
    assert open_at([summer_group], datetime(2026, 7, 14, 10, 30))
    # 09:30 UTC in July is 10:30 British Summer Time.
    assert open_at([summer_group], datetime(2026, 7, 14, 9, 30, tzinfo=UTC))
    assert not open_at([summer_group], datetime(2026, 7, 14, 10, 30, tzinfo=UTC))


def test_several_rules_give_several_windows_a_day_and_next_open_finds_the_afternoon_one() -> None:
    rules = [weekly("MO", opens="10:00", closes="12:00"), weekly("MO", opens="14:00", closes="16:00")]
    monday = date(2026, 1, 12)
    assert windows_between(rules, london(2026, 1, 12), london(2026, 1, 13)) == [
        (london(2026, 1, 12, 10), london(2026, 1, 12, 12)),
        (london(2026, 1, 12, 14), london(2026, 1, 12, 16)),
    ]
    assert not open_at(rules, datetime.combine(monday, time(13, 0)))
    assert next_open(rules, datetime.combine(monday, time(13, 0))) == london(2026, 1, 12, 14)


def test_weekly_rule_with_several_days_opens_on_each() -> None:
    rule = weekly("MO", "WE", "FR", opens="09:00", closes="10:00")
    opened = [w[0].date() for w in windows_between([rule], london(2026, 1, 12), london(2026, 1, 19))]
    assert opened == [date(2026, 1, 12), date(2026, 1, 14), date(2026, 1, 16)]


def test_byday_and_freq_are_normalised_and_bad_values_are_refused_with_the_field_named() -> None:
    assert ScheduleRule("weekly", byday=(" tu ",)).byday == ("TU",)
    assert ScheduleRule("", byday=("TU",)).freq is None
    assert parse_byday("-1FR") == (-1, 4)
    with pytest.raises(ValueError, match="freq"):
        ScheduleRule("DAILY")
    with pytest.raises(ValueError, match="byday"):
        ScheduleRule("WEEKLY", byday=("TUESDAY",))
    with pytest.raises(ValueError, match="byday"):
        ScheduleRule("MONTHLY", byday=("6TU",))
    with pytest.raises(ValueError, match="bymonthday"):
        ScheduleRule("MONTHLY", bymonthday=(32,))
    with pytest.raises(ValueError, match="interval"):
        ScheduleRule("WEEKLY", interval=0)


def test_rule_without_opening_time_never_makes_a_service_open() -> None:
    rule = ScheduleRule("WEEKLY", byday=("TU",))
    assert not open_at([rule], london(2026, 1, 13, 10))
    assert next_open([rule], london(2026, 1, 13, 10)) is None


# --- interval, monthly ordinals, month days ---------------------------------------------------------------------


def test_fortnightly_group_counts_weeks_from_the_week_of_dtstart() -> None:
    # dtstart is a Wednesday; the Thursday of that same week is the first session.
    rule = weekly("TH", opens="10:00", closes="11:30", interval=2, dtstart=date(2026, 1, 7))
    opened = [w[0].date() for w in windows_between([rule], london(2026, 1, 1), london(2026, 2, 6))]
    assert opened == [date(2026, 1, 8), date(2026, 1, 22), date(2026, 2, 5)]
    assert not open_at([rule], london(2026, 1, 15, 10, 30))
    assert next_open([rule], london(2026, 1, 9)) == london(2026, 1, 22, 10)


def test_fortnightly_group_has_no_session_before_its_dtstart() -> None:
    rule = weekly("TH", opens="10:00", closes="11:30", interval=2, dtstart=date(2026, 1, 8))
    assert not open_at([rule], london(2025, 12, 25, 10, 30))
    assert not open_at([rule], london(2025, 12, 11, 10, 30))


@pytest.mark.parametrize(
    ("code", "first_sessions"),
    [
        ("2TU", [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10)]),
        ("-1FR", [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]),
        ("1MO", [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)]),
        ("-2WE", [date(2026, 1, 21), date(2026, 2, 18), date(2026, 3, 18)]),
    ],
)
def test_monthly_group_meets_on_the_ordinal_weekday_of_each_month(code: str, first_sessions: list[date]) -> None:
    opened = [w[0].date() for w in windows_between([monthly(code)], london(2026, 1, 1), london(2026, 4, 1))]
    assert opened == first_sessions


def test_monthly_group_by_month_day_including_the_last_day_of_the_month() -> None:
    rule = ScheduleRule("MONTHLY", bymonthday=(1, -1), opens_at=time(18), closes_at=time(19))
    opened = [w[0].date() for w in windows_between([rule], london(2026, 2, 1), london(2026, 3, 2))]
    assert opened == [date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 1)]


def test_every_other_month_counts_months_from_dtstart() -> None:
    rule = monthly("2TU", interval=2, dtstart=date(2026, 1, 1))
    opened = [w[0].date() for w in windows_between([rule], london(2026, 1, 1), london(2026, 6, 1))]
    assert opened == [date(2026, 1, 13), date(2026, 3, 10), date(2026, 5, 12)]


# --- valid ranges, term time, until ----------------------------------------------------------------------------

TERM_1 = weekly("TU", opens="10:00", closes="12:00", valid_from=date(2026, 1, 5), valid_to=date(2026, 2, 13))
TERM_2 = weekly("TU", opens="10:00", closes="12:00", valid_from=date(2026, 2, 23), valid_to=date(2026, 3, 27))


def test_term_time_group_is_open_in_both_terms_and_closed_in_the_half_term_gap() -> None:
    rules = [TERM_1, TERM_2]
    assert open_at(rules, london(2026, 2, 10, 10, 30))
    assert not open_at(rules, london(2026, 2, 17, 10, 30))
    assert open_at(rules, london(2026, 2, 24, 10, 30))
    assert not open_at(rules, london(2026, 3, 31, 10, 30))


def test_next_open_in_half_term_is_the_first_session_of_the_next_term() -> None:
    assert next_open([TERM_1, TERM_2], london(2026, 2, 14)) == london(2026, 2, 24, 10)


def test_valid_from_and_valid_to_are_inclusive() -> None:
    rule = weekly("TU", opens="10:00", closes="12:00", valid_from=date(2026, 1, 13), valid_to=date(2026, 1, 20))
    opened = [w[0].date() for w in windows_between([rule], london(2026, 1, 1), london(2026, 2, 1))]
    assert opened == [date(2026, 1, 13), date(2026, 1, 20)]


def test_until_is_the_last_day_a_rule_runs() -> None:
    rule = weekly("TU", opens="10:00", closes="12:00", until=date(2026, 1, 20))
    assert open_at([rule], london(2026, 1, 20, 11))
    assert not open_at([rule], london(2026, 1, 27, 11))
    assert next_open([rule], london(2026, 1, 21)) is None


# --- past midnight and 24 hours ---------------------------------------------------------------------------------


def test_window_past_midnight_belongs_to_the_day_it_opens() -> None:
    friday_night = weekly("FR", opens="22:00", closes="02:00")
    assert open_at([friday_night], london(2026, 1, 16, 23, 0))
    assert open_at([friday_night], london(2026, 1, 17, 1, 30))  # early Saturday, still Friday's session
    assert not open_at([friday_night], london(2026, 1, 16, 1, 30))  # early Friday belongs to Thursday
    assert not open_at([friday_night], london(2026, 1, 17, 2, 0))


@pytest.mark.parametrize("closes", [time(23, 59), time(0, 0)])
def test_a_whole_day_window_is_open_to_the_last_second_and_days_join_up(closes: time) -> None:
    rule = ScheduleRule(None, opens_at=time(0, 0), closes_at=closes)
    assert open_at([rule], datetime(2026, 1, 14, 23, 59, 30))
    assert open_at([rule], london(2026, 1, 15, 0, 0))
    assert windows_between([rule], london(2026, 1, 12), london(2026, 1, 19)) == [
        (london(2026, 1, 12), london(2026, 1, 19))
    ]


def test_next_open_is_the_moment_asked_when_already_open() -> None:
    at = london(2026, 1, 13, 10, 45)
    assert next_open([TUESDAY_GROUP], at) == at


def test_next_open_is_the_start_of_the_next_window() -> None:
    assert next_open([TUESDAY_GROUP], london(2026, 1, 13, 12, 0)) == london(2026, 1, 20, 10)


def test_next_open_gives_up_at_the_horizon() -> None:
    yearly_ish = monthly("2TU", interval=12, dtstart=date(2026, 1, 1))
    assert next_open([yearly_ish], london(2026, 2, 1)) is None
    assert next_open([yearly_ish], london(2026, 2, 1), horizon_days=400) == london(2027, 1, 12, 10)


def test_next_open_with_no_rules_is_none() -> None:
    assert next_open([], london(2026, 1, 13)) is None


# --- clock changes: 29 March and 25 October 2026 ----------------------------------------------------------------


def test_a_window_opening_in_the_spring_forward_gap_does_not_happen_that_day() -> None:
    rule = weekly("SU", opens="01:30", closes="02:30")
    opened = [w[0] for w in windows_between([rule], london(2026, 3, 22), london(2026, 4, 6))]
    assert opened == [london(2026, 3, 22, 1, 30), london(2026, 4, 5, 1, 30)]
    assert next_open([rule], london(2026, 3, 29)) == london(2026, 4, 5, 1, 30)


def test_a_night_window_across_the_spring_forward_is_an_hour_shorter() -> None:
    rule = weekly("SA", opens="23:00", closes="03:00")
    (window,) = windows_between([rule], london(2026, 3, 28), london(2026, 3, 29, 12))
    assert hours(window) == 3
    assert open_at([rule], london(2026, 3, 29, 2, 30))


def test_a_window_ending_in_the_spring_forward_gap_ends_when_the_clocks_go_forward() -> None:
    rule = weekly("SU", opens="00:00", closes="01:30")
    (window,) = windows_between([rule], london(2026, 3, 29), london(2026, 3, 30))
    assert window[1] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert hours(window) == 1


def test_the_repeated_autumn_hour_is_counted_once() -> None:
    rule = weekly("SU", opens="01:30", closes="01:50")
    (window,) = windows_between([rule], london(2026, 10, 25), london(2026, 10, 26))
    # Compare in UTC: Python never calls a time in the repeated hour equal to one in another zone.
    assert window[0].astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 01:30, still BST
    assert hours(window) == pytest.approx(20 / 60)
    assert open_at([rule], london(2026, 10, 25, 1, 40, fold=0))
    assert not open_at([rule], london(2026, 10, 25, 1, 40, fold=1))


def test_a_night_window_across_the_autumn_change_is_an_hour_longer() -> None:
    rule = weekly("SA", opens="22:00", closes="02:00")
    (window,) = windows_between([rule], london(2026, 10, 24), london(2026, 10, 25, 12))
    assert hours(window) == 5
    assert open_at([rule], london(2026, 10, 25, 1, 30, fold=1))


def test_ordinary_hours_on_the_clock_change_sundays_are_unaffected() -> None:
    rule = weekly("SU", opens="10:00", closes="12:00")
    for day in (29, 25):
        month = 3 if day == 29 else 10
        assert open_at([rule], london(2026, month, day, 11))
        assert next_open([rule], london(2026, month, day)) == london(2026, month, day, 10)


# --- bank holidays ---------------------------------------------------------------------------------------------

EASTER_MONDAY_2026 = date(2026, 4, 6)


def test_services_are_closed_on_bank_holidays_by_default() -> None:
    monday_group = weekly("MO", opens="10:00", closes="12:00")
    assert not open_at([monday_group], london(2026, 4, 6, 11))
    assert open_at([monday_group], london(2026, 4, 13, 11))
    assert next_open([monday_group], london(2026, 4, 6, 9)) == london(2026, 4, 13, 10)


def test_a_rule_can_say_it_opens_on_bank_holidays() -> None:
    monday_group = weekly("MO", opens="10:00", closes="12:00", open_on_bank_holidays=True)
    assert open_at([monday_group], london(2026, 4, 6, 11))


def test_round_the_clock_services_stay_open_on_bank_holidays() -> None:
    assert open_at([ROUND_THE_CLOCK], london(2026, 12, 25, 3))
    every_day_rules = [
        weekly(code, opens="00:00", closes="23:59") for code in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    ]
    assert open_at(every_day_rules, london(2026, 12, 25, 3))


def test_a_round_the_clock_rule_can_say_it_closes_on_bank_holidays() -> None:
    rule = ScheduleRule(None, opens_at=time(0, 0), closes_at=time(23, 59), open_on_bank_holidays=False)
    assert not open_at([rule], london(2026, 12, 25, 3))


def test_an_evening_line_running_every_day_still_closes_on_bank_holidays_unless_it_says_otherwise() -> None:
    evenings = ScheduleRule(None, opens_at=time(19, 0), closes_at=time(0, 0))
    assert not open_at([evenings], london(2026, 12, 25, 20))
    assert open_at([evenings], london(2026, 12, 24, 23, 30))


def test_a_night_window_opening_the_evening_before_a_bank_holiday_runs_into_it() -> None:
    sunday_night = weekly("SU", opens="22:00", closes="02:00")
    assert open_at([sunday_night], london(2026, 4, 6, 1))


def test_bank_holidays_follow_the_nation() -> None:
    friday_group = weekly("FR", opens="10:00", closes="12:00")
    # 2 January is a bank holiday in Scotland only.
    assert open_at([friday_group], london(2026, 1, 2, 11))
    assert not open_at([friday_group], london(2026, 1, 2, 11), nation="Scotland")
    with pytest.raises(ValueError, match="nation"):
        open_at([friday_group], london(2026, 1, 2, 11), nation="Mars")


# --- words for people ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (TUESDAY_GROUP, "Tuesdays 10:00-12:00"),
        (weekly("MO", "TH", opens="09:30", closes="11:00"), "Mondays and Thursdays 09:30-11:00"),
        (weekly("MO", "TU", "WE", "TH", "FR", opens="09:00", closes="17:00"), "Weekdays 09:00-17:00"),
        (monthly("2TU"), "2nd Tuesday of the month 10:00-12:00"),
        (monthly("-1FR"), "Last Friday of the month 10:00-12:00"),
        (monthly("1WE", "3WE"), "1st and 3rd Wednesday of the month 10:00-12:00"),
        (
            weekly("TH", opens="10:00", closes="11:30", interval=2, dtstart=date(2026, 1, 8)),
            "Every other Thursday 10:00-11:30",
        ),
        (TERM_1, "Tuesdays 10:00-12:00, term time only"),
        (ROUND_THE_CLOCK, "Every day 24 hours"),
        (weekly("FR", opens="22:00", closes="02:00"), "Fridays 22:00-02:00"),
        (
            ScheduleRule("MONTHLY", bymonthday=(1, -1), opens_at=time(18), closes_at=time(19)),
            "1st and last day of the month 18:00-19:00",
        ),
        (
            weekly("MO", opens="10:00", closes="12:00", open_on_bank_holidays=True),
            "Mondays 10:00-12:00, open on bank holidays",
        ),
    ],
)
def test_describe_rule_says_when_in_words_people_use(rule: ScheduleRule, expected: str) -> None:
    assert describe_rule(rule) == expected


@pytest.mark.parametrize(
    ("opens", "expected"),
    [
        (london(2026, 1, 14, 10, 30), "open now"),
        (london(2026, 1, 14, 19, 0), "opens today at 19:00"),
        (london(2026, 1, 15, 10, 0), "opens tomorrow at 10:00"),
        (london(2026, 1, 20, 10, 0), "opens Tuesday 10:00"),
        (london(2026, 1, 26, 10, 0), "opens 26 Jan at 10:00"),
        (None, "no opening times in the next few weeks"),
    ],
)
def test_describe_next_says_when_it_next_opens(opens: datetime | None, expected: str) -> None:
    assert describe_next(london(2026, 1, 14, 10, 30), opens) == expected


def test_describe_next_uses_london_dates_not_utc_dates() -> None:
    # 23:30 UTC on 14 July is 00:30 on 15 July in London.
    assert (
        describe_next(london(2026, 7, 14, 20), datetime(2026, 7, 14, 23, 30, tzinfo=UTC)) == "opens tomorrow at 00:30"
    )


# --- phrases ---------------------------------------------------------------------------------------------------

WEDNESDAY_MORNING = london(2026, 1, 14, 10, 30)  # a Wednesday


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("now", WEDNESDAY_MORNING, london(2026, 1, 14, 11, 30)),
        ("Right now!", WEDNESDAY_MORNING, london(2026, 1, 14, 11, 30)),
        ("tonight", london(2026, 1, 14, 18), london(2026, 1, 14, 23, 59)),
        ("this evening", london(2026, 1, 14, 18), london(2026, 1, 14, 23, 59)),
        ("this afternoon", london(2026, 1, 14, 12), london(2026, 1, 14, 17)),
        ("tomorrow morning", london(2026, 1, 15, 9), london(2026, 1, 15, 12)),
        ("Tomorrow", london(2026, 1, 15), london(2026, 1, 15, 23, 59)),
        ("weekend", london(2026, 1, 17), london(2026, 1, 18, 23, 59)),
        ("this weekend", london(2026, 1, 17), london(2026, 1, 18, 23, 59)),
        ("at the weekend", london(2026, 1, 17), london(2026, 1, 18, 23, 59)),
        ("after the school run", WEDNESDAY_MORNING, london(2026, 1, 14, 12)),
        ("after drop off", WEDNESDAY_MORNING, london(2026, 1, 14, 12)),
        ("tuesday", london(2026, 1, 20), london(2026, 1, 20, 23, 59)),
        ("on Tuesday", london(2026, 1, 20), london(2026, 1, 20, 23, 59)),
        ("tues", london(2026, 1, 20), london(2026, 1, 20, 23, 59)),
        ("tuesday morning", london(2026, 1, 20, 9), london(2026, 1, 20, 12)),
        ("tuesday mornings", london(2026, 1, 20, 9), london(2026, 1, 20, 12)),
        ("on Tuesdays afternoons", london(2026, 1, 20, 12), london(2026, 1, 20, 17)),
        ("mornings", WEDNESDAY_MORNING, london(2026, 1, 14, 12)),
        ("Tuesday evening", london(2026, 1, 20, 18), london(2026, 1, 20, 23, 59)),
        ("weds", WEDNESDAY_MORNING, london(2026, 1, 14, 23, 59)),
        ("wednesday morning", WEDNESDAY_MORNING, london(2026, 1, 14, 12)),
        ("wensday", WEDNESDAY_MORNING, london(2026, 1, 14, 23, 59)),
        ("thurs", london(2026, 1, 15), london(2026, 1, 15, 23, 59)),
        ("thrusday afternoon", london(2026, 1, 15, 12), london(2026, 1, 15, 17)),
        ("next week", london(2026, 1, 19), london(2026, 1, 25, 23, 59)),
        ("in the day", WEDNESDAY_MORNING, london(2026, 1, 14, 17)),
        ("daytime", WEDNESDAY_MORNING, london(2026, 1, 14, 17)),
        ("at night", london(2026, 1, 14, 22), london(2026, 1, 15, 6)),
        ("late at night", london(2026, 1, 14, 22), london(2026, 1, 15, 6)),
        ("3am", london(2026, 1, 14, 22), london(2026, 1, 15, 6)),
    ],
)
def test_phrases_map_to_london_windows_from_a_wednesday_morning(phrase: str, start: datetime, end: datetime) -> None:
    assert phrase_window(phrase, WEDNESDAY_MORNING) == (start, end)


@pytest.mark.parametrize("phrase", ["", "whenever", "blue", "the day after the fair", "tuesday brunch"])
def test_unknown_phrases_give_none(phrase: str) -> None:
    assert phrase_window(phrase, WEDNESDAY_MORNING) is None


def test_tonight_late_in_the_evening_starts_now() -> None:
    now = london(2026, 1, 14, 21, 15)
    assert phrase_window("tonight", now) == (now, london(2026, 1, 14, 23, 59))


def test_a_day_part_that_has_passed_today_means_next_week() -> None:
    now = london(2026, 1, 14, 13, 0)
    assert phrase_window("wednesday morning", now) == (london(2026, 1, 21, 9), london(2026, 1, 21, 12))


def test_after_the_school_run_on_a_friday_afternoon_means_monday() -> None:
    friday_afternoon = london(2026, 1, 16, 15, 0)
    assert phrase_window("after the school run", friday_afternoon) == (
        london(2026, 1, 19, 9, 15),
        london(2026, 1, 19, 12),
    )


def test_after_the_school_run_early_on_a_weekday_starts_at_quarter_past_nine() -> None:
    assert phrase_window("after the school run", london(2026, 1, 14, 7, 0)) == (
        london(2026, 1, 14, 9, 15),
        london(2026, 1, 14, 12),
    )


def test_weekend_asked_on_a_saturday_starts_now() -> None:
    saturday = london(2026, 1, 17, 14, 0)
    assert phrase_window("this weekend", saturday) == (saturday, london(2026, 1, 18, 23, 59))


def test_at_night_in_the_small_hours_means_the_rest_of_this_night() -> None:
    small_hours = london(2026, 1, 15, 3, 0)
    assert phrase_window("at night", small_hours) == (small_hours, london(2026, 1, 15, 6))


def test_next_week_asked_on_a_sunday_is_the_week_starting_tomorrow() -> None:
    assert phrase_window("next week", london(2026, 1, 18, 20)) == (london(2026, 1, 19), london(2026, 1, 25, 23, 59))


def test_phrases_accept_naive_now_as_london_time_and_return_aware_london_times() -> None:
    start, _end = phrase_window("tomorrow morning", datetime(2026, 1, 14, 10, 30)) or (None, None)
    assert start == london(2026, 1, 15, 9)
    assert start is not None and start.tzinfo is LONDON


def test_a_phrase_window_and_the_schedule_agree_a_tuesday_group_is_open_on_tuesday_morning() -> None:
    window = phrase_window("tuesday morning", WEDNESDAY_MORNING)
    assert window is not None
    assert windows_between([TUESDAY_GROUP], *window) == [(london(2026, 1, 20, 10), london(2026, 1, 20, 12))]
    assert next_open([TUESDAY_GROUP], window[0]) == london(2026, 1, 20, 10)


def test_evening_group_then_tonight_window_overlaps_and_describe_next_says_today() -> None:
    evening_online = weekly("WE", opens="19:00", closes="20:30")
    assert describe_next(WEDNESDAY_MORNING, next_open([evening_online], WEDNESDAY_MORNING)) == "opens today at 19:00"


def test_windows_between_returns_nothing_for_a_span_with_no_sessions() -> None:
    assert windows_between([TUESDAY_GROUP], london(2026, 1, 14), london(2026, 1, 15)) == []


def test_windows_between_includes_a_window_that_began_before_the_span() -> None:
    windows = windows_between([TUESDAY_GROUP], london(2026, 1, 13, 11), london(2026, 1, 13, 11) + timedelta(minutes=5))
    assert windows == [(london(2026, 1, 13, 10), london(2026, 1, 13, 12))]
