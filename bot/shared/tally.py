"""Counts that each gateway holds a part of (her open widget sockets, a supporter's consoles, connections from one
address), summed over the gateways that are still alive.

Each gateway writes only its own part, as one field of a Redis hash named for the thing counted, and writes it again
at every heartbeat, so a gateway that was killed drops out of the sum once its heartbeat is LIVE_SECONDS old, and
after Redis restarts every live gateway's part is back within one heartbeat. With Redis off or down, the total is
this gateway's own part.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from typing import Any

from bot.shared.link import Keys, RedisLink, Unavailable

HEARTBEAT_SECONDS = 15.0
# A gateway not heard from for this long is taken to be gone, with everything it counted.
LIVE_SECONDS = 50.0


class Gateways:
    """This gateway's id, and the ids of the gateways that have sent a heartbeat lately."""

    def __init__(self, link: RedisLink, keys: Keys, gateway: str) -> None:
        self.link = link
        self.keys = keys
        self.id = gateway
        self.key = keys.key("gateways")

    def beat(self, pipe: Any, now: float) -> None:
        """Add this gateway's heartbeat to a pipeline, and drop gateways long gone."""
        pipe.zadd(self.key, {self.id: now})
        pipe.zremrangebyscore(self.key, "-inf", now - 10 * LIVE_SECONDS)

    def live(self, pipe: Any, now: float) -> None:
        """Add a read of the live gateways' ids to a pipeline."""
        pipe.zrangebyscore(self.key, now - LIVE_SECONDS, "+inf")


class Tally:
    """One kind of count, kept in this gateway's memory and, when Redis is up, summed over every live gateway."""

    def __init__(self, link: RedisLink, keys: Keys, gateways: Gateways, kind: str, *, hashed: bool = True) -> None:
        self.link = link
        self.keys = keys
        self.gateways = gateways
        self.kind = kind
        self._hashed = hashed  # ids about her are hashed; supporters' ids are staff usernames and stay readable
        self.here: Counter[str] = Counter()

    def key(self, ident: str) -> str:
        """The hash that holds each gateway's count for this id."""
        return self.keys.key(self.kind, self.keys.hashed(ident) if self._hashed else ident)

    async def add(self, ident: str, change: int) -> int:
        """Change this gateway's count (never below zero), write it, and return it."""
        count = max(0, self.here[ident] + change)
        await self.set(ident, count)
        return count

    async def set(self, ident: str, count: int) -> None:
        """Set this gateway's count for an id, and write it to Redis if it can be reached."""
        if count > 0:
            self.here[ident] = count
        else:
            self.here.pop(ident, None)

        async def write(client: Any) -> None:
            pipe = client.pipeline(transaction=False)
            self._write(pipe, ident, count)
            await pipe.execute()

        with contextlib.suppress(Unavailable):  # written again at the next heartbeat after Redis is back
            await self.link.run(write)

    def _write(self, pipe: Any, ident: str, count: int) -> None:
        key = self.key(ident)
        self.gateways.beat(pipe, time.time())  # a gateway that has just started counts before its first heartbeat
        if count > 0:
            pipe.hset(key, self.gateways.id, count)
            pipe.expire(key, int(LIVE_SECONDS))
        else:
            pipe.hdel(key, self.gateways.id)

    async def total(self, ident: str) -> int:
        """The count over every live gateway; this gateway's own when Redis is off or down."""
        now = time.time()

        async def read(client: Any) -> list[Any]:
            pipe = client.pipeline(transaction=False)
            pipe.hgetall(self.key(ident))
            self.gateways.live(pipe, now)
            result: list[Any] = await pipe.execute()
            return result

        try:
            counts, live = await self.link.run(read)
        except Unavailable:
            return self.here[ident]
        others = sum(int(n) for gateway, n in counts.items() if gateway in live and gateway != self.gateways.id)
        return others + self.here[ident]

    def refresh(self, pipe: Any) -> None:
        """Write this gateway's counts again (at each heartbeat, so they outlive neither it nor a Redis restart)."""
        for ident, count in self.here.items():
            self._write(pipe, ident, count)
