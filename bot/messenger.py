"""One path for every channel: store what she sent, answer it, store the answer, then hand it to her channel.

The REST API calls `Messenger.receive`; Telegram and the widget call `accept`, acknowledge, then `answer`. Because
the message is on disk before the channel acknowledges it, a gateway that stops half-way loses nothing:
`replay_pending` answers what was left, and the answer waits in the store until her channel takes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.answers.replies import BotMessage
from bot.contacts import Contacts
from bot.conversation import LEVEL_ORDER as LEVELS
from bot.conversation import NO_RISK, BadPayload, Conversations, Turn, pseudonym
from bot.crisis import readable, unavailable_reply
from bot.db import gateway_id
from bot.http import Refused
from bot.peer.handoff import Status
from bot.peer.support import ACCEPT as PEER_ACCEPT
from bot.peer.support import PAYLOADS as PEER_PAYLOADS
from bot.peer.support import PeerSupport, typed_choice, wants_the_bot
from bot.privacy.forget import delete_rasa_tracker
from bot.privacy.postcodes import cut_postcodes
from bot.safety import check as safety_check
from bot.safety.state import SafetyStates
from bot.settings import MAX_MESSAGE_CHARS
from bot.store import Inbound, MessageStore, Outbound
from bot.tenants import Tenant, Tenants
from nlu.screen import forget_cached, screen

log = logging.getLogger("nightlight.messenger")

Deliverer = Callable[[Outbound], Awaitable[None]]
Typing = Callable[[str, str | None], Awaitable[None]]  # (conversation, address)
PURGE_INTERVAL_SECONDS = 3600.0
SWEEP_SECONDS = 5.0
# How long she waits for her message to be stored before she is told it could not be, with the 24/7 routes.
STORE_WAIT_SECONDS = 5.0
STORE_UNAVAILABLE = "We couldn't save your message just now. Please send it again in a moment."


@dataclass(frozen=True)
class Delivery:
    """A stored reply and the turn that produced it."""

    turn: Turn
    outbound: Outbound


def check_message(text: str | None, payload: str | None) -> None:
    """Refuse what cannot be answered, with a reason she can act on. A crisis is never refused for its length."""
    if payload is not None:
        return
    if text is None or not text.strip():
        raise Refused(400, "empty_text", "The message is empty. Type something and send it again.")
    if readable(text) != text:
        raise Refused(
            400,
            "invalid_text",
            "The message holds a character that is not valid Unicode (a lone surrogate). Please type it again.",
            text=text,
        )
    if len(text) > MAX_MESSAGE_CHARS and screen(text).level != "crisis":
        raise Refused(
            413,
            "message_too_long",
            f"Messages can be up to {MAX_MESSAGE_CHARS:,} characters; this one has {len(text):,}. "
            "Please send it in shorter parts.",
            text=text,
        )


def tenant_context(tenant: Tenant) -> dict[str, Any]:
    """What the actions need to know about the charity she came through."""
    return {"tenant": {"id": tenant.id, "organizations": list(tenant.organizations), "home_area": tenant.home_area}}


class Outbox:
    """Hands stored replies to her channel, and sends what she did not just ask for (a supporter's words, typing)."""

    def __init__(self, store: MessageStore) -> None:
        self.store = store
        self._deliverers: dict[str, Deliverer] = {}
        self._typers: dict[str, Typing] = {}

    def on_channel(self, channel: str, deliver: Deliverer, typing: Typing | None = None) -> None:
        """Register how replies (and a typing indicator) reach a channel when she has not just written: after a
        restart, or when a peer supporter writes to her."""
        self._deliverers[channel] = deliver
        if typing is not None:
            self._typers[channel] = typing

    async def deliver(self, outbound: Outbound) -> None:
        """Hand a stored reply to its channel's deliverer, if it has one (Telegram and the widget; not the REST API)."""
        deliver = self._deliverers.get(outbound.channel)
        if deliver is not None:
            await deliver(outbound)

    async def push(
        self, conversation: str, messages: list[BotMessage], handoff: dict[str, Any] | None = None
    ) -> Outbound:
        """Send her messages she did not ask for (a supporter's words): stored first, then handed over."""
        body: dict[str, Any] = {
            "messages": [m.as_dict() for m in messages],
            "safety": {"level": "none", "categories": []},
            "handoff": handoff,
        }
        outbound = await asyncio.to_thread(self.store.record_reply, None, conversation, body, crisis=False)
        await self.deliver(outbound)
        return outbound

    async def typing(self, conversation: str) -> None:
        """Show a typing indicator on her channel, if it has one."""
        channel, address = await asyncio.to_thread(self.store.channel_of, conversation)
        typing = self._typers.get(channel or "")
        if typing is not None:
            await typing(conversation, address)


class Messenger:
    """Stores, answers and hands over every message, for every channel."""

    def __init__(
        self,
        conversations: Conversations,
        store: MessageStore,
        states: SafetyStates,
        contacts: Contacts,
        tenants: Tenants,
        tracker_store_url: str,
        project_root: Path,
        peer: PeerSupport | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self.conversations = conversations
        self.store = store
        self._states = states
        self.contacts = contacts
        self.tenants = tenants
        self._tracker_store_url = tracker_store_url
        self._project_root = project_root
        self.outbox = outbox or Outbox(store)
        self.peer = peer
        self._locks: dict[str, asyncio.Lock] = {}
        self.gateway = gateway_id()  # marks what this gateway takes over from one that stopped

    def on_channel(self, channel: str, deliver: Deliverer, typing: Typing | None = None) -> None:
        """Register how replies (and a typing indicator) reach a channel when she has not just written."""
        self.outbox.on_channel(channel, deliver, typing)

    def _lock(self, conversation: str) -> asyncio.Lock:
        # One message at a time per conversation, so replies keep her order.
        lock = self._locks.get(conversation)
        if lock is None:
            lock = self._locks[conversation] = asyncio.Lock()
        return lock

    async def receive(
        self,
        conversation: str,
        tenant: Tenant,
        channel: str,
        *,
        text: str | None = None,
        payload: str | None = None,
        address: str | None = None,
        dedupe_key: str | None = None,
    ) -> Delivery | None:
        """Store, answer and store the answer; None when this dedupe key was already received."""
        inbound = await self.accept(
            conversation, tenant, channel, text=text, payload=payload, address=address, dedupe_key=dedupe_key
        )
        if inbound is None:
            return None
        return await self.answer(inbound, tenant)

    async def accept(
        self,
        conversation: str,
        tenant: Tenant,
        channel: str,
        *,
        text: str | None = None,
        payload: str | None = None,
        address: str | None = None,
        dedupe_key: str | None = None,
    ) -> Inbound | None:
        """Check and store a message (after this it may be acknowledged); None for a duplicate dedupe key."""
        if (text is None) == (payload is None):
            raise Refused(400, "text_or_payload", "Send either text or a button's payload.")
        check_message(text, payload)
        if payload is not None and not self._payload_ok(payload):
            raise Refused(400, "invalid_payload", "A payload must be a button's intent, like /ask_self_referral.")
        kind, body = ("payload", payload) if payload is not None else ("text", text)
        assert body is not None
        body = cut_postcodes(body)  # only the district is ever stored, shown to a supporter, or sent to Rasa
        store = asyncio.to_thread(
            self.store.record_inbound,
            conversation,
            tenant.id,
            channel,
            kind,
            body,
            address=address,
            dedupe_key=dedupe_key,
        )
        try:
            inbound = await asyncio.wait_for(store, STORE_WAIT_SECONDS)
        except (TimeoutError, asyncio.TimeoutError, SQLAlchemyError, OSError) as error:
            # The database is down or unreachable: she is told at once, and a crisis still gets the crisis reply
            # (the refusal screens what she wrote), rather than waiting on a database on another machine.
            log.error("message not stored channel=%s error=%s", channel, type(error).__name__)
            raise Refused(503, "store_unavailable", STORE_UNAVAILABLE, text=text) from None
        if inbound is None:
            log.info("duplicate message ignored channel=%s conversation=%s", channel, pseudonym(conversation))
        return inbound

    @staticmethod
    def _payload_ok(payload: str) -> bool:
        from bot.answers.replies import is_button_payload

        return is_button_payload(payload)

    async def answer(self, inbound: Inbound, tenant: Tenant) -> Delivery:
        """Answer a stored message and store the answer (marking the message handled)."""
        # A crisis never queues behind her earlier message while that one waits for Rasa: it is answered now.
        urgent = inbound.kind == "text" and self.urgent(inbound.conversation, inbound.body)
        async with contextlib.nullcontext() if urgent else self._lock(inbound.conversation):
            try:
                turn = await self._turn(inbound, tenant)
            except BadPayload:
                raise
            except Exception as error:  # our own bug must still leave her with the crisis lines
                log.error(
                    "answering failed conversation=%s error=%s", pseudonym(inbound.conversation), type(error).__name__
                )
                turn = Turn(messages=[unavailable_reply(self.contacts)], safety=screen(""), degraded=True)
            crisis = any(m.kind == "crisis" for m in turn.messages)
            outbound = await asyncio.to_thread(
                self.store.record_reply, inbound, inbound.conversation, turn.as_dict(), crisis=crisis
            )
            return Delivery(turn, outbound)

    def urgent(self, conversation: str, text: str) -> bool:
        """Whether what she typed screens as a crisis (so it is answered before anything else of hers)."""
        return self.conversations.screen(conversation, text).level == "crisis"

    async def _turn(self, inbound: Inbound, tenant: Tenant) -> Turn:
        """Route one message: to the peer supporter during a handoff, otherwise to Rasa; a crisis first, always."""
        conversation, channel = inbound.conversation, inbound.channel
        context = tenant_context(tenant)
        peer = self.peer
        handoff = await asyncio.to_thread(peer.handoffs.active, conversation) if peer else None
        relaying = handoff is not None and handoff.status in (Status.QUEUED, Status.CLAIMED)
        if peer is not None and inbound.kind == "payload" and inbound.body in PEER_PAYLOADS:
            last = self._last_safety(conversation)
            messages = await peer.answer_choice(
                conversation, tenant, inbound.body, last, self.conversations.nation(conversation)
            )
            return await self._with_handoff(Turn(messages=messages, safety=NO_RISK), conversation)
        if inbound.kind == "payload" and inbound.body in safety_check.PAYLOADS:
            turn = await self.conversations.answer_safety_check(conversation, inbound.body, channel)
        elif (
            inbound.kind == "text"
            and not relaying
            and safety_check.typed_answer(inbound.body)
            and safety_check.was_asked(self._last_reply(conversation))
        ):
            # She typed her answer to the direct question: screened first, like every message.
            turn = await self.conversations.handle_text(conversation, inbound.body, channel, context, ask_rasa=False)
            if turn.safety.level != "crisis":
                answer = safety_check.typed_answer(inbound.body)
                assert answer is not None
                turn = await self.conversations.answer_safety_check(conversation, answer, channel)
        elif inbound.kind == "payload":
            if relaying and peer is not None and handoff is not None:
                return await self._with_handoff(
                    Turn(messages=[await peer.status_message(handoff)], safety=NO_RISK), conversation
                )
            turn = await self.conversations.handle_payload(conversation, inbound.body, channel, context)
        elif (
            peer is not None
            and handoff is not None
            and handoff.status is Status.OFFERED
            and typed_choice(inbound.body)
            and self._offer_was_last(conversation)
        ):
            # She typed "yes" or "no thanks" to the offer instead of tapping: screened first, like every message.
            turn = await self.conversations.handle_text(conversation, inbound.body, channel, context, ask_rasa=False)
            if turn.safety.level != "crisis":
                choice = typed_choice(inbound.body)
                assert choice is not None
                last = self._last_safety(conversation)
                nation = self.conversations.nation(conversation)
                messages = await peer.answer_choice(conversation, tenant, choice, last, nation)
                return await self._with_handoff(replace(turn, messages=messages), conversation)
        else:
            turn = await self.conversations.handle_text(
                conversation, inbound.body, channel, context, ask_rasa=not relaying
            )
        if peer is None:
            return turn
        if relaying and handoff is not None:
            await peer.relay_from_her(handoff, inbound.body, turn.safety)
            if wants_the_bot(inbound.body) and turn.safety.level != "crisis":
                messages = await peer.back_to_bot(conversation)
            else:
                messages = [*turn.messages, *peer.reply_while_waiting(handoff)]
            return await self._with_handoff(replace(turn, messages=messages), conversation)
        if turn.safety.level == "crisis":
            nation = self.conversations.nation(conversation)
            offer = await peer.offer(conversation, tenant, channel, "crisis", urgent=True, nation=nation)
            return await self._with_handoff(replace(turn, messages=[*turn.messages, offer]), conversation)
        if any(m.signal == "handoff" for m in turn.messages):
            if turn.messages[0].text == safety_check.STRUGGLING_TEXT:
                reason = "struggling, after the direct question"
            else:
                reason = "asked for a person" if inbound.kind == "text" else "pressed 'talk to a person'"
            offer = await peer.offer(
                conversation, tenant, channel, reason, nation=self.conversations.nation(conversation)
            )
            messages = [offer if m.signal == "handoff" else m for m in turn.messages]
            return await self._with_handoff(replace(turn, messages=messages), conversation)
        return turn

    def _last_reply(self, conversation: str) -> dict[str, Any] | None:
        replies = self.store.replies(conversation)
        return replies[-1] if replies else None

    def _offer_was_last(self, conversation: str) -> bool:
        """Whether the last thing said to her was the offer of a person (so a typed "yes" answers it, not the bot)."""
        replies = self.store.replies(conversation)
        if not replies:
            return False
        return any(
            message.get("kind") == "handoff"
            and any(button.get("payload") == PEER_ACCEPT for button in message.get("buttons", []))
            for message in replies[-1].get("messages", [])
        )

    def _last_safety(self, conversation: str) -> dict[str, Any]:
        """The highest safety level of the whole conversation, and every category she showed, for the summary."""
        level, categories = "none", []
        for body in self.store.replies(conversation):
            safety = body.get("safety") or {}
            said = str(safety.get("level", "none"))
            if LEVELS.get(said, 0) > LEVELS[level]:
                level = said
            if said != "none":
                categories += [str(category) for category in safety.get("categories", [])]
        return {"level": level, "categories": list(dict.fromkeys(categories))}

    async def _with_handoff(self, turn: Turn, conversation: str) -> Turn:
        """The turn with the handoff as her channel shows it: its status, and who is with her."""
        if self.peer is None:
            return turn
        handoff = await asyncio.to_thread(self.peer.handoffs.active, conversation)
        return replace(turn, handoff=await self.peer.handoff_for_her(handoff))

    def nation(self, conversation: str) -> str:
        """The UK nation she has said she is in; "" until she says, which the routes read as England."""
        return self.conversations.nation(conversation)

    async def replay_pending(self, received_before: float | None = None) -> int:
        """Answer messages that were stored but not answered (this gateway restarted, or another one stopped), and
        hand the answers over; each is taken by one gateway only."""
        before = time.time() if received_before is None else received_before
        pending = await asyncio.to_thread(self.store.take_pending, self.gateway, before)
        for inbound in pending:
            tenant = self.tenants.get(inbound.tenant) or self.tenants.default
            delivery = await self.answer(inbound, tenant)
            await self.deliver(delivery.outbound)
        if pending:
            log.info("answered %d messages left unanswered by a gateway that stopped", len(pending))
        return len(pending)

    async def sweep_forever(self, stale_seconds: float, interval: float = SWEEP_SECONDS) -> None:
        """With several gateways: every `interval`, answer messages that have waited `stale_seconds` unanswered
        (the gateway that took them was killed), so she is answered while that gateway is down."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.replay_pending(time.time() - stale_seconds)
            except Exception as error:  # tried again next time; never stops the gateway
                log.error("sweep of unanswered messages failed error=%s", type(error).__name__)

    async def deliver(self, outbound: Outbound) -> None:
        """Hand a stored reply to its channel's deliverer, if it has one (Telegram and the widget; not the REST API)."""
        await self.outbox.deliver(outbound)

    async def undelivered(self, conversation: str) -> list[Outbound]:
        """Replies her channel has not taken yet, crisis replies first."""
        return await asyncio.to_thread(self.store.undelivered, conversation)

    async def mark_delivered(self, outbound_id: int) -> None:
        """Record that her channel has this reply, so it is not handed over again."""
        await asyncio.to_thread(self.store.mark_delivered, outbound_id)

    async def forget(self, conversation: str) -> None:
        """Delete everything about a conversation from every store: messages, safety state, memory and Rasa."""
        async with self._lock(conversation):
            await asyncio.to_thread(self.store.forget, conversation)
            if self.peer is not None:
                await self.peer.forget(conversation)
            await asyncio.to_thread(self._states.forget, conversation)
            self.conversations.forget(conversation)
            forget_cached()
            await asyncio.to_thread(delete_rasa_tracker, self._tracker_store_url, conversation, self._project_root)
        self._locks.pop(conversation, None)
        log.info("conversation deleted on request conversation=%s", pseudonym(conversation))

    async def purge_expired(self, now: float | None = None) -> tuple[int, int]:
        """Apply each tenant's retention: delete old messages, and whole conversations that have gone quiet."""
        now = time.time() if now is None else now
        conversations = messages = 0
        for tenant in self.tenants:
            cutoff = now - tenant.retention_days * 86400
            for conversation in await asyncio.to_thread(self.store.expired_conversations, tenant.id, cutoff):
                await self.forget(conversation)
                conversations += 1
            messages += await asyncio.to_thread(self.store.purge_messages, tenant.id, cutoff)
        if conversations or messages:
            log.info("retention purge conversations=%d messages=%d", conversations, messages)
        return conversations, messages

    async def purge_forever(self, interval: float = PURGE_INTERVAL_SECONDS) -> None:
        """Run the retention purge now and then every `interval` seconds, until cancelled."""
        while True:
            try:
                await self.purge_expired()
            except Exception as error:  # a failed purge is retried; it must not stop the gateway
                log.error("retention purge failed error=%s", type(error).__name__)
            await asyncio.sleep(interval)
