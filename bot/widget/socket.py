"""The web widget's server side: its script, the demo page, each charity's widget settings and the WebSocket.

A charity adds one line to its pages: `<script src="https://HOST/widget.js" data-tenant="ID" async></script>`.
The script asks `/widget/config` whether it may run on that page (only the tenant's listed origins and the
gateway's own pages may), then talks to `/widget/ws`. The protocol is JSON text frames, each with a "type":

    client: hello {token}          server: welcome {token, resumed, tenant}, then any replies she has not had
    client: message {client_id, text} | button {client_id, payload}
                                   server: ack {client_id} (stored), typing, reply {id, messages, safety, handoff}
    client: delivered {id}         (the reply is marked delivered; an unmarked one is sent again on resume)
    client: forget                 server: forgotten (everything about the conversation is deleted)
    client: typing                 (she is typing: shown to a peer supporter talking with her)
    server: error {code, message[, client_id]}; token {token} (a fresh token before the old one runs out)

The session id is made here and only ever travels inside a signed, short-lived token for one tenant.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.app_keys import MESSENGER_KEY, SETTINGS_KEY
from bot.conversation import pseudonym
from bot.crisis import REFUSAL_SCREEN_CHARS, refusal
from bot.http import FrameError, Refused, error_frame, error_response, own_origin, send_if_open
from bot.messenger import Messenger
from bot.peer.support import QUEUE_EXPIRY_SECONDS as HANDOFF_RESUME_SECONDS
from bot.shared import RateWindow, SharedState
from bot.store import Inbound, Outbound
from bot.tenants import Tenant
from bot.widget.pages import not_allowed, tenant_id_of, tenant_of, unknown_tenant
from bot.widget.sessions import Claims, TokenSigner, new_session_id

log = logging.getLogger("nightlight.widget")

CHANNEL = "widget"
MAX_FRAME_BYTES = 16 * 1024
HEARTBEAT_SECONDS = 25.0
MAX_CLIENT_ID_CHARS = 64
RATE_LIMIT = 30
# Several mothers can share one address (a family's wifi, a ward), so an address may send more than one session.
ADDRESS_RATE_LIMIT = 4 * RATE_LIMIT

# While Redis is down, how often her open sockets are sent replies another gateway stored for her.
CATCH_UP_SECONDS = 3.0
FRAME_TYPES = ("hello", "message", "button", "delivered", "forget", "typing")
# How often her typing is passed on to a peer supporter, at most.
TYPING_EVERY_SECONDS = 2.0


@dataclass
class WidgetState:
    """Open sockets by conversation, background answers, and what is shared with other gateways (her open
    sockets, connections per address, rate limits, replies and typing for a socket held by another gateway)."""

    by_conversation: dict[str, set[Connection]] = field(default_factory=dict)
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    # Told when her widget opens or closes (connected or not) and when she types, for a supporter's console.
    watcher: Callable[[str, bool | None, bool], Coroutine[Any, Any, None]] | None = None
    shared: SharedState = field(default_factory=SharedState)
    # Conversations with a socket open here, by the pseudonym the other gateways know them by.
    by_pseudonym: dict[str, str] = field(default_factory=dict)
    _told: asyncio.Lock = field(default_factory=asyncio.Lock)

    def join(self, conversation: str, connection: Connection) -> None:
        """Count a socket as open for a conversation, and tell the watcher."""
        self.by_conversation.setdefault(conversation, set()).add(connection)
        self.by_pseudonym[self.shared.hashed(conversation)] = conversation
        self.tell(conversation)

    def leave(self, conversation: str | None, connection: Connection) -> None:
        """Forget a socket of a conversation; if it was the last one, tell the watcher she has gone."""
        if conversation is None:
            return
        connections = self.by_conversation.get(conversation)
        if connections is not None:
            connections.discard(connection)
            if not connections:
                del self.by_conversation[conversation]
                self.by_pseudonym.pop(self.shared.hashed(conversation), None)
                self.tell(conversation)

    def tell(self, conversation: str, typing: bool = False) -> None:
        """Count her open sockets for the other gateways and let the watcher know whether she is connected on any
        (or typing), in the background, in order."""
        task = asyncio.get_running_loop().create_task(self._tell(conversation, typing))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _tell(self, conversation: str, typing: bool) -> None:
        try:
            async with self._told:
                connected: bool | None = None
                if not typing:
                    widgets = self.shared.widgets
                    await widgets.set(conversation, len(self.by_conversation.get(conversation, ())))
                    connected = await widgets.total(conversation) > 0
                if self.watcher is not None:
                    await self.watcher(conversation, connected, typing)
        except Exception as error:  # a console not told she left must never break her socket
            log.warning(
                "presence not passed on conversation=%s error=%s", pseudonym(conversation), type(error).__name__
            )

    async def push(self, outbound: Outbound) -> None:
        """Send a stored reply to every open socket of its conversation (none open: it waits in the store), and
        tell the other gateways, which send her what she has not had from the store to the sockets they hold."""
        for connection in list(self.by_conversation.get(outbound.conversation, ())):
            await connection.send_reply(outbound)
        self.shared.bus.tell_others({"type": "deliver", "conversation": self.shared.hashed(outbound.conversation)})

    async def push_typing(self, conversation: str, address: str | None) -> None:
        """A peer supporter is typing: show it on her open sockets, here and on the other gateways."""
        await self.push_frame(conversation, {"type": "typing"})
        self.shared.bus.tell_others({"type": "typing", "conversation": self.shared.hashed(conversation)})

    async def on_event(self, event: dict[str, Any]) -> None:
        """Another gateway stored a reply for her ("deliver") or a supporter is typing to her: if her socket is
        here, send what she has not had from the store, or show the typing."""
        kind = event.get("type")
        if kind == "resync":
            await self.catch_up()  # replies stored by another gateway while Redis was unreachable
            return
        conversation = self.by_pseudonym.get(str(event.get("conversation")))
        if kind not in ("deliver", "typing") or conversation is None:
            return
        if kind == "typing":
            await self.push_frame(conversation, {"type": "typing"})
            return
        await self.send_waiting(conversation)

    async def send_waiting(self, conversation: str) -> None:
        """Send her open sockets here the stored replies each has not been sent (each reply once per socket; her
        widget marks it delivered)."""
        connections = list(self.by_conversation.get(conversation, ()))
        if not connections:
            return
        for outbound in await connections[0].messenger.undelivered(conversation):
            for connection in connections:
                if outbound.id not in connection.sent:
                    await connection.send_reply(outbound)

    async def catch_up(self) -> None:
        """Send every open conversation here what is waiting for it in the store."""
        for conversation in list(self.by_conversation):
            await self.send_waiting(conversation)

    async def catch_up_while_down(self, interval: float = CATCH_UP_SECONDS) -> None:
        """While Redis is configured but unreachable, no other gateway can say a reply is waiting for her: look in
        the shared store every `interval` seconds instead, so a supporter's words still reach her."""
        link = self.shared.link
        while link.on:
            await asyncio.sleep(interval)
            if link.usable:
                continue
            try:
                await self.catch_up()
            except Exception as error:  # tried again next time; never stops the loop
                log.warning("widget catch-up failed error=%s", type(error).__name__)

    async def push_frame(self, conversation: str, frame: dict[str, Any]) -> None:
        """Send a frame to every open socket of a conversation."""
        for connection in list(self.by_conversation.get(conversation, ())):
            await connection.send(frame)


WIDGET_KEY = web.AppKey("widget", WidgetState)
# Signs her session id into the token only this gateway can mint (sessions.py).
SIGNER_KEY = web.AppKey("signer", TokenSigner)


def reply_frame(outbound: Outbound) -> dict[str, Any]:
    """A stored reply as the widget's "reply" frame: its id and the stored body."""
    return {"type": "reply", "id": outbound.id, **outbound.body}


def dedupe_key(conversation: str, client_id: str) -> str:
    """The same message sent again after a reconnect is stored once; the key says nothing about her."""
    return "widget:" + hashlib.sha256(f"{conversation}\n{client_id}".encode("utf-8", "surrogatepass")).hexdigest()


class Connection:
    """One open widget socket: its session, what it was sent, and the messages it is answering in order."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        tenant: Tenant,
        messenger: Messenger,
        signer: TokenSigner,
        state: WidgetState,
        address: str = "unknown",
    ) -> None:
        self.ws = ws
        self.address = address
        self.window = RateWindow()  # this socket's own, in memory
        self.tenant = tenant
        self.messenger = messenger
        self.signer = signer
        self.state = state
        self.session_id: str | None = None
        self.token_issued = 0.0
        self.sent: set[int] = set()
        self._queue: deque[Inbound] = deque()
        self._queued = asyncio.Event()
        self._closed = False
        self._worker: asyncio.Task[None] | None = None
        self._typed_at = 0.0

    @property
    def conversation(self) -> str | None:
        """The Messenger's id for this socket's session ("web-" and the session id); None before hello."""
        return f"web-{self.session_id}" if self.session_id else None

    async def send(self, frame: dict[str, Any]) -> bool:
        """Send a frame if the socket is still open; a closed socket is not an error (replies wait in the store)."""
        return await send_if_open(self.ws, frame)

    async def send_reply(self, outbound: Outbound) -> None:
        """Send a stored reply (noted as sent here), and a fresh token once the current one is past half its life."""
        self.sent.add(outbound.id)
        await self.send(reply_frame(outbound))
        if time.time() - self.token_issued > self.signer.ttl / 2 and self.session_id:
            await self.send({"type": "token", "token": self._issue()})

    def _issue(self) -> str:
        assert self.session_id is not None
        self.token_issued = time.time()
        return self.signer.issue(self.session_id, self.tenant.id)

    async def run(self) -> None:
        """Read frames until the socket closes; answering goes on in the background so reading never waits."""
        self._worker = asyncio.create_task(self._answer_in_order())
        self.state.tasks.add(self._worker)
        self._worker.add_done_callback(self.state.tasks.discard)
        try:
            async for message in self.ws:
                if message.type is WSMsgType.TEXT:
                    try:
                        await self.handle(message.data)
                    except FrameError as error:
                        await self.send_error(error)
                    except Exception as error:  # one bad frame must never close her socket or block the next
                        log.error("widget frame failed error=%s", type(error).__name__)
                        await self.send_error(
                            FrameError("internal_error", "Something went wrong on our side. Please send it again.")
                        )
                elif message.type is WSMsgType.BINARY:
                    await self.send_error(
                        FrameError("binary_frame", "Send JSON as text frames; binary frames are not understood.")
                    )
                elif message.type is WSMsgType.ERROR:
                    break
        finally:
            self._closed = True
            self._queued.set()  # the worker answers what is queued, then stops
            self.state.leave(self.conversation, self)

    async def send_error(self, error: FrameError) -> None:
        """An error frame, with the 24/7 routes; if the refused message reads as a crisis, with the crisis reply."""
        await self.send(error_frame(error, **refusal(self.messenger.contacts, error.text)))

    async def handle(self, data: str) -> None:
        """Act on one text frame."""
        if len(data.encode("utf-8", errors="surrogatepass")) > MAX_FRAME_BYTES:
            raise FrameError(
                "frame_too_large",
                f"That is more than {MAX_FRAME_BYTES // 1024} KiB at once. Please send it in shorter parts.",
                text=data,
            )
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError):
            raise FrameError(
                "invalid_json", 'Each frame must be a JSON object, like {"type": "hello", "token": null}.', text=data
            ) from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise FrameError("missing_type", 'Each frame must be a JSON object with a "type", like {"type": "hello"}.')
        kind = frame["type"]
        if kind not in FRAME_TYPES:
            raise FrameError("unknown_type", f"Unknown frame type. Use one of: {', '.join(FRAME_TYPES)}.")
        if kind == "hello":
            await self.hello(frame.get("token"))
            return
        if self.session_id is None:
            raise FrameError("hello_first", 'Start with {"type": "hello", "token": null} (or your last token).')
        if kind in ("message", "button"):
            await self.message(frame, kind)
        elif kind == "delivered":
            await self.delivered(frame.get("id"))
        elif kind == "typing":
            self.typing()
        else:
            await self.forget()

    async def _waiting_for_a_supporter(self, token: object) -> Claims | None:
        """An expired token still resumes a session that is waiting for a peer supporter (she left a message for
        the morning, or their reply is waiting), for as long as a handoff can wait; nothing else outlives it."""
        late = self.signer.read(token, self.tenant.id, grace=HANDOFF_RESUME_SECONDS)
        peer = self.messenger.peer
        if late is None or peer is None:
            return None
        conversation = f"web-{late.session_id}"
        if await asyncio.to_thread(peer.handoffs.active, conversation) is not None:
            return late
        waiting = await self.messenger.undelivered(conversation)
        return late if any(outbound.body.get("handoff") for outbound in waiting) else None

    async def hello(self, token: object) -> None:
        """Resume the session in a valid token for this tenant, or start a new one; then send what she missed."""
        claims = self.signer.read(token, self.tenant.id) if token is not None else None
        if claims is None and token is not None:
            claims = await self._waiting_for_a_supporter(token)
        self.state.leave(self.conversation, self)
        self.session_id = claims.session_id if claims else new_session_id()
        self.sent = set()
        conversation = self.conversation
        assert conversation is not None
        self.state.join(conversation, self)
        log.info("widget session conversation=%s resumed=%s", pseudonym(conversation), claims is not None)
        await self.send(
            {"type": "welcome", "token": self._issue(), "resumed": claims is not None, "tenant": self.tenant.public()}
        )
        for outbound in await self.messenger.undelivered(conversation):
            self.sent.add(outbound.id)
            await self.send(reply_frame(outbound))

    async def message(self, frame: dict[str, Any], kind: str) -> None:
        """Store what she sent, acknowledge it, and queue it to be answered."""
        client_id = frame.get("client_id")
        if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID_CHARS:
            raise FrameError(
                "invalid_client_id",
                f'Each message needs a "client_id": a string of 1 to {MAX_CLIENT_ID_CHARS} characters you choose.',
            )
        text = payload = None
        if kind == "message":
            text = frame.get("text")
            if not isinstance(text, str):
                raise FrameError("invalid_text", '"text" must be a string: what she typed.', client_id=client_id)
        else:
            payload = frame.get("payload")
            if not isinstance(payload, str):
                raise FrameError(
                    "invalid_payload",
                    '"payload" must be a string from a button, like "/ask_self_referral".',
                    client_id=client_id,
                )
        assert self.session_id is not None and self.conversation is not None
        urgent = text is not None and self.messenger.urgent(self.conversation, text)
        # The limit counts per session, per socket and per address (on every gateway), so a new hello or another
        # gateway does not reset it.
        limits = [(self.session_id, RATE_LIMIT), (f"address:{self.address}", ADDRESS_RATE_LIMIT)]
        now = time.monotonic()
        # The limit never stands between her and a crisis reply, and nothing is asked of Redis before one.
        if not urgent and (self.window.full(now, RATE_LIMIT) or any(await self.state.shared.rates.full(limits))):
            raise FrameError(
                "rate_limited",
                f"That's a lot of messages at once (more than {RATE_LIMIT} a minute). "
                "Please wait a moment, then send it again.",
                client_id=client_id,
            )
        try:
            inbound = await self.messenger.accept(
                self.conversation,
                self.tenant,
                CHANNEL,
                text=text,
                payload=payload,
                dedupe_key=dedupe_key(self.conversation, client_id),
            )
        except Refused as error:
            raise FrameError(error.code, error.message, error.text, client_id=client_id) from None
        await self.send({"type": "ack", "client_id": client_id})
        if inbound is None:
            return  # sent again after a reconnect: it is stored, and its reply is stored or on its way
        self.window.times.append(now)
        if urgent:
            # A crisis does not wait behind her earlier messages: it is answered at once, beside the queue.
            task = asyncio.create_task(self._answer(inbound))
            self.state.tasks.add(task)
            task.add_done_callback(self.state.tasks.discard)
        else:
            self._queue.append(inbound)
            self._queued.set()
        await self.state.shared.rates.count([ident for ident, _ in limits])  # after her answer is on its way

    async def _answer_in_order(self) -> None:
        """Answer queued messages one by one; keeps going after the socket closes, so nothing stored is left."""
        while True:
            while self._queue:
                await self._answer(self._queue.popleft())
            if self._closed:
                return
            self._queued.clear()
            await self._queued.wait()

    async def _answer(self, inbound: Inbound) -> None:
        await self.state.push_frame(inbound.conversation, {"type": "typing"})
        try:
            delivery = await self.messenger.answer(inbound, self.tenant)
        except Exception as error:  # stays stored and unanswered, so a restart's replay answers it
            log.error(
                "widget answer failed conversation=%s error=%s", pseudonym(inbound.conversation), type(error).__name__
            )
            await self.send_error(
                FrameError("internal_error", "Something went wrong on our side. Your message is saved.")
            )
            return
        await self.state.push(delivery.outbound)

    def typing(self) -> None:
        """She is typing: a supporter talking with her sees it (no more than every couple of seconds)."""
        now = time.monotonic()
        if self.conversation is not None and now - self._typed_at >= TYPING_EVERY_SECONDS:
            self._typed_at = now
            self.state.tell(self.conversation, typing=True)

    async def delivered(self, outbound_id: object) -> None:
        """Her widget has shown a reply: it is not sent again."""
        if not isinstance(outbound_id, int) or isinstance(outbound_id, bool):
            raise FrameError("invalid_id", '"id" must be the number of a reply, as sent in its "reply" frame.')
        if outbound_id not in self.sent:
            raise FrameError("unknown_reply", "That reply was not sent to this session, so it cannot be marked.")
        await self.messenger.mark_delivered(outbound_id)

    async def forget(self) -> None:
        """Delete the conversation everywhere; the widget then starts afresh with a new hello."""
        conversation = self.conversation
        assert conversation is not None and self.session_id is not None
        # Messages not yet answered are dropped too, so nothing of hers goes to Rasa after she asked to delete.
        self._queue = deque(inbound for inbound in self._queue if inbound.conversation != conversation)
        self.state.leave(conversation, self)
        await self.state.shared.rates.forget(self.session_id)
        self.session_id = None
        self.sent = set()
        await self.messenger.forget(conversation)
        await self.send({"type": "forgotten"})


async def widget_socket(request: web.Request) -> web.StreamResponse:
    """GET /widget/ws?tenant=ID: the widget's WebSocket, for pages the tenant allows."""
    tenant = tenant_of(request)
    if tenant is None:
        return error_response(404, "unknown_tenant", unknown_tenant(tenant_id_of(request)))
    origin = request.headers.get("Origin")
    if not tenant.allows_origin(origin, own_origin(request)):
        return error_response(403, "origin_not_allowed", not_allowed(origin))
    state = request.app[WIDGET_KEY]
    # Frames up to REFUSAL_SCREEN_CHARS are read, so a crisis in one that is too large is still heard.
    ws = web.WebSocketResponse(max_msg_size=REFUSAL_SCREEN_CHARS, heartbeat=HEARTBEAT_SECONDS)
    await ws.prepare(request)
    address = request.remote or "unknown"
    connections = state.shared.connections
    if await connections.total(address) >= request.app[SETTINGS_KEY].max_connections_per_address:
        # Refused after the upgrade, because a browser cannot read the body of a refused handshake.
        await ws.send_json(
            {
                "type": "error",
                "code": "too_many_connections",
                "message": "Too many chats are open from this network just now. Please try again in a minute.",
            }
        )
        await ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too many connections")
        return ws
    await connections.add(address, 1)
    state.sockets.add(ws)
    connection = Connection(ws, tenant, request.app[MESSENGER_KEY], request.app[SIGNER_KEY], state, address)
    try:
        await connection.run()
    finally:
        state.sockets.discard(ws)
        await connections.add(address, -1)
    return ws
