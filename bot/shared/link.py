"""The connection to Redis: short timeouts, and a "down" state that sends everything to this gateway's memory.

Redis only ever holds short-lived, shared state (who is on shift, which widgets are open, rate counters). When it
cannot be reached, each caller falls back to what this gateway knows, so a mother is never kept waiting on it: after
one failure the link stops trying for DOWN_SECONDS, and every call in that time fails at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

from redis import asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = logging.getLogger("nightlight.shared")

T = TypeVar("T")
Status = Literal["ok", "down", "off"]

CONNECT_TIMEOUT_SECONDS = 0.3
READ_TIMEOUT_SECONDS = 0.4
# Every call, however it is made, is given up after this long (a connect and a read, with room to spare).
DEADLINE_SECONDS = 0.8
DOWN_SECONDS = 5.0
DEFAULT_PREFIX = "nightlight:"


class Unavailable(Exception):
    """Redis is off, down, or did not answer in time: use this gateway's memory instead."""


class Keys:
    """Key names under one prefix, with ids about her (conversations, addresses) hashed with the gateways' secret."""

    def __init__(self, prefix: str = DEFAULT_PREFIX, secret: bytes = b"") -> None:
        self.prefix = prefix
        self._secret = hashlib.sha256(b"redis-keys:" + secret).digest()

    def key(self, *parts: str) -> str:
        """A key under the prefix: `prefix` then the parts joined by ":"."""
        return self.prefix + ":".join(parts)

    def hashed(self, value: str) -> str:
        """A pseudonym for an id about her, the same on every gateway that shares the secret, and not reversible
        without it (a network address cannot be found by trying every address)."""
        return hmac.new(self._secret, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:24]


class RedisLink:
    """One gateway's Redis client, or none ("off"); `run` makes a call, or raises Unavailable at once when down."""

    def __init__(self, url: str = "", clock: Callable[[], float] = time.monotonic, name: str = "") -> None:
        self.url = url
        self.name = name  # shown by Redis's CLIENT LIST, so an operator can tell the gateways' connections apart
        self._clock = clock
        self._down_until = 0.0
        self.client: aioredis.Redis | None = None
        if url:
            self.client = self.make_client()

    def make_client(self, read_timeout: float | None = READ_TIMEOUT_SECONDS, role: str = "") -> aioredis.Redis:
        """A client for the URL with short timeouts and no retries (a retry is what the down state is for)."""
        client: aioredis.Redis = aioredis.Redis.from_url(
            self.url,
            client_name="-".join(part for part in ("nightlight", self.name, role) if part),
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=read_timeout,
            retry=Retry(NoBackoff(), 0),
            retry_on_timeout=False,
            decode_responses=True,
        )
        return client

    @property
    def on(self) -> bool:
        """Whether a Redis URL is configured."""
        return self.client is not None

    @property
    def usable(self) -> bool:
        """Configured, and not within DOWN_SECONDS of a failure."""
        return self.client is not None and self._clock() >= self._down_until

    def failed(self, error: BaseException) -> None:
        """Note a failure: nothing is tried for DOWN_SECONDS (logged once, when it goes down)."""
        if self._clock() >= self._down_until:
            log.warning("redis unreachable, using this gateway's memory error=%s", type(error).__name__)
        self._down_until = self._clock() + DOWN_SECONDS

    async def run(self, call: Callable[[aioredis.Redis], Awaitable[T]]) -> T:
        """Make one call with the client, within DEADLINE_SECONDS; Unavailable when off, down or failing."""
        client = self.client
        if client is None:
            raise Unavailable("off")
        if not self.usable:
            raise Unavailable("down")
        try:
            return await asyncio.wait_for(call(client), DEADLINE_SECONDS)
        except (RedisError, OSError, asyncio.TimeoutError) as error:
            self.failed(error)
            raise Unavailable(type(error).__name__) from error

    async def status(self) -> Status:
        """ "off" without a URL; "down" within DOWN_SECONDS of a failure or when a ping fails; otherwise "ok"."""
        if self.client is None:
            return "off"
        try:
            await self.run(lambda client: _ping(client))
        except Unavailable:
            return "down"
        return "ok"

    async def close(self) -> None:
        """Close the client's connections."""
        if self.client is not None:
            # At most a second: a connection whose read was cancelled by a deadline can take for ever to close.
            closing = asyncio.ensure_future(self.client.aclose())
            await asyncio.wait({closing}, timeout=1.0)


async def _ping(client: aioredis.Redis) -> Any:
    return await client.ping()
