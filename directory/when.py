"""What she means by when: a phrase ("tuesday mornings", "weds am or fri", "after 6 on weekdays", "in the holidays")
as London-time spans, and the time phrase inside a longer message.

A phrase is read as days, parts of the day and limits:

- days: a weekday ("tues", "Thursdays": the next one, or the next two when plural, so a fortnightly group counts),
  "weekdays" and "weekends" (each one in the coming week), "mon to fri", "today", "tonight", "tomorrow", "this
  week", "next week", "any day"; with no day, the next such part of the day (today's if it has not ended), or each
  one of the coming week when plural ("mornings");
- parts of the day: morning (or "am"), afternoon ("pm"), evening, night, lunchtime, daytime; none means the whole
  day;
- limits: "after 6" (bare hours 1-7 are afternoon or evening, 8-11 morning), "after work" (17:30), "after the
  school run" (09:15), "after school" (15:30), "before 3", "until 2pm".

"X or Y" where one side names only days and the other only a part of the day ("evenings or the weekend") is both
windows; otherwise the days and parts combine ("monday or friday afternoons"). Phrases this reading does not cover
fall back to `schedules.phrase_window` ("3am", "later today"). Words it does not know make it say None rather than
guess.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from directory.schedules import (
    Span,
    _at,
    _local,
    _utc,
    _weekday,
    phrase_window,
)

MORNING = (time(9, 0), time(12, 0))
AFTERNOON = (time(12, 0), time(17, 0))
EVENING = (time(18, 0), time(23, 59))
SCHOOL_RUN_ENDS = time(9, 15)
PARTS: dict[str, tuple[time, time]] = {
    "morning": MORNING,
    "am": MORNING,
    "afternoon": AFTERNOON,
    "pm": AFTERNOON,
    "evening": EVENING,
    "night": (time(18, 0), time(6, 0)),  # runs past midnight: evening groups and night lines both count
    "lunch": (time(12, 0), time(14, 0)),
    "daytime": (time(9, 0), time(17, 0)),
}
AFTER_WORDS = {"after", "from", "past"}
BEFORE_WORDS = {"before", "until", "till", "til", "by"}
# Text-speak and spellings, read as the word they stand for.
ALIASES = {
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrrw": "tomorrow",
    "tmoro": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "2mrw": "tomorrow",
    "tomoz": "tomorrow",
    "tomorow": "tomorrow",
    "tommorow": "tomorrow",
    "tommorrow": "tomorrow",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "tonights": "tonight",
    "wkend": "weekend",
    "wknd": "weekend",
    "wkends": "weekends",
    "wknds": "weekends",
    "wkday": "weekday",
    "wkdays": "weekdays",
    "arvo": "afternoon",
    "arvos": "afternoons",
    "mornin": "morning",
    "morn": "morning",
    "mornings": "mornings",
    "eve": "evening",
    "aft": "afternoon",
    "afty": "afternoon",
    "evenin": "evening",
    "eves": "evenings",
    "nite": "night",
    "nites": "nights",
    "lunchtime": "lunch",
    "lunchtimes": "lunch",
    "dinnertime": "lunch",
    "weekday": "weekday",
    "oclock": "oclock",
    "midday": "noon",
}
FILLER = {
    "on",
    "in",
    "the",
    "a",
    "an",
    "at",
    "during",
    "every",
    "any",
    "only",
    "or",
    "and",
    ",",
    "-",
    "is",
    "are",
    "best",
    "fine",
    "ok",
    "okay",
    "good",
    "time",
    "times",
    "sometime",
    "sometimes",
    "maybe",
    "ideally",
    "preferably",
    "please",
    "pls",
    "of",
    "my",
    "break",
    "o",
    "oclock",
    "clock",
}
# Words a misspelt day name would otherwise match.
NOT_DAYS = frozenset({"weekday", "weekdays", "weekend", "weekends", "today", "tomorrow", "tonight", "sunday school"})
HOLIDAY_WORDS = re.compile(r"\b(?:holidays?|hols|half term|halfterm)\b")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")


@dataclass
class _Reading:
    """What one phrase names, before it becomes spans."""

    weekdays: set[int] = field(default_factory=set)
    plural: bool = False
    dates: list[date] = field(default_factory=list)
    every_day: bool = False
    skip_today: bool = False
    parts: list[tuple[time, time]] = field(default_factory=list)
    after: time | None = None
    before: time | None = None
    school_run: bool = False

    def names_days(self) -> bool:
        """Whether the phrase says which days."""
        return bool(self.weekdays or self.dates or self.every_day)

    def names_hours(self) -> bool:
        """Whether the phrase says which hours."""
        return bool(self.parts or self.after or self.before)


def words_of(text: str) -> list[str]:
    """Lower-case words, text-speak read as words, "mon-fri" as "mon to fri", "9am" kept whole."""
    text = text.lower().replace("'", "").replace("’", "")
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " to ", text)
    text = re.sub(r"[^a-z0-9:. ,-]", " ", text)
    text = re.sub(r"\b(\d{1,2}(?::\d{2})?)\s?ish\b", r"\1", text)  # "8ish" is about 8
    text = re.sub(r"(?<![0-9])[.,](?![0-9])", " , ", text)
    return [ALIASES.get(word, word) for word in text.split()]


def phrase_spans(phrase: str, now: datetime, *, nation: str = "England") -> tuple[Span, ...] | None:
    """Every London-time span a phrase means, in time order; None if we do not understand it."""
    here = _local(now)
    tokens = words_of(phrase)
    if not tokens:
        return None
    text = " ".join(tokens)
    if HOLIDAY_WORDS.search(text):
        return (school_holiday(here, nation),)
    if [word for word in tokens if word not in FILLER] in (["now"], ["right", "now"], ["asap"], ["rn"]):
        return ((here, here + timedelta(hours=1)),)
    spans = _either(tokens, here)
    if spans is None:
        window = phrase_window(text, here)
        spans = None if window is None else (window,)
    return spans


def _either(tokens: list[str], here: datetime) -> tuple[Span, ...] | None:
    """ "evenings or the weekend": each side alone when one names only days and the other only hours."""
    sides = _split(tokens, {"or", "and", ","})
    if len(sides) > 1:
        readings = [_read(side, here.date()) for side in sides]
        if (
            all(readings)
            and any(r.names_days() and not r.names_hours() for r in readings if r)
            and any(r.names_hours() and not r.names_days() for r in readings if r)
        ):
            found = [span for r in readings if r for span in _spans(r, here)]
            return _ordered(found) or None
    reading = _read(tokens, here.date())
    if reading is None:
        return None
    return _ordered(_spans(reading, here)) or None


def _split(tokens: list[str], separators: set[str]) -> list[list[str]]:
    """The phrase cut at "or", "and" and commas."""
    sides: list[list[str]] = [[]]
    for word in tokens:
        if word in separators:
            sides.append([])
        else:
            sides[-1].append(word)
    return [side for side in sides if side]


def _read(tokens: Sequence[str], today: date) -> _Reading | None:
    """The days, parts of the day and limits a phrase names; None if it has a word we do not know."""
    reading = _Reading()
    i = 0
    while i < len(tokens):
        word = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if word in AFTER_WORDS or word in BEFORE_WORDS:
            clock, used = _clock(tokens, i + 1)
            if clock is None:
                return None
            if word in AFTER_WORDS and clock == SCHOOL_RUN_ENDS:
                # After the school run is a weekday morning, not "from 09:15 until midnight".
                reading.parts.append((SCHOOL_RUN_ENDS, time(12, 0)))
                reading.school_run = True
            elif word in AFTER_WORDS:
                reading.after = clock
            else:
                reading.before = clock
            i += 1 + used
            continue
        used = _read_day(reading, word, following, tokens[i + 2] if i + 2 < len(tokens) else "", today)
        if used:
            i += used
            continue
        if _read_part(reading, word):
            i += 1
            continue
        if word in FILLER or word == "day" or word == "days":
            reading.every_day = reading.every_day or (word in {"day", "days"} and _any_before(tokens, i))
            i += 1
            continue
        return None
    if not (reading.names_days() or reading.names_hours()):
        return None
    return reading


def _any_before(tokens: Sequence[str], i: int) -> bool:
    """ "any day", "every day": the word before says every day will do."""
    return i > 0 and tokens[i - 1] in {"any", "every", "most", "all"}


def _read_day(reading: _Reading, word: str, following: str, after_that: str, today: date) -> int:
    """Read a day word at this word; how many words it used (0 if it is not one)."""
    if word in {"weekday", "weekdays", "midweek"}:
        reading.weekdays |= set(range(5))
        reading.plural = True
        return 1
    if word in {"weekend", "weekends"}:
        reading.weekdays |= {5, 6}
        reading.plural = True
        return 1
    weekday = _weekday(word) if word not in NOT_DAYS else None
    if weekday is not None:
        # "mon to fri"
        end = _weekday(after_that) if following in {"to", "till", "until", "-"} else None
        if end is not None:
            reading.weekdays |= {day % 7 for day in range(weekday, weekday + (end - weekday) % 7 + 1)}
            reading.plural = True
            return 3
        reading.weekdays.add(weekday)
        reading.plural = reading.plural or (word.endswith("s") and len(word) > 5 and not word.endswith("ss"))
        return 1
    return _read_date(reading, word, following, today)


def _read_date(reading: _Reading, word: str, following: str, today: date) -> int:
    """Read "today", "tonight", "tomorrow", "this/next week(end)", "next tuesday"; how many words it used."""
    if word == "today":
        reading.dates.append(today)
        return 1
    if word == "tonight":
        reading.dates.append(today)
        reading.parts.append(EVENING)
        return 1
    if word == "tomorrow":
        reading.dates.append(today + timedelta(days=1))
        return 1
    if word in {"this", "next"} and following in {"week", "weekend"}:
        if following == "weekend":
            reading.weekdays |= {5, 6}
        else:
            monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if word == "next" else 0)
            reading.dates.extend(monday + timedelta(days=n) for n in range(7))
        return 2
    if word == "next" and _weekday(following) is not None:
        reading.skip_today = True
        return 1
    if word == "this":
        return 1
    if word == "week":  # "in the week", "during the week"
        reading.weekdays |= set(range(5))
        reading.plural = True
        return 1
    return 0


def _read_part(reading: _Reading, word: str) -> bool:
    """Read a part of the day ("morning", "pm", "evenings"); whether it was one."""
    singular = word[:-1] if word.endswith("s") and word[:-1] in PARTS else word
    if singular not in PARTS:
        return False
    reading.parts.append(PARTS[singular])
    reading.plural = reading.plural or singular != word
    return True


def _clock(tokens: Sequence[str], i: int) -> tuple[time | None, int]:
    """The time named at tokens[i] after "after" or "before": (time, tokens used), or (None, 0)."""
    skipped = 0
    while i + skipped < len(tokens) and tokens[i + skipped] in {"the", "my", "i", "a"}:
        skipped += 1
    words = list(tokens[i + skipped : i + skipped + 3])
    if not words:
        return None, 0
    first, second = words[0], words[1] if len(words) > 1 else ""
    used = 1
    if first == "work":
        clock: time | None = time(17, 30)
    elif first == "school" and second in {"run", "drop", "dropoff"}:
        clock, used = SCHOOL_RUN_ENDS, 2 + int(second == "drop" and words[2:3] == ["off"])
    elif first == "school":
        clock = time(15, 30)
    elif first in {"drop", "dropoff", "nursery"}:
        clock, used = SCHOOL_RUN_ENDS, 1 + int(first == "drop" and second == "off")
    elif first == "half" and second.isdigit():
        # "half 5" is half past five.
        clock = _hour(int(second), 30, None)
        used = 2
    elif first in {"lunch", "noon"}:
        clock = time(13, 0) if first == "lunch" else time(12, 0)
    else:
        match = _CLOCK.match(first)
        if match is None:
            return None, 0
        half = match.group(3)
        if half is None and second in {"am", "pm"}:
            half, used = second, 2
        clock = _hour(int(match.group(1)), int(match.group(2) or 0), half)
    return (clock, skipped + used) if clock is not None else (None, 0)


def _hour(hour: int, minute: int, half: str | None) -> time | None:
    """ "6" is 18:00 (mothers ask about the evening, not 6am), "10" is 10:00, "12" noon."""
    if minute > 59:
        return None
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        return time(hour % 12 + (12 if half == "pm" else 0), minute)
    if hour > 23:
        return None
    if 1 <= hour <= 7:
        hour += 12
    return time(hour, minute)


def _spans(reading: _Reading, here: datetime) -> list[Span]:
    """The reading as spans from `here`, each one clipped to start no earlier than now."""
    today = here.date()
    parts = reading.parts or [(time(0, 0), time(23, 59))]
    weekdays = reading.weekdays or (set(range(5)) if reading.school_run and not reading.dates else set())
    if reading.dates:
        days = sorted(set(reading.dates))
    elif weekdays:
        horizon = 8 if len(weekdays) > 1 else 15  # each weekday's next one, today's included if not over
        days = [today + timedelta(days=n) for n in range(horizon) if (today + timedelta(days=n)).weekday() in weekdays]
        if reading.skip_today:
            days = [day for day in days if day != today]
    elif reading.every_day or reading.plural:
        days = [today + timedelta(days=n) for n in range(7)]
    else:
        days = [today, today + timedelta(days=1)]  # the next such part of the day: today's, or tomorrow's
    spans: list[Span] = []
    for day in days:
        for opens, closes in parts:
            start = max(opens, reading.after) if reading.after else opens
            end = min(closes, reading.before) if reading.before and closes > opens else closes
            overnight = end <= opens
            if start >= end and not overnight:
                continue
            span = (max(_at(day, start), here, key=_utc), _at(day + timedelta(days=int(overnight)), end))
            if _utc(span[1]) > _utc(span[0]):
                spans.append(span)
    single = not (reading.dates or reading.every_day or reading.plural)
    if single and (len(weekdays) <= 1 or reading.school_run):
        return spans[: len(parts)]  # the next one: today's if it has not ended
    if len(weekdays) == 1 and reading.plural:
        return spans[: 2 * len(parts)]  # the next two, so a fortnightly group counts
    return spans


def _ordered(spans: list[Span]) -> tuple[Span, ...]:
    """Spans in time order, joined where one ends as the next begins (23:59 reads as midnight)."""
    joined: list[Span] = []
    for start, end in sorted(set(spans), key=lambda span: _utc(span[0])):
        if joined and _utc(start) - _utc(joined[-1][1]) <= timedelta(minutes=1):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end, key=_utc))
        else:
            joined.append((start, end))
    return tuple(joined)


# --- school holidays ----------------------------------------------------------------------------------------------


def school_holiday(now: datetime, nation: str = "England") -> Span:
    """The current or next school holiday, by the usual pattern: terms are set by each council (and in Scotland each
    authority), so these are the common dates, and a reply that uses them says so.

    England and Wales: Christmas 20 Dec-3 Jan; February half term, the week of the third Monday; Easter, the week
    before Good Friday to the week after Easter Monday; May half term, the week of the late May bank holiday; summer
    22 Jul-31 Aug; October half term, the last full week of October. Scotland: summer 28 Jun-14 Aug, and October the
    middle two weeks; Northern Ireland: summer 1 Jul-31 Aug.
    """
    here = _local(now)
    for span in sorted(_holidays_around(here.year, nation), key=lambda item: item[0]):
        if span[1] >= here.date():
            start = max(_at(span[0], time(0, 0)), here, key=_utc)
            return start, _at(span[1], time(23, 59))
    raise AssertionError("a year always has a next holiday")  # pragma: no cover


def _holidays_around(year: int, nation: str) -> list[tuple[date, date]]:
    """School holidays from the end of last year's Christmas to next year's, as (first day, last day)."""
    found = [(date(year - 1, 12, 20), date(year, 1, 3)), (date(year, 12, 20), date(year + 1, 1, 3))]
    third_monday = _nth_weekday(year, 2, 0, 3)
    found.append((third_monday - timedelta(days=2), third_monday + timedelta(days=6)))
    easter_sunday = _easter(year)
    found.append((easter_sunday - timedelta(days=9), easter_sunday + timedelta(days=8)))
    late_may = _nth_weekday(year, 5, 0, -1)
    found.append((late_may - timedelta(days=2), late_may + timedelta(days=6)))
    if nation == "Scotland":
        found.append((date(year, 6, 28), date(year, 8, 14)))
        found.append(
            (_nth_weekday(year, 10, 0, 2) - timedelta(days=2), _nth_weekday(year, 10, 0, 3) + timedelta(days=6))
        )
    else:
        found.append((date(year, 7, 1) if nation == "Northern Ireland" else date(year, 7, 22), date(year, 8, 31)))
        last_monday = _nth_weekday(year, 10, 0, -1)
        found.append((last_monday - timedelta(days=2), last_monday + timedelta(days=6)))
    return found


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (or, with n = -1, the last) given weekday of a month."""
    days = [
        day for day in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, day).weekday() == weekday
    ]
    return date(year, month, days[n - 1 if n > 0 else n])


def _easter(year: int) -> date:
    """Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


# --- the time phrase inside a longer message ----------------------------------------------------------------------

# Words that name a time wherever they are. Others name one only beside another time word (`_is_time_word`).
_TIME_WORDS = frozenset(
    {
        "today",
        "tonight",
        "tomorrow",
        "weekday",
        "weekdays",
        "weekend",
        "weekends",
        "midweek",
        "morning",
        "mornings",
        "afternoon",
        "afternoons",
        "evening",
        "evenings",
        "night",
        "nights",
        "lunch",
        "daytime",
        "holidays",
        "holiday",
        "hols",
        "asap",
    }
)
_CONNECTIVES = frozenset({"on", "in", "the", "a", "at", "during", "every", "any", "or", "and", ",", "this", "next"})
_CONNECTIVES_INSIDE = _CONNECTIVES | {"to", "-", "only", "day", "days", "week"}
_BEFORE_NOW = frozenset(
    {"right", "open", "talk", "ring", "call", "phone", "text", "chat", "speak", "me", "someone", "somebody", "help"}
)
_SHORT_DAYS = frozenset({"mon", "wed", "sat", "sun", "thu", "tu"})  # "sat down", "wed", "c'mon": only beside a time
_MAX_PHRASE_WORDS = 8


def time_phrase_in(text: str, now: datetime) -> str | None:
    """The longest phrase in a message that names a time we understand ("any groups near EX4 on tuesday mornings
    where i can bring the baby" -> "tuesday mornings"), or None. Read cautiously: "good morning", "last night",
    "I sat down" and "I am" name no time."""
    words = words_of(text)
    marks = [_is_time_word(words, i) for i in range(len(words))]
    for i, word in enumerate(words):
        if marks[i] and (word in AFTER_WORDS or word in BEFORE_WORDS):
            used = _clock(words, i + 1)[1]
            marks[i + 1 : i + 1 + used] = [True] * used  # "after the school run": every word is the time
    best: tuple[int, int, int, int] | None = None  # (time words, length, start, end): most time words win
    for start in range(len(words)):
        leads = words[start] in {"any", "every", "this", "next"} and start + 1 < len(words) and marks[start + 1]
        if not (marks[start] or leads):
            continue
        for end in range(min(len(words), start + _MAX_PHRASE_WORDS), start, -1):
            inside = words[start:end]
            if not marks[end - 1]:
                continue
            if any(
                not (mark or word in _CONNECTIVES_INSIDE) for word, mark in zip(inside, marks[start:end], strict=True)
            ):
                continue
            score = (sum(marks[start:end]), end - start, -start, end)
            if (best is None or score[:3] > best[:3]) and phrase_spans(" ".join(inside), now) is not None:
                best = score
                break
    return None if best is None else " ".join(words[-best[2] : best[3]])


def _is_time_word(words: Sequence[str], i: int) -> bool:
    """Whether words[i] names a time here (see `time_phrase_in`)."""
    word = words[i]
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if word in {"morning", "afternoon", "evening", "night", "nights"} and before in {
        "good",
        "last",
        "all",
        "for",
        "some",
        "one",
        "that",
        "yesterday",
    }:
        return False
    if word in {"day", "days"}:
        return before in {"any", "every"}
    if word in _TIME_WORDS:
        return True
    if word in {"am", "pm"}:
        return bool(_CLOCK.match(before)) or _weekday(before) is not None
    if word == "rn":
        return True
    if word == "now":
        # "someone to talk to now", "can I ring now", "open now"; not "my baby is 3 months now".
        return before in _BEFORE_NOW
    if word in AFTER_WORDS or word in BEFORE_WORDS:
        return _clock(words, i + 1)[0] is not None
    if word in {"week"}:
        return before in {"this", "next", "the"}
    if word in {"half", "term"}:
        return (word, after) == ("half", "term") or (before, word) == ("half", "term")
    if word in _SHORT_DAYS:
        return before in {"on", "this", "next", "or", "and", "every", "a"} or after in {"or", "and", *_TIME_WORDS}
    if word in NOT_DAYS or len(word) < 3:
        return False
    weekday = _weekday(word)
    # Only real day names and their usual short forms: a misspelling must sit beside another time word.
    return weekday is not None and (word.rstrip("s") in _DAY_STEMS or word in _DAY_FORMS)


_DAY_STEMS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_DAY_FORMS = frozenset({"tue", "tues", "weds", "wednes", "thur", "thurs", "fri", "thr"})
