"""How replies look on Telegram: split messages, cards, keyboards and button keys (bot/telegram/render.py)."""

from __future__ import annotations

from bot.contacts import Contacts, format_uk_number
from bot.telegram.render import ButtonKeys, card_text, keyboard, render, split_text


def test_split_text_keeps_short_text_whole_and_cuts_long_text_at_paragraphs_then_lines_then_words() -> None:
    assert split_text("Hello there", 20) == ["Hello there"]
    assert split_text("aaaa bbbb\n\ncccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("aaaa\nbbbb\ncccc", 10) == ["aaaa\nbbbb", "cccc"]
    assert split_text("aaaa bbbb cccc", 10) == ["aaaa bbbb", "cccc"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert split_text("😀" * 3, 4) == ["😀" * 2, "😀"], "an emoji counts as two, as Telegram counts"


def test_a_crisis_message_is_never_split_whatever_its_length() -> None:
    body = {"messages": [{"text": "Call for help now.\n\n" * 40, "kind": "crisis", "buttons": []}]}
    assert len(render(body, ButtonKeys(), limit=50)) == 1


def test_a_service_card_shows_numbers_as_text_websites_as_buttons_and_says_it_is_a_sample(
    contacts: Contacts,
) -> None:
    samaritans = contacts["samaritans"]
    card = {
        "service_id": "s1",
        "name": "Riverside Mums Group",
        "reason": "open now, 0.5 km, babies welcome",
        "next_open": "2026-11-24T10:00:00+00:00",
        "checked": "2026-11-01",
        "sample": True,
        "links": [
            {"kind": "tel", "title": f"Call {format_uk_number(samaritans.phone)}", "url": f"tel:{samaritans.phone}"},
            {"kind": "sms", "title": "Text us", "url": f"sms:{contacts['shout'].sms}"},
            {"kind": "https", "title": "Open their website", "url": "https://www.example.org/group"},
        ],
    }
    text = card_text("", card)
    assert text.splitlines()[:4] == [
        "Riverside Mums Group (sample)",
        "open now, 0.5 km, babies welcome",
        "Next open: Tuesday 24 November, 10:00",
        "Details checked on 1 November 2026",
    ]
    assert f"Call {format_uk_number(samaritans.phone)}" in text
    assert f"Text us: {contacts['shout'].sms}" in text
    assert "tel:" not in text and "https://" not in text
    buttons = [{"title": "More like this", "payload": "/more_like_this"}]
    markup = keyboard({"card": card, "buttons": buttons}, ButtonKeys())
    assert markup is not None
    rows = [[(b.text, b.url, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [
        [("Open their website", "https://www.example.org/group", None)],
        [("More like this", None, "p:/more_like_this")],
    ]


def test_a_card_message_written_by_the_action_keeps_its_own_words() -> None:
    text = "Riverside Mums Group (sample)\nOpen now\nDetails checked on 1 November 2026"
    assert card_text(text, {"name": "Riverside Mums Group (sample)", "sample": True, "links": []}) == text


def test_a_read_more_link_becomes_a_url_button() -> None:
    message = {"text": "Baby blues pass.", "buttons": [], "link": {"title": "NHS", "url": "https://www.nhs.uk/x"}}
    [part] = render({"messages": [message]}, ButtonKeys())
    assert part.text == "Baby blues pass."
    assert part.keyboard is not None
    assert part.keyboard.inline_keyboard[0][0].url == "https://www.nhs.uk/x"


def test_button_keys_stay_within_their_capacity_and_forget_the_oldest() -> None:
    keys = ButtonKeys(capacity=2)
    payloads = [f'/inform{{"search_place": "A place with a very long name, number {i}"}}' for i in range(3)]
    data = [keys.data_for(p) for p in payloads]
    assert len(keys) == 2
    assert keys.payload_for(data[0]) is None
    assert [keys.payload_for(d) for d in data[1:]] == payloads[1:]
    assert keys.data_for(payloads[2]) == data[2], "the same payload keeps its key"
    assert keys.payload_for("something else") is None
