"""What the consoles see and do: open consoles, supporters' names, and the desk over the peer-support core."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.contacts import Contacts
from bot.crisis import crisis_reply
from bot.http import send_if_open
from bot.messenger import Messenger
from bot.peer.handoff import Handoff, HandoffError, HandoffMessage, Status
from bot.peer.support import PeerSupport
from bot.peer.supporters import (
    Session,
    Supporter,
    Supporters,
)
from bot.tenants import LONDON, Tenant, Tenants
from nlu.screen import Screening, screen

log = logging.getLogger("nightlight.console")


HOURS_CHECK_SECONDS = 20.0
DELETED_BY_HER = "She deleted this conversation. Everything she wrote has gone from Nightlight."
# Sign-in attempts that fail from one address, before that address waits (the per-account lockout is in supporters).
ADDRESS_FAILURES = 30
ADDRESS_WINDOW_SECONDS = 15 * 60


def routes_given(safety: Screening, contacts: Contacts, nation: str) -> list[str]:
    """The routes the gateway's crisis reply gave her for this screening, as lines from the contacts data."""
    reply = crisis_reply(safety, contacts, nation)
    return contacts.lines(reply.routes, nation)


@dataclass
class Names:
    """Supporters' first names by id, read from the accounts once and kept."""

    supporters: Supporters
    known: dict[str, str] = field(default_factory=dict)

    def __call__(self, supporter_id: str | None) -> str | None:
        """A supporter's first name, read from the accounts the first time; None for no id or an unknown account."""
        if not supporter_id:
            return None
        if supporter_id not in self.known:
            found = self.supporters.get(supporter_id)
            if found is None:
                return None
            self.known[supporter_id] = found.display_name
        return self.known[supporter_id]


class Console:
    """One open console socket: whose it is, and which chats it shows."""

    def __init__(self, ws: web.WebSocketResponse, session: Session, token: str, tenant: Tenant) -> None:
        self.ws = ws
        self.session = session
        self.token = token
        self.tenant = tenant
        self.ready = False
        self.open_chats: set[str] = set()

    @property
    def supporter(self) -> Supporter:
        """The supporter this console's session belongs to."""
        return self.session.supporter

    async def send(self, frame: dict[str, Any]) -> bool:
        """Send a frame if the socket is open; a closed socket is not an error."""
        return await send_if_open(self.ws, frame)


@dataclass
class ConsoleState:
    """Open consoles, the accounts database, and recent failed sign-ins by address."""

    supporters: Supporters | None = None
    consoles: set[Console] = field(default_factory=set)
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    login_key: bytes = b""

    @property
    def accounts(self) -> Supporters:
        """The supporters' database; raises RuntimeError before the gateway has opened it."""
        if self.supporters is None:
            raise RuntimeError("the console's database is not open yet")
        return self.supporters

    def of_tenant(self, tenant: str) -> list[Console]:
        """A tenant's consoles that have said hello."""
        return [c for c in self.consoles if c.ready and c.tenant.id == tenant]

    def of_supporter(self, supporter: str) -> list[Console]:
        """A supporter's consoles that have said hello (one supporter may have several open)."""
        return [c for c in self.consoles if c.ready and c.supporter.id == supporter]

    def signed_in(self, tenant: str) -> dict[str, Supporter]:
        """The tenant's supporters who have a console open and past hello, by id."""
        return {c.supporter.id: c.supporter for c in self.of_tenant(tenant)}

    def too_many_failures(self, address: str, now: float) -> bool:
        """Whether this address has had ADDRESS_FAILURES failed sign-ins within the window; older ones are dropped."""
        times = self.failures[address]
        while times and now - times[0] >= ADDRESS_WINDOW_SECONDS:
            times.popleft()
        if not times:
            del self.failures[address]
            return False
        return len(times) >= ADDRESS_FAILURES

    def failed(self, address: str, now: float) -> None:
        """Note a failed sign-in from this address (once over 10,000 addresses are kept, quiet ones are dropped)."""
        if len(self.failures) > 10_000:  # addresses that went quiet are dropped before the map grows without bound
            self.failures = defaultdict(
                deque, {a: t for a, t in self.failures.items() if t and now - t[-1] < ADDRESS_WINDOW_SECONDS}
            )
        self.failures[address].append(now)


CONSOLE_KEY = web.AppKey("console", ConsoleState)


class Desk:
    """What the console shows and does, over the peer-support core (shared by the socket and the JSON routes)."""

    def __init__(
        self,
        state: ConsoleState,
        peer: PeerSupport,
        messenger: Messenger,
        contacts: Contacts,
        tenants: Tenants,
    ) -> None:
        self.state = state
        self.peer = peer
        self.messenger = messenger
        self.contacts = contacts
        self.tenants = tenants
        self.names = Names(state.accounts)

    # ---- shapes ------------------------------------------------------------------------------------------------

    def card(self, handoff: Handoff) -> dict[str, Any]:
        """The peer-support core's card for a handoff, with its supporter's first name from the accounts."""
        card = self.peer.card(handoff)
        card["supporter_name"] = self.names(handoff.supporter)
        return card

    def message(
        self, message: dict[str, Any], conversation: str, safety: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message as the console shows it: with the supporter's first name, and the routes she was given
        when hers was a crisis."""
        shown = dict(message)
        shown["supporter_name"] = self.names(message.get("supporter"))
        if message.get("author") == "her" and message.get("urgent"):
            if safety and safety.get("level") == "crisis":
                screening = Screening("crisis", tuple(str(c) for c in safety.get("categories", ())))
            else:
                screening = screen(str(message.get("text", "")))
            if screening.level == "crisis":
                shown["routes"] = routes_given(screening, self.contacts, self.messenger.nation(conversation))
        return shown

    def stored_message(self, message: HandoffMessage, conversation: str) -> dict[str, Any]:
        """A stored handoff message as the console shows it (see `message`)."""
        return self.message(
            {
                "id": message.id,
                "author": message.author,
                "supporter": message.supporter,
                "text": message.text,
                "urgent": message.urgent,
                "at": message.created_at,
            },
            conversation,
        )

    async def chat(self, handoff: Handoff) -> dict[str, Any]:
        """A claimed chat: the card, every message (notes too), and the earlier conversation only if she agreed."""
        messages = await asyncio.to_thread(self.peer.handoffs.messages, handoff.id)
        await self.peer.look_up_presence([handoff])
        transcript = await asyncio.to_thread(self.peer.transcript, handoff)
        return {
            "handoff": await asyncio.to_thread(self.card, handoff),
            "messages": [self.stored_message(m, handoff.conversation) for m in messages],
            "transcript": transcript,
        }

    async def queue_frame(self, tenant: str) -> dict[str, Any]:
        """The tenant's queue as a frame: a card for each handoff waiting for a supporter, and the server's time."""
        # Each card reads her last message and when she wrote it: off the event loop, like every other read.
        handoffs = await asyncio.to_thread(self.peer.handoffs.queue, tenant)
        await self.peer.look_up_presence(handoffs)
        cards = await asyncio.to_thread(lambda: [self.card(h) for h in handoffs])
        return {"type": "queue", "handoffs": cards, "now": time.time()}

    async def team_frame(self, tenant: Tenant, is_open: bool | None = None) -> dict[str, Any]:
        """The team frame: supporters signed in on any gateway, who is on shift, and whether the hours are open
        (now, unless given)."""
        team = await self.peer.presence.team(tenant.id)
        here = self.state.signed_in(tenant.id)
        elsewhere = [s for s in team if s not in here]
        found = await asyncio.to_thread(lambda: [self.state.accounts.get(s) for s in elsewhere])
        known = {**{s.id: s for s in found if s is not None and s.tenant == tenant.id}, **here}
        supporters = [
            {**s.public(), "on_shift": team.get(s.id, False)}
            for s in sorted(known.values(), key=lambda s: s.display_name)
        ]
        if is_open is None:
            is_open = tenant.peer_support_open(datetime.now(LONDON))
        return {"type": "team", "supporters": supporters, "open": is_open}

    async def canned_frame(self, tenant: str) -> dict[str, Any]:
        """The tenant's canned replies as a frame."""
        replies = await asyncio.to_thread(self.state.accounts.canned, tenant)
        return {"type": "canned", "replies": [r.as_dict() for r in replies]}

    async def audit(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's handoff events, newest first: who, what, when and how long, never what was said."""
        rows = await asyncio.to_thread(self.peer.handoffs.audit, tenant)
        events = []
        for row in rows:
            event = dict(row)
            event["supporter"] = self.names(row["supporter"]) or row["supporter"]
            name = str(row["event"])
            if name.startswith("transferred to "):
                to = name.removeprefix("transferred to ")
                event["event"] = "transferred"
                event["to"] = self.names(to) or to
            events.append(event)
        return events

    # ---- pushing to consoles -----------------------------------------------------------------------------------

    async def broadcast_queue(self, tenant: str) -> None:
        """Send the tenant's queue to each of its consoles."""
        frame = await self.queue_frame(tenant)
        for console in self.state.of_tenant(tenant):
            await console.send(frame)

    async def broadcast_team(self, tenant: Tenant, is_open: bool | None = None) -> None:
        """Send the team frame (who is signed in and on shift, whether the hours are open) to the tenant's consoles."""
        frame = await self.team_frame(tenant, is_open)
        for console in self.state.of_tenant(tenant.id):
            await console.send(frame)

    async def follow_the_hours(
        self, interval: float = HOURS_CHECK_SECONDS, clock: Callable[[], datetime] = lambda: datetime.now(LONDON)
    ) -> None:
        """When a tenant's peer-support hours begin or end, tell its consoles, so the banner and the on-shift
        words always agree with what mothers are told."""
        was_open = {tenant.id: tenant.peer_support_open(clock()) for tenant in list(self.tenants)}
        while True:
            await asyncio.sleep(interval)
            for tenant in list(self.tenants):
                is_open = tenant.peer_support_open(clock())
                if was_open.get(tenant.id, is_open) != is_open:
                    try:
                        await self.broadcast_team(tenant, is_open)
                    except Exception as error:  # tried again at the next change; the loop must go on
                        log.warning("hours broadcast failed error=%s", type(error).__name__)
                was_open[tenant.id] = is_open

    async def send_chat(self, handoff: Handoff) -> None:
        """Open a claimed chat on every console of the supporter who has it; nothing if nobody has claimed it."""
        if handoff.supporter is None:
            return
        frame = {"type": "chat", "chat": await self.chat(handoff)}
        for console in self.state.of_supporter(handoff.supporter):
            console.open_chats.add(handoff.id)
            await console.send(frame)

    async def close_chat(self, handoff: Handoff, reason: str, message: str, keep: str | None = None) -> None:
        """Close a chat, saying why, on every console that shows it, except the consoles of the supporter `keep`."""
        for console in list(self.state.consoles):
            if handoff.id in console.open_chats and console.supporter.id != keep:
                console.open_chats.discard(handoff.id)
                await console.send(
                    {"type": "chat_closed", "handoff_id": handoff.id, "reason": reason, "message": message}
                )

    async def deleted(self, handoff_id: str, tenant: str) -> None:
        """She deleted her data: her card and any open chat go from every console, which is told why."""
        frame = {"type": "deleted", "handoff_id": handoff_id, "message": DELETED_BY_HER}
        for console in self.state.of_tenant(tenant):
            console.open_chats.discard(handoff_id)
            await console.send(frame)
        await self.broadcast_queue(tenant)

    async def team_changed(self, event: dict[str, Any]) -> None:
        """A supporter's console opened or closed or their shift changed, here or on another gateway: the team to
        the tenant's consoles, and the shift to the supporter's. After Redis comes back ("resync"), what may have
        been missed meanwhile is sent again: the team and the queue to every console."""
        if event.get("type") == "resync":
            for tenant_id in {c.tenant.id for c in self.state.consoles if c.ready}:
                tenant = self.tenants.get(tenant_id)
                if tenant is not None:
                    await self.broadcast_team(tenant)
                    await self.broadcast_queue(tenant.id)
            await self.resend_messages()
            return
        tenant = self.tenants.get(str(event.get("tenant")))
        if tenant is None:
            return
        if isinstance(event.get("on"), bool):
            for console in self.state.of_supporter(str(event.get("supporter"))):
                await console.send({"type": "shift", "on": event["on"]})
        await self.broadcast_team(tenant)

    async def resend_messages(self) -> None:
        """Send every open chat's messages again (the console shows each message once, by its id), so what she
        wrote through another gateway while Redis was unreachable still reaches the supporter."""
        for console in [c for c in self.state.consoles if c.ready]:
            for handoff_id in list(console.open_chats):
                try:
                    handoff = await asyncio.to_thread(self.peer.handoffs.get, handoff_id)
                except HandoffError:
                    continue
                for message in await asyncio.to_thread(self.peer.handoffs.messages, handoff_id):
                    shown = self.stored_message(message, handoff.conversation)
                    await console.send({"type": "message", "handoff_id": handoff_id, "message": shown})

    async def on_event(self, event: dict[str, Any]) -> None:
        """An event from the peer-support core: keep every console of that tenant up to date."""
        kind = event.get("type")
        if kind in ("team", "resync"):
            await self.team_changed(event)
            return
        handoff_id = event.get("handoff_id") or (event.get("handoff") or {}).get("id")
        if not isinstance(handoff_id, str):
            return
        if kind == "deleted":
            await self.deleted(handoff_id, str(event.get("tenant", "")))
            return
        try:
            handoff = await asyncio.to_thread(self.peer.handoffs.get, handoff_id)
        except HandoffError:
            return  # deleted at her request in the meantime
        tenant = handoff.tenant
        if kind == "presence":
            if handoff.status is Status.CLAIMED and handoff.supporter:
                frame = {key: event.get(key) for key in ("handoff_id", "connected", "typing", "last_wrote_at")}
                for console in self.state.of_supporter(handoff.supporter):
                    await console.send({"type": "presence", **frame})
            return
        if kind == "message":
            message = self.message(event.get("message") or {}, handoff.conversation, event.get("safety"))
            frame = {"type": "message", "handoff_id": handoff.id, "message": message}
            if handoff.status is Status.CLAIMED and handoff.supporter:
                for console in self.state.of_supporter(handoff.supporter):
                    await console.send(frame)
            else:
                await self.broadcast_queue(tenant)
            return
        await self.broadcast_queue(tenant)
        if kind == "queued":
            alert = {"type": "new_handoff", "handoff_id": handoff.id, "urgent": handoff.urgent}
            for console in self.state.of_tenant(tenant):
                await console.send(alert)
        elif kind == "claimed":
            await self.send_chat(handoff)
        elif kind == "transferred":
            to = self.names(handoff.supporter) or "another supporter"
            await self.close_chat(handoff, "transferred", f"You handed this chat to {to}.", keep=handoff.supporter)
            await self.send_chat(handoff)
        elif kind == "ended":
            by_her = event.get("by") == "her"
            why = "She went back to the bot, so this chat has ended." if by_her else "This chat has ended."
            await self.close_chat(handoff, "ended", why)
        elif kind == "expired":
            await self.close_chat(handoff, "expired", "This request waited too long and has closed.")


DESK_KEY = web.AppKey("console_desk", Desk)
