"""The widget's server side: its script, the demo page, tenant settings and the WebSocket, over real HTTP."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import WSCloseCode, WSMsgType
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.exc import OperationalError

from bot.app import create_app
from bot.app_keys import MESSENGER_KEY
from bot.contacts import Contacts
from bot.settings import PROJECT_ROOT, Settings
from bot.store import MessageStore
from bot.widget.sessions import TokenSigner
from bot.widget.socket import ADDRESS_RATE_LIMIT, RATE_LIMIT
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

SECRET = "widget-test-secret-0123456789abcdef"
CRISIS = "i want to kill myself"
ALLOWED = "http://localhost:8080"  # listed in tenants/default.yaml
EVIL = "https://evil.example"
# A 1x1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


def session_of(token: str) -> str:
    """The session id inside a token (readable, but only the gateway can sign one)."""
    payload = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["s"])


class Widget:
    """One widget's socket, as the test drives it."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.token = ""

    async def send(self, **frame: Any) -> None:
        await self.ws.send_json(frame)

    async def frame(self) -> dict[str, Any]:
        message = await self.ws.receive(timeout=10)
        assert message.type is WSMsgType.TEXT, message
        data: dict[str, Any] = json.loads(message.data)
        return data

    async def until(self, kind: str) -> dict[str, Any]:
        """The next frame of this type, skipping others."""
        while True:
            frame = await self.frame()
            if frame["type"] == kind:
                return frame

    async def until_one_of(self, *kinds: str) -> dict[str, Any]:
        """The next frame of any of these types, skipping others."""
        while True:
            frame = await self.frame()
            if frame["type"] in kinds:
                return frame

    async def hello(self, token: object = None) -> dict[str, Any]:
        await self.send(type="hello", token=token)
        welcome = await self.frame()
        assert welcome["type"] == "welcome"
        self.token = welcome["token"]
        return welcome

    async def say(self, text: str, client_id: str = "m1") -> dict[str, Any]:
        """Send a message and return its reply, checking it was acknowledged first."""
        await self.send(type="message", client_id=client_id, text=text)
        assert await self.frame() == {"type": "ack", "client_id": client_id}
        return await self.until("reply")

    async def next_is(self, kind: str) -> dict[str, Any]:
        """The very next frame, which must be of this type (proves nothing else was sent before it)."""
        frame = await self.frame()
        assert frame["type"] == kind, frame
        return frame

    @property
    def conversation(self) -> str:
        return f"web-{session_of(self.token)}"


Connect = Callable[..., Awaitable[Widget]]


@pytest.fixture
def tenants_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tenants"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "tenants" / "default.yaml", folder / "default.yaml")
    (folder / "other-logo.png").write_bytes(PNG)
    (folder / "other.yaml").write_text(
        "id: other\nname: Other Charity\nbot_name: Robin\nlogo: other-logo.png\n"
        "colours: {primary: '#005a30', on_primary: '#ffffff', background: '#ffffff', text: '#0b0c0c'}\n"
        "allowed_origins: ['https://other.example']\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def fake_rasa() -> FakeRasa:
    fake = FakeRasa()
    # Each answer says how many messages Rasa has seen, so tests can tell replies apart.
    fake.reply = lambda body: [{"recipient_id": body["sender"], "text": f"Answer {len(fake.received)}."}]
    return fake


@pytest.fixture
async def make_client(
    aiohttp_client: ClientMaker, fake_rasa: FakeRasa, tmp_path: Path, tenants_dir: Path
) -> AsyncIterator[Callable[..., Awaitable[TestClient[Any, Any]]]]:
    server = TestServer(fake_rasa.app())
    await server.start_server()

    async def make(**overrides: Any) -> TestClient[Any, Any]:
        settings = Settings(
            rasa_url=str(server.make_url("")).rstrip("/"),
            rasa_timeout=5,
            actions_port=free_port(),
            data_dir=tmp_path,
            tenants_dir=tenants_dir,
            secret_key=SECRET,
            tracker_store_url=f"sqlite:///{tmp_path}/tracker.db",
            **overrides,
        )
        return await aiohttp_client(create_app(settings))

    yield make
    await server.close()


@pytest.fixture
async def client(make_client: Callable[..., Awaitable[TestClient[Any, Any]]]) -> TestClient[Any, Any]:
    return await make_client()


def own_origin(client: TestClient[Any, Any]) -> str:
    return str(client.make_url("/")).rstrip("/")


@pytest.fixture
def connect(client: TestClient[Any, Any]) -> Connect:
    async def open_socket(origin: str | None = None, tenant: str = "default") -> Widget:
        headers = {"Origin": origin or own_origin(client)}
        return Widget(await client.ws_connect(f"/widget/ws?tenant={tenant}", headers=headers))

    return open_socket


# ---- widget.js and the demo page ----------------------------------------------------------------------------------


def bundled_routes(script: str) -> dict[str, Any]:
    match = re.search(r"const CRISIS = (.*);\n", script)
    assert match, "the crisis routes are written into the script"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


async def test_widget_js_carries_the_24_7_routes_from_the_contacts_data(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    response = await client.get("/widget.js")
    assert response.status == 200
    assert response.content_type == "text/javascript"
    script = await response.text()
    routes = bundled_routes(script)
    by_id = {route["id"]: route for route in routes["routes"]}
    assert list(by_id) == ["emergency", "samaritans", "shout", "pandas-text"]
    for route_id, route in by_id.items():
        contact = contacts[route_id]
        assert route["line"] == contact.line()
        assert contact.hours == "24/7"
        if contact.phone:
            assert route["tel"] == f"tel:{contact.phone}"
        if contact.sms:
            assert route["sms"].startswith(f"sms:{contact.sms}")
    urgent = {route["nation"]: route["line"] for route in routes["urgent"]}
    assert urgent == {
        "England": contacts["nhs-111-mental-health"].line(),
        "Wales": contacts["nhs-111-wales"].line(),
        "Scotland": contacts["nhs-24-scotland"].line(),
        "Northern Ireland": contacts["lifeline-ni"].line(),
    }


async def test_widget_js_can_be_embedded_anywhere_and_is_cached_briefly(client: TestClient[Any, Any]) -> None:
    response = await client.get("/widget.js")
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert re.fullmatch(r"public, max-age=\d{1,4}", response.headers["Cache-Control"])
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_widget_js_never_parses_html(client: TestClient[Any, Any]) -> None:
    script = await (await client.get("/widget.js")).text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    assert "textContent" in script


async def test_the_demo_page_embeds_the_one_line_widget_under_a_strict_content_security_policy(
    client: TestClient[Any, Any],
) -> None:
    response = await client.get("/")
    assert response.status == 200
    policy = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "connect-src 'self'", "style-src 'self'", "default-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    page = await response.text()
    assert '<script src="/widget.js" data-tenant="default" async></script>' in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/widget.js" data-tenant="default" async>']
    assert "<style" not in page and " style=" not in page
    assert re.search(r"<[^>]+\son[a-z]+=", page) is None, "no inline event handlers"
    assert "made-up charity" in page
    assert (await client.get("/demo.css")).status == 200


# ---- /widget/config -----------------------------------------------------------------------------------------------


async def test_config_answers_an_allowed_origin_with_the_public_settings_and_cors(client: TestClient[Any, Any]) -> None:
    response = await client.get("/widget/config?tenant=default", headers={"Origin": ALLOWED})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    body = await response.json()
    assert body["bot_name"] == "Nightlight"
    assert set(body) == {"id", "name", "bot_name", "colours", "logo"}


async def test_config_answers_the_gateways_own_pages(client: TestClient[Any, Any]) -> None:
    response = await client.get("/widget/config?tenant=default", headers={"Origin": own_origin(client)})
    assert response.status == 200
    assert (await client.get("/widget/config?tenant=default")).status == 200, "a same-origin GET has no Origin"


@pytest.mark.parametrize("origin", [EVIL, "null", "http://localhost:8081", "https://other.example"])
async def test_config_refuses_an_origin_the_tenant_does_not_list(client: TestClient[Any, Any], origin: str) -> None:
    response = await client.get("/widget/config?tenant=default", headers={"Origin": origin})
    assert response.status == 403
    body = await response.json()
    assert body["error"]["code"] == "origin_not_allowed"
    assert "bot_name" not in json.dumps(body)


async def test_config_for_an_unknown_tenant_is_not_found(client: TestClient[Any, Any]) -> None:
    response = await client.get("/widget/config?tenant=nobody", headers={"Origin": ALLOWED})
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "unknown_tenant"


async def test_a_tenants_logo_is_served_and_a_tenant_without_one_has_none(client: TestClient[Any, Any]) -> None:
    config = await (await client.get("/widget/config?tenant=other", headers={"Origin": "https://other.example"})).json()
    assert config["logo"] == "/tenants/other/logo"
    logo = await client.get(config["logo"])
    assert logo.status == 200
    assert logo.content_type == "image/png"
    assert await logo.read() == PNG
    assert "sandbox" in logo.headers["Content-Security-Policy"]
    assert (await client.get("/tenants/default/logo")).status == 404


# ---- the socket: who may open one --------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", [EVIL, "null", "https://other.example"])
async def test_a_socket_from_an_origin_the_tenant_does_not_list_is_refused_before_the_upgrade(
    client: TestClient[Any, Any], origin: str
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/widget/ws?tenant=default", headers={"Origin": origin})
    assert refused.value.status == 403


async def test_a_socket_without_an_origin_is_refused(client: TestClient[Any, Any]) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/widget/ws?tenant=default")
    assert refused.value.status == 403


async def test_a_socket_for_an_unknown_tenant_is_not_found(client: TestClient[Any, Any]) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/widget/ws?tenant=nobody", headers={"Origin": ALLOWED})
    assert refused.value.status == 404


async def test_a_socket_from_an_allowed_charity_page_is_welcomed(connect: Connect) -> None:
    widget = await connect(ALLOWED)
    welcome = await widget.hello()
    assert welcome["resumed"] is False
    assert welcome["tenant"]["bot_name"] == "Nightlight"


async def test_connections_from_one_address_are_capped_with_a_clear_error(
    make_client: Callable[..., Awaitable[TestClient[Any, Any]]],
) -> None:
    client = await make_client(max_connections_per_address=2)
    headers = {"Origin": own_origin(client)}
    first = await client.ws_connect("/widget/ws?tenant=default", headers=headers)
    second = await client.ws_connect("/widget/ws?tenant=default", headers=headers)
    third = await client.ws_connect("/widget/ws?tenant=default", headers=headers)
    refusal = await third.receive_json(timeout=10)
    assert refusal["type"] == "error" and refusal["code"] == "too_many_connections"
    assert "try again" in refusal["message"]
    assert (await third.receive(timeout=10)).type is WSMsgType.CLOSE
    assert third.close_code == WSCloseCode.TRY_AGAIN_LATER
    await first.close()
    # Once one closes, another may open.
    fourth = Widget(await client.ws_connect("/widget/ws?tenant=default", headers=headers))
    assert (await fourth.hello())["type"] == "welcome"
    await second.close()


# ---- sessions -----------------------------------------------------------------------------------------------------


async def test_hello_starts_a_session_whose_id_only_travels_inside_a_signed_token(connect: Connect) -> None:
    widget = await connect()
    welcome = await widget.hello()
    assert set(welcome) == {"type", "token", "resumed", "tenant"}
    claims = TokenSigner(SECRET.encode()).read(welcome["token"], "default")
    assert claims is not None
    assert len(base64.urlsafe_b64decode(claims.session_id + "==")) >= 16, "at least 128 bits"
    other = await connect()
    assert session_of((await other.hello())["token"]) != claims.session_id


async def test_a_message_is_stored_and_acknowledged_then_answered(
    connect: Connect, client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    widget = await connect()
    await widget.hello()
    await widget.send(type="message", client_id="first", text="what is cbt")
    assert await widget.next_is("ack") == {"type": "ack", "client_id": "first"}
    # Acknowledged only once stored.
    assert client.app[MESSENGER_KEY].store.counts(widget.conversation)[0] == 1
    assert await widget.next_is("typing") == {"type": "typing"}
    reply = await widget.next_is("reply")
    assert reply["messages"][0]["text"] == "Answer 1."
    assert reply["safety"] == {"level": "none", "categories": [], "ask": False}
    assert isinstance(reply["id"], int)
    assert fake_rasa.received[0]["sender"] == widget.conversation
    assert fake_rasa.received[0]["message"] == "what is cbt"


async def test_a_button_sends_its_payload_to_rasa_as_an_intent(connect: Connect, fake_rasa: FakeRasa) -> None:
    widget = await connect()
    await widget.hello()
    await widget.send(type="button", client_id="b1", payload="/ask_self_referral")
    assert (await widget.next_is("ack"))["client_id"] == "b1"
    await widget.until("reply")
    assert fake_rasa.received[0]["message"] == "/ask_self_referral"


async def test_a_crisis_is_answered_by_the_gateway_over_the_socket(
    connect: Connect, fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    widget = await connect()
    await widget.hello()
    reply = await widget.say(CRISIS)
    assert reply["messages"][0]["kind"] == "crisis"
    assert contacts["emergency"].line() in reply["messages"][0]["text"]
    assert fake_rasa.received == []


async def test_resuming_with_the_token_sends_again_every_reply_not_marked_delivered(connect: Connect) -> None:
    first = await connect()
    await first.hello()
    reply = await first.say("hello")
    await first.ws.close()
    again = await connect()
    welcome = await again.hello(first.token)
    assert welcome["resumed"] is True
    assert again.conversation == first.conversation
    resent = await again.next_is("reply")
    assert resent == reply
    await again.send(type="delivered", id=reply["id"])
    await again.ws.close()
    third = await connect()
    await third.hello(again.token)
    # Nothing comes before the answer to this bad frame: the delivered reply is not sent again.
    await third.send(type="dance")
    assert (await third.next_is("error"))["code"] == "unknown_type"


async def test_a_message_sent_again_after_a_reconnect_is_stored_once(
    connect: Connect, client: TestClient[Any, Any]
) -> None:
    first = await connect()
    await first.hello()
    await first.say("hello", client_id="same")
    again = await connect()
    await again.hello(first.token)
    await again.send(type="message", client_id="same", text="hello")
    assert await again.until("ack") == {"type": "ack", "client_id": "same"}
    assert client.app[MESSENGER_KEY].store.counts(first.conversation) == (1, 1)


async def test_a_reply_made_after_her_socket_closed_waits_in_the_store_for_her(
    connect: Connect, fake_rasa: FakeRasa
) -> None:
    fake_rasa.hold()
    first = await connect()
    await first.hello()
    await first.send(type="message", client_id="m1", text="are you there")
    await first.next_is("ack")
    await first.ws.close()
    fake_rasa.release()
    again = await connect()
    await again.hello(first.token)
    reply = await again.until("reply")
    assert reply["messages"][0]["text"] == "Answer 1."


async def test_a_message_left_unanswered_by_a_restart_is_answered_at_start_and_waits_for_her(
    make_client: Callable[..., Awaitable[TestClient[Any, Any]]], tmp_path: Path
) -> None:
    session = "left-over-session-id-0001"
    store = MessageStore(tmp_path / "messages.db")
    store.record_inbound(f"web-{session}", "default", "widget", "text", "hello")
    store.close()
    client = await make_client()
    widget = Widget(await client.ws_connect("/widget/ws?tenant=default", headers={"Origin": own_origin(client)}))
    await widget.hello(TokenSigner(SECRET.encode()).issue(session, "default"))
    reply = await widget.next_is("reply")
    assert reply["messages"][0]["text"] == "Answer 1."


async def test_a_reply_the_gateway_hands_to_the_widget_channel_reaches_her_open_socket(
    connect: Connect, client: TestClient[Any, Any]
) -> None:
    widget = await connect()
    await widget.hello()
    store = client.app[MESSENGER_KEY].store
    store.record_inbound(widget.conversation, "default", "widget", "payload", "/greet")
    outbound = store.record_reply(None, widget.conversation, {"messages": [{"text": "From elsewhere."}]}, crisis=False)
    await client.app[MESSENGER_KEY].deliver(outbound)
    pushed = await widget.next_is("reply")
    assert (pushed["id"], pushed["messages"]) == (outbound.id, [{"text": "From elsewhere."}])


def forged(token: str) -> str:
    payload, signature = token.split(".")
    return f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"


@pytest.mark.parametrize("which", ["forged", "expired", "other tenant", "garbage", "not a string"])
async def test_a_token_that_is_not_valid_for_this_tenant_gets_a_new_session_and_none_of_the_old_replies(
    connect: Connect, which: str
) -> None:
    first = await connect()
    await first.hello()
    await first.say("my secret question")  # the reply stays undelivered
    session = session_of(first.token)
    signer = TokenSigner(SECRET.encode())
    token: object = {
        "forged": forged(first.token),
        "expired": signer.issue(session, "default", now=time.time() - 3 * 3600),
        "other tenant": signer.issue(session, "other"),
        "garbage": "not.a-token",
        "not a string": {"s": session, "t": "default"},
    }[which]
    intruder = await connect()
    welcome = await intruder.hello(token)
    assert welcome["resumed"] is False
    assert session_of(welcome["token"]) != session
    await intruder.send(type="dance")
    assert (await intruder.next_is("error"))["code"] == "unknown_type", "no reply of hers came first"


async def test_a_reply_can_only_be_marked_delivered_by_the_session_it_was_sent_to(connect: Connect) -> None:
    her = await connect()
    await her.hello()
    reply = await her.say("hello")
    other = await connect()
    await other.hello()
    await other.send(type="delivered", id=reply["id"])
    assert (await other.next_is("error"))["code"] == "unknown_reply"
    again = await connect()
    await again.hello(her.token)
    assert (await again.next_is("reply"))["id"] == reply["id"]


# ---- delete my data -----------------------------------------------------------------------------------------------


async def test_forget_deletes_the_conversation_and_the_next_hello_starts_afresh(
    connect: Connect, client: TestClient[Any, Any]
) -> None:
    widget = await connect()
    await widget.hello()
    await widget.say("hello")
    conversation = widget.conversation
    store = client.app[MESSENGER_KEY].store
    assert store.counts(conversation) == (1, 1)
    await widget.send(type="forget")
    assert await widget.next_is("forgotten") == {"type": "forgotten"}
    assert store.counts(conversation) == (0, 0)
    assert store.conversation_tenant(conversation) is None
    await widget.send(type="message", client_id="m2", text="hello")
    assert (await widget.next_is("error"))["code"] == "hello_first"
    await widget.hello(widget.token)  # the old token now leads to an empty conversation
    await widget.send(type="dance")
    assert (await widget.next_is("error"))["code"] == "unknown_type", "nothing of the old conversation comes back"


# ---- the rate limit -----------------------------------------------------------------------------------------------


async def test_over_the_rate_limit_a_message_is_refused_but_a_crisis_is_still_answered(
    connect: Connect, contacts: Contacts
) -> None:
    widget = await connect()
    await widget.hello()
    for number in range(RATE_LIMIT):
        await widget.send(type="message", client_id=f"m{number}", text=f"message {number}")
    acks = 0
    while acks < RATE_LIMIT:
        acks += (await widget.frame())["type"] == "ack"
    await widget.send(type="message", client_id="over", text="one more question")
    error = await widget.until("error")
    assert error["code"] == "rate_limited"
    assert error["client_id"] == "over"
    assert "wait" in error["message"]
    await widget.send(type="message", client_id="help", text=CRISIS)
    assert await widget.until("ack") == {"type": "ack", "client_id": "help"}
    while True:
        reply = await widget.until("reply")
        if reply["messages"][0]["kind"] == "crisis":
            break
    assert contacts["samaritans"].line() in reply["messages"][0]["text"]


# ---- frames we cannot use -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("this is not json", "invalid_json"),
        ("[1, 2]", "missing_type"),
        ('{"text": "hi"}', "missing_type"),
        ('{"type": 5}', "missing_type"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "message", "text": "hi"}', "invalid_client_id"),
        ('{"type": "message", "client_id": "", "text": "hi"}', "invalid_client_id"),
        ('{"type": "message", "client_id": "' + "x" * 65 + '", "text": "hi"}', "invalid_client_id"),
        ('{"type": "message", "client_id": 7, "text": "hi"}', "invalid_client_id"),
        ('{"type": "message", "client_id": "a"}', "invalid_text"),
        ('{"type": "message", "client_id": "a", "text": ["hi"]}', "invalid_text"),
        ('{"type": "message", "client_id": "a", "text": "   "}', "empty_text"),
        ('{"type": "message", "client_id": "a", "text": "' + "long " * 500 + '"}', "message_too_long"),
        ('{"type": "button", "client_id": "a"}', "invalid_payload"),
        ('{"type": "button", "client_id": "a", "payload": "/restart"}', "invalid_payload"),
        ('{"type": "button", "client_id": "a", "payload": "hello"}', "invalid_payload"),
        ('{"type": "delivered", "id": "7"}', "invalid_id"),
        ('{"type": "delivered", "id": true}', "invalid_id"),
        ('{"type": "delivered", "id": 99999}', "unknown_reply"),
    ],
)
async def test_a_malformed_frame_gets_a_clear_error_and_the_connection_stays_up(
    connect: Connect, client: TestClient[Any, Any], frame: str, code: str
) -> None:
    widget = await connect()
    await widget.hello()
    await widget.ws.send_str(frame)
    error = await widget.next_is("error")
    assert error["code"] == code
    assert len(error["message"]) > 20, "it says what was wrong and what to do"
    assert client.app[MESSENGER_KEY].store.counts(widget.conversation) == (0, 0), "nothing was stored"
    reply = await widget.say("still here?")
    assert reply["messages"][0]["text"] == "Answer 1."


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "message", "client_id": "bad", "text": "hello \\ud800"}',
        '{"type": "message", "client_id": "bad", "text": "\\udfff"}',
        "[" * 5000 + "]" * 5000,
        '{"type": "message", "client_id": "bad", "text": ' + "[" * 5000 + "]" * 5000 + "}",
    ],
)
async def test_a_lone_surrogate_or_deep_nesting_is_refused_and_never_blocks_what_she_sends_next(
    connect: Connect, client: TestClient[Any, Any], contacts: Contacts, frame: str
) -> None:
    widget = await connect()
    await widget.hello()
    await widget.ws.send_str(frame)
    error = await widget.next_is("error")
    assert error["code"] in ("invalid_text", "invalid_json")
    assert contacts["samaritans"].line() in error["messages"][0]["text"], "every refusal carries the 24/7 routes"
    assert client.app[MESSENGER_KEY].store.counts(widget.conversation) == (0, 0), "nothing was stored"
    # The widget sends again what was not acknowledged; the refused one is settled, so her crisis goes through.
    await widget.ws.send_str(frame)
    await widget.next_is("error")
    reply = await widget.say(CRISIS, client_id="next")
    assert reply["messages"][0]["kind"] == "crisis"


async def test_a_crisis_in_a_frame_over_the_size_limit_gets_the_crisis_reply(connect: Connect) -> None:
    widget = await connect()
    await widget.hello()
    await widget.send(type="message", client_id="long", text="i have so much to say. " * 1000 + CRISIS)
    error = await widget.next_is("error")
    assert error["code"] == "frame_too_large"
    assert error["messages"][0]["kind"] == "crisis"
    assert not widget.ws.closed


async def test_a_new_hello_on_the_same_socket_does_not_reset_the_rate_limit(connect: Connect) -> None:
    widget = await connect()
    codes: list[str] = []
    for round_ in range(3):
        await widget.hello()
        for number in range(RATE_LIMIT):
            await widget.send(type="message", client_id=f"r{round_}-{number}", text=f"question {number}")
        # Every message is answered (ack or error), and every one accepted is replied to, before the next hello.
        round_codes: list[str] = []
        replies = 0
        while len(round_codes) < RATE_LIMIT or replies < round_codes.count("ack"):
            kind = (await widget.until_one_of("ack", "error", "reply"))["type"]
            replies += kind == "reply"
            round_codes += [kind] if kind != "reply" else []
        codes += round_codes
    assert codes.count("ack") == RATE_LIMIT, "the socket's limit holds across new sessions"
    await widget.send(type="message", client_id="help", text=CRISIS)
    assert (await widget.until("ack"))["client_id"] == "help", "a crisis is always answered"


async def test_the_rate_limit_also_holds_per_address_across_sockets(connect: Connect) -> None:
    accepted = 0
    for _ in range(ADDRESS_RATE_LIMIT // RATE_LIMIT + 1):
        widget = await connect()
        await widget.hello()
        for number in range(RATE_LIMIT):
            await widget.send(type="message", client_id=f"m{number}", text=f"question {number}")
        for _ in range(RATE_LIMIT):
            accepted += (await widget.until_one_of("ack", "error"))["type"] == "ack"
        await widget.ws.close()
    assert accepted == ADDRESS_RATE_LIMIT


async def test_a_crisis_is_answered_while_her_earlier_message_still_waits_for_rasa(
    connect: Connect, fake_rasa: FakeRasa
) -> None:
    widget = await connect()
    await widget.hello()
    fake_rasa.hold()
    await widget.send(type="message", client_id="first", text="what is cbt")
    await widget.until("ack")
    await widget.send(type="message", client_id="second", text=CRISIS)
    assert (await widget.until("ack"))["client_id"] == "second"
    reply = await widget.until("reply")
    assert reply["messages"][0]["kind"] == "crisis", "answered before the first message's reply"
    fake_rasa.release()
    assert (await widget.until("reply"))["messages"][0]["text"] == "Answer 1."


async def test_a_refused_message_names_its_client_id_so_the_widget_can_mark_it(connect: Connect) -> None:
    widget = await connect()
    await widget.hello()
    await widget.send(type="message", client_id="empty-one", text="")
    error = await widget.next_is("error")
    assert (error["code"], error["client_id"]) == ("empty_text", "empty-one")


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "message", "client_id": "a", "text": "hi"},
        {"type": "button", "client_id": "a", "payload": "/greet"},
        {"type": "delivered", "id": 1},
        {"type": "forget"},
    ],
)
async def test_nothing_is_accepted_before_hello(connect: Connect, frame: dict[str, Any]) -> None:
    widget = await connect()
    await widget.send(**frame)
    error = await widget.next_is("error")
    assert error["code"] == "hello_first"
    assert '"hello"' in error["message"]


async def test_a_binary_frame_gets_a_clear_error_and_the_connection_stays_up(connect: Connect) -> None:
    widget = await connect()
    await widget.hello()
    await widget.ws.send_bytes(b'{"type": "hello"}')
    assert (await widget.next_is("error"))["code"] == "binary_frame"
    assert (await widget.say("hello"))["type"] == "reply"


async def test_an_overlong_message_that_discloses_a_crisis_is_still_answered(connect: Connect) -> None:
    widget = await connect()
    await widget.hello()
    reply = await widget.say("it has been a long week. " * 90 + CRISIS)
    assert reply["messages"][0]["kind"] == "crisis"


async def test_a_frame_over_16_kib_is_refused_and_one_over_64_kib_closes_the_socket_losing_nothing(
    connect: Connect,
) -> None:
    widget = await connect()
    await widget.hello()
    reply = await widget.say("hello")
    await widget.ws.send_str(json.dumps({"type": "message", "client_id": "big", "text": "x" * 17_000}))
    error = await widget.next_is("error")
    assert (error["code"], error["messages"][0]["kind"]) == ("frame_too_large", "fallback")
    await widget.ws.send_str(json.dumps({"type": "message", "client_id": "huge", "text": "x" * 70_000}))
    closing = await widget.ws.receive(timeout=10)
    assert closing.type is WSMsgType.CLOSE
    assert widget.ws.close_code == WSCloseCode.MESSAGE_TOO_BIG
    again = await connect()
    await again.hello(widget.token)
    assert await again.next_is("reply") == reply


# ---- privacy ------------------------------------------------------------------------------------------------------


async def test_neither_her_words_nor_tokens_reach_the_logs(connect: Connect, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    widget = await connect()
    await widget.hello()
    await widget.say("my husband works at the quarry")
    await widget.say(CRISIS + " quarry", client_id="m2")
    await widget.send(type="forget")
    await widget.next_is("forgotten")
    assert caplog.records, "the gateway logs each session and message"
    for record in caplog.records:
        text = record.getMessage()
        assert "quarry" not in text and "kill myself" not in text
        if record.name.startswith("nightlight"):  # (the stand-in Rasa's access log shows the sender in its URLs)
            assert widget.token not in text and session_of(widget.token) not in text


async def test_a_session_waiting_for_a_peer_supporter_resumes_even_after_its_token_expires(
    client: TestClient[Any, Any], connect: Connect
) -> None:
    from bot.app_keys import MESSENGER_KEY

    her = await connect()
    await her.hello()
    await her.say("hello")
    session = session_of(her.token)
    peer = client.server.app[MESSENGER_KEY].peer
    assert peer is not None
    offer = peer.handoffs.offer(her.conversation, "default", "widget", "asked for a person")
    peer.handoffs.accept(offer.id, {"reason": "asked for a person"}, share_transcript=False)
    # She left a message last night and comes back the next morning, long after her token expired.
    expired = TokenSigner(SECRET.encode()).issue(session, "default", now=time.time() - 10 * 3600)
    back = await connect()
    welcome = await back.hello(expired)
    assert welcome["resumed"] is True
    assert session_of(welcome["token"]) == session


async def test_a_token_expired_beyond_how_long_a_handoff_can_wait_starts_afresh(
    client: TestClient[Any, Any], connect: Connect
) -> None:
    from bot.app_keys import MESSENGER_KEY
    from bot.peer.support import QUEUE_EXPIRY_SECONDS

    her = await connect()
    await her.hello()
    await her.say("hello")
    peer = client.server.app[MESSENGER_KEY].peer
    assert peer is not None
    offer = peer.handoffs.offer(her.conversation, "default", "widget", "asked for a person")
    peer.handoffs.accept(offer.id, {"reason": "asked for a person"}, share_transcript=False)
    long_ago = time.time() - QUEUE_EXPIRY_SECONDS - 3 * 3600
    expired = TokenSigner(SECRET.encode()).issue(session_of(her.token), "default", now=long_ago)
    welcome = await (await connect()).hello(expired)
    assert welcome["resumed"] is False


async def queued_for_a_supporter(client: TestClient[Any, Any], her: Widget) -> str:
    """Put her in the peer supporters' queue, as if she had accepted the offer; returns the handoff's id."""
    peer = client.server.app[MESSENGER_KEY].peer
    assert peer is not None
    offer = peer.handoffs.offer(her.conversation, "default", "widget", "asked for a person")
    return peer.handoffs.accept(offer.id, {"reason": "asked for a person"}, share_transcript=False).id


async def waiting_widget(client: TestClient[Any, Any], connect: Connect) -> tuple[Widget, str, Any]:
    """A widget that has said hello and is queued for a supporter: the widget, the handoff's id, and peer support."""
    her = await connect()
    await her.hello()
    await her.say("hello")
    handoff_id = await queued_for_a_supporter(client, her)
    peer = client.server.app[MESSENGER_KEY].peer
    assert peer is not None
    return her, handoff_id, peer


async def test_while_a_supporter_is_with_her_every_frame_names_them_and_the_end_says_she_is_back_with_the_bot(
    client: TestClient[Any, Any], connect: Connect
) -> None:
    her, handoff_id, peer = await waiting_widget(client, connect)

    await peer.claim(handoff_id, "sam-id", "Sam")
    joined = await her.until("reply")
    assert joined["handoff"] == {"status": "claimed", "supporter_name": "Sam"}
    assert "Sam has joined" in joined["messages"][0]["text"]
    reply = await her.say("hi sam", client_id="m2")
    assert reply["handoff"] == {"status": "claimed", "supporter_name": "Sam"}

    await peer.end(handoff_id, "sam-id")
    ended = await her.until("reply")
    assert ended["handoff"] == {"status": "ended"}, "no name once the supporter has gone"
    assert (await her.say("what is cbt", client_id="m3"))["handoff"] is None


async def test_when_she_goes_back_to_the_bot_herself_the_reply_says_nobody_is_with_her(
    client: TestClient[Any, Any], connect: Connect
) -> None:
    her, handoff_id, peer = await waiting_widget(client, connect)
    queued = await her.say("is anyone there", client_id="m2")
    assert queued["handoff"] == {"status": "queued"}, "no name while she waits"
    await peer.claim(handoff_id, "sam-id", "Sam")
    await her.until("reply")
    back = await her.say("back to the bot please", client_id="m3")
    assert back["handoff"] is None
    assert "Sam" in back["messages"][0]["text"]


@pytest.mark.parametrize(
    ("tenant", "origin", "status", "code", "message"),
    [
        ("defualt", ALLOWED, 404, "unknown_tenant", "No tenant called 'defualt'. Check data-tenant in the script tag."),
        (
            "default",
            EVIL,
            403,
            "origin_not_allowed",
            f"This site ({EVIL}) is not in the tenant's allowed_origins. Ask Nightlight's operator to add it.",
        ),
    ],
    ids=["typo in data-tenant", "site not listed"],
)
async def test_a_refused_config_names_the_real_cause_and_what_to_change_readable_from_any_page(
    client: TestClient[Any, Any], tenant: str, origin: str, status: int, code: str, message: str
) -> None:
    response = await client.get(f"/widget/config?tenant={tenant}", headers={"Origin": origin})
    assert response.status == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert await response.json() == {"error": {"code": code, "message": message}}


async def test_the_demo_page_shows_the_same_charity_name_as_the_default_tenant(client: TestClient[Any, Any]) -> None:
    page = await (await client.get("/")).text()
    config = await (await client.get("/widget/config?tenant=default")).json()
    assert f'<p class="site-name">{config["name"]}</p>' in page


async def test_a_failing_presence_watcher_is_logged_and_never_breaks_her_socket(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.widget.socket import WidgetState

    async def broken(conversation: str, connected: bool | None, typing: bool) -> None:
        raise RuntimeError("the handoff store is down")

    state = WidgetState(watcher=broken)
    connection: Any = object()
    state.join("web-a", connection)
    state.leave("web-a", connection)
    await asyncio.gather(*state.tasks)
    assert caplog.text.count("presence not passed on") == 2
    assert "web-a" not in caplog.text, "conversation ids are logged only as pseudonyms"


# ---- the database cannot be reached -------------------------------------------------------------------------------


def store_down(client: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch, *, hang: bool) -> None:
    """Make the message store fail at once (refused) or stop answering (a database on a dead machine)."""
    import bot.messenger

    def refused(*args: Any, **kwargs: Any) -> None:
        if hang:
            time.sleep(2)
        raise OperationalError("INSERT", {}, ConnectionRefusedError("database down"))

    monkeypatch.setattr(bot.messenger, "STORE_WAIT_SECONDS", 0.5)
    monkeypatch.setattr(client.server.app[MESSENGER_KEY].store, "record_inbound", refused)


@pytest.mark.parametrize("hang", [False, True], ids=["refused", "silent"])
async def test_with_the_database_down_a_crisis_still_gets_the_crisis_reply_at_once(
    client: TestClient[Any, Any], connect: Connect, contacts: Contacts, monkeypatch: pytest.MonkeyPatch, hang: bool
) -> None:
    widget = await connect()
    await widget.hello()
    store_down(client, monkeypatch, hang=hang)
    started = time.monotonic()
    await widget.send(type="message", client_id="m1", text=CRISIS)
    error = await widget.frame()
    assert time.monotonic() - started < 1.5
    assert error["type"] == "error" and error["code"] == "store_unavailable" and error["client_id"] == "m1"
    assert error["messages"][0]["kind"] == "crisis"
    assert contacts["emergency"].line() in error["messages"][0]["text"]
    await widget.send(type="message", client_id="m2", text="where is a baby group")
    other = await widget.frame()
    assert other["code"] == "store_unavailable" and "send it again" in other["message"]
    assert contacts["samaritans"].line() in other["messages"][0]["text"]  # every refusal carries the 24/7 routes
