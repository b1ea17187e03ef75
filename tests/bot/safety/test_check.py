"""The direct question, asked when the screen is unsure, and what each answer leads to; through the REST API.

The risk model's layer is replaced here by a stand-in that is unsure about one marked message, so these tests are
about the turn, not about what the model hears (tests/safety and `make safety-report` measure that).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.contacts import Contacts
from bot.safety import check as safety_check
from bot.settings import Settings
from nlu.screen import Screening
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
UNSURE = "sorted the cot money for my mum, she'll know what to do with him"
LOW = "everything is grey and i don't see the point of getting dressed"

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


class UnsureAboutOneMessage:
    """A risk layer that is unsure about UNSURE and leaves every other verdict to the rules."""

    name = "stand-in risk layer"

    def screen(self, rules: Screening, text: str, history: Sequence[str]) -> Screening:
        if text == UNSURE and rules.level != "crisis":
            return Screening(level="distress", categories=("distress",), ask=True)
        if text == LOW:
            return Screening(level="distress", categories=("distress",))
        return rules


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
async def client(
    aiohttp_client: ClientMaker, fake_rasa: FakeRasa, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient[Any, Any]:
    monkeypatch.setattr("bot.app.load_risk_layer", lambda: (UnsureAboutOneMessage(), "loaded"))
    server = TestServer(fake_rasa.app())
    await server.start_server()
    settings = Settings(
        api_keys=(KEY,), rasa_url=str(server.make_url("")).rstrip("/"), actions_port=free_port(), data_dir=tmp_path
    )
    try:
        yield await aiohttp_client(create_app(settings))
    finally:
        await server.close()


async def say(client: TestClient[Any, Any], **body: str) -> dict[str, Any]:
    response = await client.post("/api/v1/conversations/c1/messages", json=body, headers=AUTH)
    assert response.status == 200, await response.text()
    data: dict[str, Any] = await response.json()
    return data


async def test_when_the_screen_is_unsure_she_is_asked_directly_instead_of_getting_a_topic_answer(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    turn = await say(client, text=UNSURE)
    [message] = turn["messages"]
    assert message["kind"] == "safety-check"
    assert "ending your life" in message["text"] and "harming yourself or your baby" in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["Yes", "No, but I'm struggling", "No, I'm OK"]
    assert turn["safety"] == {"level": "distress", "categories": ["distress"], "ask": True}
    assert fake_rasa.received == [], "no topic answer is asked for"


async def test_yes_gets_the_crisis_reply_and_the_offer_of_a_person(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    await say(client, text=UNSURE)
    turn = await say(client, payload=safety_check.YES)
    assert turn["messages"][0]["kind"] == "crisis"
    assert contacts["samaritans"].line() in turn["messages"][0]["text"]
    assert turn["safety"]["level"] == "crisis"
    assert turn["messages"][-1]["kind"] == "handoff"


async def test_struggling_gets_support_and_the_offer_of_a_person(client: TestClient[Any, Any]) -> None:
    await say(client, text=UNSURE)
    turn = await say(client, payload=safety_check.STRUGGLING)
    assert turn["messages"][0]["text"] == safety_check.STRUGGLING_TEXT
    assert turn["messages"][1]["kind"] == "handoff"
    assert turn["safety"]["level"] == "distress"


async def test_ok_gets_thanks_and_the_conversation_carries_on(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    await say(client, text=UNSURE)
    turn = await say(client, payload=safety_check.OK)
    assert [m["text"] for m in turn["messages"]] == [safety_check.OK_TEXT]
    assert turn["safety"]["level"] == "none"
    after = await say(client, text="what is cbt")
    assert after["messages"][0]["text"] == "An answer."


@pytest.mark.parametrize(("typed", "kind"), [("yes", "crisis"), ("yeah i am", "crisis"), ("no", "fallback")])
async def test_a_typed_answer_to_the_question_counts_like_the_button(
    client: TestClient[Any, Any], typed: str, kind: str
) -> None:
    await say(client, text=UNSURE)
    turn = await say(client, text=typed)
    if kind == "crisis":
        assert turn["messages"][0]["kind"] == "crisis"
    else:
        assert turn["messages"][0]["text"] == safety_check.STRUGGLING_TEXT


async def test_a_typed_yes_with_no_question_before_it_goes_to_rasa(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    turn = await say(client, text="yes")
    assert turn["messages"][0]["text"] == "An answer."
    assert fake_rasa.messages == ["yes"]


async def test_healthz_says_whether_the_risk_model_is_loaded(client: TestClient[Any, Any]) -> None:
    body = await (await client.get("/healthz")).json()
    assert body["risk_model"] == "loaded"


async def test_when_the_screen_hears_distress_a_topic_answer_comes_after_support(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = [{"recipient_id": "x", "text": "Waiting times for talking therapy vary by area."}]
    turn = await say(client, text=LOW)
    assert turn["messages"][0]["text"].startswith("I'm sorry things feel so hard right now.")
    assert turn["messages"][1]["text"] == "Waiting times for talking therapy vary by area."


async def test_an_answer_that_already_leads_with_support_gets_no_second_support_line(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    listened = "Thank you for telling me all of that. It sounds like a lot to carry."
    fake_rasa.reply = [{"recipient_id": "x", "text": listened}, {"custom": {"signal": "support"}}]
    turn = await say(client, text=LOW)
    assert next(m["text"] for m in turn["messages"] if m.get("text")) == listened
    assert turn["safety"]["level"] == "distress"
