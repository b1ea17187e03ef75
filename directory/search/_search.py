"""The search itself: the steps in order over a snapshot of the directory, then the ranking; and widening."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.geography import Place, resolve_place
from directory.models import DIRECTORY_VERSION_ID, UNCOMMITTED_CHANGE, DirectoryVersion
from directory.schedules import LONDON, Span
from directory.search._queries import _Terms
from directory.search._ranking import _Candidate, _is_night, _rank
from directory.search._remote import _read_remote, _Remote, _remote_candidates, _settle_remote
from directory.search._results import TAG_WORDS, SearchResult, _Asked, _results
from directory.search._venues import _Map, _ranked_local, _Rings


def search(
    session: Session,
    near: str | Place,
    *,
    within_km: float = 20.0,
    at: datetime | None = None,
    during: Sequence[Span] = (),
    now: datetime | None = None,
    tags: Sequence[str] = (),
    include_remote: bool = True,
    own_organizations: frozenset[str] = frozenset(),
    limit: int | None = None,
) -> list[SearchResult]:
    """Services near a place, ranked; raises UnknownPlace / AmbiguousPlace when `near` is a name we cannot place.

    `at` asks about one moment (default: now). `during` asks about a time window instead (a list of spans, like
    `schedules.phrase_spans` gives): a service is open then when it is open at any point of any span, and its result
    says when (`times_in_window`). Days in words ("today", "tomorrow", "Tuesday") count from `now`, the real time;
    without it, from `at` (or the real time, for a window).
    """
    place = resolve_place(near) if isinstance(near, str) else near
    spans = _spans(at, during)
    moment = spans[0][0]
    wanted = tuple(dict.fromkeys(code.strip().lower() for code in tags if code.strip()))
    snapshot = _snapshot(session)
    terms = snapshot.terms
    if any(code not in terms.ids for code in wanted):
        return []  # a tag no service can carry: nothing matches, honestly
    night = _is_night(moment)

    rings = _Rings(place, within_km)
    ranked: list[_Candidate] = []
    if include_remote:
        remote = _remote_candidates(snapshot.remote, snapshot.map, place, wanted, terms, rings)
        _settle_remote(remote, spans, place.country)
        ranked += remote
    ranked += _ranked_local(
        session, rings, wanted, spans, place.country, snapshot.map, terms, night, own_organizations, ranked, limit
    )
    ranked.sort(key=lambda candidate: _rank(candidate, night, own_organizations))
    chosen = ranked if limit is None else ranked[: max(limit, 0)]
    clock = _london(now) if now is not None else spans[0][0] if not during else _london(None)
    # The moment asked about is "now" when none was given, or when it is the same as the real time given.
    asked_now = not during and (at is None or (now is not None and _london(at) == clock))
    asked = _Asked(spans, clock, window=bool(during), now=asked_now)
    return _results(session, chosen, asked, place.country, wanted)


def widen(
    session: Session,
    near: str | Place,
    *,
    at: datetime | None,
    tags: Sequence[str],
    within_km: float,
    during: Sequence[Span] = (),
    now: datetime | None = None,
) -> tuple[list[SearchResult], str]:
    """Widen a search that found nothing: other days, then further away, then without the filters; says which."""
    place = resolve_place(near) if isinstance(near, str) else near
    moment = _london(at) if not during else _spans(None, during)[0][0]
    when: dict[str, Any] = {"during": during, "now": now} if during else {"at": moment, "now": now}
    results = search(session, place, within_km=within_km, tags=tags, **when)
    if any(result.open for result in results):
        return results, ""
    week = moment + timedelta(days=7)
    later = [r for r in results if r.next_open is not None and r.next_open.astimezone(timezone.utc) <= week]
    if later:
        later.sort(key=lambda r: r.next_open.astimezone(timezone.utc) if r.next_open else week)
        return later, f"Nothing open then within {within_km:g} km, so here is what's open later this week."
    for radius in (max(within_km * 2, 40.0), max(within_km * 4, 80.0)):
        further = search(session, place, within_km=radius, tags=tags, **when)
        if further:
            return further, f"Nothing within {within_km:g} km, so here is what's within {radius:g} km."
    if tags:
        untagged = search(session, place, within_km=within_km, **when)
        if untagged:
            asked = ", ".join(TAG_WORDS.get(code, code) for code in tags)
            return untagged, f"Nothing matched {asked}, so here is what's nearby without that filter."
    if results:
        return results, f"Nothing opens within {within_km:g} km in the next week; these are the nearest we know of."
    return [], f"We couldn't find anything within {max(within_km * 4, 80.0):g} km, even at other times."


def _spans(at: datetime | None, during: Sequence[Span]) -> tuple[Span, ...]:
    """The spans asked about, in London time, in order: the window, or the moment `at` (or now) as (m, m)."""
    if during:
        spans = tuple((_london(start), _london(end)) for start, end in during)
        return tuple(sorted(spans, key=lambda span: span[0].astimezone(timezone.utc)))
    moment = _london(at)
    return ((moment, moment),)


def _london(at: datetime | None) -> datetime:
    """The moment asked about, as aware London time (naive means London wall-clock time)."""
    if at is None:
        return datetime.now(LONDON)
    return at.replace(tzinfo=LONDON) if at.tzinfo is None else at.astimezone(LONDON)


@dataclass(frozen=True)
class _Snapshot:
    """What search reads of the directory regardless of place and time: the taxonomy terms, the remote services and
    the map of local venues.

    Read once per directory version (see `_snapshot`), so a search queries only the services ranking reaches.
    """

    terms: _Terms
    remote: tuple[_Remote, ...]  # by service id
    map: _Map  # every venue, tag and opening hour, for the local candidates

    @classmethod
    def read(cls, session: Session) -> _Snapshot:
        """Read the terms, every remote service with its areas, tags and rules, and the map of local venues."""
        terms = _Terms.read(session)
        return cls(terms, _read_remote(session, terms), _Map(session, terms))


# Snapshots of recently used directories, by (database URL, directory version); a few, as a process uses one or two.
_SNAPSHOTS: OrderedDict[tuple[str, int], _Snapshot] = OrderedDict()
_SNAPSHOTS_KEPT = 4
_SNAPSHOTS_LOCK = threading.Lock()


def _snapshot(session: Session) -> _Snapshot:
    """The snapshot of this session's directory: cached while its version is unchanged, else read afresh."""
    connection = session.connection()
    url = connection.engine.url
    # Two in-memory SQLite databases share a URL, and a session's own uncommitted change has no settled version.
    in_memory = url.get_backend_name() == "sqlite" and (url.database or ":memory:") == ":memory:"
    version = connection.scalar(select(DirectoryVersion.version).where(DirectoryVersion.id == DIRECTORY_VERSION_ID))
    if version is None or in_memory or session.info.get(UNCOMMITTED_CHANGE):
        return _Snapshot.read(session)
    key = (url.render_as_string(hide_password=False), version)
    with _SNAPSHOTS_LOCK:
        cached = _SNAPSHOTS.get(key)
        if cached is not None:
            _SNAPSHOTS.move_to_end(key)
            return cached
    # Read after the version: a change committed in between is then at worst in a snapshot filed as older.
    snapshot = _Snapshot.read(session)
    with _SNAPSHOTS_LOCK:
        # Older versions of the same directory are done with: a large directory's map is tens of megabytes.
        for older in [kept for kept in _SNAPSHOTS if kept[0] == key[0] and kept[1] < version]:
            del _SNAPSHOTS[older]
        _SNAPSHOTS[key] = snapshot
        while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
            _SNAPSHOTS.popitem(last=False)
    return snapshot
