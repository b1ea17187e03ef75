"""The search form's answers are checked kindly: places we can search from, times we understand, skips allowed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.validate_service_search_form import (
    ASK_PLACE_AGAIN,
    CHANGE_PLACE,
    NORTHERN_IRELAND,
    NOT_CAUGHT,
    NOT_CAUGHT_WHEN,
    ActionAskSearchKind,
    ActionAskSearchNeed,
    ActionAskSearchPlace,
    ActionAskSearchWhen,
    ValidateServiceSearchForm,
)
from bot.answers.replies import is_button_payload
from tests.actions.conftest import load_tracker

FORM = ValidateServiceSearchForm()


async def place(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_search_place(text, dispatcher, load_tracker("search_asks_for_the_place"), {})
    return result, dispatcher.messages


async def when(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_search_when(text, dispatcher, load_tracker("search_asks_when"), {})
    return result, dispatcher.messages


def test_the_validator_has_the_name_rasa_calls() -> None:
    assert FORM.name() == "validate_service_search_form"
    assert FORM.form_name() == "service_search_form"


async def test_an_ambiguous_newport_asks_which_one_with_up_to_five_buttons_she_can_tap() -> None:
    result, [message] = await place("Newport")
    assert result == {"search_place": None, "search_place_asked_again": True}
    assert message["text"] == "I know more than one Newport. Which one do you mean?"
    assert 2 <= len(message["buttons"]) <= 5
    assert {"title": "Newport, Isle of Wight", "payload": '/inform{"search_place": "Newport, Isle of Wight"}'} in (
        message["buttons"]
    )
    assert all(is_button_payload(button["payload"]) for button in message["buttons"])


async def test_a_place_chosen_from_the_ambiguous_list_is_accepted() -> None:
    result, messages = await place("Newport, Isle of Wight")
    assert result == {"search_place": "Newport, Isle of Wight", "search_place_asked_again": False}
    assert messages == []


async def test_an_unknown_place_is_explained_kindly_and_asked_again() -> None:
    result, [message] = await place("Qwzxville")
    assert result == {"search_place": None, "search_place_asked_again": True}
    assert message["text"].startswith("I'm sorry, I couldn't use that place.")
    assert "Qwzxville" in message["text"]
    assert "first half of a postcode" in message["text"]


@pytest.mark.parametrize("text", ["Belfast", "BT1 1AA", "im in derry"])
async def test_northern_ireland_is_told_honestly_and_offered_uk_wide_help(text: str) -> None:
    result, [message] = await place(text)
    assert result["search_place"] is None
    assert message["text"] == NORTHERN_IRELAND
    assert message["buttons"] == [{"title": "Show UK-wide help", "payload": '/inform{"search_place": "remote"}'}]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("EX4 4QJ", "EX4"),
        ("ex44qj", "EX4"),
        ("EX4", "EX4"),
        ("Exeter", "Exeter"),
        ("im in torquay please", "torquay"),
        ("remote", "remote"),
        ("any", "any"),
        ("skip", "any"),
        ("i dont mind", "any"),
    ],
)
async def test_only_a_town_or_postcode_district_is_kept(text: str, kept: str) -> None:
    result, messages = await place(text)
    assert result == {"search_place": kept, "search_place_asked_again": False}
    assert messages == []


async def test_a_time_given_when_asked_where_is_kept_for_later() -> None:
    result, messages = await place("tonight")
    assert result == {"search_place": None, "search_when": "tonight"}
    assert messages == []


@pytest.mark.parametrize(
    "text", ["now", "tonight", "tuesday morning", "after the school run", "tomorrow morning", "weekend", "next week"]
)
async def test_times_she_might_say_are_understood_and_kept_as_said(text: str) -> None:
    result, messages = await when(text)
    assert result == {"search_when": text}
    assert messages == []


@pytest.mark.parametrize("text", ["any", "i dont mind", "whenever", "doesn't matter"])
async def test_she_can_skip_when(text: str) -> None:
    assert await when(text) == ({"search_when": "any"}, [])


async def test_a_time_we_do_not_understand_is_asked_again_kindly() -> None:
    result, [message] = await when("when the moon is blue")
    assert result == {"search_when": None}
    assert message["text"] == NOT_CAUGHT_WHEN


async def test_a_place_typed_when_asked_when_becomes_the_new_place() -> None:
    result, [message] = await when("Plymouth")
    assert result == {"search_when": None, "search_place": "Plymouth", "search_place_asked_again": False}
    assert message["text"] == "OK, I'll look near Plymouth instead."


async def test_actually_somewhere_else_asks_for_the_place_again() -> None:
    result, [message] = await when("actually somewhere else")
    assert result == {"search_when": None, "search_place": None, "search_place_asked_again": False}
    assert message["text"] == CHANGE_PLACE


async def test_a_button_for_another_question_does_not_fill_this_one() -> None:
    assert await when('/inform{"search_kind": "helpline"}') == ({"search_when": None}, [])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("talking-therapy", "talking-therapy"),
        ("someone to talk to now", "helpline"),
        ("a group i can take the baby to", "parent-baby-group"),
        ("other mums who have been through it", "peer-support"),
        ("counselling maybe", "talking-therapy"),
        ("i dont mind", "any"),
    ],
)
async def test_kinds_of_help_are_read_from_buttons_and_words(text: str, kind: str) -> None:
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_search_kind(text, dispatcher, load_tracker("search_asks_when"), {})
    assert result == {"search_kind": kind}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("creche", "creche"),
        ("somewhere with a creche", "creche"),
        ("my husband can come", "partners-welcome"),
        ("on zoom", "online"),
        ("i can bring the baby", "baby-welcome"),
        ("skip", "any"),
    ],
)
async def test_needs_are_read_from_buttons_and_words(text: str, need: str) -> None:
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_search_need(text, dispatcher, load_tracker("search_asks_when"), {})
    assert result == {"search_need": need}


async def test_an_answer_we_cannot_place_is_asked_again_kindly() -> None:
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_search_kind("bananas", dispatcher, load_tracker("search_asks_when"), {})
    assert result == {"search_kind": None}
    assert dispatcher.messages[0]["text"] == NOT_CAUGHT


ASKS = [ActionAskSearchPlace(), ActionAskSearchWhen(), ActionAskSearchKind(), ActionAskSearchNeed()]


@pytest.mark.parametrize("action", ASKS, ids=lambda action: action.name())
async def test_every_question_is_short_kind_and_can_be_skipped_with_a_button(action: Any) -> None:
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, load_tracker("search_asks_when"), {}) == []
    [message] = dispatcher.messages
    sentences = [s for s in re.split(r"(?<=[.?!:])\s+|\n+", message["text"]) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 24
    assert "!" not in message["text"]
    payloads = [button["payload"] for button in message["buttons"]]
    assert all(is_button_payload(payload) for payload in payloads)
    assert any(payload.endswith(': "any"}') for payload in payloads), "every question can be skipped"
    assert action.name() == f"action_ask_{action.slot}"


async def test_after_a_place_could_not_be_used_the_question_is_asked_in_its_shorter_form() -> None:
    tracker = load_tracker("search_asks_for_the_place")
    tracker.slots["search_place_asked_again"] = True
    dispatcher = CollectingDispatcher()
    await ActionAskSearchPlace().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == ASK_PLACE_AGAIN


async def test_a_place_answer_with_a_time_in_it_keeps_both() -> None:
    result, messages = await place("Exeter on tuesday mornings please")
    assert result == {"search_place": "exeter", "search_place_asked_again": False, "search_when": "tuesday mornings"}
    assert messages == []


async def test_a_time_given_instead_of_a_place_is_kept_and_the_place_asked_again() -> None:
    result, _messages = await place("tuesday mornings")
    assert result == {"search_place": None, "search_when": "tuesday mornings"}
