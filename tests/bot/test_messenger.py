"""The Messenger: every channel's messages are stored, answered, handed over, and deleted when she asks."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import psycopg
import pytest

from bot.answers.rasa_client import RasaClient
from bot.contacts import Contacts
from bot.conversation import Conversations
from bot.http import Refused
from bot.messenger import Messenger
from bot.safety.state import SafetyStates
from bot.settings import MAX_MESSAGE_CHARS, PROJECT_ROOT
from bot.store import MessageStore, Outbound
from bot.tenants import Tenants
from tests.conftest import StoreAt

TENANTS = Tenants.load(PROJECT_ROOT / "tenants")
CRISIS = "i want to kill myself tonight"


def make_tracker_db(path: Path, senders: list[str]) -> str:
    """A table shaped like Rasa's SQL tracker store `events`, holding a few events per sender."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)")
        for sender in senders:
            db.executemany(
                "INSERT INTO events(sender_id, type_name, data) VALUES (?, ?, ?)",
                [(sender, "user", f'{{"text": "private words of {sender}"}}'), (sender, "bot", "{}")],
            )
    return f"sqlite:///{path}"


def tracker_rows(path: Path, sender: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0])


@pytest.fixture
async def messenger(tmp_path: Path, contacts: Contacts, store_at: StoreAt) -> AsyncIterator[Messenger]:
    # Rasa is down (nothing listens on port 9): a crisis must still be answered, everything else kindly.
    async with aiohttp.ClientSession() as session:
        rasa = RasaClient(session, "http://127.0.0.1:9", "", 1)
        states = SafetyStates(store_at("gateway"))
        store = MessageStore(store_at("messages"))
        tracker = make_tracker_db(tmp_path / "tracker.db", ["web-a", "web-b"])
        yield Messenger(Conversations(rasa, contacts, states), store, states, contacts, TENANTS, tracker, tmp_path)
        store.close()
        states.close()


async def test_a_message_is_stored_answered_and_its_reply_waits_for_delivery(messenger: Messenger) -> None:
    delivery = await messenger.receive("web-a", TENANTS.default, "widget", text="hello")
    assert delivery is not None
    assert delivery.turn.degraded  # Rasa is down, so the gateway answered on its own
    waiting = await messenger.undelivered("web-a")
    assert [o.id for o in waiting] == [delivery.outbound.id]
    await messenger.mark_delivered(delivery.outbound.id)
    assert await messenger.undelivered("web-a") == []


async def test_a_crisis_is_answered_and_stored_as_a_crisis_reply_without_rasa(
    messenger: Messenger, contacts: Contacts
) -> None:
    delivery = await messenger.receive("web-a", TENANTS.default, "widget", text=CRISIS)
    assert delivery is not None and delivery.outbound.crisis
    assert contacts["samaritans"].line() in delivery.turn.messages[0].text


async def test_a_duplicate_is_answered_once(messenger: Messenger) -> None:
    first = await messenger.receive("tg-1", TENANTS.default, "telegram", text="hi", dedupe_key="telegram:1")
    second = await messenger.receive("tg-1", TENANTS.default, "telegram", text="hi", dedupe_key="telegram:1")
    assert first is not None and second is None
    assert messenger.store.counts("tg-1") == (1, 1)


async def test_an_overlong_message_is_refused_with_a_reason_unless_it_is_a_crisis(messenger: Messenger) -> None:
    with pytest.raises(Refused, match="shorter parts"):
        await messenger.receive("web-a", TENANTS.default, "widget", text="so tired " * 400)
    long_crisis = "so tired " * 400 + CRISIS
    assert len(long_crisis) > MAX_MESSAGE_CHARS
    delivery = await messenger.receive("web-a", TENANTS.default, "widget", text=long_crisis)
    assert delivery is not None and delivery.outbound.crisis


@pytest.mark.parametrize(("text", "payload"), [("", None), ("   ", None), (None, "/not a payload"), ("a", "/greet")])
async def test_what_cannot_be_answered_is_refused_and_not_stored(
    messenger: Messenger, text: str | None, payload: str | None
) -> None:
    with pytest.raises(Refused):
        await messenger.receive("web-a", TENANTS.default, "widget", text=text, payload=payload)
    assert messenger.store.counts("web-a") == (0, 0)


async def test_a_bug_while_answering_still_stores_a_reply_with_the_crisis_lines(
    messenger: Messenger, contacts: Contacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(messenger.conversations, "handle_text", broken)
    delivery = await messenger.receive("web-a", TENANTS.default, "widget", text="hello")
    assert delivery is not None
    assert contacts["samaritans"].line() in delivery.turn.messages[0].text
    assert messenger.store.pending_inbound() == []


async def test_messages_left_unanswered_by_a_restart_are_answered_and_pushed_to_their_channel(
    messenger: Messenger,
) -> None:
    messenger.store.record_inbound("tg-7", "default", "telegram", "text", "are you there", address="7")
    pushed: list[Outbound] = []

    async def deliver(outbound: Outbound) -> None:
        pushed.append(outbound)

    messenger.on_channel("telegram", deliver)
    assert await messenger.replay_pending() == 1
    assert [(o.conversation, o.address) for o in pushed] == [("tg-7", "7")]
    assert messenger.store.pending_inbound() == []


async def test_forget_deletes_her_conversation_from_every_store_and_nobody_elses(
    messenger: Messenger, tmp_path: Path
) -> None:
    for conversation in ("web-a", "web-b"):
        await messenger.receive(conversation, TENANTS.default, "widget", text=CRISIS)
    assert messenger._states.get("web-a").elevated()
    await messenger.forget("web-a")
    assert messenger.store.counts("web-a") == (0, 0)
    assert not messenger._states.get("web-a").elevated()
    assert tracker_rows(tmp_path / "tracker.db", "web-a") == 0
    assert b"private words of web-a" not in (tmp_path / "tracker.db").read_bytes()
    assert messenger.store.counts("web-b") == (1, 1)
    assert messenger._states.get("web-b").elevated()
    assert tracker_rows(tmp_path / "tracker.db", "web-b") == 2


async def test_retention_deletes_conversations_quiet_for_longer_than_the_tenants_limit(
    messenger: Messenger, tmp_path: Path
) -> None:
    start = time.time()
    await messenger.receive("web-a", TENANTS.default, "widget", text="hello")
    await messenger.receive("web-b", TENANTS.default, "widget", text="hello")
    days = TENANTS.default.retention_days
    later = start + (days - 10) * 86400
    messenger.store.record_inbound("web-b", "default", "widget", "text", "still here", now=later)
    conversations, messages = await messenger.purge_expired(now=start + (days - 1) * 86400)
    assert (conversations, messages) == (0, 0)
    conversations, messages = await messenger.purge_expired(now=start + days * 86400 + 3600)
    assert conversations == 1  # web-a went quiet; web-b wrote later
    assert messenger.store.counts("web-a") == (0, 0)
    assert tracker_rows(tmp_path / "tracker.db", "web-a") == 0
    assert messages == 2  # web-b's first message and its reply are past retention; "still here" stays
    assert messenger.store.counts("web-b") == (1, 0)


def test_forget_reaches_a_postgresql_tracker_store() -> None:
    from bot.privacy.forget import delete_rasa_tracker

    name = f"nightlight_forget_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        assert delete_rasa_tracker(url, "web-a", PROJECT_ROOT) == 0  # no table yet: nothing to delete
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id TEXT, data TEXT)")
            db.execute("INSERT INTO events(sender_id, data) VALUES ('web-a', 'x'), ('web-a', 'y'), ('web-b', 'z')")
        assert delete_rasa_tracker(url, "web-a", PROJECT_ROOT) == 2
        with psycopg.connect(url) as db:
            rows = db.execute("SELECT sender_id FROM events").fetchall()
        assert rows == [("web-b",)]
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
