"""The Rasa client over several Rasa servers: each conversation keeps its server, and moves when it is down."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.answers.rasa_client import RasaClient, RasaUnavailable
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

SENDERS = [f"web-conversation-{n}" for n in range(24)]


class Servers:
    """Two fake Rasa servers on real ports, which a test can stop."""

    def __init__(self) -> None:
        self.fakes = [FakeRasa(), FakeRasa()]
        ports = [free_port(), free_port()]
        self.servers = [TestServer(fake.app(), port=port) for fake, port in zip(self.fakes, ports, strict=True)]
        self.urls = [f"http://127.0.0.1:{port}" for port in ports]

    def senders_on(self, index: int) -> set[str]:
        return {str(body["sender"]) for body in self.fakes[index].received}


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    made = Servers()
    for server in made.servers:
        await server.start_server()
    yield made
    for server in made.servers:
        await server.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as made:
        yield made


async def test_conversations_are_spread_over_the_servers_and_each_keeps_its_own(
    servers: Servers, session: aiohttp.ClientSession
) -> None:
    client = RasaClient(session, servers.urls, "", 2)
    for _ in range(2):
        for sender in SENDERS:
            await client.send(sender, "hello")
    first, second = servers.senders_on(0), servers.senders_on(1)
    assert first and second, "both servers carry conversations"
    assert not first & second, "no conversation was answered by both"
    assert first | second == set(SENDERS)


async def test_when_a_server_is_down_its_conversations_are_answered_by_the_other_and_come_back(
    servers: Servers, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = RasaClient(session, servers.urls, "", 2)
    for sender in SENDERS:
        await client.send(sender, "hello")
    moved = servers.senders_on(1)
    await servers.servers[1].close()
    for sender in SENDERS:
        assert await client.send(sender, "still there?") == [{"recipient_id": "x", "text": "An answer."}]
    assert moved <= servers.senders_on(0), "every conversation of the stopped server was answered by the other"
    assert client.servers_for(next(iter(moved)))[0] == servers.urls[0], "the stopped server is passed over"
    # Once it has been down long enough to be tried again, its conversations go back to it.
    monkeypatch.setattr("bot.answers.rasa_client.DOWN_SECONDS", 0.0)
    client._down_until.clear()
    assert client.servers_for(next(iter(moved)))[0] == servers.urls[1]


async def test_a_server_that_times_out_is_not_sent_the_message_again_elsewhere(
    servers: Servers, session: aiohttp.ClientSession
) -> None:
    client = RasaClient(session, servers.urls, "", 0.3)
    sender = SENDERS[0]
    own = servers.urls.index(client.servers_for(sender)[0])
    servers.fakes[own].delay = 1.0
    with pytest.raises(RasaUnavailable):
        await client.send(sender, "one turn")
    other = servers.fakes[1 - own]
    assert "one turn" not in other.messages, "it may have taken the turn, so it is not sent twice"
    await client.send(sender, "the next turn")
    assert "the next turn" in other.messages, "the slow server is passed over for a while"


async def test_with_one_server_a_failure_never_marks_it_down(session: aiohttp.ClientSession) -> None:
    client = RasaClient(session, f"http://127.0.0.1:{free_port()}", "", 1)
    with pytest.raises(RasaUnavailable):
        await client.send("web-x", "hello")
    assert client._down_until == {}


async def test_each_servers_readiness_is_reported(servers: Servers, session: aiohttp.ClientSession) -> None:
    client = RasaClient(session, servers.urls, "", 2)
    await servers.servers[1].close()
    each: dict[str, Any] = await client.ready_each()
    assert each == {servers.urls[0]: True, servers.urls[1]: False}
    assert await client.ready()


async def test_a_server_whose_machine_stopped_answering_is_passed_over_after_the_connect_timeout(
    servers: Servers, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A listening socket that never accepts, its queue already full: a connection to it is never completed, as
    # with a machine that has died without refusing anything.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(0)
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(silent.getsockname())
        fillers.append(filler)
    monkeypatch.setattr("bot.answers.rasa_client.CONNECT_SECONDS", 0.5)
    silent_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
    client = RasaClient(session, [silent_url, servers.urls[0]], "", 10)
    sender = next(s for s in SENDERS if client.servers_for(s)[0] == silent_url)
    try:
        started = time.monotonic()
        assert await client.send(sender, "are you there") == [{"recipient_id": "x", "text": "An answer."}]
        waited = time.monotonic() - started
        assert 0.4 < waited < 3, "it waited for the connection only, then the other server answered, not 10 s"
        assert "are you there" in servers.fakes[0].messages
        assert client.servers_for(sender)[0] == servers.urls[0], "and the silent one is passed over for a while"
    finally:
        for one in (*fillers, silent):
            one.close()
