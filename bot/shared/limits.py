"""Rate limits shared by the gateways: messages per session and per network address, in one-minute windows.

With Redis, each window is a counter (`rate:<hashed id>:<minute>`, INCR then EXPIRE) that every gateway adds to, so a
session or an address that moves between gateways is still counted once. The same messages are also counted in this
gateway's memory (a sliding minute), which is what is used while Redis is off or down.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.shared.link import Keys, RedisLink, Unavailable

WINDOW_SECONDS = 60.0
MAX_WINDOWS = 10_000  # kept in memory before windows that went quiet are dropped


@dataclass
class RateWindow:
    """Messages sent in the last minute, in this gateway's memory."""

    times: deque[float] = field(default_factory=deque)

    def full(self, now: float, limit: int) -> bool:
        """Whether `limit` messages have been sent in the last minute; older ones are dropped first."""
        while self.times and now - self.times[0] >= WINDOW_SECONDS:
            self.times.popleft()
        return len(self.times) >= limit


class RateLimits:
    """Counters by id (a session, or "address:" and an address), shared when Redis is up."""

    def __init__(
        self,
        link: RedisLink | None = None,
        keys: Keys | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.link = link or RedisLink()
        self.keys = keys or Keys()
        self._clock = clock
        self._wall = wall
        self.windows: dict[str, RateWindow] = {}

    def window(self, ident: str) -> RateWindow:
        """An id's window in memory, made on first use; over MAX_WINDOWS, quiet ones are dropped."""
        if len(self.windows) > MAX_WINDOWS:
            now = self._clock()
            self.windows = {i: w for i, w in self.windows.items() if w.times and now - w.times[-1] < WINDOW_SECONDS}
        return self.windows.setdefault(ident, RateWindow())

    def _key(self, ident: str, minute: int) -> str:
        return self.keys.key("rate", self.keys.hashed(ident), str(minute))

    async def full(self, limits: list[tuple[str, int]]) -> list[bool]:
        """For each (id, limit), whether the id has sent `limit` messages this minute (every window is trimmed)."""
        now = self._clock()
        here = [self.window(ident).full(now, limit) for ident, limit in limits]
        minute = int(self._wall() // WINDOW_SECONDS)

        async def read(client: Any) -> list[Any]:
            result: list[Any] = await client.mget([self._key(ident, minute) for ident, _ in limits])
            return result

        try:
            counts = await self.link.run(read)
        except Unavailable:
            return here
        return [int(count or 0) >= limit for count, (_, limit) in zip(counts, limits, strict=True)]

    async def count(self, idents: list[str]) -> None:
        """Count one message against each id, here and (if it can be reached) in Redis."""
        now = self._clock()
        for ident in idents:
            self.window(ident).times.append(now)
        minute = int(self._wall() // WINDOW_SECONDS)

        async def write(client: Any) -> None:
            pipe = client.pipeline(transaction=False)
            for ident in idents:
                pipe.incr(self._key(ident, minute))
                pipe.expire(self._key(ident, minute), int(2 * WINDOW_SECONDS))
            await pipe.execute()

        with contextlib.suppress(Unavailable):
            await self.link.run(write)

    async def forget(self, ident: str) -> None:
        """Drop an id's counts (her conversation was deleted)."""
        self.windows.pop(ident, None)
        minute = int(self._wall() // WINDOW_SECONDS)
        with contextlib.suppress(Unavailable):
            await self.link.run(lambda client: client.delete(self._key(ident, minute)))
