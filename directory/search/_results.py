"""Results and reasons: the details of the services returned, one query per table, and a line on why each fits."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from directory.errors import InvalidPhoneNumber
from directory.models import Address, Attribute, Location, Organization, Phone, Service, ServiceAtLocation, TaxonomyTerm
from directory.phones import sms_link, tel_link
from directory.schedules import ScheduleRule, Span, describe_next, describe_rule, describe_span, next_open, windows_in
from directory.search._hours import _load_rules, _round_the_clock, _Rules
from directory.search._queries import _among, _ids
from directory.search._ranking import _Candidate

MAX_REASON_TAGS = 3
MAX_TIMES_SHOWN = 2
SAMPLE_SUFFIX = "(sample)"
SAMPLE_PREFIX = "SAMPLE DATA"
# How each tag reads in a one-line reason, in the order they matter to her.
TAG_WORDS = {
    "perinatal-mental-health-team": "perinatal mental health team",
    "baby-welcome": "babies welcome",
    "creche": "crèche",
    "partners-welcome": "partners welcome",
    "dads": "for dads",
    "young-parents": "for young parents",
    "birth-trauma": "birth trauma support",
    "loss": "support after loss",
    "term-time-only": "term time only",
    "specialist-charity": "specialist charity",
    "self-referral": "no referral needed",
    "gp-referral": "needs a GP referral",
    "home-visiting": "home visits",
    "free": "free",
}
_TEXT_KEYWORD = re.compile(r"\b[Tt]ext\s+(?:the word\s+)?([A-Z][A-Z0-9]+)\b")


@dataclass(frozen=True)
class SearchResult:
    """One service found, with everything a result card needs."""

    service_id: str
    name: str
    organization: str
    description: str
    distance_km: float | None
    remote: bool
    open: bool
    next_open: datetime | None
    next_open_text: str
    schedule_text: str
    tags: tuple[str, ...]
    reason: str
    times_in_window: str
    phone: str | None
    tel: str | None
    sms: str | None
    url: str | None
    email: str | None
    address: str | None
    assured_date: date | None
    sample: bool

    def as_json(self) -> dict[str, object]:
        """JSON-ready fields (interface 4): times as ISO London time, the date as ISO."""
        return {
            "service_id": self.service_id,
            "name": self.name,
            "organization": self.organization,
            "description": self.description,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
            "remote": self.remote,
            "open": self.open,
            "next_open": None if self.next_open is None else self.next_open.isoformat(),
            "next_open_text": self.next_open_text,
            "schedule_text": self.schedule_text,
            "tags": list(self.tags),
            "reason": self.reason,
            "times_in_window": self.times_in_window,
            "phone": self.phone,
            "tel": self.tel,
            "sms": self.sms,
            "url": self.url,
            "email": self.email,
            "address": self.address,
            "assured_date": None if self.assured_date is None else self.assured_date.isoformat(),
            "sample": self.sample,
        }


@dataclass(frozen=True)
class _Asked:
    """When she asked about (spans), the real time (`clock`), and whether it was a window or "now"."""

    spans: tuple[Span, ...]
    clock: datetime
    window: bool
    now: bool


def _results(
    session: Session,
    chosen: list[_Candidate],
    asked: _Asked,
    nation: str,
    wanted: Sequence[str],
) -> list[SearchResult]:
    """Full results for the chosen candidates, with every detail loaded in one query per table."""
    if not chosen:
        return []
    ids = [candidate.service_id for candidate in chosen]
    rules = _Rules()
    missing = [c.service_id for c in chosen if not c.remote and not c.rules]
    _load_rules(session, missing, rules)
    sqlite, params = _ids(session, ids)
    services = {row.id: row for row in session.execute(_details_query(sqlite), params)}
    tags = _tags_of(session, ids)
    phones = _phones_of(session, ids)
    addresses = _addresses_of(session, [c.location_id for c in chosen if c.location_id])
    virtual_urls = _virtual_urls(session, [c.service_id for c in chosen if c.remote])
    results: list[SearchResult] = []
    for candidate in chosen:
        service = services[candidate.service_id]
        organized = service.organization_id is not None
        if not candidate.rules and not candidate.remote:
            candidate.rules = rules.for_venue(candidate.service_id, candidate.service_at_location_id)
        upcoming = next_open(candidate.rules, asked.spans[0][0], nation=nation) if candidate.rules else None
        codes = tags.get(candidate.service_id, ())
        phone, tel, sms = _contacts(phones.get(candidate.service_id, []))
        # Cards speak from the real time: "opens today" must not mean the day she asked about.
        same = asked.clock == asked.spans[0][0]
        from_now = upcoming if same or not candidate.rules else next_open(candidate.rules, asked.clock, nation=nation)
        next_text = _next_text(candidate, asked.clock, from_now)
        in_window = _times_in_window(candidate, asked, nation)
        results.append(
            SearchResult(
                service_id=service.id,
                name=service.name,
                organization=service.organization_name if organized else "",
                description=service.description or "",
                distance_km=None if candidate.remote else candidate.distance,
                remote=candidate.remote,
                open=candidate.open,
                next_open=upcoming,
                next_open_text=next_text,
                schedule_text=_schedule_text(candidate.rules),
                tags=codes,
                reason=_reason(candidate, codes, next_text, wanted, asked.now, in_window),
                times_in_window=in_window,
                phone=phone,
                tel=tel,
                sms=sms,
                url=service.url
                or virtual_urls.get(service.id)
                or (service.organization_website if organized else None),
                email=service.email or (service.organization_email if organized else None),
                address=addresses.get(candidate.location_id) if candidate.location_id else None,
                assured_date=service.assured_date,
                sample=_is_sample(service.name, service.description)
                or (organized and _is_sample(service.organization_name, service.organization_description)),
            )
        )
    return results


@functools.lru_cache(maxsize=2)
def _details_query(sqlite: bool) -> Select[Any]:
    """What a result card shows of the services `ids` and their organisations (`_among`): plain columns, not ORM
    objects, as the services' other columns can be long."""
    return (
        select(
            Service.id,
            Service.name,
            Service.description,
            Service.url,
            Service.email,
            Service.assured_date,
            Organization.id.label("organization_id"),
            Organization.name.label("organization_name"),
            Organization.description.label("organization_description"),
            Organization.website.label("organization_website"),
            Organization.email.label("organization_email"),
        )
        .outerjoin(Organization, Organization.id == Service.organization_id)
        .where(_among(Service.id, sqlite))
    )


@functools.lru_cache(maxsize=2)
def _tags_query(sqlite: bool) -> Select[Any]:
    """The taxonomy codes of the services `ids` (`_among`), in the order they were given."""
    return (
        select(Attribute.link_id, TaxonomyTerm.code)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(Attribute.link_entity == "service", _among(Attribute.link_id, sqlite))
        .order_by(Attribute.link_id, Attribute.id)
    )


@functools.lru_cache(maxsize=2)
def _phones_query(sqlite: bool) -> Select[Any]:
    """The phones of the services `ids` (`_among`)."""
    return (
        select(Phone.service_id, Phone.number, Phone.type, Phone.description)
        .where(_among(Phone.service_id, sqlite))
        .order_by(Phone.id)
    )


@functools.lru_cache(maxsize=2)
def _addresses_query(sqlite: bool) -> Select[Any]:
    """The addresses of the locations `ids` (`_among`)."""
    return (
        select(Address.location_id, Address.address_1, Address.address_2, Address.city, Address.postal_code)
        .where(_among(Address.location_id, sqlite))
        .order_by(Address.address_type, Address.id)
    )


@functools.lru_cache(maxsize=2)
def _virtual_urls_query(sqlite: bool) -> Select[Any]:
    """The links of the virtual locations of the services `ids` (`_among`)."""
    return (
        select(ServiceAtLocation.service_id, Location.url)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(_among(ServiceAtLocation.service_id, sqlite), Location.url.is_not(None))
    )


def _tags_of(session: Session, service_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Perinatal taxonomy codes of each service, in the order they were given."""
    found: dict[str, list[str]] = defaultdict(list)
    sqlite, params = _ids(session, service_ids)
    for service_id, code in session.connection().execute(_tags_query(sqlite), params):
        if code and code not in found[service_id]:
            found[service_id].append(code)
    return {service_id: tuple(codes) for service_id, codes in found.items()}


class _Phone(NamedTuple):
    """The columns of a phone that a result card shows."""

    number: str
    type: str | None
    description: str | None


def _phones_of(session: Session, service_ids: Sequence[str]) -> dict[str, list[_Phone]]:
    """Phones of each service."""
    found: dict[str, list[_Phone]] = defaultdict(list)
    sqlite, params = _ids(session, service_ids)
    for service_id, number, kind, description in session.execute(_phones_query(sqlite), params):
        if service_id:
            found[service_id].append(_Phone(number, kind, description))
    return found


def _addresses_of(session: Session, location_ids: Sequence[str]) -> dict[str, str]:
    """One line per location: "12 Example Street, Exeter EX4"."""
    found: dict[str, str] = {}
    sqlite, params = _ids(session, location_ids)
    for location_id, address_1, address_2, city, postal_code in session.execute(_addresses_query(sqlite), params):
        if location_id in found:
            continue
        street = ", ".join(part for part in (address_1, address_2) if part)
        if city and city.lower() not in street.lower():
            street = f"{street}, {city}" if street else city
        line = f"{street} {postal_code}".strip() if postal_code else street
        if line:
            found[location_id] = line
    return found


def _virtual_urls(session: Session, service_ids: Sequence[str]) -> dict[str, str]:
    """The joining link of each remote service's virtual location."""
    if not service_ids:
        return {}
    sqlite, params = _ids(session, service_ids)
    return {
        service_id: url for service_id, url in session.connection().execute(_virtual_urls_query(sqlite), params) if url
    }


def _contacts(phones: list[_Phone]) -> tuple[str | None, str | None, str | None]:
    """(number to show, tel: link, sms: link with what to send when the data says)."""
    voice = next((p for p in phones if (p.type or "voice") in ("voice", "cell", "")), None)
    text = next((p for p in phones if p.type == "text"), None) or next((p for p in phones if p.type == "cell"), None)
    tel = sms = None
    try:
        tel = tel_link(voice.number) if voice else None
    except InvalidPhoneNumber:
        tel = None
    if text is not None:
        keyword = _TEXT_KEYWORD.search(text.description or "")
        try:
            sms = sms_link(text.number, keyword.group(1) if keyword else None)
        except InvalidPhoneNumber:
            sms = None
    shown = voice or text
    return (shown.number if shown else None), tel, sms


def _is_sample(name: str | None, description: str | None) -> bool:
    """Sample data is marked by name and description (see directory/sample/README.md)."""
    return (name or "").rstrip().endswith(SAMPLE_SUFFIX) or (description or "").lstrip().startswith(SAMPLE_PREFIX)


def _schedule_text(rules: Sequence[ScheduleRule]) -> str:
    """The rules in words, each distinct line once ("Fridays 12:30-14:30, term time only")."""
    if not rules:
        return "opening times not listed"
    ordered = sorted(rules, key=lambda rule: (rule.valid_from or date.min, rule.opens_at or time.min))
    return "; ".join(dict.fromkeys(describe_rule(rule) for rule in ordered))


def _next_text(candidate: _Candidate, clock: datetime, upcoming: datetime | None) -> str:
    """When it next opens from the real time `clock`, in words ("opens Tuesday 10:00", "opens 15 Dec at 10:00");
    "tonight" reads better than "today" for an evening session."""
    if not candidate.rules:
        return "opening times not listed"
    text = describe_next(clock, upcoming)
    if upcoming is not None and text.startswith("opens today") and upcoming.hour >= 18:
        text = text.replace("opens today", "opens tonight", 1)
    return text


def _times_in_window(candidate: _Candidate, asked: _Asked, nation: str) -> str:
    """The openings that fall in the window she named, counted from now ("Tuesday 10:00-11:30"); "" if none or no
    window was asked about. Round-the-clock lines say so in their reason instead."""
    if not asked.window or not candidate.open or candidate.round_the_clock or _round_the_clock(candidate.rules):
        return ""
    openings = windows_in(candidate.rules, asked.spans, nation=nation)
    shown = [describe_span(asked.clock, opens, closes) for opens, closes in openings[:MAX_TIMES_SHOWN]]
    more = len(openings) - len(shown)
    if more > 0:
        return f"{', '.join(shown)} and {more} more"
    return " and ".join(shown)


def _kind(codes: Sequence[str]) -> str:
    """What a remote service is, in two words."""
    if "text-line" in codes and not ({"helpline", "phone"} & set(codes)):
        return "text line"
    if "helpline" in codes or "phone" in codes:
        return "phone and text line" if "text-line" in codes else "phone line"
    if "online-community" in codes:
        return "online community"
    return "online"


def _reason(
    candidate: _Candidate,
    codes: Sequence[str],
    next_text: str,
    wanted: Sequence[str],
    asked_now: bool,
    in_window: str = "",
) -> str:
    """One line saying why this result fits: "open now, 1.2 km, babies welcome, crèche"."""
    parts: list[str] = []
    if candidate.remote:
        kind = _kind(codes)
        parts.append(f"24/7 {kind}" if candidate.round_the_clock else kind)
    if not (candidate.remote and candidate.round_the_clock):
        if candidate.open:
            parts.append("open now" if asked_now else f"open {in_window}" if in_window else "open then")
        else:
            parts.append(next_text)
    if candidate.distance is not None and not candidate.remote:
        parts.append(f"{candidate.distance:.1f} km")
    asked = [code for code in wanted if code in TAG_WORDS]
    others = [code for code in TAG_WORDS if code in codes and code not in asked]
    if "crisis" in codes and candidate.remote:
        others.insert(0, "crisis")
    words = {**TAG_WORDS, "crisis": "crisis support"}
    parts.extend(words[code] for code in (asked + others)[:MAX_REASON_TAGS])
    return ", ".join(parts)
