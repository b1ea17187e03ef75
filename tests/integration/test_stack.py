"""Whole conversations through the real gateway -> Rasa -> action server, started by `nightlight up`.

The tests in this module share one running stack and run in the order written: the last ones stop parts of it.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.contacts import Contacts
from tests.integration.stack import Chat, Stack, running_stack

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


def test_the_baby_blues_question_gets_a_plain_accurate_answer_with_a_source(stack: Stack) -> None:
    turn = Chat(stack).send("whats the difference between baby blues and pnd")
    answer = texts(turn).lower()
    assert "baby blues" in answer
    assert "two weeks" in answer or "2 weeks" in answer
    assert "postnatal depression" in answer
    link = turn["messages"][0]["link"]
    assert link["url"].startswith("https://")
    assert turn["safety"] == {"level": "none", "categories": [], "ask": False}


def test_a_conversation_about_talking_therapies_follows_her_through_buttons_and_typing(stack: Stack) -> None:
    chat = Chat(stack)
    hello = chat.send("hiya")
    assert "Nightlight" in texts(hello)
    assert hello["messages"][0]["buttons"], "the greeting offers starting points"
    therapies = chat.send(payload="/ask_talking_therapies")
    assert "free" in texts(therapies).lower()
    payloads = [b["payload"] for m in therapies["messages"] for b in m["buttons"]]
    assert "/ask_self_referral" in payloads
    referral = chat.send("how do i refer myself")
    assert "refer yourself" in texts(referral).lower() or "self-referral" in texts(referral).lower()
    baby = chat.send("can i bring my baby with me to the sessions")
    assert "baby" in texts(baby).lower()
    thanks = chat.send("thanks thats really helpful")
    assert "welcome" in texts(thanks).lower()


def test_asking_for_a_person_runs_the_custom_action_and_gives_the_routes(stack: Stack, contacts: Contacts) -> None:
    turn = Chat(stack).send("can i talk to a real person please")
    assert "peer supporter" in texts(turn)
    # Nobody is signed in to a console here, so she is told so honestly, with the 24/7 routes.
    assert "Nobody is on right now" in texts(turn)
    assert contacts["samaritans"].line() in texts(turn)
    assert turn["handoff"] == {"status": "offered"}
    assert "/handoff_accept" in [b["payload"] for m in turn["messages"] for b in m["buttons"]]


def test_feeling_low_is_met_with_warmth_and_an_offer_she_can_accept(stack: Stack) -> None:
    chat = Chat(stack)
    low = chat.send("i just feel so low all the time since she was born")
    assert low["safety"]["level"] in {"distress", "none"}
    assert "not alone" in texts(low) or "sorry" in texts(low).lower()
    accepted = chat.send("yes please")
    assert "peer supporter" in texts(accepted)


def test_something_it_cannot_understand_gets_a_kind_reply_with_choices(stack: Stack) -> None:
    chat = Chat(stack)
    first = chat.send("xqzv pltkw mrrp")
    assert "not sure I understood" in texts(first)
    assert len(first["messages"][0]["buttons"]) == 3
    second = chat.send("zxqv blorp")
    assert "still not getting it" in texts(second)


def test_typed_text_that_looks_like_an_intent_is_treated_as_text(stack: Stack) -> None:
    chat = Chat(stack)
    chat.send("/ask_cbt")
    latest = chat.tracker()["latest_message"]
    assert latest["text"] == "ask_cbt"
    assert len(latest.get("intent_ranking", [])) > 1, "the intent came from the model, not from the text"


def test_a_crisis_is_answered_in_the_same_turn_and_its_text_never_reaches_rasa(
    stack: Stack, contacts: Contacts
) -> None:
    chat = Chat(stack)
    chat.send("hello")
    turn = chat.send("i cant do this anymore i want to end my life")
    assert turn["safety"]["level"] == "crisis"
    assert turn["messages"][0]["kind"] == "crisis"
    assert contacts["emergency"].line() in texts(turn)
    said = [e.get("text") or "" for e in chat.tracker()["events"] if e["event"] == "user"]
    assert said == ["hello"], "Rasa saw the first message but never the crisis one"


def test_a_slow_action_server_still_leaves_her_a_reply_with_the_crisis_line(stack: Stack, contacts: Contacts) -> None:
    actions = stack.pid("actions")
    os.killpg(actions, signal.SIGSTOP)
    try:
        started = time.monotonic()
        turn = Chat(stack).send("can i speak to someone who has been through it", timeout=30)
        assert time.monotonic() - started < 20
    finally:
        os.killpg(actions, signal.SIGCONT)
    assert turn["messages"][0]["kind"] == "fallback"
    assert contacts["samaritans"].line() in texts(turn)


def test_finding_help_asks_where_when_what_and_needs_then_shows_cards_she_can_act_on(stack: Stack) -> None:
    chat = Chat(stack)
    where = chat.send("is there a mums group near me")
    assert "where" in texts(where).lower()
    when = chat.send("EX4 4QJ")
    assert any(b["payload"].startswith('/inform{"search_when"') for m in when["messages"] for b in m["buttons"])
    chat.send("tomorrow morning")
    chat.send(payload='/inform{"search_kind": "any"}')
    found = chat.send(payload='/inform{"search_need": "any"}')
    cards = [m["card"] for m in found["messages"] if "card" in m]
    assert 1 <= len(cards) <= 3
    assert "SAMPLE directory" in texts(found)
    for card in cards:
        assert card["name"] and card["reason"] and card["checked"]
        assert all(link["url"].startswith(("tel:", "sms:", "https://")) for link in card["links"])
    report = next(
        b["payload"] for m in found["messages"] for b in m["buttons"] if b["payload"].startswith("/report_service")
    )
    thanks = chat.send(payload=report)
    assert "will check it" in texts(thanks)
    slots = chat.tracker()["slots"]
    assert slots["search_place"] == "EX4", "only the postcode district is kept"
    tracker_store = (stack.data_dir / "tracker.db").read_bytes()
    assert b"4QJ" not in tracker_store.upper(), "the full postcode never reaches Rasa's tracker store"


def test_a_request_that_names_place_time_and_need_asks_only_for_what_is_missing(stack: Stack) -> None:
    chat = Chat(stack)
    first = chat.send("any groups near EX4 on tuesday mornings where i can bring the baby")
    asked = texts(first)
    assert "Where should I look" not in asked and "When could you go" not in asked
    assert "What kind of help" in asked  # the one thing she did not say
    found = chat.send(payload='/inform{"search_kind": "any"}')
    cards = [m["card"] for m in found["messages"] if "card" in m]
    assert cards
    # Open at some point on the Tuesday mornings she named, and each card says when.
    tuesday = [
        card for card in cards if "open" in card["reason"] and ("Tue" in card["reason"] or "24/7" in card["reason"])
    ]
    assert tuesday, [card["reason"] for card in cards]
    assert chat.tracker()["slots"]["search_place"] == "EX4"


def test_answers_about_therapy_follow_the_nation_she_said_she_is_in(stack: Stack) -> None:
    chat = Chat(stack)
    unknown = texts(chat.send(payload="/ask_self_referral"))
    assert "In Scotland, Wales or Northern Ireland" in unknown
    chat.send("hi, I live in Glasgow")
    scotland = texts(chat.send(payload="/ask_self_referral"))
    assert "Living Life" in scotland
    assert "NHS Talking Therapies" not in scotland


def test_every_file_the_stack_writes_is_readable_by_its_owner_only(stack: Stack) -> None:
    Chat(stack).send("hello")
    for path in [stack.data_dir, *stack.data_dir.rglob("*")]:
        if path == stack.output:
            continue  # the test's own capture of nightlight up's output
        mode = path.stat().st_mode & 0o777
        assert mode & 0o077 == 0, f"{path.relative_to(stack.data_dir)} is {oct(mode)}"


def test_message_text_never_appears_in_any_process_log_even_when_rasa_times_out(stack: Stack) -> None:
    marker = f"zebedee{uuid.uuid4().hex[:6]}"
    actions = stack.pid("actions")
    os.killpg(actions, signal.SIGSTOP)
    try:
        Chat(stack).send(f"can i talk to a real person, my name is {marker}", timeout=30)
    finally:
        os.killpg(actions, signal.SIGCONT)
    Chat(stack).send(f"my neighbour is called {marker}")
    time.sleep(2)
    logs = [*(stack.data_dir / "logs").glob("*.log"), stack.output]
    assert len(logs) == 4
    for log in logs:
        assert marker not in log.read_text(encoding="utf-8", errors="replace"), log.name


def test_when_rasa_dies_she_still_gets_replies_and_rasa_is_restarted(stack: Stack, contacts: Contacts) -> None:
    os.killpg(stack.pid("rasa"), signal.SIGKILL)
    time.sleep(0.5)
    chat = Chat(stack)
    down = chat.send("what is cbt")
    assert down["messages"][0]["kind"] == "fallback"
    assert contacts["samaritans"].line() in texts(down)
    crisis = chat.send("i took all my tablets")
    assert crisis["messages"][0]["kind"] == "crisis"
    assert contacts["emergency"].line() in texts(crisis)
    stack.wait_healthy(240)
    assert "rasa stopped unexpectedly" in stack.output.read_text()
    assert "cbt" in texts(Chat(stack).send("what is cbt")).lower()


def test_ctrl_c_stops_every_process_and_leaves_no_orphans(stack: Stack) -> None:
    pids = [stack.pid(name) for name in ("actions", "rasa", "gateway")]
    stack.process.send_signal(signal.SIGINT)
    assert stack.process.wait(60) == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
