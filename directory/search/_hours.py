"""Opening hours: the hours of the week each service could be open in, and the full rules of those that rank."""

from __future__ import annotations

import functools
import operator
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import Connection, Select, or_, select
from sqlalchemy.orm import Session

from directory.models import Schedule, ServiceAtLocation
from directory.schedules import DAY_CODES, ScheduleRule, Span
from directory.search._queries import _among, _ids


@dataclass
class _Rules:
    """Schedule rules of some services: service-wide, and per service_at_location."""

    service: dict[str, list[ScheduleRule]] = field(default_factory=lambda: defaultdict(list))
    venue: dict[str, list[ScheduleRule]] = field(default_factory=lambda: defaultdict(list))

    def for_venue(self, service_id: str, service_at_location_id: str | None) -> list[ScheduleRule]:
        """A venue's own rules when it has them, else the service's."""
        if service_at_location_id is not None and self.venue.get(service_at_location_id):
            return self.venue[service_at_location_id]
        return self.service.get(service_id, [])

    def for_remote(self, service_id: str, venues: Iterable[str]) -> list[ScheduleRule]:
        """A remote service's rules: its own, plus those of its virtual venues."""
        rules = list(self.service.get(service_id, []))
        for venue in venues:
            rules.extend(self.venue.get(venue, []))
        return rules


_WHOLE_WEEK = (1 << (24 * 7)) - 1


@dataclass(frozen=True)
class _Hours:
    """When a schedule row with dates could be open, to the hour (see `_hours_mask`), and between which dates."""

    mask: int
    start: date | None  # valid_from
    end: date | None  # the earlier of valid_to and until


@functools.lru_cache(maxsize=4096)
def _hours_mask(byday: str | None, opens: time, closes: time | None) -> int:
    """The hours of the week a schedule row could be open in: bit 24 * weekday + hour.

    A superset, to the hour, of the minutes the row is open at on its weekdays (an overnight row's small hours count on
    the next day), so it answers "could it be open?" like the SQL test it replaces: never no when the exact check
    (`schedules.open_at`) might say yes. Weekdays are matched like SQL's LIKE '%MO%', ignoring case; no weekdays
    means every day.
    """
    days = [day for day, code in enumerate(DAY_CODES) if code in byday.upper()] if byday else range(7)
    overnight = closes is not None and closes <= opens
    last = 23 if closes is None or overnight or closes >= time(23, 59) else closes.hour
    mask = 0
    for day in days:
        for hour in range(opens.hour, last + 1):
            mask |= 1 << (24 * day + hour)
        if overnight and closes is not None:
            for hour in range(closes.hour + 1):
                mask |= 1 << (24 * ((day + 1) % 7) + hour)
    return mask


def _dated_open(rows: tuple[_Hours, ...], bit: int, today: date, yesterday: date) -> bool:
    """Whether any of these rows could be open in one of the hours in `bit`, from `yesterday` to `today`, within its
    dates."""
    return any(
        row.mask & bit and (row.start is None or row.start <= today) and (row.end is None or row.end >= yesterday)
        for row in rows
    )


def _any_mask(rows: Iterable[_Hours]) -> int:
    """Every hour of the week any of these rows could be open in, whatever their dates."""
    return functools.reduce(operator.or_, (row.mask for row in rows), 0)


@dataclass(frozen=True)
class _WeekHours:
    """The hours of the week each service and each venue (service_at_location) could be open in, from every schedule
    row with times: undated rows as one mask each, rows with dates kept with their dates."""

    service_hours: dict[str, int]
    venue_hours: dict[str, int]
    service_dated: dict[str, tuple[_Hours, ...]]
    venue_dated: dict[str, tuple[_Hours, ...]]

    @classmethod
    def read(cls, connection: Connection) -> _WeekHours:
        """Read the hours of every schedule row with times."""
        intern = sys.intern  # the same strings as the map's service ids
        service_hours: dict[str, int] = defaultdict(int)
        venue_hours: dict[str, int] = defaultdict(int)
        service_dated: dict[str, list[_Hours]] = defaultdict(list)
        venue_dated: dict[str, list[_Hours]] = defaultdict(list)
        rows = select(
            Schedule.service_id,
            Schedule.service_at_location_id,
            Schedule.byday,
            Schedule.opens_at,
            Schedule.closes_at,
            Schedule.valid_from,
            Schedule.valid_to,
            Schedule.until,
        ).where(Schedule.opens_at.is_not(None))
        for service_id, venue_id, byday, opens, closes, valid_from, valid_to, until in connection.execute(rows).all():
            mask = _hours_mask(byday, opens, closes)
            ends = [end for end in (valid_to, until) if end is not None]
            # A row counts for its service and, if it names one, for its venue: as the schedule's two indexes would.
            if valid_from is None and not ends:
                if service_id is not None:
                    service_hours[intern(service_id)] |= mask
                if venue_id is not None:
                    venue_hours[venue_id] |= mask
            else:
                hours = _Hours(mask, valid_from, min(ends) if ends else None)
                if service_id is not None:
                    service_dated[intern(service_id)].append(hours)
                if venue_id is not None:
                    venue_dated[venue_id].append(hours)
        return cls(
            dict(service_hours),
            dict(venue_hours),
            {key: tuple(group) for key, group in service_dated.items()},
            {key: tuple(group) for key, group in venue_dated.items()},
        )

    def services_whenever(self) -> dict[str, int]:
        """Every hour each service could be open in by its own rows, whatever the dates."""
        everything = {
            service_id: mask | _any_mask(self.service_dated.get(service_id, ()))
            for service_id, mask in self.service_hours.items()
        }
        for service_id, dated in self.service_dated.items():
            everything.setdefault(service_id, _any_mask(dated))
        return everything

    def venue_whenever(self, venue_id: str) -> int:
        """Every hour a venue could be open in by its own rows, whatever the dates."""
        return self.venue_hours.get(venue_id, 0) | _any_mask(self.venue_dated.get(venue_id, ()))


@dataclass(frozen=True)
class _CouldOpen:
    """Whether a service could be open at a moment, or in a window, at one of its venues (see `_hours_mask`): a
    schedule row of the service's own, or of the venue's own, in one of those hours of the week (`bit`), within its
    dates (from the day before the first day, `yesterday`, as a row running past midnight counts, to `today`, the
    last day). Only the services in `slow` can need more than their undated hours."""

    hours: _WeekHours
    slow: frozenset[str]
    bit: int
    today: date
    yesterday: date

    @classmethod
    def during(cls, hours: _WeekHours, slow: frozenset[str], spans: Sequence[Span]) -> _CouldOpen:
        """The test for these spans."""
        bits = 0
        for start, end in spans:
            # Wall-clock hours: adding an hour to a London time moves its clock face, as the masks count.
            hour = start.replace(minute=0, second=0, microsecond=0)
            while bits != _WHOLE_WEEK:
                bits |= 1 << (24 * hour.weekday() + hour.hour)
                hour += timedelta(hours=1)
                if hour >= end:  # both London times: compared by the clock face
                    break
        first = min(start.date() for start, _end in spans)
        last = max(end.date() for _start, end in spans)
        return cls(hours, slow, bits, last, first - timedelta(days=1))

    def __call__(self, service_id: str, venue_id: str) -> bool:
        """The test."""
        return bool(self.hours.service_hours.get(service_id, 0) & self.bit) or (
            service_id in self.slow and self.rest(service_id, venue_id)
        )

    def rest(self, service_id: str, venue_id: str) -> bool:
        """The test, for a service in `slow`, beyond its undated hours: its dated rows and its venue's rows."""
        hours, bit, today, yesterday = self.hours, self.bit, self.today, self.yesterday
        return bool(
            hours.venue_hours.get(venue_id, 0) & bit
            or _dated_open(hours.service_dated.get(service_id, ()), bit, today, yesterday)
            or _dated_open(hours.venue_dated.get(venue_id, ()), bit, today, yesterday)
        )


# The columns a rule needs, read as plain rows: building ORM objects for thousands of rows costs more than the query.
_RULE_COLUMNS = (
    Schedule.service_id,
    Schedule.service_at_location_id,
    Schedule.freq,
    Schedule.interval,
    Schedule.byday,
    Schedule.bymonthday,
    Schedule.dtstart,
    Schedule.until,
    Schedule.valid_from,
    Schedule.valid_to,
    Schedule.opens_at,
    Schedule.closes_at,
    Schedule.open_on_bank_holidays,
)


def _load_rules(session: Session, service_ids: Iterable[str], rules: _Rules) -> None:
    """Every schedule of these services (their own rows and their venues'), in one query."""
    ids = sorted(set(service_ids))
    if not ids:
        return
    sqlite, params = _ids(session, ids)
    for row in session.connection().execute(_rules_query(sqlite), params):
        rule = ScheduleRule.from_row(row)
        if row.service_at_location_id is not None:
            rules.venue[row.service_at_location_id].append(rule)
        elif row.service_id is not None:
            rules.service[row.service_id].append(rule)


@functools.lru_cache(maxsize=2)
def _rules_query(sqlite: bool) -> Select[Any]:
    """Every schedule row of the services `ids` and of their venues (`_among`)."""
    venues = select(ServiceAtLocation.id).where(_among(ServiceAtLocation.service_id, sqlite))
    return (
        select(*_RULE_COLUMNS)
        .where(or_(_among(Schedule.service_id, sqlite), Schedule.service_at_location_id.in_(venues)))
        .order_by(Schedule.id)
    )


def _round_the_clock(rules: Sequence[ScheduleRule]) -> bool:
    """Open every hour of every day of the week, with no end date."""
    days: set[str] = set()
    for rule in rules:
        whole_day = rule.opens_at == time(0, 0) and rule.closes_at in (time(0, 0), time(23, 59))
        if whole_day and rule.interval == 1 and rule.valid_to is None and rule.until is None and not rule.bymonthday:
            days |= set(rule.byday) if rule.byday else set(DAY_CODES)
    return days >= set(DAY_CODES)
