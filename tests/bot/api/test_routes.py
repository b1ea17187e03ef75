"""The REST API and the gateway behind it, over real HTTP: answers, refusals, crisis replies, privacy, health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.exc import OperationalError

from bot.answers.rasa_client import RasaUnavailable
from bot.app import create_app
from bot.app_keys import MESSENGER_KEY, RASA_KEY
from bot.contacts import Contacts
from bot.crisis import footer
from bot.settings import Settings
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
CRISIS = "i want to kill myself"

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
async def client(aiohttp_client: ClientMaker, fake_rasa: FakeRasa, tmp_path: Path) -> TestClient[Any, Any]:
    server = TestServer(fake_rasa.app())
    await server.start_server()
    settings = Settings(
        api_keys=(KEY,),
        rasa_url=str(server.make_url("")).rstrip("/"),
        rasa_timeout=2,
        actions_port=free_port(),
        data_dir=tmp_path,
    )
    try:
        yield await aiohttp_client(create_app(settings))
    finally:
        await server.close()


@pytest.fixture
async def client_without_rasa(aiohttp_client: ClientMaker, tmp_path: Path) -> TestClient[Any, Any]:
    settings = Settings(api_keys=(KEY,), rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout=1, data_dir=tmp_path)
    return await aiohttp_client(create_app(settings))


async def post(client: TestClient[Any, Any], body: object, conversation: str = "c1", **kw: Any) -> Any:
    return await client.post(f"/api/v1/conversations/{conversation}/messages", json=body, headers=AUTH, **kw)


async def test_a_message_goes_to_rasa_and_the_answer_comes_back_in_the_api_shape(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    response = await post(client, {"text": "whats the difference between baby blues and pnd"})
    assert response.status == 200
    body = await response.json()
    assert body["messages"] == [{"text": "An answer.", "buttons": [], "kind": "answer"}]
    assert body["safety"] == {"level": "none", "categories": [], "ask": False}
    assert body["handoff"] is None
    sent = fake_rasa.received[0]
    assert sent["message"] == "whats the difference between baby blues and pnd"
    assert sent["metadata"]["screen"]["level"] == "none"


async def test_two_api_keys_never_share_a_conversation(
    aiohttp_client: ClientMaker, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    server = TestServer(fake_rasa.app())
    await server.start_server()
    other = "other-key-0123456789abcdef"
    settings = Settings(api_keys=(KEY, other), rasa_url=str(server.make_url("")).rstrip("/"), data_dir=tmp_path)
    client = await aiohttp_client(create_app(settings))
    for key in (KEY, other):
        await client.post(
            "/api/v1/conversations/same/messages",
            json={"text": "hi"},
            headers={"Authorization": f"Bearer {key}"},
        )
    first, second = (r["sender"] for r in fake_rasa.received)
    assert first != second and first.endswith("-same") and second.endswith("-same")
    await server.close()


async def test_typed_text_starting_with_a_slash_is_sent_as_text_not_an_intent(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    await post(client, {"text": "/restart"})
    await post(client, {"text": '/ask_cbt{"x": 1}'})
    assert [r["message"] for r in fake_rasa.received] == ["restart", 'ask_cbt{"x": 1}']


async def test_a_button_payload_goes_to_rasa_as_an_intent(client: TestClient[Any, Any], fake_rasa: FakeRasa) -> None:
    response = await post(client, {"payload": "/ask_self_referral"})
    assert response.status == 200
    assert fake_rasa.received[0]["message"] == "/ask_self_referral"


@pytest.mark.parametrize(
    "payload", ["/restart", '/ask_cbt{"a":"1"}', "hello", "/session_start", '/x{"elevated": "no"}']
)
async def test_a_payload_no_button_could_carry_is_refused(client: TestClient[Any, Any], payload: str) -> None:
    response = await post(client, {"payload": payload})
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_payload"


async def test_a_crisis_is_answered_by_the_gateway_without_asking_rasa(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    response = await post(client, {"text": CRISIS})
    body = await response.json()
    assert body["safety"]["level"] == "crisis"
    assert fake_rasa.received == []
    # The crisis reply is one message; the offer of a peer supporter follows it in the same turn.
    assert [m["kind"] for m in body["messages"]] == ["crisis", "handoff"]
    text = body["messages"][0]["text"]
    assert contacts["samaritans"].line() in text
    assert contacts["emergency"].line() in text
    assert len(text) < 1000


async def test_when_rasa_is_down_she_gets_a_kind_reply_with_the_crisis_line(
    client_without_rasa: TestClient[Any, Any], contacts: Contacts
) -> None:
    response = await post(client_without_rasa, {"text": "what is cbt"})
    assert response.status == 200
    message = (await response.json())["messages"][0]
    assert message["kind"] == "fallback"
    assert "try again" in message["text"]
    assert contacts["samaritans"].line() in message["text"]


async def test_when_rasa_is_down_a_crisis_still_gets_the_crisis_reply(
    client_without_rasa: TestClient[Any, Any], contacts: Contacts
) -> None:
    body = await (await post(client_without_rasa, {"text": CRISIS})).json()
    assert body["messages"][0]["kind"] == "crisis"
    assert contacts["emergency"].line() in body["messages"][0]["text"]


@pytest.mark.parametrize("answer", [[], "not a list"])
async def test_when_rasa_answers_nothing_or_nonsense_she_still_gets_a_reply(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, answer: Any, contacts: Contacts
) -> None:
    fake_rasa.reply = answer
    body = await (await post(client, {"text": "can i talk to a real person"})).json()
    assert body["messages"][0]["kind"] == "fallback"
    assert contacts["samaritans"].line() in body["messages"][0]["text"]


async def test_when_rasa_errors_she_still_gets_a_reply(client: TestClient[Any, Any], fake_rasa: FakeRasa) -> None:
    fake_rasa.status = 500
    body = await (await post(client, {"text": "hello"})).json()
    assert body["messages"][0]["kind"] == "fallback"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "x" * 2001}, 413, "message_too_long"),
        ({}, 400, "text_or_payload"),
        ({"text": "a", "payload": "/greet"}, 400, "text_or_payload"),
        ({"text": 5}, 400, "invalid_text"),
        ({"text": "   "}, 400, "empty_text"),
        (["text"], 400, "invalid_body"),
    ],
)
async def test_malformed_requests_get_a_clear_json_error(
    client: TestClient[Any, Any], body: object, status: int, code: str
) -> None:
    response = await post(client, body)
    assert response.status == status
    error = (await response.json())["error"]
    assert error["code"] == code
    assert error["message"]


async def test_invalid_json_gets_a_clear_error(client: TestClient[Any, Any]) -> None:
    response = await client.post("/api/v1/conversations/c/messages", data=b"{not json", headers=AUTH)
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_json"


async def test_a_request_larger_than_the_limit_is_refused(client: TestClient[Any, Any]) -> None:
    response = await client.post("/api/v1/conversations/c/messages", data=b"x" * 20000, headers=AUTH)
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "request_too_large"


async def test_an_overlong_message_that_discloses_a_crisis_still_gets_the_crisis_reply(
    client: TestClient[Any, Any],
) -> None:
    long_text = "it has been a long week. " * 60 + CRISIS
    body = await (await post(client, {"text": long_text})).json()
    assert body["messages"][0]["kind"] == "crisis"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-key-0123456789"}, {"Authorization": KEY}])
async def test_the_api_needs_a_valid_key(client: TestClient[Any, Any], headers: dict[str, str]) -> None:
    response = await client.post("/api/v1/conversations/c/messages", json={"text": "hi"}, headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_conversation_id_with_odd_characters_is_refused(client: TestClient[Any, Any]) -> None:
    response = await post(client, {"text": "hi"}, conversation="a%20b")
    assert response.status == 400


async def test_message_text_never_reaches_the_logs(
    client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "my husband works at the quarry"
    await post(client, {"text": secret})
    await post(client, {"text": CRISIS + " " + secret})
    assert caplog.records, "the gateway should log each message's outcome"
    for record in caplog.records:
        assert "quarry" not in record.getMessage()
        assert "kill myself" not in record.getMessage()


async def test_healthz_is_unavailable_until_the_action_server_answers(client: TestClient[Any, Any]) -> None:
    response = await client.get("/healthz")
    assert response.status == 503
    body = await response.json()
    assert {k: body[k] for k in ("status", "rasa", "actions", "database")} == {
        "status": "unavailable",
        "rasa": True,
        "actions": False,
        "database": "ok",
    }


async def test_healthz_says_the_database_is_down_when_it_does_not_answer(
    client: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client.server.app[MESSENGER_KEY].store, "ping", lambda: False)
    body = await (await client.get("/healthz")).json()
    assert body["database"] == "down" and body["status"] == "unavailable"


async def test_if_the_screen_itself_fails_she_still_gets_an_answer_ending_with_the_24_7_lines(
    client: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch, contacts: Contacts
) -> None:
    def broken(text: str, history: object = ()) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr("bot.conversation.screen", broken)
    body = await (await post(client, {"text": "hello"})).json()
    assert body["messages"][0]["text"] == "An answer.\n\n" + footer(contacts)
    assert body["safety"]["level"] == "distress"


async def test_a_bug_while_answering_still_gives_her_the_crisis_lines_and_logs_no_text(
    client: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch, contacts: Contacts, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> None:
        raise ValueError("she said: my secret words")

    monkeypatch.setattr("bot.conversation.Conversations.handle_text", broken)
    response = await post(client, {"text": "my secret words"})
    assert response.status == 200
    body = await response.json()
    assert contacts["samaritans"].line() in body["messages"][0]["text"]
    assert "secret" not in caplog.text


async def test_an_unexpected_error_answers_500_with_the_crisis_lines_and_logs_no_text(
    client: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch, contacts: Contacts, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("she said: my secret words")

    monkeypatch.setattr("bot.messenger.Messenger.receive", broken)
    response = await post(client, {"text": "my secret words"})
    assert response.status == 500
    body = await response.json()
    assert body["error"]["code"] == "internal_error"
    assert contacts["samaritans"].line() in body["messages"][0]["text"]
    assert "secret" not in caplog.text


async def test_after_a_crisis_every_reply_ends_with_the_24_7_footer_and_rasa_is_told(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    before = await (await post(client, {"text": "hello"})).json()
    assert before["messages"][0]["text"] == "An answer."
    await post(client, {"text": CRISIS})
    after = await (await post(client, {"text": "thanks"})).json()
    assert after["messages"][0]["text"] == "An answer.\n\n" + footer(contacts)
    button = await (await post(client, {"payload": "/ask_cbt"})).json()
    assert button["messages"][0]["text"].endswith(footer(contacts))
    [(sender, event)] = fake_rasa.slot_events
    assert sender == fake_rasa.received[0]["sender"]
    assert (event["event"], event["name"], event["value"]) == ("slot", "elevated", True)


async def test_the_elevated_state_survives_a_gateway_restart(
    aiohttp_client: ClientMaker, fake_rasa: FakeRasa, tmp_path: Path, contacts: Contacts
) -> None:
    server = TestServer(fake_rasa.app())
    await server.start_server()
    settings = Settings(api_keys=(KEY,), rasa_url=str(server.make_url("")).rstrip("/"), data_dir=tmp_path)
    first = await aiohttp_client(create_app(settings))
    await post(first, {"text": CRISIS})
    await first.close()
    second = await aiohttp_client(create_app(settings))
    body = await (await post(second, {"text": "hello"})).json()
    assert body["messages"][0]["text"].endswith(footer(contacts))
    await server.close()


async def test_she_gets_her_nations_routes_once_she_has_said_where_she_is(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    await post(client, {"text": "we live just outside glasgow"})
    body = await (await post(client, {"text": CRISIS})).json()
    text = body["messages"][0]["text"]
    assert contacts["nhs-24-scotland"].line() in text
    assert contacts["nhs-111-mental-health"].line() not in text


async def test_an_answer_for_feeling_low_raises_the_level_to_distress(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = [{"text": "I'm sorry it's hard."}, {"custom": {"signal": "distress", "routes": ["samaritans"]}}]
    body = await (await post(client, {"text": "meh"})).json()
    assert body["safety"] == {"level": "distress", "categories": ["distress"], "ask": False}


@pytest.fixture
async def patient_client(aiohttp_client: ClientMaker, fake_rasa: FakeRasa, tmp_path: Path) -> TestClient[Any, Any]:
    """A gateway whose Rasa timeout is long, so any wait for Rasa would show."""
    server = TestServer(fake_rasa.app())
    await server.start_server()
    settings = Settings(
        api_keys=(KEY,), rasa_url=str(server.make_url("")).rstrip("/"), rasa_timeout=60, data_dir=tmp_path
    )
    try:
        yield await aiohttp_client(create_app(settings))
    finally:
        fake_rasa.thaw()
        fake_rasa.release()
        await server.close()


@pytest.mark.parametrize("rasa_is", ["frozen", "slow"])
async def test_a_crisis_reply_never_waits_for_rasa_and_rasa_is_told_afterwards(
    patient_client: TestClient[Any, Any], fake_rasa: FakeRasa, rasa_is: str
) -> None:
    client = patient_client
    if rasa_is == "frozen":
        fake_rasa.freeze()  # like SIGSTOP: the connection opens, nothing answers
    else:
        fake_rasa.delay = 6.0
    # Rasa would hold the request for 6 s or more; the crisis reply must come back well before that.
    response = await asyncio.wait_for(post(client, {"text": CRISIS}), timeout=3)
    body = await response.json()
    assert body["messages"][0]["kind"] == "crisis"
    assert fake_rasa.slot_events == [], "Rasa has not answered yet, so it has not been told"
    fake_rasa.thaw()
    for _ in range(150):
        if fake_rasa.slot_events:
            break
        await asyncio.sleep(0.1)
    [(_, event)] = fake_rasa.slot_events
    assert (event["name"], event["value"]) == ("elevated", True), "told in the background once Rasa answers"


async def test_a_crisis_is_answered_while_her_earlier_message_still_waits_for_rasa(
    patient_client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    client = patient_client
    fake_rasa.hold()
    earlier = asyncio.create_task(post(client, {"text": "how do i self refer"}))
    for _ in range(500):
        if fake_rasa.received:
            break
        await asyncio.sleep(0.01)
    body = await (await asyncio.wait_for(post(client, {"text": CRISIS}), timeout=5)).json()
    assert body["messages"][0]["kind"] == "crisis"
    assert not earlier.done(), "the earlier message is still with Rasa"
    fake_rasa.release()
    assert (await (await earlier).json())["messages"][0]["text"] == "An answer."


async def test_if_rasa_is_never_told_in_the_background_it_is_told_before_it_next_answers(
    patient_client: TestClient[Any, Any], fake_rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.conversation.RASA_RETRY_PAUSES", (0.0,))
    client = patient_client
    server_app = client.server.app
    rasa = server_app[RASA_KEY]
    calls: list[str] = []
    real_set_slot = rasa.set_slot

    async def failing_once(sender: str, name: str, value: object) -> None:
        calls.append(name)
        if len(calls) == 1:
            raise RasaUnavailable("down")
        await real_set_slot(sender, name, value)

    monkeypatch.setattr(rasa, "set_slot", failing_once)
    await post(client, {"text": CRISIS})
    for _ in range(50):
        if calls:
            break
        await asyncio.sleep(0.05)
    assert fake_rasa.slot_events == []
    await post(client, {"text": "thanks"})
    [(_, event)] = fake_rasa.slot_events
    assert event["value"] is True


def _routes_in(body: dict[str, Any], contacts: Contacts) -> bool:
    """Whether an error body carries the 24/7 routes from the contacts data."""
    text = " ".join(m["text"] for m in body.get("messages", []))
    return contacts["samaritans"].line() in text


async def test_a_crisis_in_a_request_over_the_size_limit_gets_the_crisis_reply(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    text = "sorry for the essay. " * 1000 + CRISIS
    response = await client.post("/api/v1/conversations/c/messages", json={"text": text}, headers=AUTH)
    assert response.status == 413
    body = await response.json()
    assert body["error"]["code"] == "request_too_large"
    assert body["messages"][0]["kind"] == "crisis"
    assert body["safety"]["level"] == "crisis"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"[" * 5000 + b"]" * 5000, "invalid_json"),
        (b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", "invalid_json"),
        (b'{"text": "hello \\ud800 there"}', "invalid_text"),
        (b'{"text": "\\udfff"}', "invalid_text"),
        (b"\xff\xfe not utf-8", "invalid_json"),
    ],
)
async def test_malformed_input_gets_a_4xx_with_the_24_7_routes_and_nothing_is_stored(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts, data: bytes, code: str
) -> None:
    response = await client.post("/api/v1/conversations/c/messages", data=data, headers=AUTH)
    assert response.status == 400
    body = await response.json()
    assert body["error"]["code"] == code
    assert _routes_in(body, contacts)
    assert fake_rasa.received == []
    # The conversation is not jammed: her next message is answered.
    after = await (await post(client, {"text": "hello"})).json()
    assert after["messages"][0]["text"] == "An answer."


async def test_a_crisis_in_a_message_with_a_lone_surrogate_still_gets_the_crisis_reply(
    client: TestClient[Any, Any],
) -> None:
    data = b'{"text": "' + CRISIS.encode() + b' \\ud83d"}'
    response = await client.post("/api/v1/conversations/c/messages", data=data, headers=AUTH)
    assert response.status == 400
    assert (await response.json())["messages"][0]["kind"] == "crisis"


async def test_every_refusal_carries_the_24_7_routes(client: TestClient[Any, Any], contacts: Contacts) -> None:
    for response in (
        await post(client, {"text": "x" * 2001}),
        await client.post("/api/v1/conversations/c/messages", json={"text": "hi"}),
        await client.get("/api/v1/nowhere"),
    ):
        assert response.status in (401, 404, 413)
        assert _routes_in(await response.json(), contacts)


async def test_an_overlong_url_gets_the_json_error_and_no_traceback_in_the_log(
    client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await client.get("/api/v1/conversations/" + "a" * 20_000)
    assert response.status == 414
    assert (await response.json())["error"]["code"] == "url_too_long"
    assert "Traceback" not in caplog.text
    assert not any(record.exc_info for record in caplog.records)


async def test_every_route_in_a_crisis_reply_can_be_tapped_and_the_offer_after_it_repeats_none(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    body = await (await post(client, {"text": CRISIS})).json()
    crisis, *rest = body["messages"]
    urls = {route.get("tel") for route in crisis["routes"]} | {route.get("sms") for route in crisis["routes"]}
    assert {"tel:999", "tel:111", "tel:116123", "sms:85258?body=SHOUT"} <= urls
    bullets = [line for line in crisis["text"].split("\n") if line.startswith("• ")]
    assert bullets == [f"• {route['line']}" for route in crisis["routes"]], "one route per listed line, in order"
    for message in rest:
        assert contacts["samaritans"].line() not in message["text"]
        assert len(message["text"]) < 300, "the offer after a crisis is short"


def _contents(folder: Path) -> list[tuple[str, bytes]]:
    """Every file under a folder, with its bytes."""
    return [(path.name, path.read_bytes()) for path in folder.rglob("*") if path.is_file()]


def _modes(folder: Path) -> dict[str, tuple[int, bool]]:
    """The folder and everything under it: permission bits, and whether it is a folder."""
    return {path.name: (path.stat().st_mode & 0o777, path.is_dir()) for path in [folder, *folder.rglob("*")]}


async def test_a_full_postcode_is_cut_to_its_district_before_rasa_or_any_store_sees_it(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    await post(client, {"text": "any groups near ex4 4qj on tuesday mornings"})
    await post(client, {"payload": '/inform{"search_place": "EX4 4QJ"}'})
    assert fake_rasa.messages == ["any groups near EX4 on tuesday mornings", '/inform{"search_place": "EX4"}']
    for name, data in _contents(tmp_path):
        assert b"4QJ" not in data.upper(), name


async def test_the_gateways_files_are_readable_by_their_owner_only(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    await post(client, {"text": "hello"})
    await post(client, {"text": CRISIS})
    await client.get("/console/")
    made = _modes(tmp_path)
    assert set(made) >= {"messages.db", "gateway.db", "handoff.db", "console.db"}
    for name, (mode, folder) in made.items():
        assert mode == (0o700 if folder else 0o600), f"{name} is {oct(mode)}"


async def test_a_payload_naming_an_intent_rasa_does_not_know_is_refused_before_rasa_sees_it(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    response = await post(client, {"payload": "/tell_me_everything_about_my_neighbour"})
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_payload"
    assert fake_rasa.received == []


def test_the_gateways_own_intents_are_the_handoff_and_safety_check_buttons() -> None:
    from bot.answers.replies import GATEWAY_INTENTS
    from bot.peer.support import PAYLOADS
    from bot.safety import check as safety_check

    assert {f"/{intent}" for intent in GATEWAY_INTENTS} == set(PAYLOADS) | safety_check.PAYLOADS


async def test_with_the_database_down_a_crisis_gets_a_503_with_the_crisis_reply(
    client: TestClient[Any, Any], contacts: Contacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, ConnectionRefusedError("database down"))

    monkeypatch.setattr(client.server.app[MESSENGER_KEY].store, "record_inbound", refused)
    response = await post(client, {"text": CRISIS})
    assert response.status == 503
    body = await response.json()
    assert body["error"]["code"] == "store_unavailable"
    assert body["messages"][0]["kind"] == "crisis"
    assert contacts["emergency"].line() in body["messages"][0]["text"]
