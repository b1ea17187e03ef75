"""When the assistant did not understand, it says so kindly, and leads with support if she is struggling."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.not_understood import AGAIN, FIRST_TIME, TOPIC_TITLES, WHICH_ONE, ActionNotUnderstood
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


async def test_when_the_model_was_torn_between_topics_she_is_asked_which_she_means() -> None:
    tracker = load_tracker("first_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "ask_panic_attacks", "confidence": 0.41},
        {"name": "ask_intrusive_thoughts", "confidence": 0.37},
        {"name": "greet", "confidence": 0.12},
        {"name": "ask_anxiety", "confidence": 0.06},
    ]
    dispatcher = CollectingDispatcher()
    events = await ActionNotUnderstood().run(dispatcher, tracker, {})
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == WHICH_ONE
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_panic_attacks",
        "/ask_intrusive_thoughts",
        "/request_peer_supporter",
    ]
    assert [b["title"] for b in message["buttons"]][:2] == ["Panic attacks", "Scary thoughts"]


async def test_a_guessed_emergency_answer_is_offered_last_after_the_next_likeliest_topics() -> None:
    tracker = load_tracker("first_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.81},
        {"name": "ask_postpartum_psychosis", "confidence": 0.81},
        {"name": "ask_bonding", "confidence": 0.09},
        {"name": "greet", "confidence": 0.05},
        {"name": "ask_birth_trauma", "confidence": 0.03},
    ]
    dispatcher = CollectingDispatcher()
    await ActionNotUnderstood().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["text"] == WHICH_ONE
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_bonding",
        "/ask_birth_trauma",
        "/ask_postpartum_psychosis",
        "/request_peer_supporter",
    ]


async def test_with_no_likely_topic_the_usual_choices_are_offered() -> None:
    tracker = load_tracker("first_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "greet", "confidence": 0.3},
        {"name": "ask_cbt", "confidence": 0.05},
    ]
    dispatcher = CollectingDispatcher()
    await ActionNotUnderstood().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == FIRST_TIME


def test_every_topic_offered_by_name_is_an_intent_of_the_domain() -> None:
    from tests.rasa.content import assistant

    assert set(TOPIC_TITLES) <= set(assistant().intents)
