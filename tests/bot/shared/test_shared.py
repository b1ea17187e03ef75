"""The shared state's parts against the real Redis: the link's down state, events between two gateways, counts
and presence summed over live gateways, shared rate limits, and nothing about her in any key or value."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
from redis import asyncio as aioredis

from bot.settings import PROJECT_ROOT
from bot.shared import RedisLink, SharedState, Unavailable
from bot.shared import link as link_module
from bot.tenants import LONDON, Tenants
from tests.bot.shared.conftest import REDIS_URL

TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)  # within the default tenant's hours
SECRET = b"shared-test-secret-0123456789abcdef"


@pytest.fixture
async def pair(prefix: str) -> AsyncIterator[tuple[SharedState, SharedState]]:
    """Two gateways' shared state on the same Redis and prefix, each with its bus listening."""
    a = SharedState(REDIS_URL, prefix, SECRET, gateway="gateway-a")
    b = SharedState(REDIS_URL, prefix, SECRET, gateway="gateway-b")
    tasks = [asyncio.create_task(state.bus.run()) for state in (a, b)]
    await asyncio.wait_for(asyncio.gather(a.bus.subscribed.wait(), b.bus.subscribed.wait()), 5)
    await a.heartbeat()
    await b.heartbeat()
    yield a, b
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await a.close()
    await b.close()


async def eventually(check: Any, seconds: float = 5.0) -> None:
    """Wait until `check()` is true (for what travels over pub/sub)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.02)


# ---- the link ---------------------------------------------------------------------------------------------------


async def test_without_a_url_the_link_is_off_and_every_call_says_so_at_once() -> None:
    link = RedisLink("")
    assert await link.status() == "off"
    with pytest.raises(Unavailable):
        await link.run(lambda client: client.ping())


async def test_a_refused_connection_fails_fast_and_the_link_stays_down_without_trying_again(refused_url: str) -> None:
    link = RedisLink(refused_url)
    started = time.monotonic()
    with pytest.raises(Unavailable):
        await link.run(lambda client: client.get("x"))
    assert time.monotonic() - started < 1.0
    assert not link.usable
    assert await link.status() == "down"
    await link.close()


async def test_a_server_that_never_answers_is_given_up_on_within_a_second_then_not_asked_again(
    blackhole_url: str,
) -> None:
    link = RedisLink(blackhole_url)
    started = time.monotonic()
    with pytest.raises(Unavailable):
        await link.run(lambda client: client.get("x"))
    assert time.monotonic() - started < link_module.DEADLINE_SECONDS + 0.3
    started = time.monotonic()
    with pytest.raises(Unavailable):
        await link.run(lambda client: client.get("x"))
    assert time.monotonic() - started < 0.05, "while down, nothing waits on Redis"
    await link.close()


async def test_after_the_down_interval_the_link_tries_again_and_comes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    link = RedisLink(REDIS_URL, clock=lambda: now[0])
    link.failed(ConnectionError("gone"))
    assert await link.status() == "down"
    now[0] += link_module.DOWN_SECONDS
    assert await link.status() == "ok"
    await link.close()


# ---- events -----------------------------------------------------------------------------------------------------


async def test_an_event_reaches_this_gateways_listeners_at_once_and_the_other_gateways_once(
    pair: tuple[SharedState, SharedState],
) -> None:
    a, b = pair
    heard_a: list[dict[str, Any]] = []
    heard_b: list[dict[str, Any]] = []

    async def listen_a(event: dict[str, Any]) -> None:
        heard_a.append(event)

    async def listen_b(event: dict[str, Any]) -> None:
        heard_b.append(event)

    a.bus.subscribe(listen_a)
    b.bus.subscribe(listen_b)
    await a.bus.publish({"type": "claimed", "handoff_id": "h1", "words": "only here"}, wire={"type": "claimed"})
    assert heard_a == [{"type": "claimed", "handoff_id": "h1", "words": "only here"}], "heard here before Redis"
    await eventually(lambda: bool(heard_b))
    assert heard_b == [{"type": "claimed"}], "the other gateway hears what travels, not what stayed here"
    await asyncio.sleep(0.2)
    assert len(heard_a) == 1, "a gateway ignores its own events coming back from Redis"


async def test_another_gateways_event_is_read_back_by_the_receiver_before_the_listeners_hear_it(
    pair: tuple[SharedState, SharedState],
) -> None:
    a, b = pair
    heard: list[dict[str, Any]] = []

    async def listen(event: dict[str, Any]) -> None:
        heard.append(event)

    async def read_back(event: dict[str, Any]) -> dict[str, Any] | None:
        return None if event.get("gone") else {**event, "read": True}

    b.bus.subscribe(listen)
    b.bus.receive_with(read_back)
    await a.bus.publish({"type": "message", "gone": True})
    await a.bus.publish({"type": "message", "message_id": 7})
    await eventually(lambda: bool(heard))
    assert heard == [{"type": "message", "message_id": 7, "read": True}]


async def test_with_redis_refused_an_event_still_reaches_this_gateways_listeners_without_waiting(
    refused_url: str,
) -> None:
    state = SharedState(refused_url, "nightlight-test:", SECRET)
    heard: list[dict[str, Any]] = []

    async def listen(event: dict[str, Any]) -> None:
        heard.append(event)

    state.bus.subscribe(listen)
    task = asyncio.create_task(state.bus.run())
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await state.bus.publish({"type": "queued", "handoff_id": "h"})
    assert heard == [{"type": "queued", "handoff_id": "h"}]
    assert time.monotonic() - started < 0.05
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await state.close()


async def test_the_subscriber_comes_back_after_redis_was_unreachable_and_says_resync(
    prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(link_module, "DOWN_SECONDS", 0.2)
    monkeypatch.setattr("bot.shared.bus.DOWN_SECONDS", 0.2)
    a = SharedState(REDIS_URL, prefix, SECRET, gateway="gateway-a")
    b = SharedState(REDIS_URL, prefix, SECRET, gateway="gateway-b")
    heard: list[dict[str, Any]] = []

    async def listen(event: dict[str, Any]) -> None:
        heard.append(event)

    b.bus.subscribe(listen)
    tasks = [asyncio.create_task(s.bus.run()) for s in (a, b)]
    await asyncio.wait_for(b.bus.subscribed.wait(), 5)
    # Redis drops gateway B's subscriber connection (and only that one), as when it restarts.
    admin = aioredis.Redis.from_url(REDIS_URL, decode_responses=True)
    clients = await admin.client_list()
    ours = [c["id"] for c in clients if c.get("name") == "nightlight-gateway-b-events"]
    assert len(ours) == 1, "the subscriber's connection is named for its gateway"
    await admin.client_kill_filter(_id=ours[0])
    await admin.aclose()
    await eventually(lambda: {"type": "resync"} in heard)
    await asyncio.wait_for(b.bus.subscribed.wait(), 5)
    await a.bus.publish({"type": "queued", "handoff_id": "after"})
    await eventually(lambda: {"type": "queued", "handoff_id": "after"} in heard)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await a.close()
    await b.close()


# ---- counts and presence ----------------------------------------------------------------------------------------


async def test_counts_are_summed_over_gateways_and_a_gateway_gone_quiet_drops_out(
    pair: tuple[SharedState, SharedState], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    await a.connections.add("203.0.113.7", 1)
    await a.connections.add("203.0.113.7", 1)
    await b.connections.add("203.0.113.7", 1)
    assert await a.connections.total("203.0.113.7") == 3
    assert await b.connections.total("203.0.113.7") == 3
    await b.connections.add("203.0.113.7", -1)
    assert await a.connections.total("203.0.113.7") == 2
    # Gateway A is killed: its heartbeat stops, and once it is older than LIVE_SECONDS its part no longer counts.
    monkeypatch.setattr("bot.shared.tally.LIVE_SECONDS", 0.5)
    await asyncio.sleep(0.7)
    await b.heartbeat()
    assert await b.connections.total("203.0.113.7") == 0


async def test_on_shift_on_one_gateway_is_someone_on_now_on_the_other_and_a_killed_gateways_supporters_go(
    pair: tuple[SharedState, SharedState], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    tenant = Tenants.load(PROJECT_ROOT / "tenants").default
    await b.presence.connect("sam", "default")
    assert await a.presence.available(tenant, TUESDAY_10AM) == [], "signed in but not on shift"
    await b.presence.set_on_shift("sam", True)
    assert await a.presence.available(tenant, TUESDAY_10AM) == ["sam"]
    assert await a.presence.on_shift("sam", "default")
    assert await a.presence.team("default") == {"sam": True}
    await a.presence.look(["default"])
    assert await a.presence.available(tenant, TUESDAY_10AM, ask=False) == ["sam"], "what a crisis offer reads"
    await b.presence.set_on_shift("sam", False)
    assert await a.presence.available(tenant, TUESDAY_10AM) == []
    await b.presence.set_on_shift("sam", True)
    # Gateway B is killed: nobody renews Sam's marks, and within LIVE_SECONDS she is no longer on.
    monkeypatch.setattr("bot.shared.presence.LIVE_SECONDS", 0.5)
    monkeypatch.setattr("bot.shared.tally.LIVE_SECONDS", 0.5)
    await asyncio.sleep(0.7)
    assert await a.presence.available(tenant, TUESDAY_10AM) == []
    assert await a.presence.team("default") == {}


async def test_a_supporter_whose_last_console_closes_anywhere_goes_off_shift_but_not_while_one_is_open(
    pair: tuple[SharedState, SharedState],
) -> None:
    a, b = pair
    tenant = Tenants.load(PROJECT_ROOT / "tenants").default
    await a.presence.connect("sam", "default")
    await b.presence.connect("sam", "default")
    await a.presence.set_on_shift("sam", True)
    await a.presence.disconnect("sam")
    assert await b.presence.available(tenant, TUESDAY_10AM) == ["sam"], "still open on gateway B"
    b.presence.heard("sam", True)
    await b.heartbeat()
    await b.presence.disconnect("sam")
    assert await a.presence.available(tenant, TUESDAY_10AM) == []
    assert not await a.presence.on_shift("sam", "default")


async def test_a_shift_changed_while_redis_was_down_is_written_when_it_is_back_and_after_it_comes_back_empty(
    pair: tuple[SharedState, SharedState], redis_client: aioredis.Redis, prefix: str
) -> None:
    a, b = pair
    tenant = Tenants.load(PROJECT_ROOT / "tenants").default
    await a.presence.connect("sam", "default")
    a.link.failed(ConnectionError("a blip"))
    await a.presence.set_on_shift("sam", True)
    assert await a.presence.available(tenant, TUESDAY_10AM) == ["sam"], "this gateway's memory while down"
    assert await b.presence.available(tenant, TUESDAY_10AM) == []
    a.link._down_until = 0.0  # Redis is back
    await a.heartbeat()
    assert await b.presence.available(tenant, TUESDAY_10AM) == ["sam"]
    a.link.failed(ConnectionError("another blip"))
    await a.presence.set_on_shift("sam", False)
    a.link._down_until = 0.0
    await a.heartbeat()
    assert await b.presence.available(tenant, TUESDAY_10AM) == [], "going off shift while down sticks too"
    await a.presence.set_on_shift("sam", True)
    # Redis restarts empty; when the bus subscribes again the gateway writes its part at once.
    async for key in redis_client.scan_iter(match=prefix + "*"):
        await redis_client.delete(key)
    assert await b.presence.available(tenant, TUESDAY_10AM) == []
    await a.bus.tell_here({"type": "resync"})
    assert await b.presence.available(tenant, TUESDAY_10AM) == ["sam"]
    assert await b.presence.team("default") == {"sam": True}


async def test_a_supporters_first_name_is_shared(pair: tuple[SharedState, SharedState]) -> None:
    a, b = pair
    await a.presence.introduce("sam", "Sam")
    assert await b.presence.name("sam") == "Sam"
    assert await b.presence.name("nobody") is None


async def test_rate_limits_count_on_every_gateway_and_fall_back_to_memory_when_redis_is_down(
    pair: tuple[SharedState, SharedState], refused_url: str
) -> None:
    a, b = pair
    await a.rates.count(["session-1", "address:203.0.113.7"])
    await b.rates.count(["session-1"])
    assert await a.rates.full([("session-1", 2), ("address:203.0.113.7", 2)]) == [True, False]
    assert await b.rates.full([("session-1", 3)]) == [False]
    down = SharedState(refused_url, "nightlight-test:", SECRET)
    await down.rates.count(["session-1"])
    assert await down.rates.full([("session-1", 1), ("session-2", 1)]) == [True, False], "this gateway's memory"
    await down.close()


async def test_ids_about_her_are_hashed_in_keys_and_nothing_else_of_hers_is_written(
    pair: tuple[SharedState, SharedState], redis_client: aioredis.Redis, prefix: str
) -> None:
    a, _ = pair
    conversation, address = "web-Zq8session-id-of-hers", "203.0.113.99"
    await a.widgets.add(conversation, 1)
    await a.connections.add(address, 1)
    await a.rates.count([conversation, f"address:{address}"])
    await a.heartbeat()
    keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    assert keys and all(key.startswith(prefix) for key in keys)
    written = " ".join(keys)
    for key in keys:
        kind = await redis_client.type(key)
        if kind == "hash":
            written += " " + " ".join(f"{k} {v}" for k, v in (await redis_client.hgetall(key)).items())
        elif kind == "zset":
            written += " " + " ".join(await redis_client.zrange(key, 0, -1))
        elif kind == "string":
            written += " " + str(await redis_client.get(key))
    assert "Zq8session" not in written and address not in written
    assert a.keys.hashed(conversation) in written, "her widget is known by its pseudonym"
    other = SharedState(REDIS_URL, prefix, b"another-secret-0123456789abcdef0123")
    assert other.keys.hashed(conversation) != a.keys.hashed(conversation), "the pseudonym needs the shared secret"


async def test_a_periodic_job_is_done_by_one_gateway_at_a_time_and_by_each_when_redis_is_down(
    pair: tuple[SharedState, SharedState], refused_url: str
) -> None:
    a, b = pair
    assert await a.take_turn("handoff-tick", 30)
    assert not await b.take_turn("handoff-tick", 30)
    assert not await a.take_turn("handoff-tick", 30), "not again until the turn runs out"
    down = SharedState(refused_url, "nightlight-test:", SECRET)
    assert await down.take_turn("handoff-tick", 30)
    await down.close()
