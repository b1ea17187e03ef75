"""Talking to the Rasa server over HTTP, with timeouts and named failures."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached, was too slow, or answered with an error."""


class RasaClient:
    """A small client for Rasa's REST channel and status endpoint."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str, timeout: float) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send one user message (text or a "/intent" payload) and return Rasa's replies."""
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        try:
            async with self._session.post(
                f"{self._base_url}/webhooks/rest/webhook", json=body, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        if not isinstance(data, list):
            raise RasaUnavailable("Rasa's answer was not a list of messages")
        return [item for item in data if isinstance(item, dict)]

    async def set_slot(self, sender: str, name: str, value: object) -> None:
        """Set a slot on a conversation's tracker through Rasa's HTTP API."""
        event = {"event": "slot", "name": name, "value": value, "timestamp": time.time()}
        try:
            async with self._session.post(
                f"{self._base_url}/conversations/{sender}/tracker/events",
                params={"token": self._token, "include_events": "NONE"} if self._token else {"include_events": "NONE"},
                json=event,
                timeout=self._timeout,
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise RasaUnavailable(type(error).__name__) from error

    async def said(self, sender: str, names: tuple[str, ...], ignore: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What she told the assistant at any point (area, times...): each slot's latest value that was not empty
        and not one of `ignore`.

        A finished search clears its slots, so the tracker's current slots alone would forget what she said.
        """
        params = {"include_events": "ALL"}
        if self._token:
            params["token"] = self._token
        try:
            async with self._session.get(
                f"{self._base_url}/conversations/{sender}/tracker", params=params, timeout=self._timeout
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
        """True once Rasa has a model loaded."""
        try:
            async with self._session.get(
                f"{self._base_url}/status",
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
