"""Rasa's output becomes whole messages: routes from the contacts data, https links, only button payloads."""

from __future__ import annotations

from bot.answers.replies import from_rasa, is_button_payload
from bot.contacts import Contacts


def test_a_custom_part_is_folded_into_the_message_before_it(contacts: Contacts) -> None:
    messages = from_rasa(
        [
            {
                "recipient_id": "x",
                "text": "If you need someone now:",
                "buttons": [{"title": "More", "payload": "/ask_cbt"}],
            },
            {
                "recipient_id": "x",
                "custom": {
                    "routes": ["samaritans"],
                    "read_more": {"title": "NHS", "url": "https://www.nhs.uk/"},
                    "sources": ["https://www.nhs.uk/"],
                },
            },
        ],
        contacts,
    )
    assert len(messages) == 1
    message = messages[0]
    assert message.text == "If you need someone now:\n• " + contacts["samaritans"].line()
    assert message.buttons[0].payload == "/ask_cbt"
    assert message.link is not None and message.link.url == "https://www.nhs.uk/"
    assert "sources" not in message.as_dict()


def test_links_that_are_not_https_are_dropped(contacts: Contacts) -> None:
    for url in ("http://example.org", "javascript:alert(1)", "https://a b"):
        messages = from_rasa([{"text": "x"}, {"custom": {"read_more": {"title": "t", "url": url}}}], contacts)
        assert messages[0].link is None


def test_buttons_with_entities_or_reserved_intents_are_dropped(contacts: Contacts) -> None:
    buttons = [
        {"title": "ok", "payload": "/ask_cbt"},
        {"title": "entities", "payload": '/ask_cbt{"x": "1"}'},
        {"title": "restart", "payload": "/restart"},
        {"title": "text", "payload": "hello"},
    ]
    messages = from_rasa([{"text": "x", "buttons": buttons}], contacts)
    assert [b.payload for b in messages[0].buttons] == ["/ask_cbt"]


def test_payload_rule() -> None:
    assert is_button_payload("/request_peer_supporter")
    assert is_button_payload('/inform{"search_place": "Newport, Isle of Wight"}')
    assert is_button_payload('/inform{"search_when": "tonight", "search_need": "baby-welcome"}')
    assert not is_button_payload("/session_start")
    assert not is_button_payload("/Greet")
    assert not is_button_payload("greet")
    assert not is_button_payload('/inform{"elevated": "false"}')
    assert not is_button_payload('/inform{"search_place": {"a": 1}}')
    assert not is_button_payload('/inform{"search_place": "x"; drop}')
    assert not is_button_payload('/inform{"search_place": "<img src=x onerror=alert(1)>"}')


def test_plain_text_writes_out_the_link(contacts: Contacts) -> None:
    message = from_rasa(
        [{"text": "x"}, {"custom": {"read_more": {"title": "NHS", "url": "https://www.nhs.uk/"}}}], contacts
    )[0]
    assert message.plain_text() == "x\n\nRead more: NHS https://www.nhs.uk/"


def test_a_service_card_keeps_only_tel_sms_and_https_links(contacts: Contacts) -> None:
    card = {
        "service_id": "s1",
        "name": "Bumps and Babies (sample)",
        "reason": "open now, 1.2 km, babies welcome",
        "next_open": "open now",
        "checked": "2026-11-01",
        "sample": True,
        "links": [
            {"kind": "tel", "title": "Call 01632 960123", "url": "tel:+441632960123"},
            {"kind": "sms", "title": "Text", "url": "sms:85258?body=SHOUT"},
            {"kind": "https", "title": "Website", "url": "https://example.org/bumps"},
            {"kind": "https", "title": "Bad", "url": "javascript:alert(1)"},
            {"kind": "https", "title": "Plain http", "url": "http://example.org"},
            {"kind": "tel", "title": "Sneaky", "url": "https://example.org"},
        ],
    }
    [message] = from_rasa([{"text": "Bumps and Babies (sample)"}, {"custom": {"card": card}}], contacts)
    assert message.card is not None
    assert [link.url for link in message.card.links] == [
        "tel:+441632960123",
        "sms:85258?body=SHOUT",
        "https://example.org/bumps",
    ]
    assert message.as_dict()["card"]["sample"] is True


def test_a_service_card_keeps_its_when_and_where_lines_and_an_older_card_has_neither(contacts: Contacts) -> None:
    card = {"name": "Bumps and Babies (sample)", "when": "Open now", "where": "Sample Lane, Exeter"}
    [message] = from_rasa([{"text": "Bumps and Babies (sample)"}, {"custom": {"card": card}}], contacts)
    shown = message.as_dict()["card"]
    assert (shown["when"], shown["where"]) == ("Open now", "Sample Lane, Exeter")
    [older] = from_rasa([{"text": "x"}, {"custom": {"card": {"name": "x"}}}], contacts)
    assert "when" not in older.as_dict()["card"] and "where" not in older.as_dict()["card"]
