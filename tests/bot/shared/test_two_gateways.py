"""Two gateway apps side by side, sharing one data folder and one Redis, as behind a load balancer: her widget on
gateway A and a supporter's console on gateway B see each other; and with Redis unreachable a crisis is still
answered at once."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis import asyncio as aioredis

from bot.app import create_app
from bot.app_keys import MESSENGER_KEY
from bot.peer.support import ACCEPT, HANDBACK
from bot.peer.supporters import Role, Supporters
from bot.settings import Settings
from bot.shared.link import DEADLINE_SECONDS, READ_TIMEOUT_SECONDS
from bot.widget.socket import CATCH_UP_SECONDS
from tests.bot.peer.console.test_console import (
    ASKS_FOR_A_PERSON,
    AUTH,
    CRISIS,
    PASSWORD,
    QUICK_HASHER,
    Person,
    add_accounts,
    bot_or_person,
    settings_for,
)
from tests.bot.shared.conftest import REDIS_URL
from tests.bot.widget.test_widget import Widget
from tests.fakes.rasa import FakeRasa

Gateways = tuple[TestClient[Any, Any], TestClient[Any, Any]]


@pytest.fixture
async def rasa_url() -> AsyncIterator[str]:
    server = TestServer(FakeRasa(bot_or_person).app())
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def base(request: pytest.FixtureRequest, tmp_path: Path, rasa_url: str) -> Settings:
    """The gateways' settings: their stores in SQLite files in one shared data folder, or in one PostgreSQL
    database, as in production; the supporters' accounts made in it."""
    settings = settings_for(tmp_path, rasa_url)
    if request.param == "sqlite":
        add_accounts(tmp_path)
        return settings
    schema = request.getfixturevalue("postgresql_schema")
    settings = replace(settings, gateway_database_url=schema)
    accounts = Supporters(settings.store("console"), hasher=QUICK_HASHER)
    accounts.add("sam", "Sam", Role.SUPPORTER, PASSWORD)
    accounts.add("alex", "Alex", Role.SUPPORTER, PASSWORD)
    accounts.close()
    return settings


@pytest.fixture
def postgresql_schema(postgresql_database: str) -> Iterator[str]:
    """A fresh schema in the run's PostgreSQL database, as a gateway database URL; dropped afterwards."""
    schema = f"s_{uuid.uuid4().hex[:10]}"
    admin_url = postgresql_database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{postgresql_database}?options=-csearch_path%3D{schema}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
async def gateways(aiohttp_client: Any, base: Settings, prefix: str) -> Gateways:
    """Gateways A and B: the same data folder, secret and Redis."""
    settings = replace(base, redis_url=REDIS_URL, redis_prefix=prefix)
    a: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    b: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    for client in (a, b):
        await asyncio.wait_for(shared(client).bus.subscribed.wait(), 5)
    return a, b


@pytest.fixture
async def people() -> AsyncIterator[Callable[[TestClient[Any, Any], str], Person]]:
    """Supporters, each with her own browser on one gateway; their browsers are closed afterwards."""
    made: list[Person] = []

    def person(client: TestClient[Any, Any], username: str) -> Person:
        made.append(Person(client, username))
        return made[-1]

    yield person
    for one in made:
        await one.close()


People = Callable[[TestClient[Any, Any], str], Person]


def shared(client: TestClient[Any, Any]) -> Any:
    from bot.app_keys import SHARED_KEY

    return client.server.app[SHARED_KEY]


async def widget(client: TestClient[Any, Any], token: str | None = None) -> Widget:
    origin = str(client.make_url("/")).rstrip("/")
    her = Widget(await client.ws_connect("/widget/ws?tenant=default", headers={"Origin": origin}))
    await her.hello(token)
    return her


async def reply_with(her: Widget, words: str) -> dict[str, Any]:
    """The next reply frame holding these words, skipping other frames."""
    while True:
        frame = await her.until("reply")
        if any(words in m["text"] for m in frame["messages"]):
            return frame


async def nothing_more(her: Widget, seconds: float = 0.5) -> list[dict[str, Any]]:
    """Every frame that arrives in the next moment."""
    frames = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await her.ws.receive(timeout=left)
        except asyncio.TimeoutError:
            break
        frames.append(json.loads(message.data))
    return frames


async def test_her_widget_on_a_and_a_console_on_b_talk_both_ways_each_reply_once_and_marked_delivered(
    gateways: Gateways, people: People, redis_client: aioredis.Redis, prefix: str
) -> None:
    a, b = gateways
    # Everything the gateways say to each other, as it travels.
    listener = redis_client.pubsub()
    await listener.subscribe(prefix + "events")
    sam = people(b, "sam")
    console = await sam.console(shift=True)  # on shift on gateway B

    her = await widget(a)
    offer = await her.say(ASKS_FOR_A_PERSON)
    assert "someone is on now" in offer["messages"][0]["text"], "gateway A knows Sam is on, on gateway B"
    await her.send(type="button", client_id="b1", payload=ACCEPT)
    queued = await reply_with(her, "You're in the queue")
    assert queued["handoff"] == {"status": "queued"}

    # The card reaches the console on the other gateway, showing her widget open over there.
    card = (await console.until("queue", lambda f: bool(f["handoffs"])))["handoffs"][0]
    assert card["connected"] is True
    await console.until("new_handoff")
    handoff_id = card["id"]

    await console.send(type="claim", handoff_id=handoff_id)
    await console.until("chat", lambda f: f["chat"]["handoff"]["id"] == handoff_id)
    joined = await reply_with(her, "Sam has joined")
    assert joined["handoff"] == {"status": "claimed", "supporter_name": "Sam"}
    await her.send(type="delivered", id=joined["id"])

    # Her words reach the console on B.
    await her.send(type="message", client_id="m2", text="hi sam, rough night")
    message = await console.until("message", lambda f: f["message"]["author"] == "her")
    assert message["message"]["text"] == "hi sam, rough night"

    # Her typing reaches the console on B; Sam's typing reaches her socket on A.
    await her.send(type="typing")
    typing = await console.until("presence", lambda f: f["typing"] is True)
    assert typing["handoff_id"] == handoff_id and typing["connected"] is True
    await console.send(type="typing", handoff_id=handoff_id)
    await her.until("typing")

    # Sam's message is stored on B and sent to her socket on A, once; she marks it delivered.
    await console.send(type="say", handoff_id=handoff_id, text="I'm here. Tell me about it.", client_id="s1")
    said = await reply_with(her, "Sam: I'm here. Tell me about it.")
    later = await nothing_more(her)
    assert not [f for f in later if f.get("type") == "reply" and f.get("id") == said["id"]], "sent exactly once"
    await her.send(type="delivered", id=said["id"])
    await asyncio.sleep(0.2)
    messenger = a.server.app[MESSENGER_KEY]
    waiting = {outbound.id for outbound in await messenger.undelivered(her.conversation)}
    assert waiting and not waiting & {joined["id"], said["id"]}, "what she marked is marked, on both gateways"

    # Sam ends the chat on B: she hears it on A, and the console closes the chat.
    await console.send(type="end", handoff_id=handoff_id)
    ended = await reply_with(her, HANDBACK.format(name="Sam")[:30])
    assert ended["handoff"] == {"status": "ended"}
    await console.until("chat_closed", lambda f: f["handoff_id"] == handoff_id)

    # Ids travelled between the gateways, never her words nor her conversation's id.
    travelled = []
    while (heard := await listener.get_message(timeout=0.2)) is not None:
        if heard["type"] == "message":
            travelled.append(str(heard["data"]))
    await listener.aclose()
    kinds = {json.loads(data)["event"]["type"] for data in travelled}
    assert {"queued", "claimed", "message", "presence", "deliver", "typing", "ended", "team"} <= kinds
    for hers in ("rough night", ASKS_FOR_A_PERSON, her.conversation, her.conversation.removeprefix("web-")):
        assert not [data for data in travelled if hers in data]
    assert not [data for data in travelled if "Tell me about it" in data], "the supporter's words stay home too"

    # Nothing she wrote, nor her conversation's id, was written to Redis.
    written = ""
    async for key in redis_client.scan_iter(match=prefix + "*"):
        written += " " + key
        kind = await redis_client.type(key)
        if kind == "hash":
            written += " " + json.dumps(await redis_client.hgetall(key))
        elif kind == "zset":
            written += " " + " ".join(await redis_client.zrange(key, 0, -1))
        elif kind == "string":
            written += " " + str(await redis_client.get(key))
    assert "Sam" in written, "the supporter's first name is shared"
    for hers in ("rough night", ASKS_FOR_A_PERSON, her.conversation, her.conversation.removeprefix("web-")):
        assert hers not in written


async def test_when_her_widget_on_a_closes_and_opens_again_the_console_on_b_is_told(
    gateways: Gateways, people: People
) -> None:
    a, b = gateways
    console = await people(b, "sam").console(shift=True)
    her = await widget(a)
    await her.say(ASKS_FOR_A_PERSON)
    await her.send(type="button", client_id="b1", payload=ACCEPT)
    await reply_with(her, "You're in the queue")
    handoff_id = (await console.until("queue", lambda f: bool(f["handoffs"])))["handoffs"][0]["id"]
    await console.send(type="claim", handoff_id=handoff_id)
    await console.until("chat")
    await her.ws.close()
    gone = await console.until("presence", lambda f: f["connected"] is False)
    assert gone["handoff_id"] == handoff_id
    back = await widget(a, her.token)
    await console.until("presence", lambda f: f["connected"] is True)
    await back.ws.close()


async def test_going_off_shift_on_b_is_known_on_a(gateways: Gateways, people: People) -> None:
    a, b = gateways
    sam = people(b, "sam")
    console = await sam.console(shift=True)
    her = await widget(a)
    assert "someone is on now" in (await her.say(ASKS_FOR_A_PERSON))["messages"][0]["text"]
    await console.send(type="shift", on=False)
    await console.until("shift", lambda f: f["on"] is False)
    later = await widget(a)
    offer = await later.say(ASKS_FOR_A_PERSON)
    assert "Nobody is on right now" in offer["messages"][0]["text"]


async def test_a_team_on_two_gateways_sees_each_other(gateways: Gateways, people: People) -> None:
    a, b = gateways
    sam, alex = people(a, "sam"), people(b, "alex")
    on_a = await sam.console(shift=True)
    on_b = await alex.open()  # the team comes with her console's welcome
    team = await on_b.until("team")
    assert {s["display_name"]: s["on_shift"] for s in team["supporters"]} == {"Alex": False, "Sam": True}
    await on_b.send(type="shift", on=True)
    team = await on_a.until("team", lambda f: any(s["display_name"] == "Alex" for s in f["supporters"]))
    team = await on_a.until("team", lambda f: all(s["on_shift"] for s in f["supporters"]))
    assert {s["display_name"]: s["on_shift"] for s in team["supporters"]} == {"Alex": True, "Sam": True}


async def test_the_rate_limit_and_connections_per_address_hold_across_both_gateways(
    aiohttp_client: Any, base: Settings, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.widget.socket.RATE_LIMIT", 3)
    settings = replace(base, redis_url=REDIS_URL, redis_prefix=prefix, max_connections_per_address=3)
    a: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    b: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    on_a = await widget(a)
    for client_id, text in (("1", "one"), ("2", "two")):
        await on_a.send(type="delivered", id=(await on_a.say(text, client_id=client_id))["id"])
    await asyncio.sleep(0.1)  # marked, so resuming on B sends nothing old first
    on_b = await widget(b, on_a.token)  # the same session, now through gateway B
    await on_b.say("three", client_id="3")
    await on_b.send(type="message", client_id="4", text="four")
    refused = await on_b.until("error")
    assert refused["code"] == "rate_limited", "the session's messages on A count on B"
    # Three sockets from this address are open (two on A, one on B): a fourth is refused on either gateway.
    await widget(a)
    origin = str(b.make_url("/")).rstrip("/")
    fourth = Widget(await b.ws_connect("/widget/ws?tenant=default", headers={"Origin": origin}))
    assert (await fourth.frame())["code"] == "too_many_connections"


@pytest.fixture
async def action_server() -> AsyncIterator[int]:
    """A stand-in action server that answers its health check, so /healthz speaks only of Redis."""
    app = web.Application()

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/health", health)
    server = TestServer(app)
    await server.start_server()
    assert server.port is not None
    yield server.port
    await server.close()


@pytest.mark.parametrize("where", ["refused", "blackhole"])
async def test_with_redis_unreachable_a_crisis_gets_the_crisis_reply_at_once_and_healthz_says_degraded(
    aiohttp_client: Any,
    base: Settings,
    action_server: int,
    refused_url: str,
    blackhole_url: str,
    where: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = refused_url if where == "refused" else blackhole_url
    # The link never rests in its down state here: every Redis call waits its full timeout against the silent
    # server, so a crisis reply that is quick proves no Redis call stands in front of it.
    monkeypatch.setattr("bot.shared.link.DOWN_SECONDS", 0.0)
    settings = replace(base, redis_url=url, actions_port=action_server)
    client: TestClient[Any, Any] = await aiohttp_client(create_app(settings))

    started = time.monotonic()
    her = await widget(client)
    assert time.monotonic() - started < 2 * DEADLINE_SECONDS, "opening her widget waits on Redis only briefly"
    started = time.monotonic()
    await her.send(type="message", client_id="c1", text=CRISIS)
    reply = await her.until("reply")
    widget_seconds = time.monotonic() - started
    assert any(m["kind"] == "crisis" for m in reply["messages"]), reply
    assert widget_seconds < READ_TIMEOUT_SECONDS, f"the widget's crisis reply took {widget_seconds:.2f}s"

    started = time.monotonic()
    response = await client.post("/api/v1/conversations/c9/messages", json={"text": CRISIS}, headers=AUTH)
    api_seconds = time.monotonic() - started
    assert response.status == 200
    body = await response.json()
    assert body["messages"][0]["kind"] == "crisis"
    assert api_seconds < READ_TIMEOUT_SECONDS, f"the REST API's crisis reply took {api_seconds:.2f}s"

    health = await client.get("/healthz")
    assert health.status == 200
    assert {k: (await health.json())[k] for k in ("status", "redis")} == {"status": "degraded", "redis": "down"}


async def test_with_redis_up_healthz_says_ok_and_without_it_off(
    aiohttp_client: Any, base: Settings, action_server: int, prefix: str
) -> None:
    up: TestClient[Any, Any] = await aiohttp_client(
        create_app(replace(base, redis_url=REDIS_URL, redis_prefix=prefix, actions_port=action_server))
    )
    body = await (await up.get("/healthz")).json()
    assert (body["status"], body["redis"]) == ("ok", "ok")
    off: TestClient[Any, Any] = await aiohttp_client(create_app(replace(base, actions_port=action_server)))
    body = await (await off.get("/healthz")).json()
    assert (body["status"], body["redis"]) == ("ok", "off")


async def test_with_redis_down_a_supporters_words_on_b_still_reach_her_widget_on_a_from_the_shared_store(
    aiohttp_client: Any, base: Settings, refused_url: str, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.shared.link.DOWN_SECONDS", 60.0)  # down, and staying down, from the first failure
    settings = replace(base, redis_url=refused_url)
    a: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    b: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    her = await widget(a)
    await her.say(ASKS_FOR_A_PERSON)
    await her.send(type="button", client_id="b1", payload=ACCEPT)
    await reply_with(her, "Write your message for the peer supporters")  # gateway A cannot know Sam is on
    console = await people(b, "sam").open()
    handoff_id = (await console.until("queue", lambda f: bool(f["handoffs"])))["handoffs"][0]["id"]
    await console.send(type="shift", on=True)
    await console.until("shift")
    await console.send(type="claim", handoff_id=handoff_id)
    await console.until("chat")
    started = time.monotonic()
    joined = await reply_with(her, "Sam has joined")
    assert joined["handoff"] == {"status": "claimed", "supporter_name": "Sam"}
    assert time.monotonic() - started < CATCH_UP_SECONDS + 2
    assert shared(a).link.on and not shared(a).link.usable


async def test_what_she_wrote_while_redis_was_unreachable_reaches_the_console_when_it_is_back(
    gateways: Gateways, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = gateways
    console = await people(b, "sam").console(shift=True)
    her = await widget(a)
    await her.say(ASKS_FOR_A_PERSON)
    await her.send(type="button", client_id="b1", payload=ACCEPT)
    await reply_with(her, "You're in the queue")
    handoff_id = (await console.until("queue", lambda f: bool(f["handoffs"])))["handoffs"][0]["id"]
    await console.send(type="claim", handoff_id=handoff_id)
    await console.until("chat")
    # Gateway A loses Redis: her message is stored, but the event for the console on B is dropped.
    monkeypatch.setattr("bot.shared.link.DOWN_SECONDS", 60.0)
    shared(a).link.failed(ConnectionError("a blip"))
    await her.send(type="message", client_id="m2", text="are you still there")
    await asyncio.sleep(0.5)
    # Gateway B's subscriber comes back after the blip and says so: the console is sent the chat's messages again.
    await shared(b).bus.tell_here({"type": "resync"})
    missed = await console.until("message", lambda f: f["message"]["author"] == "her")
    assert missed["message"]["text"] == "are you still there"
