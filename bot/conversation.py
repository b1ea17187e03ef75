"""The path of every inbound message: safety screen first, then Rasa, and a reply whatever happens."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace
from typing import Any

from bot.answers.nations import mentioned_nation
from bot.answers.rasa_client import RasaClient, RasaUnavailable
from bot.answers.replies import BotMessage, from_rasa, is_button_payload
from bot.contacts import Contacts
from bot.crisis import crisis_reply, footer, unavailable_reply
from bot.safety import check as safety_check
from bot.safety.state import SafetyState, SafetyStates
from nlu.risk import RiskLayer
from nlu.screen import Screening, screen

log = logging.getLogger("nightlight.conversation")

NO_RISK = Screening(level="none", categories=())
DISTRESS = Screening(level="distress", categories=("distress",))
# What leads a topic answer when the screen heard distress that Rasa's answer does not speak to.
SUPPORT_FIRST = (
    "I'm sorry things feel so hard right now. I'm here with you, and you can tell me more, or ask to talk with one "
    "of our peer supporters, mums who've been there."
)
# She answered "yes" to the direct question about ending her life or harming herself or her baby.
SAID_YES = Screening(level="crisis", categories=("suicidal",))
# If the screen itself ever fails, nobody can say the message was safe: carry on, but as if she were struggling.
SCREEN_FAILED = Screening(level="distress", categories=())
# The Rasa slot that switches greetings and thanks to their calmer versions for a day after a crisis.
ELEVATED_SLOT = "elevated"
LEVEL_ORDER = {"none": 0, "distress": 1, "crisis": 2}
# Pauses before each try at telling Rasa about a crisis in the background (seconds).
RASA_RETRY_PAUSES = (0.0, 1.0, 2.0, 5.0, 15.0, 30.0, 60.0)


class BadPayload(ValueError):
    """A payload that no button of ours could have sent."""


def pseudonym(sender: str) -> str:
    """A short stable id for logs, so a conversation can be followed without its id or text."""
    return hashlib.sha256(sender.encode()).hexdigest()[:10]


def as_text(typed: str) -> str:
    """Typed text is always text: a leading "/" would make Rasa read it as an intent, so drop it."""
    return typed.strip().lstrip("/").strip()


@dataclass(frozen=True)
class Turn:
    """Everything one inbound message produced."""

    messages: list[BotMessage]
    safety: Screening
    handoff: dict[str, Any] | None = None
    degraded: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The REST API's answer body."""
        return {
            "messages": [m.as_dict() for m in self.messages],
            "safety": {"level": self.safety.level, "categories": list(self.safety.categories), "ask": self.safety.ask},
            "handoff": self.handoff,
        }


@dataclass
class RecentMessages:
    """Her last few messages per conversation, in memory only, so the screen can read risk in context."""

    per_conversation: int = 6
    max_conversations: int = 10_000
    ttl_seconds: float = 24 * 3600
    _store: OrderedDict[str, tuple[float, deque[str]]] = field(default_factory=OrderedDict)

    def get(self, sender: str) -> tuple[str, ...]:
        """Earlier messages, oldest first; empty once the conversation has been quiet for a day."""
        entry = self._store.get(sender)
        if entry is None or time.monotonic() - entry[0] > self.ttl_seconds:
            return ()
        return tuple(entry[1])

    def add(self, sender: str, text: str) -> None:
        """Remember a message, forgetting the oldest conversations beyond the cap."""
        recent = self._store.pop(sender, (0.0, deque(maxlen=self.per_conversation)))[1]
        recent.append(text)
        self._store[sender] = (time.monotonic(), recent)
        while len(self._store) > self.max_conversations:
            self._store.popitem(last=False)

    def forget(self, sender: str) -> None:
        """Drop a conversation's recent messages."""
        self._store.pop(sender, None)


def with_footer(messages: list[BotMessage], line: str) -> list[BotMessage]:
    """The same messages, the last one ending with a footer line."""
    last = messages[-1]
    return [*messages[:-1], replace(last, text=f"{last.text}\n\n{line}")]


class Conversations:
    """Routes each inbound message and always returns a reply."""

    def __init__(
        self, rasa: RasaClient, contacts: Contacts, states: SafetyStates, risk: RiskLayer | None = None
    ) -> None:
        self._rasa = rasa
        self._risk = risk
        self._contacts = contacts
        self._states = states
        self._recent = RecentMessages()
        self._background: set[asyncio.Task[None]] = set()
        self._telling: dict[str, asyncio.Lock] = {}

    def nation(self, sender: str) -> str:
        """The UK nation she has said she is in, or "" until she says (routes then follow England's)."""
        return self._states.get(sender).nation

    def forget(self, sender: str) -> None:
        """Drop what the gateway holds in memory about a conversation."""
        self._recent.forget(sender)

    def screen(self, sender: str, typed: str) -> Screening:
        """The safety screen's verdict on what she typed, read with her last few messages: the rules, then the risk
        model's layer if it is loaded (it can raise the level or ask); never raises."""
        history = self._recent.get(sender)
        try:
            rules = screen(typed, history)
        except Exception as error:  # the screen is code too; a bug in it must not cost her a reply
            log.error("safety screen failed conversation=%s error=%s", pseudonym(sender), type(error).__name__)
            return SCREEN_FAILED
        if self._risk is None:
            return rules
        # For a day after a crisis reply her routes are in every reply: the model then reads each message on its own,
        # so her "thank you" is not taken for another crisis because of what came before (the rules still read it).
        context = () if self._states.get(sender).elevated() else history
        try:
            return self._risk.screen(rules, typed, context)
        except Exception as error:  # the rules' verdict stands on its own
            log.error("risk model failed conversation=%s error=%s", pseudonym(sender), type(error).__name__)
            return rules

    async def handle_text(
        self,
        sender: str,
        typed: str,
        channel: str,
        context: dict[str, Any] | None = None,
        *,
        ask_rasa: bool = True,
    ) -> Turn:
        """Screen what she typed, answer a crisis at once, otherwise ask Rasa (unless a person is talking with her:
        then `ask_rasa` is False and only the screen's answer to a crisis comes back)."""
        started = time.perf_counter()
        screening = self.screen(sender, typed)
        self._recent.add(sender, typed)
        nation = mentioned_nation(typed)
        state = await asyncio.to_thread(
            self._states.update, sender, lambda s: replace(s, nation=nation) if nation else s
        )
        if screening.level == "crisis":
            turn = await self._crisis_turn(sender, screening, state.nation)
            outcome = "crisis-reply"
        elif not ask_rasa:
            turn = Turn(messages=[], safety=screening)
            outcome = "relayed"
        elif screening.ask:
            # Unsure: ask her directly instead of answering from the topic list (and without waiting for Rasa).
            turn = Turn(messages=[safety_check.question()], safety=screening)
            outcome = "asked"
        else:
            state = await self._tell_rasa(sender)
            turn = await self._ask_rasa(sender, as_text(typed) or "hello", screening, state, context)
            outcome = "degraded" if turn.degraded else "rasa"
        self._log(sender, channel, turn, started, outcome)
        return turn

    async def _crisis_turn(self, sender: str, screening: Screening, nation: str) -> Turn:
        """Answered here, in this turn, from local data only; Rasa hears of it afterwards, in the background."""
        turn = Turn(messages=[crisis_reply(screening, self._contacts, nation)], safety=screening)
        await asyncio.to_thread(self._states.update, sender, lambda s: s.after_crisis())
        self._tell_rasa_later(sender)
        return turn

    async def answer_safety_check(self, sender: str, payload: str, channel: str) -> Turn:
        """Her answer to the direct question: "yes" gets the crisis reply; "struggling" gets support (the
        messenger adds the offer of a person); "I'm OK" gets thanks."""
        started = time.perf_counter()
        if payload == safety_check.YES:
            turn = await self._crisis_turn(sender, SAID_YES, self.nation(sender))
        elif payload == safety_check.STRUGGLING:
            support = BotMessage(text=safety_check.STRUGGLING_TEXT)
            turn = Turn(messages=[support, BotMessage(text="", signal="handoff")], safety=DISTRESS)
        else:
            turn = Turn(messages=[BotMessage(text=safety_check.OK_TEXT)], safety=NO_RISK)
        self._log(sender, channel, turn, started, f"safety-check-{payload.rsplit('_', 1)[-1]}")
        return turn

    async def handle_payload(
        self, sender: str, payload: str, channel: str, context: dict[str, Any] | None = None
    ) -> Turn:
        """A button press: the payload goes to Rasa as an intent, if a button of ours could carry it."""
        if not is_button_payload(payload):
            raise BadPayload("A payload must be a button's intent, like /ask_self_referral.")
        started = time.perf_counter()
        state = await self._tell_rasa(sender)
        turn = await self._ask_rasa(sender, payload, NO_RISK, state, context)
        self._log(sender, channel, turn, started, "degraded" if turn.degraded else "rasa")
        return turn

    async def _tell_rasa(self, sender: str) -> SafetyState:
        """Bring Rasa's `elevated` slot in step with the gateway's state (so its replies stay calm after a crisis)
        before Rasa answers her; the gateway's own state is what counts, so a failure is tried again later."""
        lock = self._telling.setdefault(sender, asyncio.Lock())  # one telling at a time per conversation
        try:
            async with lock:
                state = await asyncio.to_thread(self._states.get, sender)
                elevated = state.elevated()
                if elevated == state.rasa_told:
                    return state
                try:
                    await self._rasa.set_slot(sender, ELEVATED_SLOT, elevated)
                except RasaUnavailable:
                    return state  # tried again in the background after a crisis, and before Rasa next answers her
                return await asyncio.to_thread(
                    self._states.update,
                    sender,
                    lambda s: replace(s, rasa_told=elevated) if s.elevated() == elevated else s,
                )
        finally:
            if not lock.locked():
                self._telling.pop(sender, None)

    def _tell_rasa_later(self, sender: str) -> None:
        """Tell Rasa about a crisis without making her wait: in the background, trying again with growing pauses."""
        task = asyncio.create_task(self._keep_telling_rasa(sender))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _keep_telling_rasa(self, sender: str) -> None:
        for pause in RASA_RETRY_PAUSES:
            await asyncio.sleep(pause)
            state = await self._tell_rasa(sender)
            if state.rasa_told == state.elevated():
                return
        log.warning(
            "rasa not told of a crisis yet conversation=%s; it is told before it next answers her", pseudonym(sender)
        )

    async def close(self) -> None:
        """Stop the background work (what Rasa was not told yet is kept in the safety state)."""
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _ask_rasa(
        self, sender: str, message: str, screening: Screening, state: SafetyState, context: dict[str, Any] | None
    ) -> Turn:
        # `context` tells the actions which charity she came through (its own services rank first).
        metadata: dict[str, Any] = {"screen": screening.as_dict(), **(context or {})}
        try:
            items = await self._rasa.send(sender, message, metadata=metadata)
        except RasaUnavailable as error:
            log.warning("rasa unavailable conversation=%s reason=%s", pseudonym(sender), error)
            items = []
        messages = from_rasa(items, self._contacts, state.nation)
        if not messages:
            # No answer: usually Rasa or the action server is down. Silence is never an answer.
            return Turn(messages=[unavailable_reply(self._contacts, state.nation)], safety=screening, degraded=True)
        supportive = any(m.signal in ("distress", "handoff", "support") for m in messages)
        if any(m.signal == "distress" for m in messages) and LEVEL_ORDER[screening.level] < LEVEL_ORDER["distress"]:
            screening = DISTRESS  # the model heard distress the screen did not: the level only ever goes up
        elif screening.level == "distress" and not supportive and screening is not SCREEN_FAILED:
            # The screen heard her struggling but Rasa chose a topic: support comes first, the topic after it.
            messages = [BotMessage(text=SUPPORT_FIRST), *messages]
        if state.elevated() or screening is SCREEN_FAILED:
            messages = with_footer(messages, footer(self._contacts, state.nation))
        return Turn(messages=messages, safety=screening)

    @staticmethod
    def _log(sender: str, channel: str, turn: Turn, started: float, outcome: str) -> None:
        log.info(
            "message channel=%s conversation=%s level=%s categories=%s outcome=%s replies=%d ms=%.0f",
            channel,
            pseudonym(sender),
            turn.safety.level,
            ",".join(turn.safety.categories) or "-",
            outcome,
            len(turn.messages),
            (time.perf_counter() - started) * 1000,
        )
