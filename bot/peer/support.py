"""Peer support: offering a person, asking her consent, the queue, relaying messages both ways, and honesty
about who is there.

The gateway owns this conversation, not Rasa: while a supporter is talking with her the bot stays quiet, and
every message she sends is still screened first.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.answers.rasa_client import RasaClient, RasaUnavailable
from bot.answers.replies import BotMessage, Button, route_taps, with_routes
from bot.contacts import Contacts
from bot.conversation import pseudonym
from bot.peer.handoff import Handoff, HandoffError, HandoffMessage, Handoffs, Status
from bot.safety.state import SafetyStates
from bot.shared import Event, SharedState
from bot.shared import Presence as Presence  # who is on shift lives in bot.shared; named here for its callers
from bot.store import MessageStore
from bot.tenants import LONDON, Tenant, Tenants
from nlu.screen import Screening

log = logging.getLogger("nightlight.peer")

ACCEPT = "/handoff_accept"
ACCEPT_WITH_CHAT = "/handoff_accept_transcript"
DECLINE = "/handoff_decline"
BACK_TO_BOT = "/handoff_back_to_bot"
PAYLOADS = frozenset({ACCEPT, ACCEPT_WITH_CHAT, DECLINE, BACK_TO_BOT})

ACCEPT_TITLE = "Yes, share a short summary"
ACCEPT_WITH_CHAT_TITLE = "Yes, and share our chat"
LEAVE_TITLE = "Leave a message"
LEAVE_WITH_CHAT_TITLE = "Leave a message, and share our chat"
DECLINE_TITLE = "No thanks"
BACK_TITLE = "Back to the bot"

ROUTES = ("samaritans", "shout")
NO_CLAIM_REMINDER_SECONDS = 5 * 60
# A message left for supporters waits this long for a reply before the handoff expires.
QUEUE_EXPIRY_SECONDS = 7 * 24 * 3600
OFFER_EXPIRY_SECONDS = 24 * 3600
MAX_PRESENCE = 10_000  # conversations whose widget state is remembered, before closed ones are dropped
PREVIEW_CHARS = 90  # of her last message, on the queue card
# Slot values that say she did not name a place ("anywhere", "online only"): the summary leaves them out.
NOT_SAID_SLOTS = frozenset({"any", "remote"})
BACK_TO_BOT_WORDS = re.compile(
    r"\b(back to (the )?(bot|assistant|nightlight)|(end|stop|leave) (the|this) (chat|queue))\b", re.IGNORECASE
)

WHAT_THEY_SEE = (
    "If you say yes, they'll see a short summary: why you asked, and anything you've told me about where you are "
    "and when suits you. They'll only see our chat so far if you say so."
)
OFFER_AVAILABLE = (
    "Would you like to talk to one of our peer supporters? They're mums who have been through it too, "
    "and someone is on now. " + WHAT_THEY_SEE
)
OFFER_UNAVAILABLE = (
    "Our peer supporters are mums who have been through it too. Nobody is on right now: they're next on "
    "{next_on}. You can leave a message for them, and they'll reply then. " + WHAT_THEY_SEE + " If you need to "
    "talk to someone now, these are free and open day and night:"
)
OFFER_NO_HOURS = (
    "Our peer supporters are mums who have been through it too, but this service has no supporter hours set up "
    "yet, so nobody can reply to a message here. If you'd like to talk to someone, these are free and open day "
    "and night:"
)
# After a crisis reply the offer is short and gives no routes again: the numbers she needs are just above it.
CRISIS_OFFER_AVAILABLE = (
    "Would you like to talk with one of our peer supporters too? They're mums who've been there, and someone is "
    "on now. They're not an emergency service: if you're in danger, use the numbers above."
)
CRISIS_OFFER_UNAVAILABLE = (
    "Our peer supporters, mums who've been there, are next on {next_on}. You can leave them a message. They're "
    "not an emergency service: if you're in danger, use the numbers above."
)
CRISIS_OFFER_NO_HOURS = "Our peer supporters can't reply here yet. Please use the numbers above."
QUEUED_AVAILABLE = (
    "Thank you. You're in the queue, and a peer supporter should be with you in {wait}. "
    'I\'ll stay quiet while you talk with them. You can type "back to the bot" at any time.'
)
QUEUED_UNAVAILABLE = (
    "Thank you. Write your message for the peer supporters here. They're next on {next_on}, and {when_reply}. "
    "If you need to talk to someone before then, these are free and open day and night:"
)
REPLY_PUSHED = "I'll send you their reply here"
REPLY_WAITING = (
    "their reply will be waiting here when you come back (to see it after closing this page, choose "
    '"Keep this chat on this device" under Options)'
)
PASSED_ON = "Thank you, I've saved that for the peer supporter."
DECLINED = "That's fine. I'm still here, and you can ask for a peer supporter any time."
CLAIMED = "{name} has joined. They're a peer supporter, and they've been there too. What you write now goes to them."
TRANSFERRED = "{name} is handing you over to {to_name}, who will carry on from here."
HANDBACK = (
    "{name} has ended the chat. Thank you for talking with them. I'm here again if you'd like anything else: "
    "information, or finding support near you."
)
LEFT_QUEUE = "You've left the queue, and I'm back. What would you like to do?"
ENDED_BY_HER = "I've let {name} know you've gone back to the bot. I'm here. What would you like to do?"
NOBODY_YET = (
    "I'm sorry: nobody has picked up your message yet. You're still in the queue. If you need to talk to someone "
    "now, these are free and open day and night:"
)
NOTHING_TO_ANSWER = "That choice has gone out of date. You can ask for a peer supporter any time."
WITH_SUPPORTER = "You're talking with {name} now. If you'd like me back, type \"back to the bot\"."

Listener = Callable[[dict[str, Any]], Awaitable[None]]


def next_on(tenant: Tenant, now: datetime | None = None) -> datetime | None:
    """When the tenant's peer-support hours next begin, after the hours running now if they are; None if it has
    no hours, or hours at every moment of the week."""
    moment = (now or datetime.now(LONDON)).astimezone(LONDON)
    after = open_until(tenant, moment)
    if after is None and tenant.peer_support_open(moment):
        return None  # the hours never end
    after = after or moment
    best: datetime | None = None
    for days in range(8):
        day = (after + timedelta(days=days)).date()
        for window in tenant.peer_support_hours:
            if window.day != day.weekday():
                continue
            start = datetime.combine(day, window.opens, tzinfo=LONDON)
            if start > after and (best is None or start < best):
                best = start
    return best


def open_until(tenant: Tenant, now: datetime | None = None) -> datetime | None:
    """When the peer-support hours running now end (running on through windows that meet); None outside them."""
    moment = (now or datetime.now(LONDON)).astimezone(LONDON)
    end: datetime | None = None
    for _ in range(7 * 24):  # enough steps for a week of windows; hours at every moment never end
        window = next((w for w in tenant.peer_support_hours if w.contains(moment)), None)
        if window is None:
            return end
        closes = datetime.combine(moment.date(), window.closes, tzinfo=LONDON)
        to_midnight = (window.closes.hour, window.closes.minute, window.closes.second) == (23, 59, 59)
        end = closes + timedelta(seconds=1) if to_midnight else closes
        moment = end
    return None


def say_next_on(tenant: Tenant, now: datetime | None = None) -> str:
    """When supporters are next on, honestly, for "Nobody is on right now: they're next on ...": within the hours
    with nobody on shift, the next start after them, and that someone may still come on before they end."""
    now = (now or datetime.now(LONDON)).astimezone(LONDON)
    start, until = next_on(tenant, now), open_until(tenant, now)
    if tenant.peer_support_open(now) and until is None:
        return "as soon as someone comes on (they can be on at any hour)"
    if start is None:
        return "their next shift"
    if until is None:
        return say_when(start, now)
    return f"{say_when(start, now)}, though someone may still come on before {say_clock(until)}"


def say_clock(moment: datetime, *, midnight: bool = True) -> str:
    """'7pm', '9:30am' or (as an end) 'midnight', in London time."""
    local = moment.astimezone(LONDON)
    if midnight and (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.strftime("%I").lstrip("0")
    return f"{hour}{local.strftime(':%M') if local.minute else ''}{local.strftime('%p').lower()}"


def say_when(moment: datetime, now: datetime | None = None) -> str:
    """'today at 7pm', 'tomorrow at 9am' or 'Tuesday at 9:30am', in London time."""
    now = (now or datetime.now(LONDON)).astimezone(LONDON)
    local = moment.astimezone(LONDON)
    clock = say_clock(local, midnight=False)
    if local.date() == now.date():
        day = "today"
    elif local.date() == (now + timedelta(days=1)).date():
        day = "tomorrow"
    else:
        day = local.strftime("%A")
    return f"{day} at {clock}"


def say_wait(ahead: int, supporters: int) -> str:
    """A rough, honest wait: about five minutes per person ahead per supporter on shift."""
    minutes = 5 * (ahead // max(1, supporters) + 1)
    return "a few minutes" if minutes <= 5 else f"about {minutes} minutes"


TYPED_YES = re.compile(r"^\s*(yes|yeah|yep|yes please|please|ok|okay|sure|go on)[\s.!]*$", re.IGNORECASE)
TYPED_NO = re.compile(r"^\s*(no|nope|no thanks|no thank you|not now|not yet)[\s.!]*$", re.IGNORECASE)


def typed_choice(text: str) -> str | None:
    """Her typed answer to the offer of a person, as the button she would have tapped (a summary only)."""
    if TYPED_YES.match(text):
        return ACCEPT
    if TYPED_NO.match(text):
        return DECLINE
    return None


def wants_the_bot(text: str) -> bool:
    """She asked to go back to the bot."""
    return BACK_TO_BOT_WORDS.search(text) is not None


class HerChannel(Protocol):
    """How peer support reaches her, on whichever channel she is on: words she did not just ask for, and typing."""

    async def push(
        self, conversation: str, messages: list[BotMessage], handoff: dict[str, Any] | None = None
    ) -> object:
        """Store her messages, then hand them to her channel."""
        ...

    async def typing(self, conversation: str) -> None:
        """Show a typing indicator on her channel, if it has one."""
        ...


class PeerSupport:
    """Handoffs from the mother's side and the supporter's side."""

    def __init__(
        self,
        handoffs: Handoffs,
        contacts: Contacts,
        tenants: Tenants,
        store: MessageStore,
        states: SafetyStates,
        her_channel: HerChannel,
        rasa: RasaClient | None = None,
        shared: SharedState | None = None,
    ) -> None:
        self.handoffs = handoffs
        self._store = store  # what she wrote and was sent: for the preview, the transcript and "last wrote"
        self._states = states  # which nation she is in, for the routes she is given
        self._her = her_channel
        # Who is on shift, her widget's sockets and the consoles' events, shared with other gateways when Redis is on.
        self.shared = shared or SharedState()
        self.presence = self.shared.presence
        self.bus = self.shared.bus
        self.bus.receive_with(self._from_elsewhere)
        self._contacts = contacts
        self._tenants = tenants
        self._rasa = rasa
        self._names: dict[str, str] = {}  # supporter id -> first name shown to her (a cache of the shared names)
        self._connected: dict[str, bool] = {}  # conversation -> whether her widget is open (on any gateway)

    async def introduce(self, supporter: str, display_name: str) -> None:
        """The first name she sees for a supporter (told again by each console that connects, so it survives a
        gateway restart), shared with the other gateways."""
        self._names[supporter] = display_name
        await self.presence.introduce(supporter, display_name)

    async def _name(self, supporter: str | None) -> str:
        """The first name she is shown for a supporter: known here, or shared by another gateway."""
        return await self.name_of(supporter) or "Your peer supporter"

    async def name_of(self, supporter: str | None) -> str | None:
        """A supporter's first name, from this gateway's memory or the other gateways'; None if unknown."""
        if not supporter:
            return None
        if supporter not in self._names:
            found = await self.presence.name(supporter)
            if found is None:
                return None
            self._names[supporter] = found
        return self._names[supporter]

    async def her_presence(self, conversation: str, connected: bool | None, typing: bool = False) -> None:
        """Her widget opened or closed, or she is typing: tell the consoles, if a supporter has her or she waits."""
        if connected is not None:
            self._connected[conversation] = connected
            if not connected and len(self._connected) > MAX_PRESENCE:
                self._connected.pop(conversation, None)  # closed and unknown read the same on a console
        handoff = await asyncio.to_thread(self.handoffs.active, conversation)
        if handoff is None or handoff.status not in (Status.QUEUED, Status.CLAIMED):
            return
        presence = await asyncio.to_thread(self.presence_of, handoff)
        await self._publish({"type": "presence", "handoff_id": handoff.id, "typing": typing, **presence})

    async def look_up_presence(self, handoffs: list[Handoff]) -> None:
        """Read whether each handoff's widget is open on any gateway, before their cards are made (with Redis off,
        this gateway's own sockets are all there are, and already known)."""
        if not self.shared.link.on:
            return
        for handoff in handoffs:
            if handoff.channel == "widget":
                self._connected[handoff.conversation] = await self.shared.widgets.total(handoff.conversation) > 0

    def presence_of(self, handoff: Handoff) -> dict[str, Any]:
        """Whether her widget is open (None on channels that cannot tell) and when she last wrote."""
        last = self._store.last_written(handoff.conversation)
        connected = self._connected.get(handoff.conversation, False) if handoff.channel == "widget" else None
        return {"connected": connected, "last_wrote_at": last}

    async def forget(self, conversation: str) -> None:
        """Delete her handoffs at her request, and tell the consoles, so her card and any open chat go at once."""
        for handoff_id, tenant in await asyncio.to_thread(self.handoffs.forget_listing, conversation):
            await self._publish({"type": "deleted", "handoff_id": handoff_id, "tenant": tenant})

    # Events for the consoles.

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every handoff event, from this gateway or another; returns a function that stops it."""
        return self.bus.subscribe(listener)

    async def _publish(self, event: dict[str, Any]) -> None:
        # This gateway's consoles hear it now; the others hear ids and read the rest from the shared database.
        await self.bus.publish(event, wire=wire(event))

    async def team_changed(self, tenant: str, supporter: str, on: bool | None = None) -> None:
        """A supporter's console opened or closed, or their shift changed (`on`): every gateway's consoles of the
        tenant are sent the team again."""
        await self._publish({"type": "team", "tenant": tenant, "supporter": supporter, "on": on})

    async def _from_elsewhere(self, event: Event) -> Event | None:
        """Another gateway's event as this gateway's consoles need it: her message read from the database, and
        what it says about presence and shifts kept."""
        kind = event.get("type")
        supporter, name = event.get("supporter"), event.get("supporter_name")
        if isinstance(supporter, str) and isinstance(name, str):
            self._names[supporter] = name
        if kind == "team" and isinstance(event.get("on"), bool):
            self.presence.heard(str(event.get("supporter")), bool(event["on"]))
        if kind not in ("message", "presence"):
            return event
        try:
            handoff = await asyncio.to_thread(self.handoffs.get, str(event.get("handoff_id")))
        except HandoffError:
            return None  # deleted in the meantime
        if kind == "presence":
            if isinstance(event.get("connected"), bool):
                self._connected[handoff.conversation] = event["connected"]
            return event
        messages = await asyncio.to_thread(self.handoffs.messages, handoff.id)
        found = next((m for m in messages if m.id == event.get("message_id")), None)
        if found is None:
            return None
        return {"type": "message", "handoff_id": handoff.id, "message": self._message_dict(found), **_safety(event)}

    # Her side.

    def _tenant(self, handoff: Handoff) -> Tenant:
        return self._tenants.get(handoff.tenant) or self._tenants.default

    def _routes(self, text: str, nation: str) -> str:
        return with_routes(text, ROUTES, self._contacts, nation)

    def _handoff_with_routes(self, text: str, nation: str, buttons: tuple[Button, ...] = ()) -> BotMessage:
        """A message about peer support that ends with the 24/7 routes, tappable where the channel allows."""
        return BotMessage(
            text=self._routes(text, nation),
            buttons=buttons,
            kind="handoff",
            routes=ROUTES,
            taps=route_taps(ROUTES, self._contacts, nation),
        )

    async def offer(
        self,
        conversation: str,
        tenant: Tenant,
        channel: str,
        reason: str,
        *,
        urgent: bool = False,
        nation: str = "england",
    ) -> BotMessage:
        """Offer her a peer supporter, honestly saying whether anyone is on, and ask what they may see. After a
        crisis, Redis is not asked (who was on at the last heartbeat), so nothing waits before the crisis reply."""
        available = await self.presence.available(tenant, ask=not urgent)
        if not available and not tenant.peer_support_hours:
            if urgent:
                return BotMessage(text=CRISIS_OFFER_NO_HOURS, kind="handoff")
            return self._handoff_with_routes(OFFER_NO_HOURS, nation)
        self.handoffs.offer(conversation, tenant.id, channel, reason, urgent=urgent)
        if available:
            text, yes, yes_chat = OFFER_AVAILABLE, ACCEPT_TITLE, ACCEPT_WITH_CHAT_TITLE
            short = CRISIS_OFFER_AVAILABLE
        else:
            when = say_next_on(tenant)
            text = OFFER_UNAVAILABLE.format(next_on=when)
            short = CRISIS_OFFER_UNAVAILABLE.format(next_on=when)
            yes, yes_chat = LEAVE_TITLE, LEAVE_WITH_CHAT_TITLE
        buttons = (Button(yes, ACCEPT), Button(yes_chat, ACCEPT_WITH_CHAT), Button(DECLINE_TITLE, DECLINE))
        if urgent:
            return BotMessage(text=short, buttons=buttons, kind="handoff")
        if available:
            return BotMessage(text=text, buttons=buttons, kind="handoff")
        return self._handoff_with_routes(text, nation, buttons)

    async def answer_choice(
        self, conversation: str, tenant: Tenant, payload: str, screening: dict[str, Any], nation: str
    ) -> list[BotMessage]:
        """Her answer to the offer, or her wish to go back to the bot."""
        handoff = self.handoffs.active(conversation)
        if payload == BACK_TO_BOT:
            return await self.back_to_bot(conversation)
        if handoff is None or handoff.status is not Status.OFFERED:
            if handoff is not None and handoff.status in (Status.QUEUED, Status.CLAIMED):
                return [await self.status_message(handoff)]
            return [BotMessage(text=NOTHING_TO_ANSWER)]
        if payload == DECLINE:
            self.handoffs.decline(handoff.id)
            return [BotMessage(text=DECLINED)]
        summary = await self._summary(handoff, screening)
        handoff = self.handoffs.accept(handoff.id, summary, share_transcript=payload == ACCEPT_WITH_CHAT)
        log.info("handoff queued handoff=%s urgent=%s", pseudonym(handoff.id), handoff.urgent)
        await self._publish({"type": "queued", "handoff": self.card(handoff)})
        available = await self.presence.available(tenant)
        back = (Button(BACK_TITLE, BACK_TO_BOT),)
        if available:
            ahead = sum(
                1
                for h in self.handoffs.queue(tenant.id)
                if h.id != handoff.id
                and h.queued_at is not None
                and (h.urgent, -(h.queued_at or 0)) >= (handoff.urgent, -(handoff.queued_at or 0))
            )
            text = QUEUED_AVAILABLE.format(wait=say_wait(ahead, len(available)))
            return [BotMessage(text=text, buttons=back, kind="handoff")]
        when_reply = REPLY_PUSHED if handoff.channel == "telegram" else REPLY_WAITING
        text = QUEUED_UNAVAILABLE.format(next_on=say_next_on(tenant), when_reply=when_reply)
        return [self._handoff_with_routes(text, nation, back)]

    async def status_message(self, handoff: Handoff) -> BotMessage:
        """Where her handoff is, when she presses an old button during it."""
        if handoff.status is Status.CLAIMED:
            return BotMessage(text=WITH_SUPPORTER.format(name=await self._name(handoff.supporter)), kind="handoff")
        return BotMessage(text=PASSED_ON, buttons=(Button(BACK_TITLE, BACK_TO_BOT),), kind="handoff")

    async def _summary(self, handoff: Handoff, screening: dict[str, Any]) -> dict[str, Any]:
        """What she agreed the supporter may see: reason, level, categories, what the bot suggested, area, times."""
        summary: dict[str, Any] = {
            "reason": handoff.reason,
            "level": screening.get("level", "none"),
            "categories": list(screening.get("categories", [])),
            "suggested": self._suggested(handoff.conversation),
        }
        if self._rasa is not None:
            try:
                slots = await self._rasa.said(handoff.conversation, ("search_place", "search_when"), NOT_SAID_SLOTS)
            except RasaUnavailable:
                slots = {}
            for key, name in (("search_place", "area"), ("search_when", "preferred_times")):
                value = slots.get(key)
                if isinstance(value, str):
                    summary[name] = value
        return summary

    def _suggested(self, conversation: str) -> list[str]:
        """Services and 24/7 routes the bot has already given her (names only)."""
        seen: list[str] = []
        for outbound in self._store.replies(conversation):
            for message in outbound.get("messages", []):
                card = message.get("card")
                if isinstance(card, dict) and isinstance(card.get("name"), str):
                    seen.append(card["name"])
                if message.get("kind") == "crisis":
                    seen.append("crisis routes")
        return list(dict.fromkeys(seen))[:10]

    async def relay_from_her(self, handoff: Handoff, text: str, screening: Screening) -> HandoffMessage:
        """Store her message for the supporter and tell the consoles; a crisis is marked urgent."""
        urgent = screening.level == "crisis"
        message = self.handoffs.add_message(handoff.id, "her", text, urgent=urgent)
        await self._publish(
            {
                "type": "message",
                "handoff_id": handoff.id,
                "message": self._message_dict(message),
                "safety": screening.as_dict(),
            }
        )
        return message

    def reply_while_waiting(self, handoff: Handoff) -> list[BotMessage]:
        """What she is told after a message during a handoff: nothing while a person is talking with her."""
        if handoff.status is Status.CLAIMED:
            return []
        return [BotMessage(text=PASSED_ON, buttons=(Button(BACK_TITLE, BACK_TO_BOT),), kind="handoff")]

    async def back_to_bot(self, conversation: str) -> list[BotMessage]:
        """She wants the bot again: leave the queue, or end the chat with the supporter."""
        handoff = self.handoffs.active(conversation)
        if handoff is None:
            return [BotMessage(text=LEFT_QUEUE)]
        if handoff.status is Status.OFFERED:
            self.handoffs.decline(handoff.id)
            return [BotMessage(text=DECLINED)]
        name = await self._name(handoff.supporter)
        ended = self.handoffs.end(handoff.id, by="her")
        await self._publish({"type": "ended", "handoff": self.card(ended), "by": "her"})
        if handoff.status is Status.CLAIMED:
            return [BotMessage(text=ENDED_BY_HER.format(name=name))]
        return [BotMessage(text=LEFT_QUEUE)]

    # The supporter's side.

    async def handoff_for_her(self, handoff: Handoff | None) -> dict[str, Any] | None:
        """The handoff as her channel is told it: its status and, while a supporter is with her, their first name."""
        if handoff is None:
            return None
        shown: dict[str, Any] = {"status": handoff.status.value}
        if handoff.status is Status.CLAIMED:
            shown["supporter_name"] = await self.name_of(handoff.supporter)
        return shown

    async def _tell_her(self, handoff: Handoff, messages: list[BotMessage]) -> None:
        await self._her.push(handoff.conversation, messages, handoff=await self.handoff_for_her(handoff))

    async def claim(self, handoff_id: str, supporter: str, display_name: str) -> Handoff | None:
        """Claim a handoff; None if someone else got there first."""
        await self.introduce(supporter, display_name)
        handoff = self.handoffs.claim(handoff_id, supporter)
        if handoff is None:
            return None
        await self._tell_her(handoff, [BotMessage(text=CLAIMED.format(name=display_name), kind="handoff")])
        await self._publish({"type": "claimed", "handoff": self.card(handoff)})
        return handoff

    def _claimed_by(self, handoff_id: str, supporter: str) -> Handoff:
        handoff = self.handoffs.get(handoff_id)
        if handoff.status is not Status.CLAIMED or handoff.supporter != supporter:
            raise HandoffError("This chat is not yours: claim it first.")
        return handoff

    async def say(self, handoff_id: str, supporter: str, text: str) -> HandoffMessage:
        """A supporter's message: stored, then relayed to her channel."""
        text = text.strip()
        if not text:
            raise HandoffError("The message is empty.")
        if len(text) > 4000:
            raise HandoffError("Messages can be up to 4,000 characters. Please send it in parts.")
        handoff = self._claimed_by(handoff_id, supporter)
        message = self.handoffs.add_message(handoff.id, "supporter", text, supporter=supporter)
        name = await self._name(supporter)
        await self._tell_her(handoff, [BotMessage(text=f"{name}: {text}", kind="supporter")])
        await self._publish({"type": "message", "handoff_id": handoff.id, "message": self._message_dict(message)})
        return message

    async def note(self, handoff_id: str, supporter: str, text: str) -> HandoffMessage:
        """A private note on a handoff; she never sees it."""
        if not text.strip():
            raise HandoffError("The note is empty.")
        self.handoffs.get(handoff_id)
        message = self.handoffs.add_message(handoff_id, "note", text.strip(), supporter=supporter)
        await self._publish({"type": "message", "handoff_id": handoff_id, "message": self._message_dict(message)})
        return message

    async def typing(self, handoff_id: str, supporter: str) -> None:
        """Show her that the supporter is typing."""
        handoff = self._claimed_by(handoff_id, supporter)
        await self._her.typing(handoff.conversation)

    async def transfer(self, handoff_id: str, supporter: str, to_supporter: str, to_name: str) -> Handoff:
        """Pass the chat to another supporter, and tell her who."""
        await self.introduce(to_supporter, to_name)
        handoff = self.handoffs.transfer(handoff_id, supporter, to_supporter)
        text = TRANSFERRED.format(name=await self._name(supporter), to_name=to_name)
        await self._tell_her(handoff, [BotMessage(text=text, kind="handoff")])
        await self._publish({"type": "transferred", "handoff": self.card(handoff)})
        return handoff

    async def end(self, handoff_id: str, supporter: str) -> Handoff:
        """End the chat and hand her back to the bot, kindly."""
        self._claimed_by(handoff_id, supporter)
        handoff = self.handoffs.end(handoff_id, by="supporter")
        text = HANDBACK.format(name=await self._name(supporter))
        buttons = (
            Button("Find support near me", "/find_services"),
            Button("Talk to a peer supporter again", "/request_peer_supporter"),
        )
        await self._tell_her(handoff, [BotMessage(text=text, buttons=buttons, kind="handoff")])
        await self._publish({"type": "ended", "handoff": self.card(handoff), "by": "supporter"})
        return handoff

    # What the console shows.

    def card(self, handoff: Handoff, now: float | None = None) -> dict[str, Any]:
        """The summary card: what she agreed to share, the channel and how long she has waited."""
        return {
            **handoff.as_dict(),
            "waiting_seconds": round(handoff.waiting_seconds(now)),
            "supporter_name": self._names.get(handoff.supporter or "") if handoff.supporter else None,
            "preview": self.preview(handoff),
            **self.presence_of(handoff),
        }

    def preview(self, handoff: Handoff) -> str | None:
        """The start of her last message, for the queue card: only if she agreed to share the chat."""
        if not handoff.share_transcript:
            return None
        hers = [m.text for m in self.handoffs.messages(handoff.id) if m.author == "her"]
        if not hers:
            hers = [line["text"] for line in self.transcript(handoff) or [] if line["who"] == "her"]
        if not hers:
            return None
        text = " ".join(hers[-1].split())
        return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"

    def transcript(self, handoff: Handoff) -> list[dict[str, Any]] | None:
        """The conversation before the handoff, only if she agreed to share it."""
        if not handoff.share_transcript:
            return None
        return [
            {"who": who, "text": text, "at": at}
            for who, text, at in self._store.transcript(handoff.conversation)
            if at <= (handoff.queued_at or time.time())
        ]

    @staticmethod
    def _message_dict(message: HandoffMessage) -> dict[str, Any]:
        return {
            "id": message.id,
            "author": message.author,
            "supporter": message.supporter,
            "text": message.text,
            "urgent": message.urgent,
            "at": message.created_at,
        }

    # Time passing.

    async def tick(self, now: float | None = None) -> None:
        """Remind her when nobody has claimed her while supporters are on; expire what has waited too long."""
        now = time.time() if now is None else now
        for handoff in self.handoffs.queue():
            tenant = self._tenant(handoff)
            waited = now - (handoff.queued_at or now)
            if waited < NO_CLAIM_REMINDER_SECONDS or handoff.reminded_at is not None:
                continue
            if not await self.presence.available(tenant, datetime.fromtimestamp(now, LONDON)):
                continue
            self.handoffs.mark_reminded(handoff.id, now)
            nation = self._states.get(handoff.conversation).nation
            text = self._routes(NOBODY_YET, nation)
            await self._tell_her(handoff, [BotMessage(text=text, buttons=(Button(BACK_TITLE, BACK_TO_BOT),))])
            log.info("handoff not claimed in time handoff=%s", pseudonym(handoff.id))
        self.handoffs.expire(now - OFFER_EXPIRY_SECONDS, now, offers_only=True)
        for handoff in self.handoffs.expire(now - QUEUE_EXPIRY_SECONDS, now):
            await self._publish({"type": "expired", "handoff": self.card(handoff)})

    async def run_forever(self, interval: float = 30.0) -> None:
        """`tick` every `interval` seconds until cancelled."""
        while True:
            try:
                # One gateway at a time, so she is reminded once and each expiry is told once.
                if await self.shared.take_turn("handoff-tick", interval - 1):
                    await self.tick()
            except Exception as error:  # retried next time; never stops the gateway
                log.error("handoff tick failed error=%s", type(error).__name__)
            await asyncio.sleep(interval)


def wire(event: dict[str, Any]) -> Event:
    """An event as it travels to the other gateways: ids, never her words (they read the rest from the database)."""
    kind = event.get("type")
    if kind == "message":
        message = event.get("message") or {}
        return {"type": kind, "handoff_id": event.get("handoff_id"), "message_id": message.get("id"), **_safety(event)}
    card = event.get("handoff")
    if isinstance(card, dict):
        # The supporter's id and first name (staff, never hers) let the other gateways name them to her at once.
        keep = ("supporter", "supporter_name")
        return {"type": kind, "handoff_id": card.get("id"), "by": event.get("by"), **{k: card.get(k) for k in keep}}
    return dict(event)  # presence, deleted and team events hold ids, times and flags only


def _safety(event: dict[str, Any]) -> dict[str, Any]:
    """The screening's level and categories (never the text), when the event has them."""
    safety = event.get("safety")
    if not isinstance(safety, dict):
        return {}
    return {"safety": {"level": safety.get("level"), "categories": list(safety.get("categories") or [])}}
