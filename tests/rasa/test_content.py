"""The assistant's content keeps its promises: enough examples, sources, routes from data, no typed numbers."""

from __future__ import annotations

import re

import pytest

from bot.answers.replies import is_button_payload
from bot.contacts import Contacts
from tests.rasa.content import assistant

A = assistant()
# Questions about Nightlight itself are answered from what we know, not from an outside source.
ABOUT_NIGHTLIGHT = {"ask_what_can_you_do", "ask_privacy"}
# Questions about one service in the directory are answered from its record by a custom action, not a fixed text.
ANSWERED_FROM_THE_DIRECTORY = {"ask_service_details"}
TOPIC_INTENTS = [
    i for i in A.intents if i.startswith("ask_") and i not in ABOUT_NIGHTLIGHT | ANSWERED_FROM_THE_DIRECTORY
]
# Intents that only ever answer inside another conversation turn, never on their own; `inform` answers the search
# form's questions, and the form (not a rule of its own) takes it.
NO_RULE_INTENTS = {"affirm", "deny", "inform"}


def texts() -> list[tuple[str, str]]:
    return [(name, v.get("text", "")) for name, variations in A.responses.items() for v in variations]


def numbers_in(text: str) -> list[str]:
    """Runs of three or more digits (spaces allowed), ignoring amounts written like 1,000."""
    text = re.sub(r"\d{1,3}(,\d{3})+", "", text)
    return [re.sub(r"\D", "", m) for m in re.findall(r"(?<![\d,])\d(?:[ -]?\d){2,}", text)]


def test_the_assistant_covers_every_required_topic() -> None:
    required = {
        "ask_what_can_you_do",
        "bot_challenge",
        "ask_privacy",
        "ask_baby_blues",
        "ask_postnatal_depression",
        "ask_antenatal_depression",
        "ask_anxiety",
        "ask_panic_attacks",
        "ask_sleep_and_mood",
        "ask_intrusive_thoughts",
        "ask_birth_trauma",
        "ask_fear_of_birth",
        "ask_bonding",
        "ask_postpartum_psychosis",
        "ask_partner_mental_health",
        "ask_talking_therapies",
        "ask_self_referral",
        "ask_assessment",
        "ask_waiting_list",
        "ask_therapy_formats",
        "ask_baby_at_sessions",
        "ask_cbt",
        "ask_specialist_services",
        "ask_who_to_talk_to",
        "ask_what_to_say",
        "ask_baby_taken_away",
        "ask_medication",
        "ask_loss",
        "ask_peer_support",
        "request_peer_supporter",
        "feeling_low",
    }
    assert required <= set(A.intents)


@pytest.mark.parametrize("intent", sorted(set(A.intents)))
def test_every_intent_has_at_least_20_varied_training_examples(intent: str) -> None:
    examples = A.training.get(intent, [])
    assert len(examples) >= 20
    assert len({e.lower() for e in examples}) == len(examples), "duplicate examples"


@pytest.mark.parametrize("intent", sorted(set(A.intents)))
def test_every_intent_has_held_out_examples_never_trained_on(intent: str) -> None:
    held_out = {e.lower().strip() for e in A.held_out.get(intent, [])}
    trained = {e.lower().strip() for examples in A.training.values() for e in examples}
    assert len(held_out) >= 8
    assert not held_out & trained


def test_no_example_is_given_to_two_intents() -> None:
    seen: dict[str, str] = {}
    for intent, examples in A.training.items():
        for example in examples:
            key = example.lower().strip()
            assert seen.setdefault(key, intent) == intent, f"{example!r} is in {seen[key]} and {intent}"


@pytest.mark.parametrize("intent", sorted(set(A.intents) - NO_RULE_INTENTS))
def test_every_intent_is_answered_by_a_rule(intent: str) -> None:
    assert any(rule["steps"][0].get("intent") == intent for rule in A.rules)


@pytest.mark.parametrize(("name", "text"), texts())
def test_no_response_types_a_phone_number(name: str, text: str) -> None:
    assert numbers_in(text) == [], f"{name} types a number; list a route id under custom.routes instead"


@pytest.mark.parametrize("name", sorted(A.responses))
def test_routes_name_contacts_that_exist(name: str, contacts: Contacts) -> None:
    for variation in A.responses[name]:
        for route in (variation.get("custom") or {}).get("routes", []):
            assert route in contacts.by_id, f"{name}: unknown route {route!r}"


@pytest.mark.parametrize("intent", TOPIC_INTENTS)
def test_every_topic_answer_has_a_read_more_link_and_its_sources(intent: str) -> None:
    [variation] = A.responses[f"utter_{intent.removeprefix('ask_')}"]
    custom = variation.get("custom") or {}
    assert custom["read_more"]["url"].startswith("https://")
    assert custom["read_more"]["title"]
    assert custom["sources"] and all(s.startswith("https://") for s in custom["sources"])


@pytest.mark.parametrize("name", sorted(A.responses))
def test_buttons_lead_to_intents_the_assistant_knows(name: str) -> None:
    for variation in A.responses[name]:
        for button in variation.get("buttons", []):
            # A payload may carry the search form's entities: '/inform{"search_place": "any"}'.
            intent = button["payload"].removeprefix("/").split("{", 1)[0]
            assert intent in A.intents, f"{name}: {button['payload']}"
            assert is_button_payload(button["payload"]), f"{name}: the gateway would drop {button['payload']}"


@pytest.mark.parametrize(("name", "text"), texts())
def test_answers_are_short_plain_and_never_diagnose(name: str, text: str) -> None:
    words = text.split()
    # Reading age about 11: short answers made of short sentences.
    assert len(words) <= 140, f"{name} has {len(words)} words"
    sentences = [s for s in re.split(r"(?<=[.?!:])\s+|\n+", text) if s.strip()]
    longest = max(len(s.split()) for s in sentences)
    assert longest <= 24, f"{name} has a sentence of {longest} words"
    assert sum(len(s.split()) for s in sentences) / len(sentences) <= 13, f"{name}: sentences are too long"
    assert not re.search(r"\byou (have|'ve got|are suffering from) (postnatal|pnd|ocd|psychosis|anxiety)", text, re.I)
    assert "commit suicide" not in text.lower()


def test_the_postpartum_psychosis_answer_says_it_is_an_emergency_with_same_day_routes() -> None:
    [variation] = A.responses["utter_postpartum_psychosis"]
    assert "emergency" in variation["text"].lower()
    assert {"emergency", "nhs-111-mental-health"} <= set(variation["custom"]["routes"])


def test_the_baby_blues_answer_says_psychosis_signs_are_not_baby_blues_and_need_same_day_help() -> None:
    [variation] = A.responses["utter_baby_blues"]
    text = variation["text"]
    assert "two weeks" in text
    assert "not the baby blues" in text and "same day" in text
    assert "/ask_postpartum_psychosis" in [b["payload"] for b in variation["buttons"]]
