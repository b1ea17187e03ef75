"""The console's live socket: the queue, chats, shifts, canned replies and the audit trail, as JSON frames.

The session cookie (`nightlight_console`) is HttpOnly, SameSite=Strict, limited to /console, and Secure over https.
Every change carries the session's CSRF token (`X-CSRF-Token`, or the form's `csrf` field); the sign-in form
carries a token tied to a cookie of its own. The WebSocket accepts only the gateway's own origin, and its first
frame must be `hello {csrf}`. The protocol is JSON text frames, each with a "type":

    console: hello {csrf}          server: welcome {supporter, tenant, on_shift, outcomes}, team, queue, chats, canned
    console: shift {on}            server: shift {on}; team {supporters, open} to every console of the tenant
    console: claim {handoff_id}    server: chat {chat} (the winner's consoles) | claim_lost {handoff_id, message}
    console: say|note {handoff_id, text, client_id}     server: ack {client_id, handoff_id, id}; message {...}
    console: typing {handoff_id}   console: transfer {handoff_id, to}   console: end {handoff_id}
    console: closing_note {handoff_id, outcome, safeguarding}            server: noted {handoff_id}
    console: canned {action: list|add|edit|delete, id?, title?, text?}  server: canned {replies}
    console: audit                 server: audit {events} (coordinators)
    server: queue {handoffs, now} after every change; new_handoff {handoff_id, urgent}; message {handoff_id,
            message}; chat_closed {handoff_id, reason, message}; deleted {handoff_id, message} (she deleted her
            data: her card and chat go); presence {handoff_id, connected, typing, last_wrote_at} (her widget open
            or closed, her typing); error {code, message[, client_id]};
            signed_out {message} (the session ended or the account was disabled)
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.app_keys import PEER_KEY, TENANTS_KEY
from bot.conversation import pseudonym
from bot.crisis import readable
from bot.http import FrameError, error_frame, error_response, own_origin
from bot.peer.console.auth import no_store, session_of
from bot.peer.console.desk import CONSOLE_KEY, DESK_KEY, Console
from bot.peer.console.pages import broadcast_canned
from bot.peer.handoff import OUTCOMES, Handoff, HandoffError, Status
from bot.peer.supporters import (
    Supporter,
    SupporterError,
)

log = logging.getLogger("nightlight.console")

MAX_FRAME_BYTES = 16 * 1024
HEARTBEAT_SECONDS = 25.0
HELLO_SECONDS = 10.0
SESSION_CHECK_SECONDS = 30.0
MAX_TEXT_CHARS = 4000
MAX_CLIENT_ID_CHARS = 64

FRAME_TYPES = (
    "hello",
    "shift",
    "claim",
    "say",
    "note",
    "typing",
    "transfer",
    "end",
    "closing_note",
    "canned",
    "audit",
)


# ---- what the consoles are sent -------------------------------------------------------------------------------


# ---- sign-in ---------------------------------------------------------------------------------------------------


# ---- pages and JSON --------------------------------------------------------------------------------------------


# ---- the socket ------------------------------------------------------------------------------------------------


def _text_field(frame: dict[str, Any], key: str = "text") -> str:
    text = frame.get(key)
    if not isinstance(text, str) or not text.strip():
        raise FrameError("empty_text", "There is nothing to send. Type something first.")
    if len(text) > MAX_TEXT_CHARS:
        raise FrameError("text_too_long", f"That is more than {MAX_TEXT_CHARS:,} characters. Please send it in parts.")
    if readable(text) != text:
        raise FrameError("invalid_text", "The text holds a character that is not valid Unicode. Please type it again.")
    return text


def _id_field(frame: dict[str, Any], key: str = "handoff_id") -> str:
    value = frame.get(key)
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        raise FrameError("invalid_id", f'"{key}" must be the id of a chat, as sent in the queue.')
    return value


class ConsoleSocket:
    """Reads one console's frames and acts on them, one at a time."""

    def __init__(self, console: Console, app: web.Application) -> None:
        self.console = console
        self.app = app
        self.state = app[CONSOLE_KEY]
        self.desk = app[DESK_KEY]
        self.peer = app[PEER_KEY]

    @property
    def me(self) -> Supporter:
        """The supporter whose console this is."""
        return self.console.supporter

    async def still_signed_in(self) -> bool:
        """The session is still valid and the account not disabled; otherwise the console is told and closed."""
        session = await asyncio.to_thread(self.state.accounts.session, self.console.token)
        if session is not None:
            self.console.session = session
            return True
        await self.console.send({"type": "signed_out", "message": "Your session has ended. Please sign in again."})
        await self.console.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"signed out")
        return False

    async def hello(self, frame: dict[str, Any]) -> None:
        """Check the CSRF token, send this console its opening frames, and the team to every console of the tenant."""
        sent = frame.get("csrf")
        if not isinstance(sent, str) or not hmac.compare_digest(
            sent.encode("utf-8", "surrogatepass"), self.console.session.csrf.encode()
        ):
            raise FrameError("csrf_failed", "This console could not prove it is yours. Reload the page.")
        self.console.ready = True
        await self.peer.presence.connect(self.me.id, self.console.tenant.id)
        await self.peer.introduce(self.me.id, self.me.display_name)
        log.info("console connected supporter=%s", self.me.id)
        tenant = self.console.tenant
        await self.console.send(
            {
                "type": "welcome",
                "supporter": self.me.public(),
                "tenant": {"id": tenant.id, "name": tenant.name},
                "on_shift": await self.peer.presence.on_shift(self.me.id, tenant.id),
                "outcomes": OUTCOMES,
            }
        )
        await self.peer.team_changed(tenant.id, self.me.id)
        await self.console.send(await self.desk.queue_frame(tenant.id))
        mine = await asyncio.to_thread(self.peer.handoffs.claimed_by, self.me.id)
        chats = [await self.desk.chat(h) for h in mine]
        self.console.open_chats = {h.id for h in mine}
        await self.console.send({"type": "chats", "chats": chats})
        await self.console.send(await self.desk.canned_frame(tenant.id))

    async def run(self) -> None:
        """Read frames until the socket closes; the first must be hello with the CSRF token."""
        try:
            first = await self.console.ws.receive(timeout=HELLO_SECONDS)
        except asyncio.TimeoutError:
            await self.console.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"hello first")
            return
        if first.type is not WSMsgType.TEXT or not await self._first(first.data):
            await self.console.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"hello first")
            return
        checker = asyncio.create_task(self._check_session())
        try:
            async for message in self.console.ws:
                if message.type is WSMsgType.TEXT:
                    if not await self.still_signed_in():
                        break
                    try:
                        await self.handle(message.data)
                    except FrameError as error:
                        await self.console.send(error_frame(error))
                elif message.type is WSMsgType.ERROR:
                    break
        finally:
            checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await checker

    async def send_error(self, error: FrameError) -> None:
        """Send an error frame to this console."""
        await self.console.send(error_frame(error))

    async def _first(self, data: str) -> bool:
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError):
            frame = None
        if not isinstance(frame, dict) or frame.get("type") != "hello":
            await self.console.send(
                {"type": "error", "code": "hello_first", "message": 'Start with {"type": "hello", "csrf": ...}.'}
            )
            return False
        try:
            await self.hello(frame)
        except FrameError as error:
            await self.console.send(error_frame(error))
            return False
        return True

    async def _check_session(self) -> None:
        # A disabled account or an ended session closes its consoles within this long, even when they are quiet.
        while not self.console.ws.closed:
            await asyncio.sleep(SESSION_CHECK_SECONDS)
            if not await self.still_signed_in():
                return

    async def handle(self, data: str) -> None:
        """Act on one frame after hello, by its type; FrameError for a bad frame or a refused handoff change."""
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError):
            raise FrameError("invalid_json", 'Each frame must be a JSON object with a "type".') from None
        if not isinstance(frame, dict) or frame.get("type") not in FRAME_TYPES:
            raise FrameError("unknown_type", f"Use one of these frame types: {', '.join(FRAME_TYPES)}.")
        kind = frame["type"]
        if kind == "hello":
            raise FrameError("already_hello", "This console has already said hello.")
        try:
            await getattr(self, f"do_{kind}")(frame)
        except HandoffError as error:
            raise FrameError("handoff_refused", str(error), handoff_id=frame.get("handoff_id")) from None

    def _client_id(self, frame: dict[str, Any]) -> str | None:
        client_id = frame.get("client_id")
        if client_id is None:
            return None
        if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID_CHARS:
            raise FrameError("invalid_client_id", f'"client_id" is a string of 1 to {MAX_CLIENT_ID_CHARS} characters.')
        return client_id

    async def _handoff(self, frame: dict[str, Any], *, mine: bool) -> Handoff:
        """The handoff a frame names: it must be this tenant's, and (if `mine`) claimed by this supporter."""
        handoff_id = _id_field(frame)
        try:
            handoff = await asyncio.to_thread(self.peer.handoffs.get, handoff_id)
        except HandoffError:
            raise FrameError("no_such_chat", "That chat no longer exists.", handoff_id=handoff_id) from None
        if handoff.tenant != self.me.tenant:
            raise FrameError("no_such_chat", "That chat no longer exists.", handoff_id=handoff_id)
        if mine and (handoff.status is not Status.CLAIMED or handoff.supporter != self.me.id):
            raise FrameError("not_your_chat", "This chat is not yours: claim it first.", handoff_id=handoff_id)
        return handoff

    async def do_shift(self, frame: dict[str, Any]) -> None:
        """Go on or off shift; tell this supporter's consoles, and send the team to every console of the tenant."""
        on = frame.get("on")
        if not isinstance(on, bool):
            raise FrameError("invalid_shift", '"on" must be true or false.')
        await self.peer.presence.set_on_shift(self.me.id, on)
        log.info("console shift supporter=%s on=%s", self.me.id, on)
        tenant = self.console.tenant.id
        # Her consoles on every gateway are sent the shift, and every console of the tenant the team.
        await self.peer.team_changed(tenant, self.me.id, on=await self.peer.presence.on_shift(self.me.id, tenant))

    async def do_claim(self, frame: dict[str, Any]) -> None:
        """Claim a waiting chat (on shift only); if lost, say who has it or that it left the queue, and resend it."""
        handoff = await self._handoff(frame, mine=False)
        if not await self.peer.presence.on_shift(self.me.id, self.console.tenant.id):
            raise FrameError("not_on_shift", "Turn on 'On shift' before you claim a chat.", handoff_id=handoff.id)
        won = await self.peer.claim(handoff.id, self.me.id, self.me.display_name)
        if won is not None:
            log.info("console claim handoff=%s supporter=%s", pseudonym(handoff.id), self.me.id)
            return  # the core's "claimed" event opens the chat on her consoles
        now = await asyncio.to_thread(self.peer.handoffs.get, handoff.id)
        if now.status is Status.CLAIMED:
            name = "You have" if now.supporter == self.me.id else f"{self.desk.names(now.supporter) or 'Someone'} has"
            message = f"{name} already claimed this."
        else:
            message = "This chat is no longer waiting: she may have gone back to the bot."
        await self.console.send({"type": "claim_lost", "handoff_id": handoff.id, "message": message})
        await self.console.send(await self.desk.queue_frame(self.console.tenant.id))

    async def do_say(self, frame: dict[str, Any]) -> None:
        """Send her a message in a chat this supporter has claimed, and acknowledge it with the console's client id."""
        client_id = self._client_id(frame)
        text = _text_field(frame)
        handoff = await self._handoff(frame, mine=True)
        message = await self.peer.say(handoff.id, self.me.id, text)
        await self.console.send({"type": "ack", "client_id": client_id, "handoff_id": handoff.id, "id": message.id})

    async def do_note(self, frame: dict[str, Any]) -> None:
        """Add a private note to a chat this supporter has claimed (she never sees it), and acknowledge it."""
        client_id = self._client_id(frame)
        text = _text_field(frame)
        handoff = await self._handoff(frame, mine=True)
        message = await self.peer.note(handoff.id, self.me.id, text)
        await self.console.send({"type": "ack", "client_id": client_id, "handoff_id": handoff.id, "id": message.id})

    async def do_typing(self, frame: dict[str, Any]) -> None:
        """Show her that this supporter is typing, in a chat they have claimed."""
        handoff = await self._handoff(frame, mine=True)
        await self.peer.typing(handoff.id, self.me.id)

    async def do_transfer(self, frame: dict[str, Any]) -> None:
        """Hand a chat this supporter has claimed to another supporter of the tenant who is signed in now."""
        handoff = await self._handoff(frame, mine=True)
        to = _id_field(frame, "to")
        target = self.state.signed_in(self.me.tenant).get(to)
        if target is None or to == self.me.id:
            raise FrameError(
                "cannot_transfer",
                "You can only hand a chat to another supporter who is signed in now.",
                handoff_id=handoff.id,
            )
        await self.peer.transfer(handoff.id, self.me.id, target.id, target.display_name)
        log.info("console transfer handoff=%s supporter=%s to=%s", pseudonym(handoff.id), self.me.id, target.id)

    async def do_end(self, frame: dict[str, Any]) -> None:
        """End a chat this supporter has claimed, handing her back to the bot."""
        handoff = await self._handoff(frame, mine=True)
        await self.peer.end(handoff.id, self.me.id)
        log.info("console end handoff=%s supporter=%s", pseudonym(handoff.id), self.me.id)

    async def do_closing_note(self, frame: dict[str, Any]) -> None:
        """Record the closing note (an outcome, and any safeguarding concern) on an ended chat this supporter had."""
        handoff = await self._handoff(frame, mine=False)
        outcome, safeguarding = frame.get("outcome"), frame.get("safeguarding")
        if not isinstance(outcome, str) or not isinstance(safeguarding, bool):
            raise FrameError(
                "invalid_note", '"outcome" is one of the listed outcomes and "safeguarding" is true or false.'
            )
        await asyncio.to_thread(self.peer.handoffs.closing_note, handoff.id, self.me.id, outcome, safeguarding)
        await self.console.send({"type": "noted", "handoff_id": handoff.id})
        log.info("console closing note handoff=%s supporter=%s", pseudonym(handoff.id), self.me.id)

    async def do_canned(self, frame: dict[str, Any]) -> None:
        """List the canned replies, or let a coordinator add, edit or delete one; the tenant's consoles get the list."""
        action = frame.get("action", "list")
        tenant = self.me.tenant
        if action == "list":
            await self.console.send(await self.desk.canned_frame(tenant))
            return
        if action not in ("add", "edit", "delete"):
            raise FrameError("invalid_action", '"action" is list, add, edit or delete.')
        if not self.me.is_coordinator:
            raise FrameError("coordinators_only", "Only a coordinator can change the canned replies.")
        accounts = self.state.accounts
        title, text = frame.get("title"), frame.get("text")
        reply_id = frame.get("id")
        try:
            if action == "add":
                if not isinstance(title, str) or not isinstance(text, str):
                    raise SupporterError("A canned reply needs a title and some text.")
                await asyncio.to_thread(accounts.add_canned, tenant, title, text, self.me.id)
            elif not isinstance(reply_id, int) or isinstance(reply_id, bool):
                raise SupporterError("That canned reply no longer exists.")
            elif action == "edit":
                if not isinstance(title, str) or not isinstance(text, str):
                    raise SupporterError("A canned reply needs a title and some text.")
                await asyncio.to_thread(accounts.edit_canned, reply_id, tenant, title, text, self.me.id)
            else:
                await asyncio.to_thread(accounts.delete_canned, reply_id, tenant)
        except SupporterError as error:
            raise FrameError("canned_refused", str(error)) from None
        await broadcast_canned(self.app, tenant)

    async def do_audit(self, frame: dict[str, Any]) -> None:
        """Send the tenant's audit trail to a coordinator's console."""
        if not self.me.is_coordinator:
            raise FrameError("coordinators_only", "Only a coordinator can read the audit trail.")
        await self.console.send({"type": "audit", "events": await self.desk.audit(self.me.tenant)})


async def console_socket(request: web.Request) -> web.StreamResponse:
    """GET /console/ws: the live console, for a signed-in supporter on the gateway's own page."""
    origin = request.headers.get("Origin")
    if origin != own_origin(request):
        return no_store(error_response(403, "origin_not_allowed", "The console only runs on the gateway's own page."))
    found = await session_of(request)
    if found is None:
        return no_store(error_response(401, "signed_out", "Please sign in to the console first."))
    session, token = found
    tenant = request.app[TENANTS_KEY].get(session.supporter.tenant)
    if tenant is None:
        return no_store(error_response(403, "unknown_tenant", "Your account's charity is not set up on this gateway."))
    state = request.app[CONSOLE_KEY]
    ws = web.WebSocketResponse(max_msg_size=MAX_FRAME_BYTES, heartbeat=HEARTBEAT_SECONDS)
    await ws.prepare(request)
    console = Console(ws, session, token, tenant)
    state.consoles.add(console)
    reader = ConsoleSocket(console, request.app)
    try:
        await reader.run()
    finally:
        state.consoles.discard(console)
        if console.ready:
            peer = request.app[PEER_KEY]
            await peer.presence.disconnect(session.supporter.id)
            log.info("console disconnected supporter=%s", session.supporter.id)
            with contextlib.suppress(Exception):  # the others' team list; a failure here must not mask the close
                await peer.team_changed(tenant.id, session.supporter.id)
    return ws
