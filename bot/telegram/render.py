"""What Nightlight looks like on Telegram: stored replies as plain-text parts with inline keyboards, and the words of
the gateway's own commands and notices. Pure functions, no network."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers.nations import NATIONS
from bot.answers.replies import with_routes
from bot.contacts import Contact, Contacts
from bot.crisis import footer
from bot.tenants import Tenant

MAX_CHARS = 4096  # Telegram's limit on one message's text
MAX_CALLBACK_BYTES = 64  # Telegram's limit on a button's callback data
SEPARATORS = ("\n\n", "\n", " ")  # paragraphs first, then lines, then words
PAYLOAD_PREFIX = "p:"
KEY_PREFIX = "k:"
FORGET_YES = "forget:yes"
FORGET_NO = "forget:no"
NATION_NAMES = {"england": "England", "wales": "Wales", "scotland": "Scotland", "northern-ireland": "Northern Ireland"}

EXPIRED_BUTTON = "Sorry, that button has expired. Could you type what you'd like instead?"
VOICE_NOTE = (
    "Sorry, I can't listen to voice notes yet. Could you type your message instead? I'll read it straight away."
)
NOT_TEXT = (
    "Sorry, I can only read typed messages, so I can't see photos, stickers or files. "
    "Could you type your message instead?"
)
CAPTION_READ = "I can't see or listen to what you attached, but I've read the words you sent with it."
EDITED = "I can't see changes to a message once it's sent. Could you send it again as a new message?"
FORGET_ASK = (
    "Do you want me to delete everything I've kept from this chat? That's your messages, my replies and what I "
    "remembered about our conversation. You can't undo this."
)
FORGET_KEPT = "All right, I haven't deleted anything."
FORGET_FAILED = (
    "Sorry, something went wrong on my side and I couldn't delete everything. "
    "Please try /forget again in a few minutes."
)


@dataclass(frozen=True)
class Part:
    """One Telegram message to send: plain text and, on the last part of a reply's message, its keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): an emoji counts as two."""
    return len(text.encode("utf-16-le")) // 2


def _hard_split(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for character in text:
        if telegram_length(current + character) > limit:
            parts.append(current)
            current = ""
        current += character
    return [*parts, current] if current else parts


def split_text(text: str, limit: int | None = None, separators: tuple[str, ...] = SEPARATORS) -> list[str]:
    """Cut text into pieces Telegram accepts, at paragraph breaks where possible, then lines, then words."""
    limit = MAX_CHARS if limit is None else limit
    text = text.strip()
    if telegram_length(text) <= limit:
        return [text] if text else []
    if not separators:
        return _hard_split(text, limit)
    separator, finer = separators[0], separators[1:]
    pieces = [piece for chunk in text.split(separator) for piece in split_text(chunk, limit, finer)]
    parts: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current}{separator}{piece}" if current else piece
        if telegram_length(joined) <= limit:
            current = joined
        else:
            parts.append(current)
            current = piece
    return [*parts, current] if current else parts


class ButtonKeys:
    """Callback data for button payloads: short payloads travel as they are, longer ones behind a short key.

    Telegram allows 64 bytes of callback data and a payload like '/inform{"search_place": "..."}' can be longer.
    The keys live in memory, newest kept, at most `capacity` of them; a key that has gone (a restart, or very
    old) makes the button expire and she is asked to type instead.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def data_for(self, payload: str) -> str:
        """The callback data that stands for a payload."""
        direct = PAYLOAD_PREFIX + payload
        if len(direct.encode()) <= MAX_CALLBACK_BYTES:
            return direct
        # The same payload always gets the same key, so showing a button again does not grow the map.
        key = hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return KEY_PREFIX + key

    def payload_for(self, data: str) -> str | None:
        """The payload behind callback data, or None when it is unknown or has expired."""
        if data.startswith(PAYLOAD_PREFIX):
            return data.removeprefix(PAYLOAD_PREFIX) or None
        if data.startswith(KEY_PREFIX):
            key = data.removeprefix(KEY_PREFIX)
            payload = self._payloads.get(key)
            if payload is not None:
                self._payloads.move_to_end(key)
            return payload
        return None

    def __len__(self) -> int:
        return len(self._payloads)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _shown_number(url: str) -> str:
    """The number in a tel: or sms: link as she would dial it: "tel:+441632960123" -> "01632960123"."""
    number = url.split(":", 1)[1].split("?", 1)[0]
    return "0" + number[3:] if number.startswith("+44") else number


def _friendly_time(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{moment:%A} {moment.day} {moment:%B}, {moment:%H:%M}"


def _friendly_date(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def card_text(text: str, card: dict[str, Any]) -> str:
    """A service card as plain text: name, why it fits, when it next opens, when it was checked, how to get in touch.

    Phone and text numbers are written out (Telegram lets her tap them); websites become buttons.
    """
    name = str(card.get("name") or "")
    if name and name in text:
        lines = text.split("\n")
    else:
        lines = [line for line in (name, str(card.get("reason") or "")) if line]
        if card.get("next_open"):
            lines.append(f"Next open: {_friendly_time(str(card['next_open']))}")
        if card.get("checked"):
            lines.append(f"Details checked on {_friendly_date(str(card['checked']))}")
    if card.get("sample") and "(sample)" not in "\n".join(lines).lower():
        lines[0] = f"{lines[0]} (sample)"
    for link in card.get("links") or []:
        if not isinstance(link, dict) or link.get("kind") not in {"tel", "sms"}:
            continue
        title, shown = str(link.get("title") or ""), _shown_number(str(link.get("url") or ""))
        lines.append(title if _digits(shown) in _digits(title) else f"{title}: {shown}".lstrip(": "))
    return "\n".join(lines)


def keyboard(message: dict[str, Any], keys: ButtonKeys) -> InlineKeyboardMarkup | None:
    """A message's links and buttons as an inline keyboard, one per row: websites open, choices go back to us."""
    rows: list[list[InlineKeyboardButton]] = []
    link = message.get("link")
    if isinstance(link, dict) and str(link.get("url", "")).startswith("https://"):
        rows.append([InlineKeyboardButton(f"Read more: {link.get('title', '')}", url=str(link["url"]))])
    card = message.get("card")
    if isinstance(card, dict):
        for item in card.get("links") or []:
            if (
                isinstance(item, dict)
                and item.get("kind") == "https"
                and str(item.get("url", "")).startswith("https://")
            ):
                rows.append([InlineKeyboardButton(str(item.get("title") or "Website"), url=str(item["url"]))])
    for button in message.get("buttons") or []:
        if isinstance(button, dict) and button.get("title") and button.get("payload"):
            rows.append(
                [InlineKeyboardButton(str(button["title"]), callback_data=keys.data_for(str(button["payload"])))]
            )
    return InlineKeyboardMarkup(rows) if rows else None


def numbers_on_their_own_lines(text: str, routes: object) -> str:
    """Telegram's buttons cannot dial, so after each route's line its number stands alone on the next line, where
    the app offers to call it with one tap. Routes are matched to the text's "• " lines in order."""
    listed = [route for route in routes if isinstance(route, dict)] if isinstance(routes, list) else []
    lines = text.split("\n")
    if not listed or sum(line.startswith("• ") for line in lines) != len(listed):
        return text
    out: list[str] = []
    queue = iter(listed)
    for line in lines:
        out.append(line)
        if line.startswith("• "):
            route = next(queue)
            for key, prefix in (("call", "Call "), ("text", "")):
                value = route.get(key)
                if isinstance(value, str) and value:
                    out.append("   " + (value[len(prefix) :] if prefix and value.startswith(prefix) else value))
    return "\n".join(out)


def render(body: dict[str, Any], keys: ButtonKeys, limit: int | None = None) -> list[Part]:
    """A stored reply as the Telegram messages to send, in order. A crisis message is never split."""
    parts: list[Part] = []
    for message in body.get("messages") or []:
        if not isinstance(message, dict):
            continue
        text = numbers_on_their_own_lines(str(message.get("text") or ""), message.get("routes"))
        card = message.get("card")
        if isinstance(card, dict):
            text = card_text(text, card)
        if message.get("kind") == "crisis":
            pieces = [text.strip()] if text.strip() else []
        else:
            pieces = split_text(text, limit)
        if not pieces:
            continue
        parts.extend(Part(piece) for piece in pieces[:-1])
        parts.append(Part(pieces[-1], keyboard(message, keys)))
    return parts


def forget_keyboard() -> InlineKeyboardMarkup:
    """Yes or no to deleting her data."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes, delete it all", callback_data=FORGET_YES)],
            [InlineKeyboardButton("No, keep it", callback_data=FORGET_NO)],
        ]
    )


def start_text(tenant: Tenant, contacts: Contacts) -> str:
    """/start: hello, what Nightlight is and is not, and where to go if she is not safe."""
    bot = tenant.bot_name
    text = (
        f"Hello, I'm {bot}. I'm here if you're pregnant or have had a baby in the last year and things feel hard. "
        "You can message me at any time, day or night.\n\n"
        "I can:\n"
        "• explain what you might be going through, in plain words\n"
        "• help you find support near you, like NHS Talking Therapies and local groups\n"
        "• put you in touch with a peer supporter, someone who has been through it too, when one is free\n\n"
        "I'm not a doctor or a nurse, and I'm not an emergency service. "
        "If you or your baby might not be safe right now:"
    )
    text = with_routes(text, ("emergency",), contacts)
    return (
        f"{text}\n\n"
        "Type /help for lines that are open all the time, /about to find out how I keep your messages, "
        "or /forget to delete them.\n\n"
        "What's on your mind? Just type, in your own words."
    )


def _where(contact: Contact) -> str:
    if not contact.nations or set(contact.nations) >= set(NATIONS):
        return ""
    names = [NATION_NAMES.get(nation, nation) for nation in contact.nations]
    return f" ({' and '.join(names)} only)" if len(names) <= 2 else f" ({', '.join(names)})"


def always_open(contacts: Contacts) -> Iterable[Contact]:
    """The crisis routes the data says are open 24/7, in the order the file lists them."""
    return (contact for contact in contacts.by_id.values() if contact.crisis and contact.hours.strip() == "24/7")


def help_text(contacts: Contacts) -> str:
    """/help: every 24/7 route in the contacts data, saying where a route serves only some of the UK."""
    lines = [f"• {contact.line()}{_where(contact)}" for contact in always_open(contacts)]
    return (
        "If you need to talk to someone now, these are free and open day and night:\n"
        + "\n".join(lines)
        + "\n\nYou can also ask me anything, or type /about to find out more about me."
    )


def about_text(tenant: Tenant) -> str:
    """/about: who runs it, what it is not, what peer support is, and how her data is kept and deleted."""
    bot = tenant.bot_name
    return (
        f"About {bot}\n\n"
        f"I'm {bot}, run by {tenant.name}. I give information and help you find support. My answers come "
        "from NHS and national charity pages, and I'll show you where to read more.\n\n"
        "I'm not a doctor, a nurse or a counsellor, and I can't give medical advice. I'm not an emergency "
        "service either. Your GP, midwife or health visitor can help with your health and any medicine.\n\n"
        "Peer supporters are people who have been through it themselves. They aren't doctors either. When one "
        "is free, I can put you in touch. There isn't always someone free, especially at night, so I'll also "
        "tell you about lines that are open all the time.\n\n"
        f"Your messages: I keep what you send me and my replies for {tenant.retention_days} days, so I can "
        "follow our conversation. Then they're deleted. I never ask for your name, address or date of birth. "
        "If you want help near you, I'll only ask for your town or the first part of your postcode.\n\n"
        "To delete everything now, type /forget. Telegram keeps its own copy of this chat, so delete the chat "
        "in the Telegram app too."
    )


def forget_done_text() -> str:
    """After /forget: it is done here, and the chat in her app is hers to delete."""
    return (
        "Done. I've deleted everything I kept from this chat.\n\n"
        "Telegram keeps its own copy of the chat on your phone. To remove that as well, delete this chat in "
        "the Telegram app: open the chat's menu and choose Delete chat.\n\n"
        "You can message me again any time."
    )


def one_to_one_text(contacts: Contacts) -> str:
    """For a group chat: Nightlight only talks one-to-one, and the 24/7 lines in case someone needs them."""
    return (
        "Hello! I only talk with people one-to-one, so what you share stays private. "
        f"Please send me a message directly instead.\n\n{footer(contacts)}"
    )
