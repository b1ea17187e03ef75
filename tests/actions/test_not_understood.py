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


async def test_when_the_screen_heard_distress_the_feeling_low_answer_follows_instead() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionNotUnderstood().run(dispatcher, load_tracker("distressed_fallback"), {})
    assert events == [{"event": "followup", "timestamp": None, "name": "utter_feeling_low"}]
    assert dispatcher.messages == []
