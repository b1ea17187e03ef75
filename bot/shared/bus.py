"""Events between gateways: each gateway's listeners hear its own events at once, and everyone else's over Redis.

`publish` calls this gateway's listeners directly (never waiting for Redis), then queues the event for the Redis
channel, tagged with this gateway's id. A subscriber task on every gateway passes other gateways' events to its
listeners and ignores its own, and subscribes again when Redis comes back. Events sent while Redis is down are
dropped: each gateway's own consoles and sockets still hear everything that happens on it, and after a reconnect
listeners hear a "resync" event so they can send fresh state.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.shared.link import DOWN_SECONDS, RedisLink, Unavailable

log = logging.getLogger("nightlight.shared")

Event = dict[str, Any]
Listener = Callable[[Event], Awaitable[None]]
# Another gateway's event as this gateway's listeners should hear it (read from the shared database), or None.
Receiver = Callable[[Event], Awaitable[Event | None]]
MAX_WAITING = 1000  # events queued for Redis; beyond this the oldest are dropped
POLL_SECONDS = 1.0  # how long the subscriber waits for a message before checking its connection is alive
PING_EVERY_SECONDS = 10.0
PONG_SECONDS = 3.0  # a ping not answered in this long means the connection is dead


async def _publish(client: Any, channel: str, data: str) -> None:
    await client.publish(channel, data)


async def _as_is(event: Event) -> Event | None:
    return event


class EventBus:
    """Publish events to every gateway's listeners; with Redis off, only to this gateway's."""

    def __init__(self, link: RedisLink, channel: str, gateway: str) -> None:
        self.link = link
        self.channel = channel
        self.gateway = gateway
        self._listeners: list[Listener] = []
        self._receive: Receiver = _as_is
        self._outgoing: asyncio.Queue[str] | None = None
        self.subscribed = asyncio.Event()
        # Set before the bus is cancelled: redis-py can swallow a cancellation in the middle of a read, so the
        # loops also stop on this.
        self.stopping = False

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every event, this gateway's and others'; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def receive_with(self, receiver: Receiver) -> None:
        """Turn another gateway's event into what the listeners hear (None: they hear nothing)."""
        self._receive = receiver

    async def publish(self, event: Event, wire: Event | None = None) -> None:
        """Tell this gateway's listeners now, then every other gateway (`wire`, if given, is what travels: ids
        rather than words)."""
        await self.tell_here(event)
        self.tell_others(wire if wire is not None else event)

    async def tell_here(self, event: Event) -> None:
        """Call each of this gateway's listeners; one that fails never stops the others hearing."""
        for listener in list(self._listeners):
            try:
                await listener(event)
            except Exception as error:
                log.warning("event listener failed event=%s error=%s", event.get("type"), type(error).__name__)

    def tell_others(self, event: Event) -> None:
        """Queue an event for the other gateways; never waits (with Redis off or not started, it is dropped)."""
        queue = self._outgoing
        if queue is None or not self.link.on:
            return
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(json.dumps({"from": self.gateway, "event": event}, separators=(",", ":")))

    async def run(self) -> None:
        """Send queued events and pass others' on, until cancelled (only with Redis configured)."""
        if not self.link.on:
            return
        self._outgoing = asyncio.Queue(MAX_WAITING)
        sender = asyncio.create_task(self._send_forever(self._outgoing))
        try:
            await self._listen_forever()
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def _send_forever(self, queue: asyncio.Queue[str]) -> None:
        while True:
            data = await queue.get()
            try:
                await self.link.run(functools.partial(_publish, channel=self.channel, data=data))
            except Unavailable:
                log.debug("event not sent to other gateways: redis unavailable")

    async def _listen_forever(self) -> None:
        first = True
        while not self.stopping:
            if self.link.usable:
                try:
                    await self._listen(resync=not first)
                except Exception as error:
                    self.link.failed(error)
                first = False
            self.subscribed.clear()
            await asyncio.sleep(DOWN_SECONDS / 5)

    async def _listen(self, resync: bool) -> None:
        """Subscribe and pass messages on until the connection fails or stops answering pings."""
        # A connection of its own with no read timeout (it waits for messages); a ping now and then finds a dead one.
        client = self.link.make_client(read_timeout=None, role="events")
        pubsub = client.pubsub()
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(pubsub.subscribe(self.channel), 1.0)
            self.subscribed.set()
            log.info("listening for other gateways' events")
            if resync:
                await self.tell_here({"type": "resync"})
            heard = pinged = loop.time()
            while not self.stopping:
                message = await pubsub.get_message(timeout=POLL_SECONDS)
                now = loop.time()
                if message is not None:
                    heard = now  # anything at all, a pong too, shows the connection is alive
                    if message.get("type") == "message":
                        await self._pass_on(message.get("data"))
                    continue
                if now - heard > PING_EVERY_SECONDS + PONG_SECONDS and now - pinged > PONG_SECONDS:
                    raise ConnectionError("redis did not answer a ping")
                if now - pinged >= PING_EVERY_SECONDS:
                    pinged = now
                    await asyncio.wait_for(pubsub.ping(), 1.0)
        finally:
            # Closed in a task of its own, waited for a second at most: a pubsub cancelled in the middle of a read
            # can wait for ever to close, and wait_for (before Python 3.12) would then wait with it.
            closing = asyncio.ensure_future(_close(pubsub, client))
            await asyncio.wait({closing}, timeout=1.0)

    async def _pass_on(self, data: object) -> None:
        try:
            message = json.loads(data) if isinstance(data, str) else None
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("event"), dict):
            log.warning("an event from another gateway could not be read")
            return
        if message.get("from") == self.gateway:
            return
        try:
            event = await self._receive(message["event"])
        except Exception as error:
            log.warning("an event from another gateway failed error=%s", type(error).__name__)
            return
        if event is not None:
            await self.tell_here(event)


async def _close(pubsub: Any, client: Any) -> None:
    """Close a subscriber's pubsub and its client, whatever state they were left in."""
    with contextlib.suppress(Exception):
        await pubsub.aclose()
    with contextlib.suppress(Exception):
        await client.aclose()
