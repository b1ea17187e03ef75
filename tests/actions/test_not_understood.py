"""When the assistant did not understand, it says so kindly, and leads with support if she is struggling."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.not_understood import AGAIN, FIRST_TIME, ActionNotUnderstood
from tests.actions.conftest import load_tracker


@pytest.mark.parametrize(
    ("fixture", "text", "routes", "first_button"),
    [
        ("first_fallback", FIRST_TIME, None, "/ask_baby_blues"),
        ("after_a_fallback", AGAIN, ["samaritans"], "/ask_baby_blues"),
    ],
)
async def test_not_understood_replies_fit_the_conversation(
    fixture: str, text: str, routes: list[str] | None, first_button: str
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionNotUnderstood().run(dispatcher, load_tracker(fixture), {})
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == text
    assert message["buttons"][0]["payload"] == first_button
    assert (message["custom"] or {}).get("routes") == routes


def test_the_action_has_the_name_the_domain_uses() -> None:
    assert ActionNotUnderstood().name() == "action_not_understood"


async def test_when_the_screen_heard_distress_the_feeling_low_answer_is_given_instead() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionNotUnderstood().run(dispatcher, load_tracker("distressed_fallback"), {})
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_feeling_low"]


async def test_as_the_policies_fallback_her_message_is_taken_back_so_rasa_waits_for_her() -> None:
    tracker = load_tracker("first_fallback")
    tracker.latest_message["intent"] = {"name": "inform", "confidence": 0.9}
    dispatcher = CollectingDispatcher()
    events = await ActionNotUnderstood().run(dispatcher, tracker, {})
    assert events == [{"event": "rewind", "timestamp": None}]
    assert dispatcher.messages[0]["text"] == FIRST_TIME
