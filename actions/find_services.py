"""Search the directory with what the form collected (or for more like a service she chose) and show short cards.

Never invents a service: when nothing fits it says so, then widens the search and says how. Whatever goes wrong,
she gets a kind reply with the 24/7 routes, never silence.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.directory_access import directory_session
from actions.validate_service_search_form import ANY, KINDS, NEEDS, REMOTE
from directory import search as directory_search
from directory.errors import DirectoryError
from directory.geography import Place, resolve_place
from directory.models import Service
from directory.schedules import LONDON, Span
from directory.services import service_tags
from directory.when import HOLIDAY_WORDS, phrase_spans

log = logging.getLogger("nightlight.actions.find_services")

ACTION_NAME = "action_find_services"
MAX_RESULTS = 3
WITHIN_KM = 20.0
FAILURE_ROUTES = ["samaritans", "shout"]
# The kinds of service in the perinatal taxonomy (directory/template/README.md): "more like this" means the same kind.
KIND_TAGS = frozenset(
    {
        "talking-therapy",
        "peer-support",
        "helpline",
        "text-line",
        "crisis",
        "perinatal-mental-health-team",
        "parent-baby-group",
        "online-community",
        "home-visiting",
        "specialist-charity",
    }
)

SAMPLE_NOTICE = "These come from Nightlight's SAMPLE directory: example services, not real ones."
FOUND_NEAR = "Here's what I found near {name}."
FOUND_ANYWHERE = "Here's what I found that you can use from anywhere in the UK."
FOUND_FOR_NI = "Here are phone and online services that work anywhere in the UK, including Northern Ireland."
MORE_LIKE = "Here are some more like {name}."
NOTHING_FITS = "I'm sorry, I couldn't find anything that fits all of that."
NOT_OPEN_THEN = "None of these is open at the time you asked for, but here is when each one opens next."
HOLIDAYS_NOTE = "School holidays differ from area to area: I looked from {start} to {end}."
NOTHING_MORE_LIKE = "I'm sorry, I couldn't find any more like that one."
NOTHING_AT_ALL = (
    "I couldn't find anything else either, and I won't guess. Your health visitor, midwife or GP will know "
    "what's on near you. You could also talk to one of our peer supporters."
)
NOTHING_BUTTONS = [
    {"title": "Who can I talk to?", "payload": "/ask_who_to_talk_to"},
    {"title": "Talk to a person", "payload": "/request_peer_supporter"},
]
WHICH_SERVICE = 'Which one do you mean? Please tap "More like this" under the service you\'d like more of.'
GONE = "I'm sorry, I can't find that service any more. It may have been taken out of the directory."
FAILED = (
    "I'm sorry, I couldn't search the directory just now. That's a problem on our side, not yours. "
    "Please try again a little later. If you'd like to talk to someone now, these are free and open day and night:"
)
# A point in the Irish Sea, far from any local service, so only UK-wide phone, text and online services come back.
ANYWHERE_IN_GB = Place(
    name="the UK", kind="town", outcode="", lat=53.8, lon=-5.4, county="", region="", country="England"
)
ANYWHERE_IN_UK = Place(
    name="the UK", kind="town", outcode="", lat=53.8, lon=-5.4, county="", region="", country="Northern Ireland"
)
RESET_AFTER_SEARCH = ("search_when", "search_kind", "search_need")


@dataclass(frozen=True)
class Reply:
    """One message to send: text, buttons, and data for the gateway (a card, or help routes)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    json_message: dict[str, Any] | None = None

    def send(self, dispatcher: CollectingDispatcher) -> None:
        """Hand the message to Rasa."""
        if self.json_message is None:
            dispatcher.utter_message(text=self.text, buttons=self.buttons)
        else:
            dispatcher.utter_message(text=self.text, buttons=self.buttons, json_message=self.json_message)


@dataclass(frozen=True)
class Where:
    """Where to search from, how to say it, and whether only UK-wide services make sense."""

    place: Place
    intro: str
    remote_only: bool


def failure_reply() -> Reply:
    """What she hears when the directory cannot be searched: kind, with the 24/7 routes rendered by the gateway."""
    return Reply(text=FAILED, json_message={"routes": list(FAILURE_ROUTES)})


def checked_on(day: date | None) -> str:
    """ "Details checked on 1 November 2026", or honest words when nobody has checked."""
    if day is None:
        return "We don't know when these details were last checked."
    return f"Details checked on {day.day} {day:%B %Y}"


def _shown_number(dial: str) -> str:
    """ "+441632960123" -> "01632960123"; short codes as they are."""
    return "0" + dial[3:] if dial.startswith("+44") else dial


def contact_links(tel: str | None, sms: str | None, url: str | None, phone: str | None) -> list[dict[str, str]]:
    """Tap-to-call, tap-to-text and website links; only tel:, sms: and https: ever reach her."""
    links: list[dict[str, str]] = []
    if tel and tel.startswith("tel:"):
        links.append({"kind": "tel", "title": f"Call {phone or _shown_number(tel[4:])}", "url": tel})
    if sms and sms.startswith("sms:"):
        number, _, query = sms[4:].partition("?")
        body = unquote(query.removeprefix("body=")) if query.startswith("body=") else ""
        shown = _shown_number(number)
        links.append({"kind": "sms", "title": f"Text {body} to {shown}" if body else f"Text {shown}", "url": sms})
    if url and url.startswith("https://"):
        links.append({"kind": "https", "title": "Open their website", "url": url})
    return links


def card_buttons(service_id: str) -> list[dict[str, str]]:
    """The three things she can do with a result."""
    entity = f'{{"service_id": "{service_id}"}}'
    return [
        {"title": "More like this", "payload": f"/more_like_this{entity}"},
        {"title": "What happens there?", "payload": f"/ask_service_details{entity}"},
        {"title": "This is wrong or has closed", "payload": f"/report_service_problem{entity}"},
    ]


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# A part of an address that only says which flat or unit, and a house number or a postcode at either end.
_FLAT = re.compile(r"^(flat|apartment|unit|room)\b|^\d+[a-z]?$", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?(\s*-\s*\d+[a-z]?)?\s+", re.IGNORECASE)
_POSTCODE = re.compile(r"\s*\b[A-Z]{1,2}\d[A-Z\d]?(\s*\d[A-Z]{2})?$", re.IGNORECASE)


def venue_area(address: str | None) -> str:
    """A venue's street and town, "Sample Lane, Exeter": never a flat, a house number or a postcode."""
    parts = [part.strip() for part in (address or "").split(",") if part.strip()]
    parts = [part for part in parts if not _FLAT.match(part)]
    if not parts:
        return ""
    street = _POSTCODE.sub("", _HOUSE_NUMBER.sub("", parts[0]))
    town = _POSTCODE.sub("", parts[-1]) if len(parts) > 1 else ""
    return ", ".join(dict.fromkeys(part for part in (street, town) if part))


def when_line(result: directory_search.SearchResult) -> str:
    """One line for when it is open: its times in the window she asked about, or when it next opens."""
    if result.times_in_window:
        return f"Open {result.times_in_window}"
    return _sentence_start(result.next_open_text)


def where_line(result: directory_search.SearchResult) -> str:
    """Where it is: the venue's street and town, or what kind of service it is when it has no venue."""
    if result.remote:
        return _sentence_start(result.reason.split(", ", 1)[0])
    return venue_area(result.address)


def card(result: directory_search.SearchResult) -> Reply:
    """A result as one short message: name, why it fits, when it next opens, when it was checked."""
    lines = [result.name, _sentence_start(result.reason), _sentence_start(result.next_open_text)]
    lines.append(checked_on(result.assured_date))
    data = {
        "service_id": result.service_id,
        "name": result.name,
        "reason": result.reason,
        "when": when_line(result),
        "where": where_line(result),
        "next_open": None if result.next_open is None else result.next_open.isoformat(),
        "links": contact_links(result.tel, result.sms, result.url, result.phone),
        "checked": None if result.assured_date is None else result.assured_date.isoformat(),
        "sample": result.sample,
    }
    # Several lines can say the same thing ("open now" twice); each is said once.
    text = "\n".join(dict.fromkeys(line for line in lines if line))
    return Reply(text=text, buttons=card_buttons(result.service_id), json_message={"card": data})


def where_to_search(value: str | None) -> Where:
    """The place in the slot, or UK-wide when she skipped it, is in Northern Ireland, or it no longer resolves."""
    if value == REMOTE:
        return Where(ANYWHERE_IN_UK, FOUND_FOR_NI, remote_only=True)
    if value and value != ANY:
        try:
            place = resolve_place(value)
        except DirectoryError:
            pass
        else:
            return Where(place, FOUND_NEAR.format(name=place.name), remote_only=False)
    return Where(ANYWHERE_IN_GB, FOUND_ANYWHERE, remote_only=True)


@dataclass(frozen=True)
class When:
    """The window she named, as spans (none: "now", and the search says "open now"), and a note to say about it."""

    spans: tuple[Span, ...] = ()
    note: str = ""


def when_to_search(value: str | None, now: datetime, nation: str = "England") -> When:
    """The spans of the window she named; "now" (or a time we no longer understand) searches the present moment."""
    if not value or value == ANY:
        return When()
    spans = phrase_spans(value, now, nation=nation)
    if spans is None or (len(spans) == 1 and spans[0][0] <= now and spans[0][1] - now <= timedelta(hours=1)):
        return When()
    if HOLIDAY_WORDS.search(value.lower()):
        start, end = spans[0][0], spans[-1][1]
        return When(spans, HOLIDAYS_NOTE.format(start=f"{start.day} {start:%b}", end=f"{end.day} {end:%b}"))
    return When(spans)


def tags_for(kind: str | None, need: str | None) -> list[str]:
    """Taxonomy codes from her answers; "any" adds none."""
    return [code for code, allowed in ((kind, KINDS), (need, NEEDS)) if code in allowed and code is not None]


def _with_notice(text: str, results: list[directory_search.SearchResult]) -> str:
    return f"{text}\n\n{SAMPLE_NOTICE}" if any(result.sample for result in results) else text


def results_replies(
    session: Session,
    where: Where,
    when: When,
    tags: list[str],
    found_text: str,
    nothing_text: str,
    exclude: str | None = None,
    own: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> list[Reply]:
    """Search, widen if nothing fits, and turn what was found into an opening message and cards.

    `own` holds the organisations of the charity whose widget or bot she is using; they rank first among equals.
    """

    def usable(results: list[directory_search.SearchResult]) -> list[directory_search.SearchResult]:
        kept = [r for r in results if r.service_id != exclude and (r.remote or not where.remote_only)]
        return kept[:MAX_RESULTS]

    clock = now or datetime.now(LONDON)
    window: dict[str, Any] = {"during": when.spans, "now": clock} if when.spans else {"at": clock, "now": clock}
    found_text = f"{found_text} {when.note}".strip()
    results = usable(
        directory_search.search(session, where.place, within_km=WITHIN_KM, tags=tags, own_organizations=own, **window)
    )
    if results and (not when.spans or any(result.open for result in results)):
        return [Reply(text=_with_notice(found_text, results)), *(card(result) for result in results)]
    # Nothing at all, or nothing open when she asked for a time: say so, then widen and say how.
    widened_results, sentence = directory_search.widen(
        session, where.place, tags=tags, within_km=WITHIN_KM, **{"at": None, **window}
    )
    widened = usable(widened_results)
    if widened:
        opening = f"{nothing_text} {sentence}" if sentence else found_text
        return [Reply(text=_with_notice(opening, widened)), *(card(result) for result in widened)]
    if results:
        return [Reply(text=_with_notice(NOT_OPEN_THEN, results)), *(card(result) for result in results)]
    return [Reply(text=f"{nothing_text} {NOTHING_AT_ALL}", buttons=list(NOTHING_BUTTONS))]


def plan_search(
    session: Session, slots: dict[str, Any], now: datetime, own: frozenset[str] = frozenset()
) -> list[Reply]:
    """The replies for a search from the form's answers."""
    where = where_to_search(slots.get("search_place"))
    when = when_to_search(slots.get("search_when"), now, where.place.country)
    tags = tags_for(slots.get("search_kind"), slots.get("search_need"))
    return results_replies(session, where, when, tags, where.intro, NOTHING_FITS, own=own, now=now)


def plan_more_like(
    session: Session, service_id: str, place_value: str | None, own: frozenset[str] = frozenset()
) -> list[Reply]:
    """The replies for "more like this": the same kind of service, without the one she chose."""
    service = session.get(Service, service_id)
    if service is None:
        return [Reply(text=GONE)]
    kinds = [code for code in service_tags(session, service_id) if code in KIND_TAGS]
    where = where_to_search(place_value)
    return results_replies(
        session,
        where,
        When(),
        kinds,
        MORE_LIKE.format(name=service.name),
        NOTHING_MORE_LIKE,
        exclude=service_id,
        own=own,
    )


def entity_value(tracker: Tracker, entity: str) -> str | None:
    """The value of an entity in her latest message (our buttons carry them), if any."""
    for item in tracker.latest_message.get("entities") or []:
        if isinstance(item, dict) and item.get("entity") == entity and isinstance(item.get("value"), str):
            return str(item["value"])
    return None


def own_organizations(tracker: Tracker) -> frozenset[str]:
    """The organisations of the charity she came through, as the gateway put them in the message's metadata."""
    metadata = tracker.latest_message.get("metadata") or {}
    tenant = metadata.get("tenant") if isinstance(metadata, dict) else None
    ids = tenant.get("organizations") if isinstance(tenant, dict) else None
    if not isinstance(ids, list):
        return frozenset()
    return frozenset(str(i) for i in ids if isinstance(i, str))


def plan(tracker: Tracker) -> list[Reply]:
    """Work out the replies (runs in a worker thread: the directory is a blocking database)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    own = own_organizations(tracker)
    with directory_session() as session:
        if intent == "more_like_this":
            service_id = entity_value(tracker, "service_id")
            if service_id is None:
                return [Reply(text=WHICH_SERVICE)]
            return plan_more_like(session, service_id, tracker.get_slot("search_place"), own)
        return plan_search(session, tracker.slots, local_now(), own)


def local_now() -> datetime:
    """The time now in the UK, which a search reads its hours against (tests set it to a known moment)."""
    return datetime.now(LONDON)


class ActionFindServices(Action):
    """Show up to three services that fit what she asked, honestly, with a reply whatever happens."""

    def name(self) -> str:
        """The name the domain calls this action by."""
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send what the search found, or the kind failure reply with the 24/7 routes; then forget when, kind, need."""
        try:
            replies = await asyncio.to_thread(plan, tracker)
        except Exception as error:  # any failure at all: she must still get an answer
            log.error("service search failed: %s", type(error).__name__)
            replies = [failure_reply()]
        for reply in replies:
            reply.send(dispatcher)
        # A new search starts fresh, but she is still in the same area.
        return [SlotSet(slot, None) for slot in RESET_AFTER_SEARCH]
