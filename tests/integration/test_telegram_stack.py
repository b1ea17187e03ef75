"""A mother on Telegram, through the real gateway, Rasa and action server started by `nightlight up`.

The Bot API is the fake in tests/fakes/telegram_api.py, running in this test process; the gateway's
python-telegram-bot reaches it over real HTTP through NIGHTLIGHT_TELEGRAM_API_URL. The tests share one stack and
run in the order written: the last ones kill the gateway.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.contacts import Contacts
from tests.fakes.telegram_api import Call, FakeTelegramThread
from tests.integration.stack import Stack, running_stack

pytestmark = pytest.mark.stack

TOKEN = "123456789:ABCdefGhIJKlmnoPQRstuVWxyz0123456789"


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, telegram: FakeTelegramThread
) -> Iterator[Stack]:
    env = {"NIGHTLIGHT_TELEGRAM_TOKEN": TOKEN, "NIGHTLIGHT_TELEGRAM_API_URL": telegram.base_url}
    with running_stack(tmp_path_factory.mktemp("telegram-stack"), env) as running:
        yield running


def wait_for(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


class Mother:
    """One mother's Telegram chat with Nightlight."""

    def __init__(self, telegram: FakeTelegramThread, stack: Stack, chat_id: int) -> None:
        self.telegram = telegram
        self.stack = stack
        self.chat_id = chat_id

    @property
    def conversation(self) -> str:
        return f"tg-{self.chat_id}"

    def _count(self, query: str) -> int:
        with sqlite3.connect(self.stack.data_dir / "messages.db", timeout=10) as db:
            return int(db.execute(query, (self.conversation,)).fetchone()[0])

    def stored(self) -> int:
        return self._count("SELECT COUNT(*) FROM inbound WHERE conversation = ?")

    def delivered(self) -> int:
        return self._count("SELECT COUNT(*) FROM outbound WHERE conversation = ? AND delivered_at IS NOT NULL")

    def _turn(self, push: Any) -> list[Call]:
        """Push an update and return every message of the reply, once the gateway has marked it delivered."""
        sent, delivered = len(self.telegram.sent(self.chat_id)), self.delivered()
        push()
        wait_for(lambda: self.delivered() > delivered, 90, "the reply to be delivered")
        return self.telegram.sent(self.chat_id)[sent:]

    def says(self, text: str) -> list[Call]:
        return self._turn(lambda: self.telegram.push(lambda fake: fake.text(self.chat_id, text)))

    def presses(self, data: str, on: Call) -> list[Call]:
        return self._turn(lambda: self.telegram.push(lambda fake: fake.button(self.chat_id, data, on)))

    def command(self, text: str) -> Call:
        """A command is answered by the gateway itself, in one message, and nothing is stored."""
        sent = len(self.telegram.sent(self.chat_id))
        self.telegram.push(lambda fake: fake.text(self.chat_id, text))
        return self.telegram.wait_sent(self.chat_id, sent + 1)[sent]

    def tracker_events(self) -> list[dict[str, Any]]:
        response = requests.get(
            f"{self.stack.rasa_url}/conversations/{self.conversation}/tracker",
            params={"token": self.stack.rasa_token},
            timeout=10,
        )
        response.raise_for_status()
        events: list[dict[str, Any]] = response.json().get("events") or []
        return events


def texts(replies: list[Call]) -> str:
    return "\n".join(reply.text for reply in replies)


def conversation_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] in {"user", "bot"}]


def test_a_mother_says_hello_presses_a_button_and_asks_a_question(stack: Stack, telegram: FakeTelegramThread) -> None:
    mother = Mother(telegram, stack, 700001)
    hello = mother.says("hiya")
    assert "Nightlight" in texts(hello)
    with_buttons = next(reply for reply in hello if any("callback_data" in b for b in reply.buttons))
    choices = [str(b["callback_data"]) for b in with_buttons.buttons if "callback_data" in b]
    assert all(len(data.encode()) <= 64 for data in choices)

    pressed = mother.presses(choices[0], with_buttons)
    assert texts(pressed).strip()
    answered = telegram.call(lambda fake: [c.params["callback_query_id"] for c in fake.calls_to("answerCallbackQuery")])
    assert answered, "the button press was answered"

    answer = mother.says("whats the difference between baby blues and pnd")
    assert "baby blues" in texts(answer).lower()
    urls = [str(b["url"]) for reply in answer for b in reply.buttons if "url" in b]
    assert urls and all(url.startswith("https://") for url in urls), "read more is a link button"
    said = [e.get("text") for e in mother.tracker_events() if e["event"] == "user"]
    assert "hiya" in said and "whats the difference between baby blues and pnd" in said


def test_a_crisis_gets_the_crisis_routes_in_one_message_and_never_reaches_rasa(
    stack: Stack, telegram: FakeTelegramThread, contacts: Contacts
) -> None:
    mother = Mother(telegram, stack, 700002)
    mother.says("hello")
    reply, offer = mother.says("i cant do this anymore i want to end my life")
    for route in ("emergency", "nhs-111-mental-health", "samaritans", "shout"):
        assert contacts[route].line() in reply.text
    assert "peer supporters" in offer.text, "the offer of a person follows the crisis reply, never inside it"
    said = [e.get("text") for e in mother.tracker_events() if e["event"] == "user"]
    assert said == ["hello"]


def test_help_and_start_come_from_the_gateway_with_the_routes_from_the_contacts_data(
    stack: Stack, telegram: FakeTelegramThread, contacts: Contacts
) -> None:
    mother = Mother(telegram, stack, 700003)
    start = mother.command("/start")
    assert "not an emergency service" in start.text
    help_reply = mother.command("/help")
    assert contacts["samaritans"].line() in help_reply.text
    assert contacts["emergency"].line() in help_reply.text
    assert conversation_events(mother.tracker_events()) == []
    assert mother.stored() == 0


def test_forget_deletes_her_conversation_from_the_gateway_and_from_rasa(
    stack: Stack, telegram: FakeTelegramThread
) -> None:
    mother = Mother(telegram, stack, 700004)
    mother.says("what is cbt")
    assert conversation_events(mother.tracker_events())
    question = mother.command("/forget")
    [yes] = [str(b["callback_data"]) for b in question.buttons if str(b.get("callback_data")) == "forget:yes"]
    sent = len(telegram.sent(mother.chat_id))
    telegram.push(lambda fake: fake.button(mother.chat_id, yes, question))
    done = telegram.wait_sent(mother.chat_id, sent + 1)[sent]
    assert "delete this chat in the Telegram app" in done.text
    assert mother.stored() == 0
    assert conversation_events(mother.tracker_events()) == []


def test_a_message_stored_when_the_gateway_is_killed_is_answered_after_the_supervisor_restarts_it(
    stack: Stack, telegram: FakeTelegramThread
) -> None:
    mother = Mother(telegram, stack, 700005)
    rasa = stack.pid("rasa")
    os.killpg(rasa, signal.SIGSTOP)  # so the message is stored but cannot be answered yet
    try:
        telegram.push(lambda fake: fake.text(mother.chat_id, "how do i refer myself for talking therapy"))
        wait_for(lambda: mother.stored() == 1, 30, "the message to be stored")
        wait_for(
            lambda: telegram.call(
                lambda fake: [c for c in fake.calls_to("sendChatAction") if c.chat_id == mother.chat_id]
            ),
            30,
            "the typing indicator",
        )
        os.killpg(stack.pid("gateway"), signal.SIGKILL)
        # While the gateway is down she writes again: the update waits at Telegram and must not be dropped.
        telegram.push(lambda fake: fake.text(mother.chat_id, "are you still there"))
    finally:
        os.killpg(rasa, signal.SIGCONT)
    wait_for(lambda: mother.delivered() == 2, 180, "both messages to be answered after the restart")
    stack.wait_healthy(120)
    assert "gateway stopped unexpectedly" in stack.output.read_text()
    assert telegram.sent(mother.chat_id)
    later = mother.says("thank you")
    assert later
    assert mother.stored() == 3 and mother.delivered() == 3


def test_the_bot_token_never_appears_in_any_log(stack: Stack) -> None:
    logs = [*(stack.data_dir / "logs").glob("*.log"), stack.output]
    assert logs
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert TOKEN not in text, log.name
        assert TOKEN.split(":")[1] not in text, log.name
