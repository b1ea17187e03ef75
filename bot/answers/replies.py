"""What the gateway sends back: messages with buttons and a link, rendered from Rasa's output for any channel."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.answers.nation_answers import Adapted
from bot.contacts import Contacts

# A button payload is an intent, "/ask_self_referral", optionally with entities the service search uses:
# '/inform{"search_place": "Newport, Isle of Wight"}'. Only these keys, and only plain values, are accepted.
PAYLOAD_ENTITIES = frozenset({"search_place", "search_when", "search_need", "search_kind", "service_id"})
PAYLOAD_PATTERN = re.compile(r"^/([a-z][a-z0-9_]{0,63})(\{.{0,400}\})?$")
ENTITY_VALUE = re.compile(r"^[A-Za-z0-9 ,.'()&:/-]{0,80}$")
# What an answer can tell the gateway: "distress" raises the safety level, "handoff" asks it to offer a person,
# "support" says the answer already leads with support (so no support line is put before it).
SIGNALS = frozenset({"distress", "handoff", "support"})
# Rasa's own intents that must never be triggered from outside.
RESERVED_INTENTS = frozenset({"restart", "session_start", "back", "nlu_fallback", "out_of_scope_internal"})


# Intents the gateway answers itself (the offer of a peer supporter), which Rasa's domain does not list.
GATEWAY_INTENTS = frozenset(
    {
        "handoff_accept",
        "handoff_accept_transcript",
        "handoff_decline",
        "handoff_back_to_bot",
        "safety_check_yes",
        "safety_check_struggling",
        "safety_check_ok",
    }
)
DOMAIN_DIR = Path(__file__).resolve().parents[2] / "domain"


@functools.cache
def known_intents(domain_dir: Path = DOMAIN_DIR) -> frozenset[str]:
    """Every intent in Rasa's domain files, and the gateway's own: a payload naming any other is refused here,
    before Rasa could log it."""
    intents: set[str] = set(GATEWAY_INTENTS)
    for path in sorted(domain_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for intent in data.get("intents") or ():
            intents.update([intent] if isinstance(intent, str) else intent if isinstance(intent, dict) else ())
    return frozenset(intents)


def is_button_payload(payload: str) -> bool:
    """True for a payload a button of ours could carry: a known intent, with only the entities searches use."""
    match = PAYLOAD_PATTERN.match(payload)
    if not match or match.group(1) in RESERVED_INTENTS or match.group(1) not in known_intents():
        return False
    if match.group(2) is None:
        return True
    try:
        entities = json.loads(match.group(2))
    except json.JSONDecodeError:
        return False
    return (
        isinstance(entities, dict)
        and 0 < len(entities) <= 3
        and all(
            key in PAYLOAD_ENTITIES and isinstance(value, str) and ENTITY_VALUE.match(value)
            for key, value in entities.items()
        )
    )


# Each route as (key, value) pairs: id, name, line, and tel/call and sms/text when it has them.
Taps = tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class Button:
    """A choice she can tap; the payload goes back to Rasa as an intent."""

    title: str
    payload: str


@dataclass(frozen=True)
class Link:
    """A "read more" page (https only)."""

    title: str
    url: str


@dataclass(frozen=True)
class CardLink:
    """A way to get in touch from a service card: only tel:, sms: and https: links exist."""

    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class Card:
    """A service found in the directory."""

    service_id: str
    name: str
    reason: str
    next_open: str
    checked: str
    sample: bool
    links: tuple[CardLink, ...] = ()
    when: str = ""  # one line: when it is open
    where: str = ""  # the venue's street and town, or the kind of service it is (a phone line)

    def as_dict(self) -> dict[str, Any]:
        """The card as the API sends it."""
        data: dict[str, Any] = {
            "service_id": self.service_id,
            "name": self.name,
            "reason": self.reason,
            "next_open": self.next_open,
            "checked": self.checked,
            "sample": self.sample,
            "links": [{"kind": link.kind, "title": link.title, "url": link.url} for link in self.links],
        }
        for key, value in (("when", self.when), ("where", self.where)):
            if value:
                data[key] = value
        return data


@dataclass(frozen=True)
class BotMessage:
    """One message from Nightlight, in a form every channel can render."""

    text: str
    buttons: tuple[Button, ...] = ()
    link: Link | None = None
    kind: str = "answer"  # "answer", "crisis", "fallback"
    routes: tuple[str, ...] = field(default=())
    # Set when an answer is itself a sign of distress (the answer for feeling low): it raises the safety level.
    signal: str = ""
    card: Card | None = None
    # The routes listed in the text (one "• " line each, in order), with links to call or text them in one tap.
    taps: Taps = ()

    def as_dict(self) -> dict[str, Any]:
        """The REST API's shape: {"text", "buttons", "link"?, "kind"}."""
        data: dict[str, Any] = {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            "kind": self.kind,
        }
        if self.link:
            data["link"] = {"title": self.link.title, "url": self.link.url}
        if self.card:
            data["card"] = self.card.as_dict()
        if self.taps:
            data["routes"] = [dict(route) for route in self.taps]
        return data

    def plain_text(self) -> str:
        """The message as plain text, with the read-more link written out (for text-only channels)."""
        if self.link is None:
            return self.text
        return f"{self.text}\n\nRead more: {self.link.title} {self.link.url}"


def with_routes(text: str, route_ids: Iterable[str], contacts: Contacts, nation: str = "england") -> str:
    """Append one line per help route for her nation, rendered from the contacts data, to a message."""
    lines = contacts.lines(route_ids, nation)
    if not lines:
        return text
    return text.rstrip() + "\n" + "\n".join(f"• {line}" for line in lines)


def route_taps(
    route_ids: Iterable[str], contacts: Contacts, nation: str = "england"
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The tap-to-call form of the routes `with_routes` lists, in the same order."""
    return tuple(tuple(contact.taps().items()) for contact in contacts.for_nation(route_ids, nation))


def _buttons(raw: object) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    buttons = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        title, payload = str(item.get("title", "")).strip(), str(item.get("payload", "")).strip()
        if title and is_button_payload(payload):
            buttons.append(Button(title=title, payload=payload))
    return tuple(buttons)


def _link(raw: object) -> Link | None:
    if not isinstance(raw, dict):
        return None
    title, url = str(raw.get("title", "")).strip(), str(raw.get("url", "")).strip()
    if title and url.startswith("https://") and not re.search(r"\s", url):
        return Link(title=title, url=url)
    return None


LINK_PATTERNS = {
    "tel": re.compile(r"^tel:\+?[0-9]{3,15}$"),
    "sms": re.compile(r"^sms:\+?[0-9]{3,15}(\?body=[A-Za-z0-9]{1,20})?$"),
    "https": re.compile(r"^https://[^\s<>\"']{1,300}$"),
}


def _card(raw: object) -> Card | None:
    if not isinstance(raw, dict) or not raw.get("name"):
        return None
    links = []
    for item in raw.get("links") or []:
        if not isinstance(item, dict):
            continue
        kind, url, title = str(item.get("kind", "")), str(item.get("url", "")), str(item.get("title", ""))
        pattern = LINK_PATTERNS.get(kind)
        # A link must be exactly what its kind says: no javascript:, no http:, nothing a page could run.
        if pattern and pattern.match(url) and url.startswith(f"{kind}:") and title:
            links.append(CardLink(kind=kind, title=title[:80], url=url))
    return Card(
        service_id=str(raw.get("service_id", ""))[:64],
        name=str(raw["name"])[:200],
        reason=str(raw.get("reason", ""))[:200],
        next_open=str(raw.get("next_open", ""))[:100],
        checked=str(raw.get("checked", ""))[:10],
        sample=bool(raw.get("sample", False)),
        links=tuple(links),
        when=str(raw.get("when") or "")[:100],
        where=str(raw.get("where") or "")[:120],
    )


def from_rasa(items: list[dict[str, Any]], contacts: Contacts, nation: str = "england") -> list[BotMessage]:
    """Turn Rasa's REST-channel output into messages.

    Rasa sends a response's `custom` part as a separate item after its text; we fold it back into the message
    it belongs to: `nation` makes the text right for her nation (`bot.answers.nation_answers`), `routes` become lines
    rendered from the contacts data, `read_more` becomes the link, and the `sources` behind the facts stay on the
    server. `nation` is "" until she says where she is.
    """
    messages: list[BotMessage] = []
    for item in items:
        text = item.get("text")
        if isinstance(text, str) and text.strip():
            messages.append(BotMessage(text=text.strip(), buttons=_buttons(item.get("buttons"))))
        custom = item.get("custom")
        if not isinstance(custom, dict) or not messages:
            continue
        last = messages[-1]
        adapted = _for_nation(last.text, custom.get("nation"), contacts, nation)
        routes = adapted.routes + tuple(str(r) for r in custom.get("routes") or () if isinstance(r, str))
        routes = tuple(dict.fromkeys(routes))
        link = (_link(custom.get("read_more")) or last.link) if adapted.keeps_link else None
        messages[-1] = BotMessage(
            text=with_routes(adapted.text, routes, contacts, nation),
            buttons=last.buttons,
            link=link,
            kind=last.kind,
            routes=last.routes + routes,
            signal=str(custom["signal"]) if custom.get("signal") in SIGNALS else last.signal,
            card=_card(custom.get("card")) or last.card,
            taps=last.taps + route_taps(routes, contacts, nation),
        )
    return messages


def _for_nation(text: str, said: object, contacts: Contacts, nation: str) -> Adapted:
    """The text for her nation, when the response says it differs by nation and the answers are loaded."""
    if not isinstance(said, dict) or contacts.nation_answers is None:
        return Adapted(text)
    return contacts.nation_answers.adapt(text, said, nation)
