"""The message store: written before acknowledged, delivered once, deleted when she asks or retention ends."""

from __future__ import annotations

from pathlib import Path

from bot.store import MessageStore
from tests.conftest import StoreAt

REPLY = {"messages": [{"text": "Hello.", "buttons": [], "kind": "answer"}], "safety": {"level": "none"}}


def test_an_inbound_message_is_on_disk_before_it_is_answered(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    inbound = store.record_inbound("web-a", "default", "widget", "text", "hello")
    assert inbound is not None
    # A second connection (a restarted gateway) sees it, unanswered.
    again = MessageStore(store_at("messages"))
    assert [(i.conversation, i.body) for i in again.pending_inbound()] == [("web-a", "hello")]


def test_a_reply_marks_its_message_handled_and_waits_until_delivered(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    inbound = store.record_inbound("web-a", "default", "widget", "text", "hello")
    outbound = store.record_reply(inbound, "web-a", REPLY, crisis=False)
    assert store.pending_inbound() == []
    assert [o.id for o in store.undelivered("web-a")] == [outbound.id]
    store.mark_delivered(outbound.id)
    assert store.undelivered("web-a") == []


def test_crisis_replies_come_first_among_undelivered(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    first = store.record_inbound("tg-1", "default", "telegram", "text", "a", address="1")
    store.record_reply(first, "tg-1", REPLY, crisis=False)
    second = store.record_inbound("tg-1", "default", "telegram", "text", "b")
    crisis = store.record_reply(second, "tg-1", REPLY, crisis=True)
    waiting = store.undelivered(channel="telegram")
    assert waiting[0].id == crisis.id
    assert waiting[0].address == "1"


def test_a_repeated_dedupe_key_is_stored_once(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    assert store.record_inbound("tg-1", "default", "telegram", "text", "a", dedupe_key="telegram:5") is not None
    assert store.record_inbound("tg-1", "default", "telegram", "text", "a", dedupe_key="telegram:5") is None
    assert store.counts("tg-1") == (1, 0)


def test_forget_deletes_every_message_of_that_conversation_only(store_at: StoreAt, tmp_path: Path) -> None:
    store = MessageStore(store_at("messages"))
    for conversation in ("web-a", "web-b"):
        inbound = store.record_inbound(conversation, "default", "widget", "text", f"hello from {conversation}")
        store.record_reply(inbound, conversation, REPLY, crisis=False)
    assert store.forget("web-a") == 2
    assert store.counts("web-a") == (0, 0)
    assert store.conversation_tenant("web-a") is None
    assert store.counts("web-b") == (1, 1)
    with store._reading() as db:
        assert db.execute("SELECT COUNT(*) FROM inbound WHERE body LIKE '%web-a%'").scalar_one() == 0
    files = list(tmp_path.glob("messages.db*"))
    assert bool(files) != store.postgresql
    for path in files:  # nor in the file's free pages or its write-ahead log
        assert b"hello from web-a" not in path.read_bytes()


def test_retention_purges_old_messages_and_finds_quiet_conversations(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    old = store.record_inbound("web-old", "default", "widget", "text", "long ago", now=1000)
    store.record_reply(old, "web-old", REPLY, crisis=False, now=1001)
    recent = store.record_inbound("web-new", "default", "widget", "text", "today", now=1000)
    store.record_reply(recent, "web-new", REPLY, crisis=False, now=1001)
    store.record_inbound("web-new", "default", "widget", "text", "again", now=5000)
    assert store.expired_conversations("default", older_than=2000) == ["web-old"]
    assert store.expired_conversations("other-tenant", older_than=2000) == []
    assert store.purge_messages("default", older_than=2000) == 4
    assert store.counts("web-new") == (1, 0)


def test_the_transcript_interleaves_her_words_and_the_answers(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    inbound = store.record_inbound("web-a", "default", "widget", "text", "hello", now=10)
    store.record_reply(inbound, "web-a", REPLY, crisis=False, now=11)
    assert [(who, text) for who, text, _ in store.transcript("web-a")] == [("her", "hello"), ("nightlight", "Hello.")]


def test_the_transcript_shows_a_button_she_pressed_by_its_title(store_at: StoreAt) -> None:
    store = MessageStore(store_at("messages"))
    asked = store.record_inbound("web-a", "default", "widget", "text", "hello", now=10)
    offer = {"messages": [{"text": "What next?", "buttons": [{"title": "Find support near me", "payload": "/find"}]}]}
    store.record_reply(asked, "web-a", offer, crisis=False, now=11)
    pressed = store.record_inbound("web-a", "default", "widget", "payload", "/find", now=12)
    store.record_reply(pressed, "web-a", REPLY, crisis=False, now=13)
    store.record_inbound("web-a", "default", "widget", "payload", "/never_offered", now=14)
    assert [(who, text) for who, text, _ in store.transcript("web-a")] == [
        ("her", "hello"),
        ("nightlight", "What next?"),
        ("her-choice", "Chose “Find support near me”"),
        ("nightlight", "Hello."),
    ]
