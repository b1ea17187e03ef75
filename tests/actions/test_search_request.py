"""Her first message fills the search form: place, time, kind of help and need, read cautiously."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.place_words import only_a_place, place_in
from actions.search_request import Request, read_request
from actions.validate_service_search_form import ValidateServiceSearchForm
from directory.schedules import LONDON
from directory.when import time_phrase_in

TUESDAY_9PM = datetime(2026, 12, 1, 21, 0, tzinfo=LONDON)
SLOTS = ("search_place", "search_when", "search_kind", "search_need")


def test_the_issue_example_names_place_time_and_need() -> None:
    request = read_request("any groups near EX4 on tuesday mornings where i can bring the baby", TUESDAY_9PM)
    assert request == Request(place="EX4", when="tuesday mornings", kind=None, need="baby-welcome")


@pytest.mark.parametrize(
    ("text", "place", "when", "kind", "need"),
    [
        (
            "hiya is there owt like a baby group round seacroft tuesday mornings",
            "seacroft",
            "tuesday mornings",
            "parent-baby-group",
            None,
        ),
        (
            "need a counsellor in LS9 weekday evenings after 6",
            "LS9",
            "weekday evenings after 6",
            "talking-therapy",
            None,
        ),
        ("Postnatal support group Swansea Saturday?", "swansea", "saturday", "peer-support", None),
        (
            "therapy with a creche in Exeter after the school run",
            "exeter",
            "after the school run",
            "talking-therapy",
            "creche",
        ),
        (
            "mums group for me and my partner in bristol this weekend",
            "bristol",
            "this weekend",
            "peer-support",
            "partners-welcome",
        ),
        ("she does not want therapy, maybe a group of other mums in Leeds", "leeds", None, "peer-support", None),
        ("find me something", None, None, None, None),
        ("/find_services", None, None, None, None),
    ],
)
def test_what_a_request_says(
    text: str, place: str | None, when: str | None, kind: str | None, need: str | None
) -> None:
    assert read_request(text, TUESDAY_9PM) == Request(place, when, kind, need)


@pytest.mark.parametrize(
    "text",
    [
        "is there a group near me",
        "i am at home with the baby all day",
        "i sat down and cried, is there a group",
        "good morning, i need some help",
        "i was up all night, what is there",
        "i b4 had a baby group",
    ],
)
def test_everyday_words_are_not_taken_for_a_place(text: str) -> None:
    assert place_in(text) is None


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("good morning, i need some help", None),
        ("i was up all night again", None),
        ("i sat down and cried", None),
        ("i am in leeds", None),
        ("my baby is 3 months now", None),
        ("can i ring someone now", "now"),
        ("anything on sat or sun", "sat or sun"),
        ("a group after the school run please", "after the school run"),
        ("i have anxiety every day, any group on weekday mornings", "weekday mornings"),
    ],
)
def test_the_time_in_a_message_is_read_cautiously(text: str, when: str | None) -> None:
    assert time_phrase_in(text, TUESDAY_9PM) == when


def starting_tracker(text: str, **slots: Any) -> Tracker:
    """The tracker the validator sees when her message has just started the form."""
    values = {slot: None for slot in SLOTS} | {"requested_slot": None, "search_place_asked_again": False} | slots
    return Tracker(
        sender_id="first-message",
        slots=values,
        latest_message={"text": text, "intent": {"name": "find_services", "confidence": 0.9}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "service_search_form"},
        latest_action_name="action_listen",
    )


async def run_form(tracker: Tracker) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    domain = {
        "slots": {slot: {"mappings": [{"type": "from_entity", "entity": slot}]} for slot in SLOTS},
        "forms": {"service_search_form": {"required_slots": list(SLOTS)}},
    }
    events = await ValidateServiceSearchForm().run(dispatcher, tracker, domain)
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}, dispatcher.messages


async def test_the_form_starts_with_place_and_time_from_her_message_and_asks_nothing_twice() -> None:
    slots, messages = await run_form(
        starting_tracker("any groups near EX4 4QJ on tuesday mornings where i can bring the baby")
    )
    assert slots["search_place"] == "EX4"  # the full postcode is never kept
    assert slots["search_when"] == "tuesday mornings"
    assert slots["search_need"] == "baby-welcome"
    assert "search_kind" not in slots
    assert messages == []


async def test_a_place_named_in_her_message_replaces_the_last_search_place() -> None:
    slots, _messages = await run_form(starting_tracker("groups in Exeter tonight", search_place="Leeds"))
    assert slots["search_place"] == "exeter"
    assert slots["search_when"] == "tonight"


async def test_an_ambiguous_place_in_her_message_is_asked_about_with_choices() -> None:
    slots, [message] = await run_form(starting_tracker("a mums group in Newport on friday"))
    assert slots["search_place"] is None
    assert slots["search_when"] == "friday"
    assert "Which one do you mean?" in message["text"] and message["buttons"]


async def test_answers_to_the_forms_questions_are_not_reread_as_a_first_message() -> None:
    slots, _messages = await run_form(starting_tracker("exeter tonight", requested_slot="search_kind"))
    assert "search_place" not in slots and "search_when" not in slots


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Lisburn", "lisburn"),
        ("Bow, E3", "e3"),
        ("She lives in B20.", "b20"),
        ("im in leeds x", "leeds"),
        ("Exeter please", "exeter"),
        ("newport", "newport"),
        ("bath", None),  # the word, more likely than the city
        ("hey", None),  # a hamlet somewhere, but a greeting here
        ("more please", None),
        ("groups near EX4", None),  # a search request, not only a place
        ("online is grand", None),
        ("how do i refer myself", None),
    ],
)
def test_a_message_that_is_only_a_place_is_recognised(text: str, place: str | None) -> None:
    assert only_a_place(text) == place
