"""Opening times: HSDS schedule rules evaluated in Europe/London wall-clock time, and the phrases people use for when.

How rules are read:

- `freq` WEEKLY or MONTHLY; `interval` counts weeks (or months) from the week (or month) of `dtstart`, falling back
  to `valid_from`. With neither, an interval cannot be anchored and is read as 1. A rule without `freq` is WEEKLY
  when it has `byday`, MONTHLY when it has `bymonthday`, and otherwise runs every day of its valid range.
- `byday` codes: plain (`TU`) for weekly, ordinal (`2TU`, `-1FR`) for monthly. `bymonthday` may be negative
  (`-1` is the last day of the month). `valid_from`, `valid_to` and `until` are inclusive; term-time groups are one
  rule per term, so the gaps between terms are closed.
- `opens_at`/`closes_at` are London wall-clock times. `closes_at <= opens_at` means the window runs past midnight;
  it belongs to the day it opens. `closes_at` 23:59 means "until midnight", so 00:00-23:59 (or 00:00-00:00) is
  the whole day. A rule without `opens_at` has no known hours and never makes a service open.
- Clock changes: a window that opens in the hour skipped in spring (01:00-02:00 on the last Sunday of March) does
  not happen that day; a window that ends in it ends when the clocks go forward. In autumn the hour 01:00-02:00
  happens twice; windows use its first occurrence, so each window is counted once. Results are aware London
  datetimes; compare them as instants (in UTC), because Python compares two London times by wall clock alone.

Bank holidays (the `holidays` package, England and Wales unless told otherwise): a service is treated as CLOSED on
a bank holiday, because most groups and clinics close and saying "open" wrongly sends a mother to a locked door.
The exception is a round-the-clock service (00:00-23:59 every day of the week), treated as open, since helplines
that run 24/7 do not stop for holidays. Data overrides both per rule: `open_on_bank_holidays=True` or `False`.
A window belongs to the day it opens, so the holiday test uses that day.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")

FREQUENCIES = ("WEEKLY", "MONTHLY")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NATIONS = {"England": "ENG", "Wales": "WLS", "Scotland": "SCT", "Northern Ireland": "NIR"}

_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_MIDNIGHT = time(0, 0)
_LAST_MINUTE = time(23, 59)
_ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class ScheduleRule:
    """One HSDS schedules.csv row, as far as opening times go."""

    freq: str | None
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    dtstart: date | None = None
    until: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    open_on_bank_holidays: bool | None = None

    def __post_init__(self) -> None:
        # Data arrives from CSV in any case and spacing; normalise once so evaluation can trust it.
        freq = (self.freq or "").strip().upper() or None
        if freq is not None and freq not in FREQUENCIES:
            raise ValueError(f"freq: expected WEEKLY or MONTHLY, got {self.freq!r}")
        if self.interval < 1:
            raise ValueError(f"interval: expected a whole number of 1 or more, got {self.interval!r}")
        byday = tuple(code.strip().upper() for code in self.byday if code.strip())
        for code in byday:
            parse_byday(code)
        for day in self.bymonthday:
            if day == 0 or not -31 <= day <= 31:
                raise ValueError(f"bymonthday: expected 1 to 31 or -31 to -1, got {day!r}")
        object.__setattr__(self, "freq", freq)
        object.__setattr__(self, "byday", byday)

    @classmethod
    def from_row(cls, row: Any) -> ScheduleRule:
        """The rule for a stored schedule row (a models.Schedule or a row with the same column names)."""
        return cls(
            freq=row.freq,
            interval=row.interval or 1,
            byday=tuple((row.byday or "").split(",")),
            bymonthday=tuple(int(day) for day in (row.bymonthday or "").split(",") if day.strip()),
            dtstart=row.dtstart,
            until=row.until,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            open_on_bank_holidays=row.open_on_bank_holidays,
        )


@lru_cache(maxsize=256)
def parse_byday(code: str) -> tuple[int | None, int]:
    """Split a byday code like "2TU" or "-1FR" into (ordinal or None, weekday 0=Monday)."""
    match = _BYDAY.match(code.strip().upper())
    if match is None:
        raise ValueError(f"byday: expected a day code like TU, 2TU or -1FR, got {code!r}")
    ordinal = int(match.group(1)) if match.group(1) else None
    if ordinal is not None and (ordinal == 0 or not -5 <= ordinal <= 5):
        raise ValueError(f"byday: the week of the month must be 1 to 5 or -1 to -5, got {code!r}")
    return ordinal, DAY_CODES.index(match.group(2))


# --- evaluation -------------------------------------------------------------------------------------------------


def open_at(rules: Sequence[ScheduleRule], at: datetime, *, nation: str = "England") -> bool:
    """Whether any rule has the service open at `at` (aware, or naive London wall-clock time)."""
    moment = _utc(at)
    return any(start <= moment < end for start, end in _windows_utc(rules, moment, moment, nation))


def next_open(
    rules: Sequence[ScheduleRule], at: datetime, horizon_days: int = 62, *, nation: str = "England"
) -> datetime | None:
    """`at` itself if open then, else the start of the next window within the horizon, in London time."""
    if not rules:
        return None
    moment = _utc(at)
    horizon = moment + timedelta(days=horizon_days)
    # Look a week at a time: most services open within days, and search asks this for every result.
    chunk_start = moment
    while chunk_start < horizon:
        chunk_end = min(chunk_start + timedelta(days=7), horizon)
        for start, end in _windows_utc(rules, chunk_start, chunk_end, nation):
            if start <= moment < end:
                return moment.astimezone(LONDON)
            if start >= moment:
                return start.astimezone(LONDON)
        chunk_start = chunk_end
    return None


Span = tuple[datetime, datetime]


def open_during(rules: Sequence[ScheduleRule], spans: Sequence[Span], *, nation: str = "England") -> bool:
    """Whether any rule has the service open at any point of these spans; a span (m, m) asks about the moment m."""
    return any(_windows_utc(rules, _utc(start), _utc(end), nation) for start, end in spans)


def windows_in(rules: Sequence[ScheduleRule], spans: Sequence[Span], *, nation: str = "England") -> list[Span]:
    """The opening windows (whole, as the rules give them) that overlap these spans, in order, in London time."""
    found = {window for start, end in spans for window in _windows_utc(rules, _utc(start), _utc(end), nation)}
    return [(opens.astimezone(LONDON), closes.astimezone(LONDON)) for opens, closes in sorted(found)]


def windows_between(
    rules: Sequence[ScheduleRule], start: datetime, end: datetime, *, nation: str = "England"
) -> list[tuple[datetime, datetime]]:
    """Opening windows that overlap [start, end), whole and merged where they touch, in London time."""
    return [
        (opens.astimezone(LONDON), closes.astimezone(LONDON))
        for opens, closes in _windows_utc(rules, _utc(start), _utc(end), nation)
    ]


def _windows_utc(
    rules: Sequence[ScheduleRule], start: datetime, end: datetime, nation: str
) -> list[tuple[datetime, datetime]]:
    """Merged UTC windows overlapping [start, end); a zero-length span finds the window around that moment."""
    subdivision = _subdivision(nation)
    round_the_clock = _is_round_the_clock(rules)
    # A window opening the day before can run past midnight into the span.
    first = start.astimezone(LONDON).date() - timedelta(days=1)
    last = end.astimezone(LONDON).date()
    found: list[tuple[datetime, datetime]] = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        for rule in rules:
            if not _occurs_on(rule, day):
                continue
            if _is_bank_holiday(day, subdivision) and not _opens_on_bank_holidays(rule, round_the_clock):
                continue
            window = _window(rule, day)
            # A zero-length span asks "open at this moment?", so a window opening exactly then counts.
            if window is not None and window[1] > start and (window[0] < end or window[0] == start == end):
                found.append(window)
    return _merge(found)


def _merge(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sort windows and join those that overlap or touch, so 24/7 reads as one long window."""
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes in sorted(windows):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _occurs_on(rule: ScheduleRule, day: date) -> bool:
    """Whether the rule has a session that opens on this London date (ignoring bank holidays)."""
    if rule.valid_from is not None and day < rule.valid_from:
        return False
    if rule.valid_to is not None and day > rule.valid_to:
        return False
    if rule.until is not None and day > rule.until:
        return False
    if rule.dtstart is not None and day < rule.dtstart:
        return False
    freq = rule.freq or ("WEEKLY" if rule.byday else "MONTHLY" if rule.bymonthday else None)
    if freq == "WEEKLY":
        return _occurs_weekly(rule, day)
    if freq == "MONTHLY":
        return _occurs_monthly(rule, day)
    return True


def _occurs_weekly(rule: ScheduleRule, day: date) -> bool:
    """Weekly rule: the right weekday, in a week counted from the anchor's week."""
    if day.weekday() not in _weekdays(rule):
        return False
    anchor = rule.dtstart or rule.valid_from
    if rule.interval > 1 and anchor is not None:
        weeks = (_monday(day) - _monday(anchor)).days // 7
        return weeks % rule.interval == 0
    return True


def _occurs_monthly(rule: ScheduleRule, day: date) -> bool:
    """Monthly rule: ordinal weekdays and/or month days, in a month counted from the anchor's month."""
    anchor = rule.dtstart or rule.valid_from
    if rule.interval > 1 and anchor is not None:
        months = (day.year - anchor.year) * 12 + day.month - anchor.month
        if months % rule.interval:
            return False
    last = calendar.monthrange(day.year, day.month)[1]
    if rule.byday and not any(_matches_byday(code, day, last) for code in rule.byday):
        return False
    if rule.bymonthday and day.day not in {n if n > 0 else last + n + 1 for n in rule.bymonthday}:
        return False
    if not rule.byday and not rule.bymonthday:
        # RFC 5545: with nothing else given, a monthly rule repeats on dtstart's day of the month.
        return anchor is not None and day.day == anchor.day
    return True


def _matches_byday(code: str, day: date, last: int) -> bool:
    """Whether `day` is the weekday (and, for "2TU"/"-1FR", the week of the month) the code names."""
    ordinal, weekday = parse_byday(code)
    if day.weekday() != weekday:
        return False
    if ordinal is None:
        return True
    if ordinal > 0:
        return (day.day - 1) // 7 + 1 == ordinal
    return (last - day.day) // 7 + 1 == -ordinal


def _weekdays(rule: ScheduleRule) -> frozenset[int]:
    """Weekdays a weekly rule runs on; ordinals mean nothing weekly, so only the day is kept."""
    if rule.byday:
        return frozenset(parse_byday(code)[1] for code in rule.byday)
    if rule.dtstart is not None and rule.freq == "WEEKLY":
        return frozenset({rule.dtstart.weekday()})
    return _ALL_DAYS


def _window(rule: ScheduleRule, day: date) -> tuple[datetime, datetime] | None:
    """The rule's window opening on `day`, in UTC; None without hours or when the opening time does not exist."""
    if rule.opens_at is None:
        return None
    opens = _start_utc(datetime.combine(day, rule.opens_at))
    if opens is None:
        return None
    closes = rule.closes_at
    if closes is None or _is_end_of_day(closes):
        closes_local = datetime.combine(day + timedelta(days=1), _MIDNIGHT)
    elif closes <= rule.opens_at:
        closes_local = datetime.combine(day + timedelta(days=1), closes)
    else:
        closes_local = datetime.combine(day, closes)
    return opens, _end_utc(closes_local)


def _is_end_of_day(closes: time) -> bool:
    """23:59 is how data says "until midnight"."""
    return closes.hour == 23 and closes.minute == 59


def _is_whole_day(rule: ScheduleRule) -> bool:
    """Opens at midnight and closes at (or a minute before) the next midnight."""
    return (
        rule.opens_at == _MIDNIGHT
        and rule.closes_at is not None
        and (rule.closes_at == _MIDNIGHT or _is_end_of_day(rule.closes_at))
    )


def _is_round_the_clock(rules: Sequence[ScheduleRule]) -> bool:
    """Whether the rules together cover every hour of every day of the week, with no end date."""
    covered: set[int] = set()
    for rule in rules:
        plain = (
            _is_whole_day(rule)
            and rule.interval == 1
            and not rule.bymonthday
            and rule.freq in (None, "WEEKLY")
            and rule.until is None
            and rule.valid_to is None
            and all(parse_byday(code)[0] is None for code in rule.byday)
        )
        if plain:
            covered |= _weekdays(rule)
    return covered == _ALL_DAYS


def _opens_on_bank_holidays(rule: ScheduleRule, round_the_clock: bool) -> bool:
    """The rule's own answer if it has one, else the policy in the module docstring."""
    if rule.open_on_bank_holidays is not None:
        return rule.open_on_bank_holidays
    return round_the_clock


def _subdivision(nation: str) -> str:
    """The `holidays` subdivision code for a UK nation."""
    try:
        return NATIONS[nation]
    except KeyError:
        raise ValueError(f"nation: expected one of {', '.join(NATIONS)}, got {nation!r}") from None


def _is_bank_holiday(day: date, subdivision: str) -> bool:
    """Whether `day` is a bank holiday in that part of the UK."""
    return day in _bank_holidays(subdivision, day.year)


@lru_cache(maxsize=64)
def _bank_holidays(subdivision: str, year: int) -> frozenset[date]:
    """Bank holidays for one nation and year, cached: search asks this for thousands of services."""
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year).keys())


# --- London wall-clock time -------------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    """Aware London time; a naive datetime is taken as London wall-clock time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def _utc(moment: datetime) -> datetime:
    """The same instant in UTC: aware datetimes sharing a tzinfo compare by wall time, which breaks in autumn."""
    return _local(moment).astimezone(timezone.utc)


def _exists(wall: datetime) -> bool:
    """Whether a naive London wall-clock time happens at all (it does not in the spring-forward gap)."""
    aware = wall.replace(tzinfo=LONDON)
    return aware.astimezone(timezone.utc).astimezone(LONDON).replace(tzinfo=None) == wall


# Cached: searches convert the same few opening times on the same days for thousands of services.
@lru_cache(maxsize=8192)
def _start_utc(wall: datetime) -> datetime | None:
    """A window's start in UTC; None when the clocks skip that wall-clock time."""
    return _utc(wall) if _exists(wall) else None


@lru_cache(maxsize=8192)
def _end_utc(wall: datetime) -> datetime:
    """A window's end in UTC; an end inside the spring-forward gap is the moment the clocks go forward."""
    if _exists(wall):
        return _utc(wall)
    earlier = wall
    while not _exists(earlier):
        earlier -= timedelta(minutes=1)
    return _utc(earlier.replace(second=0, microsecond=0)) + timedelta(minutes=1)


# --- words for people --------------------------------------------------------------------------------------------

_ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th"}


def describe_rule(rule: ScheduleRule) -> str:
    """One rule in words: "Tuesdays 10:00-12:00", "2nd Tuesday of the month 10:00-12:00"."""
    text = f"{_describe_days(rule)} {_describe_hours(rule)}".strip()
    if rule.valid_from is not None or rule.valid_to is not None:
        text += ", term time only"
    if rule.open_on_bank_holidays is True:
        text += ", open on bank holidays"
    elif rule.open_on_bank_holidays is False:
        text += ", closed on bank holidays"
    return text[0].upper() + text[1:]


def _describe_days(rule: ScheduleRule) -> str:
    """Which days, in words."""
    freq = rule.freq or ("WEEKLY" if rule.byday else "MONTHLY" if rule.bymonthday else None)
    if freq == "MONTHLY":
        return _describe_monthly(rule)
    days = sorted(_weekdays(rule))
    anchored = rule.interval > 1 and (rule.dtstart or rule.valid_from) is not None
    if anchored and rule.interval == 2:
        return "every other " + _and(DAY_NAMES[d] for d in days)
    if anchored:
        return f"every {rule.interval} weeks on " + _and(DAY_NAMES[d] for d in days)
    if freq is None and not rule.byday:
        return "every day"
    if days == list(range(7)):
        return "every day"
    if days == list(range(5)):
        return "weekdays"
    if days == [5, 6]:
        return "weekends"
    return _and(DAY_NAMES[d] + "s" for d in days)


def _describe_monthly(rule: ScheduleRule) -> str:
    """Monthly rules: "2nd Tuesday of the month", "last Friday of the month", "1st and 15th of the month"."""
    parts: list[str] = []
    by_weekday: dict[int, list[int | None]] = {}
    for code in rule.byday:
        ordinal, weekday = parse_byday(code)
        by_weekday.setdefault(weekday, []).append(ordinal)
    for weekday, ordinals in sorted(by_weekday.items()):
        if None in ordinals:
            parts.append(f"every {DAY_NAMES[weekday]}")
        else:
            ordered = sorted((n for n in ordinals if n is not None), key=lambda n: (n < 0, n))
            parts.append(f"{_and(_ordinal(n) for n in ordered)} {DAY_NAMES[weekday]}")
    if rule.bymonthday:
        ordered_days = sorted(rule.bymonthday, key=lambda n: (n < 0, n))
        parts.append(_and(_ordinal(n) if n < 0 else _day_ordinal(n) for n in ordered_days).replace("last", "last day"))
    anchor = rule.dtstart or rule.valid_from
    if not parts:
        parts.append(_day_ordinal(anchor.day) if anchor is not None else "one day")
    if rule.interval > 1 and anchor is not None:
        months = "every other month" if rule.interval == 2 else f"every {rule.interval} months"
        return f"{_and(parts)} of {months}"
    return f"{_and(parts)} of the month"


def _ordinal(n: int) -> str:
    """Week of the month in words: 2 -> "2nd", -1 -> "last", -2 -> "2nd to last"."""
    if n == -1:
        return "last"
    if n < 0:
        return f"{_ORDINAL_WORDS[-n]} to last"
    return _ORDINAL_WORDS[n]


def _day_ordinal(n: int) -> str:
    """Day of the month in words: 1 -> "1st", 22 -> "22nd"."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _describe_hours(rule: ScheduleRule) -> str:
    """The hours, in words."""
    if rule.opens_at is None:
        return "(times not given)"
    if _is_whole_day(rule):
        return "24 hours"
    if rule.closes_at is None:
        return f"from {rule.opens_at:%H:%M}"
    return f"{rule.opens_at:%H:%M}-{rule.closes_at:%H:%M}"


def _and(items: Iterable[str]) -> str:
    """Join words the way people write lists: "a", "a and b", "a, b and c"."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe_next(at: datetime, next_open: datetime | None) -> str:
    """When the service next opens, relative to `at`: "open now", "opens tomorrow at 10:00", "opens 12 Jan at 10:00"."""
    if next_open is None:
        return "no opening times in the next few weeks"
    now, opens = _local(at), _local(next_open)
    if _utc(opens) <= _utc(now):
        return "open now"
    days = (opens.date() - now.date()).days
    clock = f"{opens:%H:%M}"
    if days == 0:
        return f"opens today at {clock}"
    if days == 1:
        return f"opens tomorrow at {clock}"
    if days < 7:
        return f"opens {DAY_NAMES[opens.weekday()]} {clock}"
    return f"opens {opens.day} {opens:%b} at {clock}"


def describe_span(now: datetime, opens: datetime, closes: datetime) -> str:
    """An opening as she would say it, counted from `now`: "today 10:00-11:30", "Tuesday 10:00-11:30",
    "Tue 15 Dec 10:00-11:30" (a date once it is more than six days away), "tonight 19:00-21:00"."""
    here, start, end = _local(now), _local(opens), _local(closes)
    days = (start.date() - here.date()).days
    if days == 0:
        day = "tonight" if start.hour >= 18 else "today"
    elif days == 1:
        day = "tomorrow"
    elif 1 < days < 7:
        day = DAY_NAMES[start.weekday()]
    else:
        day = f"{start:%a} {start.day} {start:%b}"
    if _utc(end) - _utc(start) >= timedelta(days=1):
        return f"{day} from {start:%H:%M}, all day"
    return f"{day} {start:%H:%M}-{end:%H:%M}"


# --- phrases people use ------------------------------------------------------------------------------------------

_PERIODS = {
    "morning": (time(9, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(18, 0), _LAST_MINUTE),
    "night": (time(18, 0), _LAST_MINUTE),
    "day": (_MIDNIGHT, _LAST_MINUTE),
    "daytime": (time(9, 0), time(17, 0)),
}
_NOW = {"now", "right now", "asap", "straight away", "at the moment", "currently"}
_TONIGHT = {"tonight", "this evening", "this eve", "evening", "tonite"}
_WEEKEND = {"weekend", "this weekend", "at the weekend", "the weekend", "on the weekend", "weekends", "at weekends"}
_SCHOOL_RUN = ("school run", "drop off", "dropoff", "drop-off", "school drop")
_DAYTIME = {"in the day", "daytime", "during the day", "in the daytime", "day time", "daytimes"}
_NIGHT = {
    "at night",
    "late at night",
    "night",
    "overnight",
    "late night",
    "in the night",
    "middle of the night",
    "in the middle of the night",
    "small hours",
    "the small hours",
    "early hours",
    "in the early hours",
    "night time",
    "nighttime",
}
_DAY_ALIASES = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "tu": 1,
    "wed": 2,
    "weds": 2,
    "wednes": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thr": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_FULL_DAYS = [name.lower() for name in DAY_NAMES]
_CLOCK = re.compile(r"^(?:at |around |about )?(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)$")


def _normal(phrase: str) -> str:
    """Lower case; apostrophes vanish ("tonight's" -> "tonights"); other punctuation is only a word break."""
    return " ".join(re.sub(r"[^a-z0-9:. -]", " ", phrase.lower().replace("'", "").replace("’", "")).split()).strip(" .")


def phrase_window(phrase: str, now: datetime) -> tuple[datetime, datetime] | None:
    """The London-time window a phrase like "tomorrow morning" or "after the school run" means; None if unknown."""
    text = _normal(phrase)
    here = _local(now)
    today = here.date()
    if text in _NOW:
        return here, here + timedelta(hours=1)
    if text in {"today", "later", "later today"}:
        return here, _at(today, _LAST_MINUTE)
    if text in _TONIGHT:
        return _upcoming(here, "evening")
    if text.startswith("this ") and text[5:] in _PERIODS:
        return _upcoming(here, text[5:])
    if text in {"morning", "afternoon", "mornings", "afternoons"}:
        return _upcoming(here, text.removesuffix("s"))
    if text in {"evenings", "nights"}:
        return _upcoming(here, "evening")
    if text == "tomorrow" or text.startswith("tomorrow "):
        period = text[len("tomorrow") :].strip() or "day"
        return _period(here, today + timedelta(days=1), period) if period in _PERIODS else None
    if text in _WEEKEND or text == "next weekend":
        return _weekend(here, skip_this=text == "next weekend")
    if any(words in text for words in _SCHOOL_RUN):
        return _after_school_run(here)
    if text == "next week":
        monday = _monday(today) + timedelta(days=7)
        return _at(monday, _MIDNIGHT), _at(monday + timedelta(days=6), _LAST_MINUTE)
    if text == "this week":
        return here, _at(_monday(today) + timedelta(days=6), _LAST_MINUTE)
    if text in _DAYTIME:
        return _upcoming(here, "daytime")
    if text in _NIGHT:
        return _night(here)
    clock = _CLOCK.match(text)
    if clock is not None:
        return _clock_window(here, clock)
    return _weekday_window(here, text)


def _at(day: date, clock: time) -> datetime:
    """Aware London time for a wall-clock time on a date (the first one, when the hour repeats)."""
    return datetime.combine(day, clock, tzinfo=LONDON)


def _period(here: datetime, day: date, period: str) -> tuple[datetime, datetime]:
    """A named part of a day, starting no earlier than now."""
    opens, closes = _PERIODS[period]
    start, end = _at(day, opens), _at(day, closes)
    if _utc(start) < _utc(here):
        start = here
    return start, end


def _upcoming(here: datetime, period: str) -> tuple[datetime, datetime]:
    """Today's part of the day if it has not ended, else tomorrow's."""
    window = _period(here, here.date(), period)
    if _utc(window[1]) <= _utc(here):
        return _period(here, here.date() + timedelta(days=1), period)
    return window


def _weekend(here: datetime, skip_this: bool) -> tuple[datetime, datetime]:
    """The coming Saturday 00:00 to Sunday 23:59; from now if it is already the weekend."""
    saturday = _monday(here.date()) + timedelta(days=5)
    if skip_this and here.date() >= saturday:
        saturday += timedelta(days=7)
    start = _at(saturday, _MIDNIGHT)
    return max(start, here, key=_utc), _at(saturday + timedelta(days=1), _LAST_MINUTE)


def _after_school_run(here: datetime) -> tuple[datetime, datetime]:
    """09:15-12:00 on the next weekday, today if it is a weekday morning still."""
    day = here.date()
    while day.weekday() >= 5 or (day == here.date() and here.time() >= time(12, 0)):
        day += timedelta(days=1)
    start, end = _at(day, time(9, 15)), _at(day, time(12, 0))
    return max(start, here, key=_utc), end


def _night(here: datetime) -> tuple[datetime, datetime]:
    """22:00-06:00: the rest of this night if it is the small hours, else the coming night."""
    today = here.date()
    if here.time() < time(6, 0):
        return here, _at(today, time(6, 0))
    start = _at(today, time(22, 0))
    return max(start, here, key=_utc), _at(today + timedelta(days=1), time(6, 0))


def _clock_window(here: datetime, clock: re.Match[str]) -> tuple[datetime, datetime] | None:
    """ "3am" means the night; a daytime clock time means the hour from its next occurrence."""
    hour, minute, half = int(clock.group(1)), int(clock.group(2) or 0), clock.group(3)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    hour = hour % 12 + (12 if half == "pm" else 0)
    if hour >= 22 or hour < 6:
        return _night(here)
    start = _at(here.date(), time(hour, minute))
    if _utc(start) + timedelta(hours=1) <= _utc(here):
        start = _at(here.date() + timedelta(days=1), time(hour, minute))
    return max(start, here, key=_utc), start + timedelta(hours=1)


def _weekday_window(here: datetime, text: str) -> tuple[datetime, datetime] | None:
    """ "tuesday", "on tues", "next thurs", "tuesday morning": the next such day, today if today."""
    words = text.split()
    skip_today = False
    while words and words[0] in {"on", "this", "coming", "next", "this coming"}:
        skip_today = skip_today or words[0] == "next"
        words = words[1:]
    if not words or len(words) > 2:
        return None
    weekday = _weekday(words[0])
    # "tuesday mornings" is how people say it when the group is weekly: the next one is what she can go to.
    period = _singular_period(words[1]) if len(words) == 2 else "day"
    if weekday is None or period not in _PERIODS:
        return None
    day = here.date() + timedelta(days=(weekday - here.weekday()) % 7)
    if skip_today and day == here.date():
        day += timedelta(days=7)
    window = _period(here, day, period)
    if _utc(window[1]) <= _utc(here):
        window = _period(here, day + timedelta(days=7), period)
    return window


def _singular_period(word: str) -> str:
    """ "mornings" -> "morning"; any other word unchanged."""
    return word[:-1] if word.endswith("s") and word[:-1] in _PERIODS else word


def _weekday(word: str) -> int | None:
    """A day name as people type it: "tues", "weds", "thurs", "Tuesdays", "wensday"."""
    word = word.strip(".")
    if word in _DAY_ALIASES:
        return _DAY_ALIASES[word]
    singular = word[:-1] if word.endswith("s") and word[:-1] in _FULL_DAYS else word
    if singular in _FULL_DAYS:
        return _FULL_DAYS.index(singular)
    if len(word) >= 5:
        close = difflib.get_close_matches(singular, _FULL_DAYS, n=1, cutoff=0.75)
        if close:
            return _FULL_DAYS.index(close[0])
    return None


def _monday(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())
