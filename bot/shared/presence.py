"""Who is signed in to a console and on shift, and the first names supporters are shown by, across gateways.

Kept in this gateway's memory and, with Redis, in sorted sets of supporter ids scored by when a gateway holding
their console last said they are there (`signed_in:<tenant>`, `on_shift:<tenant>`), refreshed at each heartbeat, so a
killed gateway's supporters drop off within LIVE_SECONDS. Nothing about mothers is kept here.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from bot.shared.link import Keys, RedisLink, Unavailable
from bot.shared.tally import LIVE_SECONDS, Gateways, Tally
from bot.tenants import LONDON, Tenant

NAMES_SECONDS = 24 * 3600
# What a crisis offer may read without asking Redis: who was on shift at the last heartbeat, no older than this.
SEEN_SECONDS = 30.0


class Presence:
    """Supporters' consoles, shifts and names; this gateway's memory alone when Redis is off or down."""

    def __init__(self, link: RedisLink | None = None, keys: Keys | None = None, gateways: Gateways | None = None):
        self.link = link or RedisLink()
        self.keys = keys or Keys()
        self.gateways = gateways or Gateways(self.link, self.keys, "here")
        self.consoles = Tally(self.link, self.keys, self.gateways, "consoles", hashed=False)
        self._tenant: dict[str, str] = {}
        self._on_shift: set[str] = set()  # of the supporters with a console on this gateway
        # Shift choices made here that Redis has not taken yet (it was down): written at the next heartbeat.
        self._pending: dict[str, bool] = {}
        self._applying: dict[str, bool] = {}
        self._seen: dict[str, tuple[frozenset[str], float]] = {}  # tenant -> on shift anywhere, and when read

    def _key(self, kind: str, tenant: str) -> str:
        return self.keys.key(kind, tenant)

    async def _try(self, call: Any, default: Any = None) -> Any:
        try:
            return await self.link.run(call)
        except Unavailable:
            return default

    async def connect(self, supporter: str, tenant: str) -> None:
        """Count one more open console for a supporter, and note which tenant the supporter belongs to."""
        if not await self.consoles.total(supporter):
            # No console open anywhere: an on-shift mark left by a gateway that was killed does not carry over.
            self._on_shift.discard(supporter)
            await self._try(lambda client: client.zrem(self._key("on_shift", tenant), supporter))
        self._tenant[supporter] = tenant
        await self.consoles.add(supporter, 1)
        await self._try(lambda client: client.zadd(self._key("signed_in", tenant), {supporter: time.time()}))

    async def disconnect(self, supporter: str) -> None:
        """Count one console fewer; a supporter with none left open anywhere goes off shift."""
        if await self.consoles.add(supporter, -1):
            return
        tenant = self._tenant.pop(supporter, None)
        self._on_shift.discard(supporter)
        if tenant is None or await self.consoles.total(supporter):
            return  # still open on another gateway, which keeps her marks fresh

        async def gone(client: Any) -> None:
            pipe = client.pipeline(transaction=False)
            pipe.zrem(self._key("on_shift", tenant), supporter)
            pipe.zrem(self._key("signed_in", tenant), supporter)
            await pipe.execute()

        await self._try(gone)

    async def set_on_shift(self, supporter: str, on: bool) -> None:
        """Put a supporter on or off shift; only a supporter with a console open can go on."""
        tenant = self._tenant.get(supporter)
        if tenant is None:
            return
        key = self._key("on_shift", tenant)
        on = on and bool(await self.consoles.total(supporter))
        (self._on_shift.add if on else self._on_shift.discard)(supporter)
        self._pending.pop(supporter, None)
        try:
            if on:
                await self.link.run(lambda client: client.zadd(key, {supporter: time.time()}))
            else:
                await self.link.run(lambda client: client.zrem(key, supporter))
        except Unavailable:
            if self.link.on:
                self._pending[supporter] = on

    def heard(self, supporter: str, on: bool) -> None:
        """Another gateway put a supporter on or off shift: if she has a console here, keep her mark the same."""
        if supporter in self.consoles.here:
            (self._on_shift.add if on else self._on_shift.discard)(supporter)
            self._pending.pop(supporter, None)  # the newer choice, already in Redis

    async def on_shift(self, supporter: str, tenant: str | None = None) -> bool:
        """Whether the supporter is on shift (on any gateway)."""
        tenant = tenant or self._tenant.get(supporter)
        if tenant is None:
            return False
        try:
            score = await self.link.run(lambda client: client.zscore(self._key("on_shift", tenant), supporter))
        except Unavailable:
            return supporter in self._on_shift
        return score is not None and float(score) > time.time() - LIVE_SECONDS

    def _here(self, tenant: str) -> set[str]:
        return {s for s in self._on_shift if self._tenant.get(s) == tenant and self.consoles.here[s]}

    async def available(self, tenant: Tenant, now: datetime | None = None, *, ask: bool = True) -> list[str]:
        """Supporters signed in and on shift, if it is within the tenant's peer-support hours; else nobody. With
        `ask=False` Redis is not asked: who was on shift at the last heartbeat, and this gateway's own."""
        moment = now or datetime.now(LONDON)
        if not tenant.peer_support_open(moment):
            return []
        here = self._here(tenant.id)
        if not ask:
            seen, when = self._seen.get(tenant.id, (frozenset(), 0.0))
            fresh = self.link.usable and time.monotonic() - when < SEEN_SECONDS
            return sorted(here | seen) if fresh else sorted(here)
        found = await self._live(tenant.id)
        return sorted(here if found is None else here | found)

    async def _live(self, tenant: str, kind: str = "on_shift") -> set[str] | None:
        """Supporters marked lately in one of a tenant's sets; None when Redis cannot be read."""
        key = self._key(kind, tenant)
        members = await self._try(lambda client: client.zrangebyscore(key, time.time() - LIVE_SECONDS, "+inf"))
        if members is None:
            return None
        if kind == "on_shift":
            self._seen[tenant] = (frozenset(members), time.monotonic())
        return set(members)

    async def team(self, tenant: str) -> dict[str, bool]:
        """The tenant's supporters with a console open on any gateway, and whether each is on shift."""
        signed_in = {s for s, t in self._tenant.items() if t == tenant and self.consoles.here[s]}
        on_shift = self._here(tenant)
        shared_in, shared_on = await self._live(tenant, "signed_in"), await self._live(tenant)
        if shared_in is not None and shared_on is not None:
            signed_in |= shared_in
            on_shift = (on_shift | shared_on) & signed_in
        return {supporter: supporter in on_shift for supporter in signed_in}

    async def look(self, tenants: list[str]) -> None:
        """Read who is on shift in each tenant, for offers that must not wait on Redis (each heartbeat)."""
        for tenant in tenants:
            if not self.link.usable:
                return
            await self._live(tenant)

    def refresh(self, pipe: Any, now: float) -> None:
        """Mark this gateway's supporters as still here (at each heartbeat): signed in, and on shift if they are.
        A shift mark is only renewed, never made again, unless the choice was made here while Redis was down (or
        Redis has come back empty): so a supporter who went off shift elsewhere is never put back on."""
        self.consoles.refresh(pipe)
        self._applying = dict(self._pending)
        for supporter, tenant in self._tenant.items():
            if not self.consoles.here[supporter]:
                continue
            pipe.zadd(self._key("signed_in", tenant), {supporter: now})
            shift = self._key("on_shift", tenant)
            if self._applying.get(supporter) is False:
                pipe.zrem(shift, supporter)
            else:
                pipe.zadd(shift, {supporter: now}, xx=supporter not in self._applying)

    def refreshed(self) -> None:
        """The heartbeat was written: the shift choices it carried are taken."""
        for supporter, on in self._applying.items():
            if self._pending.get(supporter) == on:
                del self._pending[supporter]
        self._applying = {}

    def reassert(self) -> None:
        """Redis came back, perhaps empty: the next heartbeat writes the shifts of this gateway's supporters again."""
        for supporter in self._on_shift:
            self._pending.setdefault(supporter, True)

    async def introduce(self, supporter: str, display_name: str) -> None:
        """Share a supporter's first name with the other gateways."""
        key = self.keys.key("names")

        async def write(client: Any) -> None:
            pipe = client.pipeline(transaction=False)
            pipe.hset(key, supporter, display_name)
            pipe.expire(key, NAMES_SECONDS)
            await pipe.execute()

        await self._try(write)

    async def name(self, supporter: str) -> str | None:
        """A supporter's first name as another gateway shared it; None if unknown or Redis is unavailable."""
        found = await self._try(lambda client: client.hget(self.keys.key("names"), supporter))
        return found if isinstance(found, str) else None
