"""Talking to the Rasa servers over HTTP, with timeouts and named failures.

With several Rasa servers (over one shared tracker store and a Redis lock store), each conversation has its own
server while that server is healthy, chosen by rendezvous hashing so that adding or losing a server moves only the
conversations that were on it. A server that refuses a connection, times out or answers 5xx is left alone for
DOWN_SECONDS, and its conversations go to their next server meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Sequence
from typing import Any

import aiohttp

DOWN_SECONDS = 15.0  # how long a failing server is passed over before it is tried again
# A server whose machine has stopped answering never completes a connection: after this long the message, which it
# never saw, goes to the next server, rather than waiting out the whole timeout.
CONNECT_SECONDS = 2.0


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached, was too slow, or answered with an error."""


def _weight(url: str, sender: str) -> bytes:
    return hashlib.sha256(f"{url}\0{sender}".encode("utf-8", "surrogatepass")).digest()


class RasaClient:
    """A small client for Rasa's REST channel and status endpoint, over one Rasa server or several."""

    def __init__(
        self, session: aiohttp.ClientSession, base_urls: str | Sequence[str], token: str, timeout: float
    ) -> None:
        self._session = session
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self._urls = tuple(url.rstrip("/") for url in urls)
        if not self._urls:
            raise ValueError("at least one Rasa URL is needed")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, CONNECT_SECONDS))
        self._down_until: dict[str, float] = {}

    def servers_for(self, sender: str, now: float | None = None) -> list[str]:
        """The servers in the order this conversation tries them: its own first, then the rest, healthy ones
        before any that failed in the last DOWN_SECONDS."""
        now = time.monotonic() if now is None else now
        ranked = sorted(self._urls, key=lambda url: _weight(url, sender), reverse=True)
        return sorted(ranked, key=lambda url: self._down_until.get(url, 0.0) > now)

    def _failed(self, url: str) -> None:
        if len(self._urls) > 1:
            self._down_until[url] = time.monotonic() + DOWN_SECONDS

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send one user message (text or a "/intent" payload) and return Rasa's replies.

        A server that could not be reached or written to (connection refused, a dead kept-alive connection, no
        connection within CONNECT_SECONDS) never saw the message, so the next one is asked; after a timeout, a
        dropped answer or an error answer it may have taken the turn, so the message is not sent twice and
        RasaUnavailable is raised."""
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        servers = self.servers_for(sender)
        for url in servers:
            try:
                return await self._send_to(url, body)
            except (aiohttp.ClientOSError, aiohttp.ConnectionTimeoutError) as error:
                self._failed(url)
                if url == servers[-1]:
                    raise RasaUnavailable(type(error).__name__) from error
            except RasaUnavailable:
                self._failed(url)
                raise
        raise RasaUnavailable("no Rasa server")  # not reached: the loop returns or raises

    async def _send_to(self, url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            async with self._session.post(f"{url}/webhooks/rest/webhook", json=body, timeout=self._timeout) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientOSError, aiohttp.ConnectionTimeoutError):
            raise  # not delivered (refused, reset before sending, or no connection in time): `send` asks the next
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        if not isinstance(data, list):
            raise RasaUnavailable("Rasa's answer was not a list of messages")
        return [item for item in data if isinstance(item, dict)]

    async def set_slot(self, sender: str, name: str, value: object) -> None:
        """Set a slot on a conversation's tracker through Rasa's HTTP API."""
        event = {"event": "slot", "name": name, "value": value, "timestamp": time.time()}
        url = self.servers_for(sender)[0]
        try:
            async with self._session.post(
                f"{url}/conversations/{sender}/tracker/events",
                params={"token": self._token, "include_events": "NONE"} if self._token else {"include_events": "NONE"},
                json=event,
                timeout=self._timeout,
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            self._failed(url)
            raise RasaUnavailable(type(error).__name__) from error

    async def said(self, sender: str, names: tuple[str, ...], ignore: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What she told the assistant at any point (area, times...): each slot's latest value that was not empty
        and not one of `ignore`.

        A finished search clears its slots, so the tracker's current slots alone would forget what she said.
        """
        params = {"include_events": "ALL"}
        if self._token:
            params["token"] = self._token
        url = self.servers_for(sender)[0]
        try:
            async with self._session.get(
                f"{url}/conversations/{sender}/tracker", params=params, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        if not isinstance(data, dict):
            return {}
        found: dict[str, Any] = {}
        events = [
            event for event in data.get("events") or [] if isinstance(event, dict) and event.get("event") == "slot"
        ]
        slots = data.get("slots")
        slots = slots if isinstance(slots, dict) else {}
        for name, value in [*((e.get("name"), e.get("value")) for e in events), *slots.items()]:
            if name in names and value and not (isinstance(value, str) and value in ignore):
                found[name] = value
        return found

    async def ready(self) -> bool:
        """True once a Rasa server has a model loaded."""
        return any(await asyncio.gather(*(self._ready(url) for url in self._urls)))

    async def ready_each(self) -> dict[str, bool]:
        """Whether each Rasa server has a model loaded, by URL."""
        return dict(zip(self._urls, await asyncio.gather(*(self._ready(url) for url in self._urls)), strict=True))

    async def _ready(self, url: str) -> bool:
        try:
            async with self._session.get(
                f"{url}/status",
                params={"token": self._token} if self._token else None,
                timeout=aiohttp.ClientTimeout(total=3),
            ) as response:
                if response.status != 200:
                    return False
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            return False
        return isinstance(data, dict) and bool(data.get("model_file"))


async def url_ok(session: aiohttp.ClientSession, url: str) -> bool:
    """True when a GET to the URL answers 200 within three seconds."""
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False
