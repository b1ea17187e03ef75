"""Cell parsers: each turns the text of one CSV cell into a value, or says what the cell should hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from directory.errors import InvalidPhoneNumber
from directory.models import ID_LENGTH
from directory.phones import tel_link


class _Invalid(ValueError):
    """A cell that does not parse; the message says what is expected."""


@dataclass(frozen=True)
class _Adjusted:
    """A cell accepted only after the importer changed it; `note` tells the person who wrote it what changed."""

    value: Any
    note: str


# (field name, non-blank text) -> value, an _Adjusted value (loaded, with a warning), or raises _Invalid
Parser = Callable[[str, str], Any]


def _text(_name: str, value: str) -> str:
    return value


def _identifier(name: str, value: str) -> str:
    if len(value) > ID_LENGTH:
        raise _Invalid(f"{name} must be at most {ID_LENGTH} characters")
    return value


def _https_url(name: str, value: str) -> str | _Adjusted:
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = urlsplit("")  # a malformed address (an unclosed "[" in the host): refused below as no address at all
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.netloc:
        return value
    if scheme == "http" and parts.netloc:
        # HSDS allows any URI, and many sites still list http:// addresses that redirect; we only ever link https.
        upgraded = "https" + value[len(parts.scheme) :]
        return _Adjusted(
            upgraded, f"{name} was an http:// link, so it was changed to {upgraded}; check that the new link opens"
        )
    if scheme and scheme not in {"http", "https"}:
        raise _Invalid(f"{name} must be an https:// link (only https: links are kept); '{scheme}:' links are refused")
    raise _Invalid(f"{name} must be a web address starting with https://, like https://example.org/groups")


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email(name: str, value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise _Invalid(f"{name} must be an email address like hello@example.org")
    return value


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(name: str, value: str) -> date:
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise _Invalid(f"{name} must be a date like 2025-09-01 (YYYY-MM-DD)")


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_TIME_WITH_ZONE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:Z|[+-]\d{2}:?\d{2})", re.IGNORECASE)


def _time(name: str, value: str) -> time:
    match = _TIME.fullmatch(value)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
        # "24:00" is a common way to write "closes at midnight"; it is stored as 00:00, which runs past midnight.
        if name == "closes_at" and (hour, minute, second) == (24, 0, 0):
            return time(0, 0)
    if _TIME_WITH_ZONE.fullmatch(value):
        raise _Invalid(f"{name} must be a local time like 09:30 (Europe/London), without a time zone")
    raise _Invalid(f"{name} must be a time like 09:30")


def _timestamp(name: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _Invalid(f"{name} must be a date and time like 2025-09-01T10:30:00Z") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _integer(low: int | None = None, high: int | None = None, example: str = "1") -> Parser:
    def parse(name: str, value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise _Invalid(f"{name} must be a whole number like {example}") from None
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Invalid(f"{name} must be a whole number from {low} to {high}")
        return number

    return parse


def _coordinate(limit: float) -> Parser:
    def parse(name: str, value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise _Invalid(f"{name} must be a decimal number like 50.7236") from None
        if not -limit <= number <= limit:
            raise _Invalid(f"{name} must be between -{limit:g} and {limit:g}")
        return number

    return parse


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _boolean(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _Invalid(f"{name} must be true or false")


def _one_of(*choices: str, upper: bool = False) -> Parser:
    def parse(name: str, value: str) -> str:
        normalised = value.upper() if upper else value.lower()
        if normalised not in choices:
            options = ", ".join(choices[:-1]) + f" or {choices[-1]}"
            raise _Invalid(f"{name} must be {options}")
        return normalised

    return parse


_DAY = r"(MO|TU|WE|TH|FR|SA|SU)"
_BYDAY_PART = re.compile(r"([+-]?[1-5])?" + _DAY)


def _byday(name: str, value: str) -> str:
    parts = [part.strip().upper() for part in value.split(",")]
    for part in parts:
        if not _BYDAY_PART.fullmatch(part):
            raise _Invalid(
                f"{name} must be days like MO,TH, or with freq MONTHLY an occurrence like 2TU (second Tuesday) "
                f"or -1FR (last Friday); '{part}' is not one"
            )
    return ",".join(parts)


def _number_list(low: int, high: int, example: str) -> Parser:
    def parse(name: str, value: str) -> str:
        parts = [part.strip() for part in value.split(",")]
        for part in parts:
            try:
                number = int(part)
            except ValueError:
                number = 0
            if number == 0 or not low <= number <= high:
                raise _Invalid(
                    f"{name} must be numbers from {low} to {high} (not 0) separated by commas, like {example}"
                )
        return ",".join(parts)

    return parse


_ZONES: set[str] = set()


def _timezone(name: str, value: str) -> str:
    try:
        if -12 <= float(value) <= 14:
            return value
    except ValueError:
        if not _ZONES:
            _ZONES.update(available_timezones())
        if value in _ZONES:
            return value
    raise _Invalid(f"{name} must be a UTC offset in hours like 0, or a zone name like Europe/London")


def _phone_number(name: str, value: str) -> str:
    if '"' in value:
        raise _Invalid(f"{name} must be a phone number without quotation marks, like 01632 960123")
    try:
        tel_link(value)  # a number a result card can link to
    except InvalidPhoneNumber:
        raise _Invalid(f"{name} must be a phone number like 01632 960123 or +44 1632 960123") from None
    # Kept exactly as given: people recognise the number the way the service writes it.
    return value


def _country(name: str, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", value):
        raise _Invalid(f"{name} must be a two-letter code like GB")
    return value.upper()
