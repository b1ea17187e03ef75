"""One fake of Rasa's HTTP API for every gateway test: configurable answers, slots, failures, and speed.

It answers the four endpoints the gateway calls: the REST channel (`/webhooks/rest/webhook`), tracker events
(`/conversations/{sender}/tracker/events`), the tracker (`/conversations/{sender}/tracker`) and `/status`.

- `reply` is what the REST channel answers: a list of Rasa messages, or a function of the request body.
- `status` is the REST channel's HTTP status (500 plays a broken Rasa).
- `slots` is what the tracker endpoint reports as the current slots, and `events` as its history.
- `delay` makes every endpoint answer that many seconds late (a slow Rasa).
- `freeze()` holds every endpoint until `thaw()` (a Rasa stopped with SIGSTOP: connections open, no answer).
- `hold()` holds only the REST channel until `release()` (a turn still being worked on).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web

Reply = list[dict[str, Any]] | Callable[[dict[str, Any]], list[dict[str, Any]]]


class FakeRasa:
    """Records what the gateway sends and answers like Rasa's HTTP API."""

    def __init__(self, reply: Reply | None = None) -> None:
        self.received: list[dict[str, Any]] = []
        self.slot_events: list[tuple[str, dict[str, Any]]] = []
        self.reply: Reply = reply if reply is not None else [{"recipient_id": "x", "text": "An answer."}]
        self.status = 200
        self.slots: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.delay = 0.0
        self._frozen: asyncio.Event | None = None
        self._held: asyncio.Event | None = None

    @property
    def messages(self) -> list[str]:
        """The text (or payload) of every message the REST channel received, in order."""
        return [str(body["message"]) for body in self.received]

    def hold(self) -> None:
        """Keep the REST channel's answers waiting until `release`."""
        self._held = asyncio.Event()

    def release(self) -> None:
        if self._held is not None:
            self._held.set()
            self._held = None

    def freeze(self) -> None:
        """Accept connections on every endpoint but answer none of them until `thaw`."""
        self._frozen = asyncio.Event()

    def thaw(self) -> None:
        if self._frozen is not None:
            self._frozen.set()
            self._frozen = None

    async def _wait(self) -> None:
        if self._frozen is not None:
            await self._frozen.wait()
        if self.delay:
            await asyncio.sleep(self.delay)

    def app(self) -> web.Application:
        async def webhook(request: web.Request) -> web.Response:
            body = await request.json()
            self.received.append(body)
            await self._wait()
            if self._held is not None:
                await self._held.wait()
            reply = self.reply(body) if callable(self.reply) else self.reply
            return web.json_response(reply, status=self.status)

        async def events(request: web.Request) -> web.Response:
            await self._wait()
            self.slot_events.append((request.match_info["sender"], await request.json()))
            return web.json_response({})

        async def tracker(request: web.Request) -> web.Response:
            await self._wait()
            wants_events = request.query.get("include_events", "AFTER_RESTART") != "NONE"
            return web.json_response({"slots": self.slots, **({"events": self.events} if wants_events else {})})

        async def status(request: web.Request) -> web.Response:
            await self._wait()
            return web.json_response({"model_file": "models/x.tar.gz"})

        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        app.router.add_post("/conversations/{sender}/tracker/events", events)
        app.router.add_get("/conversations/{sender}/tracker", tracker)
        app.router.add_get("/status", status)
        return app
