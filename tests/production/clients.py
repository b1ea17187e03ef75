"""The people who use a production cluster, as the tests play them: a mother over the REST API or the widget's
socket, and a supporter's console, each over real HTTP and WebSockets."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp
import requests
from aiohttp import WSMsgType

from bot.conversation import pseudonym
from tests.production.cluster import PASSWORD

FRAME_SECONDS = 60


class ApiChat:
    """One conversation over the REST API."""

    def __init__(self, url: str, key: str, conversation: str | None = None) -> None:
        self.url = url
        self.key = key
        self.id = conversation or f"prod-{uuid.uuid4().hex[:12]}"

    @property
    def sender(self) -> str:
        """The conversation's id in the gateway's stores and Rasa's tracker."""
        return f"api-{pseudonym(self.key)[:8]}-{self.id}"

    def send(self, text: str | None = None, payload: str | None = None, timeout: float = 60) -> dict[str, Any]:
        body = {"text": text} if text is not None else {"payload": payload}
        response = requests.post(
            f"{self.url}/api/v1/conversations/{self.id}/messages",
            json=body,
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=timeout,
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data


class Widget:
    """A mother's widget socket: hello, messages with client ids, replies marked delivered as the widget does."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.token: str | None = None
        self.replies: list[dict[str, Any]] = []  # every reply frame, in the order they came
        self.acks: list[str] = []
        self.frames: list[dict[str, Any]] = []

    @property
    def session_id(self) -> str:
        """Her session id, read from the token's payload (signed, not secret from her)."""
        assert self.token is not None
        payload = self.token.split(".")[0]
        data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(data["s"])

    @property
    def conversation(self) -> str:
        return f"web-{self.session_id}"

    async def connect(self) -> dict[str, Any]:
        """Open the socket and say hello with the token she has (none the first time); the welcome frame."""
        self.ws = await self.http.ws_connect(f"{self.url}/widget/ws?tenant=default", origin=self.url)
        await self.ws.send_json({"type": "hello", "token": self.token})
        welcome = await self.until("welcome")
        self.token = welcome["token"]
        return welcome

    async def frame(self, seconds: float = FRAME_SECONDS) -> dict[str, Any]:
        assert self.ws is not None
        # Not receive(timeout=...): that timeout starts again after each ping the gateway sends.
        message = await asyncio.wait_for(self.ws.receive(), seconds)
        assert message.type is WSMsgType.TEXT, f"the socket closed or failed: {message}"
        frame: dict[str, Any] = json.loads(message.data)
        self.frames.append(frame)
        if frame["type"] == "reply":
            self.replies.append(frame)
            await self.ws.send_json({"type": "delivered", "id": frame["id"]})
        elif frame["type"] == "ack":
            self.acks.append(frame["client_id"])
        elif frame["type"] == "token":
            self.token = frame["token"]
        return frame

    async def until(
        self, kind: str, where: Callable[[dict[str, Any]], bool] = lambda f: True, seconds: float = FRAME_SECONDS
    ) -> dict[str, Any]:
        """The next frame of this kind (any kind when empty) matching `where`, handling every frame before it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            frame = await self.frame(max(0.1, deadline - loop.time()))
            if (not kind or frame["type"] == kind) and where(frame):
                return frame

    async def send(self, text: str | None = None, payload: str | None = None) -> str:
        """Send a message or a button press; its client id (not waiting for anything)."""
        assert self.ws is not None
        client_id = uuid.uuid4().hex[:16]
        if text is not None:
            await self.ws.send_json({"type": "message", "client_id": client_id, "text": text})
        else:
            await self.ws.send_json({"type": "button", "client_id": client_id, "payload": payload})
        return client_id

    async def say(self, text: str | None = None, payload: str | None = None) -> dict[str, Any]:
        """Send one message and wait for its reply."""
        before = len(self.replies)
        await self.send(text, payload)
        while len(self.replies) == before:
            await self.frame()
        return self.replies[before]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def texts(reply: dict[str, Any]) -> str:
    return "\n".join(str(m.get("text", "")) for m in reply.get("messages", []))


def buttons(reply: dict[str, Any]) -> dict[str, str]:
    return {b["payload"]: b["title"] for m in reply.get("messages", []) for b in m.get("buttons", [])}


class Console:
    """A supporter signed in to the console of one gateway, with its socket open."""

    def __init__(self, url: str, username: str) -> None:
        self.url = url
        self.username = username
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.frames: list[dict[str, Any]] = []

    async def sign_in(self) -> None:
        async with self.http.get(f"{self.url}/console/login") as page:
            match = re.search(r'<meta name="csrf-token" content="([^"]+)">', await page.text())
        assert match, "the sign-in page has its form token"
        async with self.http.post(
            f"{self.url}/console/login",
            data={"csrf": match.group(1), "username": self.username, "password": PASSWORD},
            allow_redirects=False,
        ) as response:
            assert response.status == 303, (
                f"{self.username} could not sign in: {response.status} {await response.text()}"
            )

    async def open(self, on_shift: bool = True) -> None:
        """Sign in, open the socket, say hello with the CSRF token, and go on shift."""
        await self.sign_in()
        async with self.http.get(f"{self.url}/console/api/me") as response:
            assert response.status == 200, await response.text()
            csrf = (await response.json())["csrf"]
        self.ws = await self.http.ws_connect(f"{self.url}/console/ws", origin=self.url)
        await self.send(type="hello", csrf=csrf)
        await self.until("canned")  # the last of the welcome frames
        if on_shift:
            await self.send(type="shift", on=True)
            await self.until("shift", lambda f: f["on"] is True)

    async def send(self, **frame: Any) -> None:
        assert self.ws is not None
        await self.ws.send_json(frame)

    async def until(
        self, kind: str, where: Callable[[dict[str, Any]], bool] = lambda f: True, seconds: float = FRAME_SECONDS
    ) -> dict[str, Any]:
        assert self.ws is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            message = await asyncio.wait_for(self.ws.receive(), max(0.1, deadline - loop.time()))
            assert message.type is WSMsgType.TEXT, f"{self.username}'s console socket closed: {message}"
            frame: dict[str, Any] = json.loads(message.data)
            self.frames.append(frame)
            if (not kind or frame["type"] == kind) and where(frame):
                return frame

    async def queued(self, seen: set[str], seconds: float = FRAME_SECONDS) -> str:
        """Wait until the queue shows a handoff that is not in `seen`; its id."""
        frame = await self.until("queue", lambda f: any(h["id"] not in seen for h in f["handoffs"]), seconds)
        return next(str(h["id"]) for h in frame["handoffs"] if h["id"] not in seen)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.http.close()
