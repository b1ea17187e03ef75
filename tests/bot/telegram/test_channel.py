"""The Telegram channel, against a fake Bot API and a stand-in Rasa, both served over real HTTP.

python-telegram-bot inside the gateway talks to tests/fakes/telegram_api.py through `base_url`, exactly as it would
talk to api.telegram.org: polling, the webhook, commands, buttons, flood control and restarts.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.answers.replies import is_button_payload
from bot.app import create_app
from bot.app_keys import MESSENGER_KEY
from bot.contacts import Contacts
from bot.settings import MAX_MESSAGE_CHARS, Settings
from bot.telegram import render as telegram_render
from bot.telegram.channel import TELEGRAM_KEY, Redactor, parse_command
from bot.telegram.render import (
    CAPTION_READ,
    EDITED,
    EXPIRED_BUTTON,
    FORGET_KEPT,
    FORGET_NO,
    FORGET_YES,
    NOT_TEXT,
    VOICE_NOTE,
    telegram_length,
)
from tests.bot.telegram.conftest import TOKEN
from tests.fakes.rasa import FakeRasa
from tests.fakes.telegram_api import Call, FakeTelegram
from tests.integration.stack import free_port

# PTB warns about RetryAfter.retry_after inside its own constructor; the channel reads it without the warning.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

SECRET = "webhook-secret-0123456789abcdef"
CHAT = 4242
CRISIS = "i want to kill myself"
LONG_PAYLOAD = '/inform{"search_place": "Newport, Isle of Wight", "search_when": "tomorrow morning"}'


def make_tracker_db(path: Path, sender: str) -> None:
    """A table shaped like Rasa's SQL tracker store `events`, with a conversation in it."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)")
        db.executemany(
            "INSERT INTO events(sender_id, type_name, data) VALUES (?, ?, ?)",
            [(sender, "user", '{"text": "private words"}'), (sender, "bot", "{}")],
        )


def tracker_rows(path: Path, sender: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0])


def settings_for(telegram: FakeTelegram, rasa: FakeRasa, data_dir: Path, **changes: Any) -> Settings:
    return Settings(
        rasa_url=rasa.url,
        rasa_timeout=10,
        actions_port=free_port(),
        data_dir=data_dir,
        tracker_store_url=f"sqlite:///{data_dir}/tracker.db",
        telegram_token=TOKEN,
        telegram_api_url=telegram.base_url,
        **changes,
    )


async def start_gateway(settings: Settings) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client


@pytest.fixture
async def gateway(telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    client = await start_gateway(settings_for(telegram, rasa, tmp_path))
    yield client
    await client.close()


@pytest.fixture
async def webhook_gateway(
    telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path
) -> AsyncIterator[TestClient[Any, Any]]:
    settings = settings_for(
        telegram,
        rasa,
        tmp_path,
        telegram_mode="webhook",
        telegram_webhook_url="https://nightlight.example.org/telegram/webhook",
        telegram_secret=SECRET,
    )
    client = await start_gateway(settings)
    yield client
    await client.close()


def callback_data(call: Call) -> list[str]:
    return [str(button["callback_data"]) for button in call.buttons if "callback_data" in button]


# Polling


async def test_a_message_waiting_before_the_gateway_starts_is_answered_through_rasa_by_long_polling(
    telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path
) -> None:
    telegram.push(telegram.text(CHAT, "whats the difference between baby blues and pnd"))
    client = await start_gateway(settings_for(telegram, rasa, tmp_path))
    try:
        [reply] = await telegram.wait_sent(CHAT)
    finally:
        await client.close()
    assert reply.text == "An answer."
    assert reply.params.get("parse_mode") is None
    assert rasa.received[0]["sender"] == f"tg-{CHAT}"
    assert rasa.messages == ["whats the difference between baby blues and pnd"]
    [delete] = telegram.calls_to("deleteWebhook")
    assert delete.params["drop_pending_updates"] is False
    polls = telegram.calls_to("getUpdates")
    assert telegram.calls.index(delete) < telegram.calls.index(polls[0])
    assert polls[0].params["allowed_updates"] == ["message", "callback_query"]
    assert all(not call.params.get("drop_pending_updates") for call in telegram.calls)


async def test_the_same_update_delivered_twice_is_answered_once(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    update = telegram.text(CHAT, "what is cbt")
    telegram.push(update, update)
    await telegram.wait_sent(CHAT)
    telegram.push(telegram.text(CHAT, "thanks"))
    await telegram.wait_sent(CHAT, 2)
    assert rasa.messages == ["what is cbt", "thanks"]
    assert len(telegram.sent(CHAT)) == 2
    assert gateway.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (2, 2)


async def test_she_sees_typing_while_the_answer_is_being_prepared(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    rasa.hold()
    telegram.push(telegram.text(CHAT, "can i bring my baby to therapy"))
    typing = await telegram.wait_until(
        lambda: [c for c in telegram.calls_to("sendChatAction") if c.chat_id == CHAT], what="a typing indicator"
    )
    assert typing[0].params["action"] == "typing"
    assert telegram.sent(CHAT) == []
    rasa.release()
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == "An answer."


async def test_poll_failures_are_retried_and_polling_carries_on(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    telegram.fail_polls = 2
    telegram.push(telegram.text(CHAT, "hello"))
    [reply] = await telegram.wait_sent(CHAT, timeout=30)
    assert reply.text == "An answer."
    failures = [r for r in caplog.records if "poll failed" in r.getMessage()]
    assert len(failures) == 2
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


async def test_the_bot_token_never_reaches_the_logs_even_when_httpx_logs_every_url(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpx_logger = logging.getLogger("httpx")
    before = httpx_logger.level
    httpx_logger.setLevel(logging.DEBUG)
    try:
        telegram.fail_polls = 1
        telegram.push(telegram.text(CHAT, "hello"))
        await telegram.wait_sent(CHAT, timeout=30)
    finally:
        httpx_logger.setLevel(before)
    logged = [r.getMessage() for r in caplog.records]
    assert any("getUpdates" in line and "[redacted]" in line for line in logged), "httpx logged the URLs"
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


def test_the_redactor_cleans_the_token_and_secret_from_messages_arguments_and_tracebacks() -> None:
    redactor = Redactor(TOKEN, SECRET)
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "f.py", 1, "url %s secret %s", (f"/bot{TOKEN}/x", SECRET), None)
        record.exc_info = sys.exc_info()
    redactor.filter(record)
    assert record.getMessage() == "url /bot[redacted]/x secret [redacted]"
    assert record.exc_text is not None and TOKEN not in record.exc_text and "[redacted]" in record.exc_text


# Crisis, splitting and flood control


async def test_a_crisis_gets_the_crisis_reply_as_one_message_even_when_it_is_long(
    gateway: TestClient[Any, Any],
    telegram: FakeTelegram,
    rasa: FakeRasa,
    contacts: Contacts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(telegram_render, "MAX_CHARS", 200)
    her_message = "it has been such a long week. " * 80 + CRISIS
    assert len(her_message) > MAX_MESSAGE_CHARS
    telegram.push(telegram.text(CHAT, her_message))
    [reply] = await telegram.wait_sent(CHAT)
    assert len(reply.text) > 200
    assert contacts["emergency"].line() in reply.text
    assert contacts["samaritans"].line() in reply.text
    lines = reply.text.split("\n")
    for number in ("999", "111", "116 123", "85258"):
        assert any(line.strip() in (number, f"SHOUT to {number}", f"Text SHOUT to {number}") for line in lines), (
            f"{number} stands on its own line, where the app can dial it"
        )
    assert rasa.received == [], "the crisis text never reaches Rasa"
    # An ordinary answer of the same length is split under the same limit.
    rasa.reply = [{"text": "First part of the answer. " * 5 + "\n\n" + "Second part of the answer. " * 5}]
    telegram.push(telegram.text(CHAT, "thank you"))
    replies = await telegram.wait_sent(CHAT, 3)
    assert len(replies) == 3 and all(len(r.text) <= 200 for r in replies[1:])


async def test_a_long_answer_is_split_at_paragraph_boundaries_with_its_buttons_on_the_last_part(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    paragraphs = [f"Paragraph {i}. " + "so much to say " * 60 for i in range(6)]
    answer = "\n\n".join(p.strip() for p in paragraphs)
    assert len(answer) > 4096
    rasa.reply = [{"text": answer, "buttons": [{"title": "What is CBT?", "payload": "/ask_cbt"}]}]
    telegram.push(telegram.text(CHAT, "tell me everything"))
    first, second = await telegram.wait_sent(CHAT, 2)
    assert all(telegram_length(part.text) <= 4096 for part in (first, second))
    assert f"{first.text}\n\n{second.text}" == answer
    assert first.text.endswith("so much to say") and second.text.startswith("Paragraph")
    assert first.keyboard == [] and callback_data(second) == ["p:/ask_cbt"]


async def test_a_reply_refused_with_429_is_sent_after_retry_after_and_only_then_marked_delivered(
    gateway: TestClient[Any, Any], telegram: FakeTelegram
) -> None:
    telegram.fail_sends = 1
    telegram.push(telegram.text(CHAT, "hello"))
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == "An answer."
    assert [c.status for c in telegram.calls_to("sendMessage")] == [429, 200]
    store = gateway.app[MESSENGER_KEY].store
    await telegram.wait_until(lambda: store.undelivered(f"tg-{CHAT}") == [], what="the reply marked delivered")


async def test_crisis_replies_go_to_the_front_of_the_queue_while_telegram_asks_us_to_wait(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, contacts: Contacts
) -> None:
    telegram.pause_sends()
    telegram.fail_sends = 1
    telegram.push(telegram.text(1001, "what is cbt"))
    await telegram.wait_until(lambda: telegram.calls_to("sendMessage"), what="the first reply on its way")
    telegram.push(telegram.text(1002, "is there a group near me"), telegram.text(1003, CRISIS))
    channel = gateway.app[TELEGRAM_KEY]
    await telegram.wait_until(lambda: channel.waiting() == 2, what="two more replies in the queue")
    telegram.resume_sends()
    await telegram.wait_sent(1002)
    # The crisis reply, then the offer of a peer supporter that follows it, then the others in their order.
    assert [call.chat_id for call in telegram.sent()] == [1003, 1003, 1001, 1002]
    assert contacts["emergency"].line() in telegram.sent(1003)[0].text
    assert telegram.calls_to("sendMessage")[0].status == 429


# Buttons


async def test_buttons_become_an_inline_keyboard_and_a_press_goes_to_rasa_as_a_payload(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    buttons = [{"title": "What is CBT?", "payload": "/ask_cbt"}]
    rasa.reply = [{"text": "Talking therapies are free.", "buttons": buttons}]
    telegram.push(telegram.text(CHAT, "what are talking therapies"))
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.keyboard == [[{"text": "What is CBT?", "callback_data": "p:/ask_cbt"}]]
    press = telegram.button(CHAT, "p:/ask_cbt", reply)
    telegram.push(press)
    await telegram.wait_sent(CHAT, 2)
    assert rasa.messages == ["what are talking therapies", "/ask_cbt"]
    answered = [c.params["callback_query_id"] for c in telegram.calls_to("answerCallbackQuery")]
    assert answered == [press["callback_query"]["id"]]


async def test_a_payload_longer_than_telegram_allows_travels_behind_a_short_key(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    assert is_button_payload(LONG_PAYLOAD) and len(LONG_PAYLOAD.encode()) > 64
    rasa.reply = [{"text": "Which Newport?", "buttons": [{"title": "Newport, Isle of Wight", "payload": LONG_PAYLOAD}]}]
    telegram.push(telegram.text(CHAT, "is there a group in newport"))
    [reply] = await telegram.wait_sent(CHAT)
    [data] = callback_data(reply)
    assert data.startswith("k:") and len(data.encode()) <= 64
    telegram.push(telegram.button(CHAT, data, reply))
    await telegram.wait_sent(CHAT, 2)
    assert rasa.messages[-1] == LONG_PAYLOAD


async def test_a_button_whose_key_has_expired_is_answered_and_she_is_asked_to_type(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    telegram.push(telegram.button(CHAT, "k:0123456789abcdef01234567"))
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == EXPIRED_BUTTON
    await telegram.wait_until(lambda: telegram.calls_to("answerCallbackQuery"), what="the button answered")
    assert rasa.received == []


async def test_a_forged_button_payload_is_not_passed_on(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    telegram.push(telegram.button(CHAT, "p:/restart"))
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == EXPIRED_BUTTON
    assert rasa.received == []


# Commands


async def test_start_says_what_nightlight_is_and_is_not_and_never_reaches_rasa(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa, contacts: Contacts
) -> None:
    telegram.push(telegram.text(CHAT, "/start"))
    [reply] = await telegram.wait_sent(CHAT)
    assert "I'm Nightlight" in reply.text
    assert "not an emergency service" in reply.text
    assert "not a doctor" in reply.text
    assert contacts["emergency"].line() in reply.text
    assert "/forget" in reply.text
    assert rasa.received == []
    assert gateway.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (0, 0)


async def test_help_lists_every_24_7_route_from_the_contacts_data(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa, contacts: Contacts
) -> None:
    telegram.push(telegram.text(CHAT, "/help@nightlight_test_bot"))
    [reply] = await telegram.wait_sent(CHAT)
    always = [c for c in contacts.by_id.values() if c.crisis and c.hours == "24/7"]
    assert len(always) >= 5
    for contact in always:
        assert contact.line() in reply.text
    assert f"{contacts['nhs-111-mental-health'].line()} (England only)" in reply.text
    assert "Cry-sis" not in reply.text, "routes that are not open all the time are left out"
    assert rasa.received == []


async def test_about_explains_peer_support_and_how_her_messages_are_kept_and_deleted(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    telegram.push(telegram.text(CHAT, "/about"))
    [reply] = await telegram.wait_sent(CHAT)
    assert "people who have been through it" in reply.text
    assert "30 days" in reply.text
    assert "/forget" in reply.text and "delete the chat" in reply.text
    assert "not an emergency" in reply.text
    assert rasa.received == []


async def test_forget_asks_first_then_deletes_the_conversation_everywhere_and_says_to_delete_the_chat(
    telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path
) -> None:
    make_tracker_db(tmp_path / "tracker.db", f"tg-{CHAT}")
    client = await start_gateway(settings_for(telegram, rasa, tmp_path))
    try:
        store = client.app[MESSENGER_KEY].store
        telegram.push(telegram.text(CHAT, "my baby will not stop crying"))
        await telegram.wait_sent(CHAT)
        assert store.counts(f"tg-{CHAT}") == (1, 1)
        telegram.push(telegram.text(CHAT, "/forget"))
        question = (await telegram.wait_sent(CHAT, 2))[1]
        assert "delete everything" in question.text and "can't undo" in question.text
        assert callback_data(question) == [FORGET_YES, FORGET_NO]
        press = telegram.button(CHAT, FORGET_YES, question)
        telegram.push(press)
        done = (await telegram.wait_sent(CHAT, 3))[2]
        assert "deleted everything" in done.text
        assert "delete this chat in the Telegram app" in done.text
        assert store.counts(f"tg-{CHAT}") == (0, 0)
        assert store.conversation_tenant(f"tg-{CHAT}") is None
        assert tracker_rows(tmp_path / "tracker.db", f"tg-{CHAT}") == 0
        [edit] = telegram.calls_to("editMessageReplyMarkup")
        assert edit.params["message_id"] == question.result["message_id"]
        answered = [c.params["callback_query_id"] for c in telegram.calls_to("answerCallbackQuery")]
        assert answered == [press["callback_query"]["id"]]
        assert rasa.messages == ["my baby will not stop crying"]
    finally:
        await client.close()


async def test_forget_can_be_called_off(gateway: TestClient[Any, Any], telegram: FakeTelegram) -> None:
    telegram.push(telegram.text(CHAT, "hello"))
    await telegram.wait_sent(CHAT)
    telegram.push(telegram.text(CHAT, "/forget"))
    question = (await telegram.wait_sent(CHAT, 2))[1]
    telegram.push(telegram.button(CHAT, FORGET_NO, question))
    kept = (await telegram.wait_sent(CHAT, 3))[2]
    assert kept.text == FORGET_KEPT
    assert gateway.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (1, 1)


async def test_slash_text_that_is_not_one_of_our_commands_goes_on_as_text(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    telegram.push(telegram.text(CHAT, "/restart"))
    await telegram.wait_sent(CHAT)
    assert rasa.messages == ["restart"], "typed text can never trigger an intent"


async def test_a_crisis_typed_after_a_command_still_gets_the_crisis_reply(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa, contacts: Contacts
) -> None:
    telegram.push(telegram.text(CHAT, f"/help {CRISIS}"))
    replies = await telegram.wait_sent(CHAT, 2)
    crisis = [r for r in replies if contacts["emergency"].line() in r.text and "Thank you for telling me" in r.text]
    assert len(crisis) == 1
    assert rasa.received == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", ("start", "")),
        ("/HELP@nightlight_bot", ("help", "")),
        ("/forget please\nnow", ("forget", "please\nnow")),
        ("/ask_cbt", (None, "")),
        ("hello /start", (None, "")),
    ],
)
def test_commands_are_recognised_with_or_without_the_bot_name(text: str, expected: tuple[str | None, str]) -> None:
    assert parse_command(text) == expected


# Everything else she might send


async def test_a_voice_note_gets_a_kind_reply_and_the_chat_carries_on(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    telegram.push(telegram.voice(CHAT))
    [notice] = await telegram.wait_sent(CHAT)
    assert notice.text == VOICE_NOTE
    telegram.push(telegram.text(CHAT, "sorry, typing now"))
    replies = await telegram.wait_sent(CHAT, 2)
    assert replies[1].text == "An answer."
    assert rasa.messages == ["sorry, typing now"]


async def test_a_photo_gets_a_kind_reply_and_the_words_under_it_are_still_screened(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa, contacts: Contacts
) -> None:
    telegram.push(telegram.photo(CHAT))
    [notice] = await telegram.wait_sent(CHAT)
    assert notice.text == NOT_TEXT
    telegram.push(telegram.photo(CHAT, caption=CRISIS))
    replies = [r.text for r in await telegram.wait_sent(CHAT, 3)]
    assert CAPTION_READ in replies
    assert any(contacts["emergency"].line() in text for text in replies)
    assert rasa.received == []


async def test_a_service_message_like_an_auto_delete_timer_gets_no_reply(
    gateway: TestClient[Any, Any], telegram: FakeTelegram
) -> None:
    telegram.push(telegram.message(CHAT, message_auto_delete_timer_changed={"message_auto_delete_time": 86400}))
    telegram.push(telegram.text(CHAT, "hello"))
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == "An answer."


async def test_a_webhook_update_larger_than_the_rest_apis_limit_is_still_read(
    webhook_gateway: TestClient[Any, Any], telegram: FakeTelegram
) -> None:
    body = json.dumps(telegram.text(CHAT, "€" * 4000)).encode()
    assert len(body) > 16 * 1024
    good = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    response = await webhook_gateway.post("/telegram/webhook", data=body, headers=good)
    assert response.status == 200
    [reply] = await telegram.wait_sent(CHAT)
    assert "shorter parts" in reply.text


async def test_a_message_longer_than_we_take_gets_a_clear_reply(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    telegram.push(telegram.text(CHAT, "so tired " * 300))
    [reply] = await telegram.wait_sent(CHAT)
    assert "shorter parts" in reply.text
    assert rasa.received == []


async def test_a_group_chat_is_told_nightlight_only_talks_one_to_one_and_nothing_is_kept(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa, contacts: Contacts
) -> None:
    group = -100123
    telegram.push(telegram.text(group, "hello bot", chat_type="supergroup"))
    [reply] = await telegram.wait_sent(group)
    assert "one-to-one" in reply.text
    assert contacts["samaritans"].short() in reply.text
    assert rasa.received == []
    assert gateway.app[MESSENGER_KEY].store.counts(f"tg-{group}") == (0, 0)


# Webhook


async def test_webhook_mode_registers_the_webhook_with_its_secret_and_keeps_pending_updates(
    webhook_gateway: TestClient[Any, Any], telegram: FakeTelegram
) -> None:
    [registered] = await telegram.wait_until(lambda: telegram.calls_to("setWebhook"), what="setWebhook")
    assert registered.params["url"] == "https://nightlight.example.org/telegram/webhook"
    assert registered.params["secret_token"] == SECRET
    assert registered.params["allowed_updates"] == ["message", "callback_query"]
    assert registered.params["drop_pending_updates"] is False
    assert telegram.calls_to("getUpdates") == []


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret-at-all"}])
async def test_a_webhook_request_without_the_right_secret_gets_403_and_is_not_processed(
    webhook_gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa, headers: dict[str, str]
) -> None:
    refused_update = telegram.text(CHAT, "refused words")
    refused = await webhook_gateway.post("/telegram/webhook", json=refused_update, headers=headers)
    assert refused.status == 403
    good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    update = telegram.text(CHAT, "accepted words")
    accepted = await webhook_gateway.post("/telegram/webhook", json=update, headers=good)
    assert accepted.status == 200
    again = await webhook_gateway.post("/telegram/webhook", json=update, headers=good)
    assert again.status == 200, "Telegram's retry of the same update is acknowledged"
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == "An answer."
    later = await webhook_gateway.post("/telegram/webhook", json=telegram.text(CHAT, "later words"), headers=good)
    assert later.status == 200
    await telegram.wait_sent(CHAT, 2)
    assert rasa.messages == ["accepted words", "later words"]
    assert webhook_gateway.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (2, 2)


async def test_an_edited_message_gets_a_kind_reply_through_the_webhook(
    webhook_gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await webhook_gateway.post("/telegram/webhook", json=telegram.edited(CHAT, "typo fixed"), headers=good)
    assert response.status == 200
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == EDITED
    assert rasa.received == []


# Restarts


async def test_a_message_stored_but_not_answered_before_a_restart_is_answered_after_it(
    telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path
) -> None:
    settings = settings_for(telegram, rasa, tmp_path)
    rasa.hold()
    first = await start_gateway(settings)
    telegram.push(telegram.text(CHAT, "how do i refer myself"))
    await telegram.wait_until(lambda: rasa.received, what="the message stored and on its way to Rasa")
    assert first.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (1, 0)
    await first.close()
    assert telegram.sent(CHAT) == []
    rasa.release()
    second = await start_gateway(settings)
    try:
        [reply] = await telegram.wait_sent(CHAT)
        assert reply.text == "An answer."
        telegram.push(telegram.text(CHAT, "thanks"))
        await telegram.wait_sent(CHAT, 2)
        assert [r.text for r in telegram.sent(CHAT)] == ["An answer.", "An answer."]
        assert second.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (2, 2)
    finally:
        await second.close()


async def test_a_reply_that_could_not_be_sent_before_a_restart_is_sent_after_it(
    telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path
) -> None:
    settings = settings_for(telegram, rasa, tmp_path)
    telegram.fail_sends, telegram.retry_after = 1000, 60
    first = await start_gateway(settings)
    telegram.push(telegram.text(CHAT, "hello"))
    await telegram.wait_until(lambda: telegram.calls_to("sendMessage"), what="a refused send")
    await first.close()
    telegram.fail_sends = 0
    second = await start_gateway(settings)
    try:
        [reply] = await telegram.wait_sent(CHAT)
        assert reply.text == "An answer."
        store = second.app[MESSENGER_KEY].store
        await telegram.wait_until(lambda: store.undelivered(f"tg-{CHAT}") == [], what="the reply marked delivered")
        assert rasa.messages == ["hello"], "the stored reply was sent, not asked for again"
    finally:
        await second.close()


async def test_a_peer_supporters_words_and_typing_are_pushed_to_her_telegram_chat(
    gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    from bot.app_keys import PEER_KEY

    telegram.push(telegram.text(CHAT, "hello"))
    await telegram.wait_sent(CHAT)
    peer = gateway.app[PEER_KEY]
    offer = peer.handoffs.offer(f"tg-{CHAT}", "default", "telegram", "asked for a person")
    handoff = peer.handoffs.accept(offer.id, {"reason": "asked for a person"}, share_transcript=False)
    assert await peer.claim(handoff.id, "sam", "Sam") is not None
    typing_before = len(telegram.calls_to("sendChatAction"))
    await peer.typing(handoff.id, "sam")
    await peer.say(handoff.id, "sam", "Hi, I'm Sam. I'm here.")
    joined, said = (await telegram.wait_sent(CHAT, 3))[1:]
    assert "Sam has joined" in joined.text
    assert said.text == "Sam: Hi, I'm Sam. I'm here."
    assert len(telegram.calls_to("sendChatAction")) > typing_before
    store = gateway.app[MESSENGER_KEY].store
    await telegram.wait_until(lambda: store.undelivered(f"tg-{CHAT}") == [], what="the pushed replies delivered")


async def test_a_webhook_update_with_no_chat_a_lone_surrogate_or_deep_nesting_is_a_400_and_nothing_is_stored(
    webhook_gateway: TestClient[Any, Any], telegram: FakeTelegram, rasa: FakeRasa
) -> None:
    good = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    no_chat = json.dumps({"update_id": 900, "message": {"message_id": 1, "date": 0, "text": "hello"}})
    surrogate = json.dumps(telegram.text(CHAT, "hello")).replace("hello", "hel\\ud800lo")
    nested = '{"update_id": 901, "message": ' + "[" * 5000 + "]" * 5000 + "}"
    for body in (no_chat, surrogate, nested):
        response = await webhook_gateway.post("/telegram/webhook", data=body.encode(), headers=good)
        assert response.status == 400
        assert (await response.json())["error"]["code"] == "bad_request"
    assert webhook_gateway.app[MESSENGER_KEY].store.counts(f"tg-{CHAT}") == (0, 0)
    accepted = await webhook_gateway.post("/telegram/webhook", json=telegram.text(CHAT, "still here"), headers=good)
    assert accepted.status == 200
    [reply] = await telegram.wait_sent(CHAT)
    assert reply.text == "An answer."
