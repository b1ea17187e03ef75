"""Everything one gateway shares with the others through Redis, made from the settings, with its background work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any

from bot.shared.bus import POLL_SECONDS, EventBus
from bot.shared.limits import RateLimits
from bot.shared.link import DEFAULT_PREFIX, Keys, RedisLink, Status, Unavailable
from bot.shared.presence import Presence
from bot.shared.tally import HEARTBEAT_SECONDS, Gateways, Tally

log = logging.getLogger("nightlight.shared")

LOOK_SECONDS = 5.0  # how often who is on shift is read for offers that must not wait on Redis


def new_gateway_id() -> str:
    """An id for this gateway process, unique among those sharing a Redis: host, process and a random part."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class SharedState:
    """The event bus, supporters' presence, her widget sockets, connections per address and rate limits."""

    def __init__(self, url: str = "", prefix: str = DEFAULT_PREFIX, secret: bytes = b"", gateway: str = "") -> None:
        gateway = gateway or new_gateway_id()
        self.link = RedisLink(url, name=gateway)
        self.keys = Keys(prefix, secret)
        self.gateways = Gateways(self.link, self.keys, gateway)
        self.bus = EventBus(self.link, self.keys.key("events"), self.gateways.id)
        self.presence = Presence(self.link, self.keys, self.gateways)
        self.widgets = Tally(self.link, self.keys, self.gateways, "widget")  # her open sockets, by conversation
        self.connections = Tally(self.link, self.keys, self.gateways, "connections")  # open sockets, by address
        self.rates = RateLimits(self.link, self.keys)
        self.bus.subscribe(self._on_event)

    def hashed(self, value: str) -> str:
        """The pseudonym other gateways know a conversation by (in events and keys)."""
        return self.keys.hashed(value)

    async def status(self) -> Status:
        """ "ok", "down" or "off", for the health check."""
        return await self.link.status()

    async def heartbeat(self) -> None:
        """Tell the others this gateway is alive, and write again everything it holds a part of."""
        now = time.time()

        async def beat(client: Any) -> None:
            pipe = client.pipeline(transaction=False)
            self.gateways.beat(pipe, now)
            self.presence.refresh(pipe, now)
            self.widgets.refresh(pipe)
            self.connections.refresh(pipe)
            await pipe.execute()

        with contextlib.suppress(Unavailable):
            await self.link.run(beat)
            self.presence.refreshed()

    async def take_turn(self, job: str, seconds: float) -> bool:
        """Whether this gateway should do a periodic job now: the first gateway to ask in each `seconds` gets the
        turn (with Redis off or down, every gateway does the job, as one gateway alone always did)."""
        key = self.keys.key("turn", job)
        try:
            taken = await self.link.run(
                lambda client: client.set(key, self.gateways.id, nx=True, ex=max(1, int(seconds)))
            )
        except Unavailable:
            return True
        return bool(taken)

    async def _on_event(self, event: dict[str, Any]) -> None:
        """After Redis comes back (the bus subscribed again), write this gateway's part again at once: Redis may
        have restarted empty."""
        if event.get("type") == "resync":
            self.presence.reassert()
            await self.heartbeat()

    async def run(self, tenants: Callable[[], list[str]]) -> None:
        """The bus's subscriber, and a heartbeat every HEARTBEAT_SECONDS, until cancelled (only with Redis)."""
        if not self.link.on:
            return
        bus = asyncio.create_task(self.bus.run())
        try:
            beaten = 0.0
            while True:
                if time.monotonic() - beaten >= HEARTBEAT_SECONDS:
                    await self.heartbeat()
                    beaten = time.monotonic()
                try:
                    await self.presence.look(tenants())
                except Exception as error:  # read again in a moment; never stops the heartbeat
                    log.warning("presence look failed error=%s", type(error).__name__)
                await asyncio.sleep(LOOK_SECONDS)
        finally:
            self.bus.stopping = True
            bus.cancel()
            await asyncio.wait({bus}, timeout=2 * POLL_SECONDS)

    async def close(self) -> None:
        """Close the Redis connections."""
        await self.link.close()
