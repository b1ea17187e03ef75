"""A local fake of the Telegram Bot API, that python-telegram-bot talks to over real HTTP through `base_url`.

It answers the methods Nightlight uses the way https://core.telegram.org/bots/api describes them: every answer is
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ..., "parameters": ...}`;
parameters come as a query string, a form (PTB sends forms, with JSON-encoded values for anything that is not a
string) or a JSON body; `getUpdates` is a long poll that forgets updates below the `offset` it is given and only
returns the kinds in `allowed_updates`; it refuses to run while a webhook is set. Tests push updates, read every
call the bot made, and can make the next sends fail with 429 (flood control) or the next polls with 502.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer

T = TypeVar("T")

# Parameters that are plain strings in the Bot API; every other form value is JSON-encoded by PTB.
STRING_PARAMETERS = frozenset(
    {"text", "url", "secret_token", "callback_query_id", "action", "parse_mode", "caption", "inline_message_id"}
)
UPDATE_KINDS = ("message", "edited_message", "callback_query", "channel_post", "my_chat_member")
MAX_TEXT = 4096
MAX_CALLBACK_DATA_BYTES = 64
BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Nightlight", "username": "nightlight_test_bot"}


@dataclass
class Call:
    """One request the bot made: the method, its parameters, and how we answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if isinstance(value, int | str) and str(value).lstrip("-").isdigit() else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return rows

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.keyboard for button in row]


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


@dataclass
class FakeTelegram:
    """The Bot API for one bot token, on a free local port."""

    token: str
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    allowed_updates: list[str] | None = None
    fail_sends: int = 0
    retry_after: int = 1
    fail_polls: int = 0
    _server: TestServer | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _sends_paused: asyncio.Event | None = None
    _closing: bool = False
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # Running

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        self._closing = True
        self.resume_sends()
        self._notify()
        if self._server is not None:
            await self._server.close()

    @property
    def base_url(self) -> str:
        """What to give PTB as `base_url` (it appends the token and the method)."""
        assert self._server is not None and self._server.port is not None
        return f"http://127.0.0.1:{self._server.port}/bot"

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    # What tests do

    def push(self, *updates: dict[str, Any]) -> None:
        """Make updates available to the bot, as if she had just sent them."""
        self.updates.extend(updates)
        self._notify()

    def pause_sends(self) -> None:
        """Hold every sendMessage until `resume_sends` (the calls are recorded as they arrive)."""
        if self._sends_paused is None:
            self._sends_paused = asyncio.Event()

    def resume_sends(self) -> None:
        if self._sends_paused is not None:
            self._sends_paused.set()
            self._sends_paused = None

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method.lower()]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Messages the bot sent successfully, to one chat or to all."""
        return [
            call
            for call in self.calls_to("sendMessage")
            if call.status == 200 and (chat_id is None or call.chat_id == chat_id)
        ]

    async def wait_until(self, check: Callable[[], T], timeout: float = 20, what: str = "the bot") -> T:
        """Wait for `check()` to be truthy (it is re-checked after every call the bot makes); return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                methods = [call.method for call in self.calls]
                raise AssertionError(f"gave up waiting for {what}; calls so far: {methods}")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))

    async def wait_sent(self, chat_id: int, count: int = 1, timeout: float = 20) -> list[Call]:
        """The first `count` messages sent to a chat, once they have all been sent."""
        sent = await self.wait_until(
            lambda: len(self.sent(chat_id)) >= count, timeout, f"{count} messages to chat {chat_id}"
        )
        assert sent
        return self.sent(chat_id)[:count]

    # Updates as Telegram would send them

    def _chat(self, chat_id: int, chat_type: str) -> dict[str, Any]:
        if chat_type == "private":
            return {"id": chat_id, "type": "private", "first_name": "Sam"}
        return {"id": chat_id, "type": chat_type, "title": "Mums' group"}

    def message(self, chat_id: int, chat_type: str = "private", **content: Any) -> dict[str, Any]:
        """An update holding a new message with the given content (text, voice, photo, caption...)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type),
            "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Sam"},
            **content,
        }
        return {"update_id": next(self._update_ids), "message": message}

    def text(self, chat_id: int, text: str, chat_type: str = "private") -> dict[str, Any]:
        """She typed something (a command gets its bot_command entity, as Telegram marks it)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.message(chat_id, chat_type, **content)

    def voice(self, chat_id: int) -> dict[str, Any]:
        return self.message(chat_id, voice={"file_id": "voice-file", "file_unique_id": "voice-1", "duration": 4})

    def photo(self, chat_id: int, caption: str | None = None) -> dict[str, Any]:
        content: dict[str, Any] = {
            "photo": [{"file_id": "photo-file", "file_unique_id": "photo-1", "width": 90, "height": 90}]
        }
        if caption is not None:
            content["caption"] = caption
        return self.message(chat_id, **content)

    def edited(self, chat_id: int, text: str) -> dict[str, Any]:
        update = self.message(chat_id, text=text, edit_date=int(time.time()))
        return {"update_id": update["update_id"], "edited_message": update["message"]}

    def button(self, chat_id: int, data: str, sent: Call | None = None) -> dict[str, Any]:
        """She pressed a button with this callback data, on a message the bot sent (or an old one)."""
        if sent is not None and isinstance(sent.result, dict):
            message = sent.result
        else:
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self._chat(chat_id, "private"),
                "from": BOT_USER,
                "text": "An older message",
            }
        query = {
            "id": f"query-{next(self._update_ids)}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "chat_instance": f"instance-{chat_id}",
            "data": data,
            "message": message,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    # The API

    def _value(self, name: str, raw: str) -> Any:
        if name in STRING_PARAMETERS:
            return raw
        try:
            return json.loads(raw)
        except ValueError:
            return raw

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {name: self._value(name, value) for name, value in request.query.items()}
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            form = await request.post()
            params.update({name: self._value(name, str(value)) for name, value in form.items()})
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"].lower()
        call = Call(method, await self._params(request))
        self.calls.append(call)
        handler: Callable[[Call], Awaitable[web.Response]] | None = getattr(self, f"_api_{method}", None)
        if handler is None:
            response = _error(404, "Not Found: method not found")
        else:
            response = await handler(call)
        call.status = response.status
        if response.status == 200 and response.body is not None:
            call.result = json.loads(bytes(response.body))["result"]  # type: ignore[arg-type]
        self._notify()
        return response

    async def _api_getme(self, call: Call) -> web.Response:
        return _ok({**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False})

    async def _api_getupdates(self, call: Call) -> web.Response:
        offset = int(call.params.get("offset") or 0)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if self.webhook is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        if self.fail_polls > 0:
            self.fail_polls -= 1
            return _error(502, "Bad Gateway")
        if "allowed_updates" in call.params:
            self.allowed_updates = list(call.params["allowed_updates"]) or None
        allowed = self.allowed_updates or [k for k in UPDATE_KINDS if k != "my_chat_member"]
        # Telegram never sends the kinds a bot did not ask for.
        self.updates = [u for u in self.updates if any(kind in u for kind in allowed)]
        limit = int(call.params.get("limit") or 100)
        deadline = time.monotonic() + float(call.params.get("timeout") or 0)
        while True:
            ready = [u for u in self.updates if u["update_id"] >= offset][:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                return _ok(ready)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def _api_setwebhook(self, call: Call) -> web.Response:
        self.webhook = dict(call.params)
        if call.params.get("drop_pending_updates"):
            self.updates.clear()
        return _ok(True)

    async def _api_deletewebhook(self, call: Call) -> web.Response:
        self.webhook = None
        if call.params.get("drop_pending_updates"):
            self.updates.clear()
        return _ok(True)

    async def _api_getwebhookinfo(self, call: Call) -> web.Response:
        url = (self.webhook or {}).get("url", "")
        return _ok({"url": url, "has_custom_certificate": False, "pending_update_count": len(self.updates)})

    async def _api_sendmessage(self, call: Call) -> web.Response:
        text = call.params.get("text")
        if call.chat_id is None:
            return _error(400, "Bad Request: chat not found")
        if not isinstance(text, str) or not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if _utf16_length(text) > MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        for button in call.buttons:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                return _error(400, "Bad Request: BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("https://", "http://", "tg://")):
                return _error(400, "Bad Request: inline keyboard button URL is invalid")
        if self._sends_paused is not None:
            await self._sends_paused.wait()
        if self.fail_sends > 0:
            self.fail_sends -= 1
            return _error(429, f"Too Many Requests: retry after {self.retry_after}", retry_after=self.retry_after)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(call.chat_id, "private" if call.chat_id > 0 else "group"),
            "from": BOT_USER,
            "text": text,
        }
        if call.keyboard:
            message["reply_markup"] = {"inline_keyboard": call.keyboard}
        return _ok(message)

    async def _api_sendchataction(self, call: Call) -> web.Response:
        return _ok(True)

    async def _api_answercallbackquery(self, call: Call) -> web.Response:
        return _ok(True)

    async def _api_editmessagereplymarkup(self, call: Call) -> web.Response:
        chat_id = call.chat_id or 0
        return _ok(
            {
                "message_id": int(call.params.get("message_id") or 0),
                "date": int(time.time()),
                "chat": self._chat(chat_id, "private"),
                "from": BOT_USER,
                "text": "edited",
            }
        )


class FakeTelegramThread:
    """The fake on its own event loop in a background thread, for tests that are not async (the stack tests)."""

    def __init__(self, token: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-telegram", daemon=True)
        self._token = token
        self.fake: FakeTelegram | None = None

    def __enter__(self) -> FakeTelegramThread:
        self._thread.start()

        async def start() -> FakeTelegram:
            fake = FakeTelegram(self._token)
            await fake.start()
            return fake

        self.fake = self.run(start())
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.run(self.api.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def api(self) -> FakeTelegram:
        assert self.fake is not None
        return self.fake

    @property
    def base_url(self) -> str:
        return self.api.base_url

    def run(self, coroutine: Awaitable[T], timeout: float = 120) -> T:
        async def wrapped() -> T:
            return await coroutine

        return asyncio.run_coroutine_threadsafe(wrapped(), self._loop).result(timeout)

    def call(self, action: Callable[[FakeTelegram], T]) -> T:
        """Run `action(fake)` on the fake's loop, so its state is only ever touched from one thread."""

        async def act() -> T:
            return action(self.api)

        return self.run(act())

    def push(self, make: Callable[[FakeTelegram], dict[str, Any]]) -> dict[str, Any]:
        """Build an update with the fake (so ids are in order) and make it available to the bot."""

        def build_and_push(fake: FakeTelegram) -> dict[str, Any]:
            update = make(fake)
            fake.push(update)
            return update

        return self.call(build_and_push)

    def sent(self, chat_id: int) -> list[Call]:
        return self.call(lambda fake: fake.sent(chat_id))

    def wait_sent(self, chat_id: int, count: int = 1, timeout: float = 60) -> list[Call]:
        return self.run(self.api.wait_sent(chat_id, count, timeout), timeout + 10)
