"""The peer supporter console: sign-in, the live queue and chats over a WebSocket, canned replies and the audit trail.

Routes, all under /console:

    GET  /console/              the console page (sign in first)     GET  /console/login   the sign-in page
    POST /console/login         form or JSON, with the sign-in token POST /console/logout  ends the session
    GET  /console/api/me        who is signed in, and the CSRF token  GET  /console/ws      the live console
    GET  /console/api/canned    canned replies (POST to add; PUT and DELETE /console/api/canned/{id}: coordinators)
    GET  /console/api/audit     handoff events without message text (coordinators)

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
import hashlib
import hmac
import html
import json
import logging
import secrets
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.app_keys import CONTACTS_KEY, MESSENGER_KEY, PEER_KEY, SETTINGS_KEY, TENANTS_KEY
from bot.contacts import Contacts
from bot.conversation import pseudonym
from bot.crisis import crisis_reply, readable
from bot.handoff import OUTCOMES, Handoff, HandoffError, HandoffMessage, Status
from bot.messenger import Messenger
from bot.peer import PeerSupport
from bot.supporters import (
    SESSION_SECONDS,
    SIGN_IN_REFUSED,
    Session,
    Supporter,
    SupporterError,
    Supporters,
)
from bot.tenants import LONDON, Tenant, Tenants
from nlu.screen import Screening, screen

log = logging.getLogger("nightlight.console")

STATIC_DIR = Path(__file__).resolve().parent / "static"
COOKIE = "nightlight_console"
LOGIN_COOKIE = "nightlight_console_signin"
COOKIE_PATH = "/console"
CSRF_HEADER = "X-CSRF-Token"
MAX_FRAME_BYTES = 16 * 1024
MAX_FORM_BYTES = 4 * 1024
HEARTBEAT_SECONDS = 25.0
HELLO_SECONDS = 10.0
SESSION_CHECK_SECONDS = 30.0
MAX_TEXT_CHARS = 4000
HOURS_CHECK_SECONDS = 20.0
DELETED_BY_HER = "She deleted this conversation. Everything she wrote has gone from Nightlight."
MAX_CLIENT_ID_CHARS = 64
# Sign-in attempts that fail from one address, before that address waits (the per-account lockout is in supporters).
ADDRESS_FAILURES = 30
ADDRESS_WINDOW_SECONDS = 15 * 60
ADDRESS_REFUSED = "Too many sign-in tries from this network. Please wait a few minutes and try again."

CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
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

LOGIN_PAGE = """<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="csrf-token" content="{token}">
  <title>Sign in · Nightlight peer support</title>
  <link rel="stylesheet" href="/console/console.css">
</head>
<body class="signin">
  <main>
    <h1>Nightlight peer support</h1>
    <p>Sign in to see who is waiting.</p>
    {error}
    <form method="post" action="/console/login">
      <input type="hidden" name="csrf" value="{token}">
      <label for="username">Username</label>
      <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false"
             required maxlength="40" value="{username}">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required
             maxlength="1024">
      <button type="submit">Sign in</button>
    </form>
  </main>
</body>
</html>
"""


class ConsoleRefused(Exception):
    """A request the console refuses, with an HTTP status, a code and a sentence for the supporter."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class FrameError(ValueError):
    """A console frame we cannot act on; the error frame says why."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def error_json(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def own_origin(request: web.Request) -> str:
    """The gateway's own scheme://host, as the browser sees it."""
    return f"{request.scheme}://{request.host}"


def _no_store(response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = CONSOLE_CSP
    # Not the gateway's usual no-referrer: under it a browser sends "Origin: null" even on same-origin POSTs, and the
    # sign-in form and sign-out could not prove where they came from. Other sites still get no referrer.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        path=COOKIE_PATH,
        max_age=max_age,
        httponly=True,
        samesite="Strict",
        secure=request.secure,
    )


def _clear_cookie(response: web.StreamResponse, name: str) -> None:
    response.del_cookie(name, path=COOKIE_PATH)


# ---- what the consoles are sent -------------------------------------------------------------------------------


def routes_given(safety: Screening, contacts: Contacts, nation: str) -> list[str]:
    """The routes the gateway's crisis reply gave her for this screening, as lines from the contacts data."""
    reply = crisis_reply(safety, contacts, nation)
    return contacts.lines(reply.routes, nation)


@dataclass
class Names:
    """Supporters' first names by id, read from the accounts once and kept."""

    supporters: Supporters
    known: dict[str, str] = field(default_factory=dict)

    def __call__(self, supporter_id: str | None) -> str | None:
        if not supporter_id:
            return None
        if supporter_id not in self.known:
            found = self.supporters.get(supporter_id)
            if found is None:
                return None
            self.known[supporter_id] = found.display_name
        return self.known[supporter_id]


class Console:
    """One open console socket: whose it is, and which chats it shows."""

    def __init__(self, ws: web.WebSocketResponse, session: Session, token: str, tenant: Tenant) -> None:
        self.ws = ws
        self.session = session
        self.token = token
        self.tenant = tenant
        self.ready = False
        self.open_chats: set[str] = set()

    @property
    def supporter(self) -> Supporter:
        return self.session.supporter

    async def send(self, frame: dict[str, Any]) -> bool:
        """Send a frame if the socket is open; a closed socket is not an error."""
        if self.ws.closed:
            return False
        try:
            await self.ws.send_json(frame)
        except (ConnectionError, RuntimeError):
            return False
        return True


@dataclass
class ConsoleState:
    """Open consoles, the accounts database, and recent failed sign-ins by address."""

    supporters: Supporters | None = None
    consoles: set[Console] = field(default_factory=set)
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    login_key: bytes = b""

    @property
    def accounts(self) -> Supporters:
        if self.supporters is None:
            raise RuntimeError("the console's database is not open yet")
        return self.supporters

    def of_tenant(self, tenant: str) -> list[Console]:
        return [c for c in self.consoles if c.ready and c.tenant.id == tenant]

    def of_supporter(self, supporter: str) -> list[Console]:
        return [c for c in self.consoles if c.ready and c.supporter.id == supporter]

    def signed_in(self, tenant: str) -> dict[str, Supporter]:
        return {c.supporter.id: c.supporter for c in self.of_tenant(tenant)}

    def too_many_failures(self, address: str, now: float) -> bool:
        times = self.failures[address]
        while times and now - times[0] >= ADDRESS_WINDOW_SECONDS:
            times.popleft()
        if not times:
            del self.failures[address]
            return False
        return len(times) >= ADDRESS_FAILURES

    def failed(self, address: str, now: float) -> None:
        if len(self.failures) > 10_000:  # addresses that went quiet are dropped before the map grows without bound
            self.failures = defaultdict(
                deque, {a: t for a, t in self.failures.items() if t and now - t[-1] < ADDRESS_WINDOW_SECONDS}
            )
        self.failures[address].append(now)


CONSOLE_KEY = web.AppKey("console", ConsoleState)


class Desk:
    """What the console shows and does, over the peer-support core (shared by the socket and the JSON routes)."""

    def __init__(
        self,
        state: ConsoleState,
        peer: PeerSupport,
        messenger: Messenger,
        contacts: Contacts,
        tenants: Tenants,
    ) -> None:
        self.state = state
        self.peer = peer
        self.messenger = messenger
        self.contacts = contacts
        self.tenants = tenants
        self.names = Names(state.accounts)

    # ---- shapes ------------------------------------------------------------------------------------------------

    def card(self, handoff: Handoff) -> dict[str, Any]:
        card = self.peer.card(handoff)
        card["supporter_name"] = self.names(handoff.supporter)
        return card

    def message(
        self, message: dict[str, Any], conversation: str, safety: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message as the console shows it: with the supporter's first name, and the routes she was given
        when hers was a crisis."""
        shown = dict(message)
        shown["supporter_name"] = self.names(message.get("supporter"))
        if message.get("author") == "her" and message.get("urgent"):
            if safety and safety.get("level") == "crisis":
                screening = Screening("crisis", tuple(str(c) for c in safety.get("categories", ())))
            else:
                screening = screen(str(message.get("text", "")))
            if screening.level == "crisis":
                shown["routes"] = routes_given(screening, self.contacts, self.messenger.nation(conversation))
        return shown

    def stored_message(self, message: HandoffMessage, conversation: str) -> dict[str, Any]:
        return self.message(
            {
                "id": message.id,
                "author": message.author,
                "supporter": message.supporter,
                "text": message.text,
                "urgent": message.urgent,
                "at": message.created_at,
            },
            conversation,
        )

    async def chat(self, handoff: Handoff) -> dict[str, Any]:
        """A claimed chat: the card, every message (notes too), and the earlier conversation only if she agreed."""
        messages = await asyncio.to_thread(self.peer.handoffs.messages, handoff.id)
        transcript = await asyncio.to_thread(self.peer.transcript, handoff)
        return {
            "handoff": await asyncio.to_thread(self.card, handoff),
            "messages": [self.stored_message(m, handoff.conversation) for m in messages],
            "transcript": transcript,
        }

    async def queue_frame(self, tenant: str) -> dict[str, Any]:
        # Each card reads her last message and when she wrote it: off the event loop, like every other read.
        cards = await asyncio.to_thread(lambda: [self.card(h) for h in self.peer.handoffs.queue(tenant)])
        return {"type": "queue", "handoffs": cards, "now": time.time()}

    def team_frame(self, tenant: Tenant, is_open: bool | None = None) -> dict[str, Any]:
        supporters = [
            {**s.public(), "on_shift": self.peer.presence.on_shift(s.id)}
            for s in sorted(self.state.signed_in(tenant.id).values(), key=lambda s: s.display_name)
        ]
        if is_open is None:
            is_open = tenant.peer_support_open(datetime.now(LONDON))
        return {"type": "team", "supporters": supporters, "open": is_open}

    async def canned_frame(self, tenant: str) -> dict[str, Any]:
        replies = await asyncio.to_thread(self.state.accounts.canned, tenant)
        return {"type": "canned", "replies": [r.as_dict() for r in replies]}

    async def audit(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's handoff events, newest first: who, what, when and how long, never what was said."""
        rows = await asyncio.to_thread(self.peer.handoffs.audit, tenant)
        events = []
        for row in rows:
            event = dict(row)
            event["supporter"] = self.names(row["supporter"]) or row["supporter"]
            name = str(row["event"])
            if name.startswith("transferred to "):
                to = name.removeprefix("transferred to ")
                event["event"] = "transferred"
                event["to"] = self.names(to) or to
            events.append(event)
        return events

    # ---- pushing to consoles -----------------------------------------------------------------------------------

    async def broadcast_queue(self, tenant: str) -> None:
        frame = await self.queue_frame(tenant)
        for console in self.state.of_tenant(tenant):
            await console.send(frame)

    async def broadcast_team(self, tenant: Tenant, is_open: bool | None = None) -> None:
        frame = self.team_frame(tenant, is_open)
        for console in self.state.of_tenant(tenant.id):
            await console.send(frame)

    async def follow_the_hours(
        self, interval: float = HOURS_CHECK_SECONDS, clock: Callable[[], datetime] = lambda: datetime.now(LONDON)
    ) -> None:
        """When a tenant's peer-support hours begin or end, tell its consoles, so the banner and the on-shift
        words always agree with what mothers are told."""
        was_open = {tenant.id: tenant.peer_support_open(clock()) for tenant in list(self.tenants)}
        while True:
            await asyncio.sleep(interval)
            for tenant in list(self.tenants):
                is_open = tenant.peer_support_open(clock())
                if was_open.get(tenant.id, is_open) != is_open:
                    try:
                        await self.broadcast_team(tenant, is_open)
                    except Exception as error:  # tried again at the next change; the loop must go on
                        log.warning("hours broadcast failed error=%s", type(error).__name__)
                was_open[tenant.id] = is_open

    async def send_chat(self, handoff: Handoff) -> None:
        if handoff.supporter is None:
            return
        frame = {"type": "chat", "chat": await self.chat(handoff)}
        for console in self.state.of_supporter(handoff.supporter):
            console.open_chats.add(handoff.id)
            await console.send(frame)

    async def close_chat(self, handoff: Handoff, reason: str, message: str, keep: str | None = None) -> None:
        for console in list(self.state.consoles):
            if handoff.id in console.open_chats and console.supporter.id != keep:
                console.open_chats.discard(handoff.id)
                await console.send(
                    {"type": "chat_closed", "handoff_id": handoff.id, "reason": reason, "message": message}
                )

    async def deleted(self, handoff_id: str, tenant: str) -> None:
        """She deleted her data: her card and any open chat go from every console, which is told why."""
        frame = {"type": "deleted", "handoff_id": handoff_id, "message": DELETED_BY_HER}
        for console in self.state.of_tenant(tenant):
            console.open_chats.discard(handoff_id)
            await console.send(frame)
        await self.broadcast_queue(tenant)

    async def on_event(self, event: dict[str, Any]) -> None:
        """An event from the peer-support core: keep every console of that tenant up to date."""
        kind = event.get("type")
        handoff_id = event.get("handoff_id") or (event.get("handoff") or {}).get("id")
        if not isinstance(handoff_id, str):
            return
        if kind == "deleted":
            await self.deleted(handoff_id, str(event.get("tenant", "")))
            return
        try:
            handoff = await asyncio.to_thread(self.peer.handoffs.get, handoff_id)
        except HandoffError:
            return  # deleted at her request in the meantime
        tenant = handoff.tenant
        if kind == "presence":
            if handoff.status is Status.CLAIMED and handoff.supporter:
                frame = {key: event.get(key) for key in ("handoff_id", "connected", "typing", "last_wrote_at")}
                for console in self.state.of_supporter(handoff.supporter):
                    await console.send({"type": "presence", **frame})
            return
        if kind == "message":
            message = self.message(event.get("message") or {}, handoff.conversation, event.get("safety"))
            frame = {"type": "message", "handoff_id": handoff.id, "message": message}
            if handoff.status is Status.CLAIMED and handoff.supporter:
                for console in self.state.of_supporter(handoff.supporter):
                    await console.send(frame)
            else:
                await self.broadcast_queue(tenant)
            return
        await self.broadcast_queue(tenant)
        if kind == "queued":
            alert = {"type": "new_handoff", "handoff_id": handoff.id, "urgent": handoff.urgent}
            for console in self.state.of_tenant(tenant):
                await console.send(alert)
        elif kind == "claimed":
            await self.send_chat(handoff)
        elif kind == "transferred":
            to = self.names(handoff.supporter) or "another supporter"
            await self.close_chat(handoff, "transferred", f"You handed this chat to {to}.", keep=handoff.supporter)
            await self.send_chat(handoff)
        elif kind == "ended":
            by_her = event.get("by") == "her"
            why = "She went back to the bot, so this chat has ended." if by_her else "This chat has ended."
            await self.close_chat(handoff, "ended", why)
        elif kind == "expired":
            await self.close_chat(handoff, "expired", "This request waited too long and has closed.")


DESK_KEY = web.AppKey("console_desk", Desk)


# ---- sign-in ---------------------------------------------------------------------------------------------------


def _login_token(state: ConsoleState, cookie: str) -> str:
    """The sign-in form's token: tied to the form's own cookie, so another site can neither read nor forge it."""
    return hmac.new(
        state.login_key, f"console-sign-in:{cookie}".encode("utf-8", "surrogatepass"), hashlib.sha256
    ).hexdigest()


def _login_page(token: str, error: str | None = None, username: str = "") -> str:
    shown = f'<p class="problem" role="alert">{html.escape(error)}</p>' if error else ""
    return LOGIN_PAGE.format(token=html.escape(token), error=shown, username=html.escape(username))


async def _session(request: web.Request) -> tuple[Session, str] | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    session = await asyncio.to_thread(request.app[CONSOLE_KEY].accounts.session, token)
    return (session, token) if session else None


async def _signed_in(request: web.Request) -> tuple[Session, str]:
    found = await _session(request)
    if found is None:
        raise ConsoleRefused(401, "signed_out", "Please sign in to the console first.")
    return found


def _check_csrf(request: web.Request, session: Session, sent: object = None) -> None:
    token = request.headers.get(CSRF_HEADER) or sent
    if not isinstance(token, str) or not hmac.compare_digest(
        token.encode("utf-8", "surrogatepass"), session.csrf.encode()
    ):
        raise ConsoleRefused(
            403, "csrf_failed", "This change was not sent from the console page. Reload the console and try again."
        )
    origin = request.headers.get("Origin")
    if origin is not None and origin != own_origin(request):
        raise ConsoleRefused(403, "origin_not_allowed", "Changes can only be made from the console's own page.")


def _coordinator(session: Session) -> None:
    if not session.supporter.is_coordinator:
        raise ConsoleRefused(403, "coordinators_only", "Only a coordinator can do that.")


def refusals(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Turn a ConsoleRefused into the gateway's JSON error, and keep every console answer out of caches."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            response = await handler(request)
        except ConsoleRefused as refused:
            response = error_json(refused.status, refused.code, refused.message)
        return _no_store(response)

    wrapped.__doc__ = handler.__doc__
    return wrapped


@refusals
async def login_page(request: web.Request) -> web.StreamResponse:
    """GET /console/login: the sign-in form (or the console, for someone already signed in)."""
    if await _session(request) is not None:
        raise web.HTTPSeeOther("/console/")
    state = request.app[CONSOLE_KEY]
    cookie = request.cookies.get(LOGIN_COOKIE) or ""
    if len(cookie) != 43:
        cookie = secrets.token_urlsafe(32)
    response = web.Response(text=_login_page(_login_token(state, cookie)), content_type="text/html", charset="utf-8")
    _set_cookie(response, request, LOGIN_COOKIE, cookie, 3600)
    return response


async def _login_fields(request: web.Request) -> tuple[dict[str, str], bool]:
    """The sign-in fields from a form or a JSON body, and whether it was JSON."""
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        raise ConsoleRefused(413, "request_too_large", "That is too much to sign in with.")
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except (ValueError, RecursionError):
            raise ConsoleRefused(400, "invalid_json", 'Send JSON like {"username": ..., "password": ...}.') from None
        if not isinstance(body, dict):
            raise ConsoleRefused(400, "invalid_body", "Send a JSON object with username, password and csrf.")
        return {k: v for k, v in body.items() if isinstance(v, str)}, True
    form = await request.post()
    return {k: v for k, v in form.items() if isinstance(v, str)}, False


@refusals
async def login(request: web.Request) -> web.StreamResponse:
    """POST /console/login: check the sign-in token and origin, then the password; start a session."""
    state = request.app[CONSOLE_KEY]
    fields, as_json = await _login_fields(request)
    cookie = request.cookies.get(LOGIN_COOKIE) or ""
    sent = request.headers.get(CSRF_HEADER) or fields.get("csrf") or ""
    origin = request.headers.get("Origin")
    if (
        not cookie
        or not hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), _login_token(state, cookie).encode())
        or (origin is not None and origin != own_origin(request))
    ):
        raise ConsoleRefused(
            403, "csrf_failed", "The sign-in form had expired or came from another site. Open the sign-in page again."
        )
    username, password = fields.get("username", ""), fields.get("password", "")
    address = request.remote or "unknown"
    now = time.time()

    def refused(status: int, code: str, message: str) -> web.Response:
        if as_json:
            return error_json(status, code, message)
        page = _login_page(_login_token(state, cookie), message, username[:40])
        return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")

    if state.too_many_failures(address, now):
        return refused(429, "too_many_tries", ADDRESS_REFUSED)
    supporter = await asyncio.to_thread(state.accounts.authenticate, username, password)
    if supporter is None:
        state.failed(address, now)
        log.info("console sign-in refused")
        return refused(401, "sign_in_refused", SIGN_IN_REFUSED)
    token, session = await asyncio.to_thread(state.accounts.start_session, supporter)
    log.info("console sign-in supporter=%s", supporter.id)
    response: web.Response
    if as_json:
        response = web.json_response({"supporter": supporter.public(), "csrf": session.csrf})
    else:
        response = web.Response(status=303, headers={"Location": "/console/"})
    _set_cookie(response, request, COOKIE, token, SESSION_SECONDS)
    _clear_cookie(response, LOGIN_COOKIE)
    return response


@refusals
async def logout(request: web.Request) -> web.StreamResponse:
    """POST /console/logout: end this session (with the CSRF token, so no other site can sign her out)."""
    session, token = await _signed_in(request)
    sent: object = None
    if request.content_type != "application/json" and request.can_read_body:
        sent = (await request.post()).get("csrf")
    _check_csrf(request, session, sent)
    await asyncio.to_thread(request.app[CONSOLE_KEY].accounts.end_session, token)
    for console in list(request.app[CONSOLE_KEY].consoles):
        if console.token == token:
            await console.send({"type": "signed_out", "message": "You have signed out."})
            await console.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"signed out")
    log.info("console sign-out supporter=%s", session.supporter.id)
    response: web.Response
    if request.content_type == "application/json" or request.headers.get(CSRF_HEADER):
        response = web.json_response({"signed_out": True})
    else:
        response = web.Response(status=303, headers={"Location": "/console/login"})
    _clear_cookie(response, COOKIE)
    return response


# ---- pages and JSON --------------------------------------------------------------------------------------------


@refusals
async def console_page(request: web.Request) -> web.StreamResponse:
    """GET /console/: the console, for a signed-in supporter."""
    if await _session(request) is None:
        raise web.HTTPSeeOther("/console/login")
    return web.FileResponse(STATIC_DIR / "console.html")


async def console_root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPMovedPermanently("/console/")


async def console_asset(request: web.Request) -> web.StreamResponse:
    """GET /console/console.js and /console/console.css (no data in them, so no sign-in needed)."""
    name = request.match_info["name"]
    kind = "text/javascript" if name.endswith(".js") else "text/css"
    response = web.FileResponse(
        STATIC_DIR / name, headers={"Cache-Control": "no-cache", "Content-Type": f"{kind}; charset=utf-8"}
    )
    response.headers["Content-Security-Policy"] = CONSOLE_CSP
    return response


@refusals
async def me(request: web.Request) -> web.StreamResponse:
    """GET /console/api/me: who is signed in, her tenant, and the CSRF token for changes and the socket."""
    session, _ = await _signed_in(request)
    tenant = request.app[TENANTS_KEY].get(session.supporter.tenant)
    return web.json_response(
        {
            "supporter": session.supporter.public(),
            "tenant": {"id": tenant.id, "name": tenant.name} if tenant else None,
            "csrf": session.csrf,
            "expires_at": session.expires_at,
        }
    )


@refusals
async def audit_json(request: web.Request) -> web.StreamResponse:
    """GET /console/api/audit: handoff events for the coordinator's tenant, without any message text."""
    session, _ = await _signed_in(request)
    _coordinator(session)
    events = await request.app[DESK_KEY].audit(session.supporter.tenant)
    return web.json_response({"events": events})


async def _canned_body(request: web.Request) -> tuple[str, str]:
    try:
        body = await request.json()
    except (ValueError, RecursionError):
        raise ConsoleRefused(400, "invalid_json", 'Send JSON like {"title": "...", "text": "..."}.') from None
    if not isinstance(body, dict) or not isinstance(body.get("title"), str) or not isinstance(body.get("text"), str):
        raise ConsoleRefused(400, "invalid_body", 'Send JSON like {"title": "...", "text": "..."}.')
    if readable(body["title"]) != body["title"] or readable(body["text"]) != body["text"]:
        raise ConsoleRefused(400, "invalid_text", "The text holds a character that is not valid Unicode.")
    return body["title"], body["text"]


def _reply_id(request: web.Request) -> int:
    try:
        return int(request.match_info["reply_id"])
    except ValueError:
        raise ConsoleRefused(404, "no_such_reply", "That canned reply no longer exists.") from None


@refusals
async def canned_list(request: web.Request) -> web.StreamResponse:
    """GET /console/api/canned: the tenant's canned replies."""
    session, _ = await _signed_in(request)
    frame = await request.app[DESK_KEY].canned_frame(session.supporter.tenant)
    return web.json_response({"replies": frame["replies"]})


@refusals
async def canned_change(request: web.Request) -> web.StreamResponse:
    """POST /console/api/canned, PUT and DELETE /console/api/canned/{id}: coordinators keep the canned replies."""
    session, _ = await _signed_in(request)
    _check_csrf(request, session)
    _coordinator(session)
    accounts, tenant, by = request.app[CONSOLE_KEY].accounts, session.supporter.tenant, session.supporter.id
    try:
        if request.method == "POST":
            title, text = await _canned_body(request)
            reply = await asyncio.to_thread(accounts.add_canned, tenant, title, text, by)
            result: dict[str, Any] = {"reply": reply.as_dict()}
        elif request.method == "PUT":
            title, text = await _canned_body(request)
            reply = await asyncio.to_thread(accounts.edit_canned, _reply_id(request), tenant, title, text, by)
            result = {"reply": reply.as_dict()}
        else:
            await asyncio.to_thread(accounts.delete_canned, _reply_id(request), tenant)
            result = {"deleted": True}
    except SupporterError as error:
        status = 404 if "no longer exists" in str(error) else 400
        raise ConsoleRefused(status, "canned_refused", str(error)) from None
    await _broadcast_canned(request.app, tenant)
    return web.json_response(result, status=201 if request.method == "POST" else 200)


async def _broadcast_canned(app: web.Application, tenant: str) -> None:
    frame = await app[DESK_KEY].canned_frame(tenant)
    for console in app[CONSOLE_KEY].of_tenant(tenant):
        await console.send(frame)


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
        sent = frame.get("csrf")
        if not isinstance(sent, str) or not hmac.compare_digest(
            sent.encode("utf-8", "surrogatepass"), self.console.session.csrf.encode()
        ):
            raise FrameError("csrf_failed", "This console could not prove it is yours. Reload the page.")
        self.console.ready = True
        self.peer.presence.connect(self.me.id, self.console.tenant.id)
        self.peer.introduce(self.me.id, self.me.display_name)
        log.info("console connected supporter=%s", self.me.id)
        tenant = self.console.tenant
        await self.console.send(
            {
                "type": "welcome",
                "supporter": self.me.public(),
                "tenant": {"id": tenant.id, "name": tenant.name},
                "on_shift": self.peer.presence.on_shift(self.me.id),
                "outcomes": OUTCOMES,
            }
        )
        await self.desk.broadcast_team(tenant)
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
                        await self.console.send(
                            {"type": "error", "code": error.code, "message": error.message, **error.extra}
                        )
                elif message.type is WSMsgType.ERROR:
                    break
        finally:
            checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await checker

    async def send_error(self, error: FrameError) -> None:
        await self.console.send({"type": "error", "code": error.code, "message": error.message, **error.extra})

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
            await self.console.send({"type": "error", "code": error.code, "message": error.message})
            return False
        return True

    async def _check_session(self) -> None:
        # A disabled account or an ended session closes its consoles within this long, even when they are quiet.
        while not self.console.ws.closed:
            await asyncio.sleep(SESSION_CHECK_SECONDS)
            if not await self.still_signed_in():
                return

    async def handle(self, data: str) -> None:
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
        on = frame.get("on")
        if not isinstance(on, bool):
            raise FrameError("invalid_shift", '"on" must be true or false.')
        self.peer.presence.set_on_shift(self.me.id, on)
        log.info("console shift supporter=%s on=%s", self.me.id, on)
        for console in self.state.of_supporter(self.me.id):
            await console.send({"type": "shift", "on": self.peer.presence.on_shift(self.me.id)})
        await self.desk.broadcast_team(self.console.tenant)

    async def do_claim(self, frame: dict[str, Any]) -> None:
        handoff = await self._handoff(frame, mine=False)
        if not self.peer.presence.on_shift(self.me.id):
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
        client_id = self._client_id(frame)
        text = _text_field(frame)
        handoff = await self._handoff(frame, mine=True)
        message = await self.peer.say(handoff.id, self.me.id, text)
        await self.console.send({"type": "ack", "client_id": client_id, "handoff_id": handoff.id, "id": message.id})

    async def do_note(self, frame: dict[str, Any]) -> None:
        client_id = self._client_id(frame)
        text = _text_field(frame)
        handoff = await self._handoff(frame, mine=True)
        message = await self.peer.note(handoff.id, self.me.id, text)
        await self.console.send({"type": "ack", "client_id": client_id, "handoff_id": handoff.id, "id": message.id})

    async def do_typing(self, frame: dict[str, Any]) -> None:
        handoff = await self._handoff(frame, mine=True)
        await self.peer.typing(handoff.id, self.me.id)

    async def do_transfer(self, frame: dict[str, Any]) -> None:
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
        handoff = await self._handoff(frame, mine=True)
        await self.peer.end(handoff.id, self.me.id)
        log.info("console end handoff=%s supporter=%s", pseudonym(handoff.id), self.me.id)

    async def do_closing_note(self, frame: dict[str, Any]) -> None:
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
        await _broadcast_canned(self.app, tenant)

    async def do_audit(self, frame: dict[str, Any]) -> None:
        if not self.me.is_coordinator:
            raise FrameError("coordinators_only", "Only a coordinator can read the audit trail.")
        await self.console.send({"type": "audit", "events": await self.desk.audit(self.me.tenant)})


async def console_socket(request: web.Request) -> web.StreamResponse:
    """GET /console/ws: the live console, for a signed-in supporter on the gateway's own page."""
    origin = request.headers.get("Origin")
    if origin != own_origin(request):
        return _no_store(error_json(403, "origin_not_allowed", "The console only runs on the gateway's own page."))
    found = await _session(request)
    if found is None:
        return _no_store(error_json(401, "signed_out", "Please sign in to the console first."))
    session, token = found
    tenant = request.app[TENANTS_KEY].get(session.supporter.tenant)
    if tenant is None:
        return _no_store(error_json(403, "unknown_tenant", "Your account's charity is not set up on this gateway."))
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
            request.app[PEER_KEY].presence.disconnect(session.supporter.id)
            log.info("console disconnected supporter=%s", session.supporter.id)
            with contextlib.suppress(Exception):  # the others' team list; a failure here must not mask the close
                await request.app[DESK_KEY].broadcast_team(tenant)
    return ws


def setup_console(app: web.Application) -> None:
    """Add the console's routes, its database and its live updates to the gateway."""
    state = ConsoleState(login_key=hashlib.sha256(b"console:" + app[SETTINGS_KEY].signing_secret()).digest())
    app[CONSOLE_KEY] = state

    async def console_ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS_KEY]
        state.supporters = Supporters(settings.data_dir / "console.db")
        desk = Desk(state, app[PEER_KEY], app[MESSENGER_KEY], app[CONTACTS_KEY], app[TENANTS_KEY])
        app[DESK_KEY] = desk
        unsubscribe = app[PEER_KEY].subscribe(desk.on_event)
        hours = asyncio.create_task(desk.follow_the_hours())
        try:
            yield
        finally:
            hours.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await hours
            unsubscribe()
            state.supporters.close()

    async def close_sockets(app: web.Application) -> None:
        # "Going away": consoles reconnect and load their chats again once the gateway is back.
        for console in list(state.consoles):
            await console.ws.close(code=WSCloseCode.GOING_AWAY, message=b"the server is restarting")

    app.cleanup_ctx.append(console_ctx)
    app.on_shutdown.append(close_sockets)
    app.router.add_get("/console", console_root)
    app.router.add_get("/console/", console_page)
    app.router.add_get("/console/login", login_page)
    app.router.add_post("/console/login", login)
    app.router.add_post("/console/logout", logout)
    app.router.add_get("/console/api/me", me)
    app.router.add_get("/console/api/audit", audit_json)
    app.router.add_get("/console/api/canned", canned_list)
    app.router.add_post("/console/api/canned", canned_change)
    app.router.add_put("/console/api/canned/{reply_id}", canned_change)
    app.router.add_delete("/console/api/canned/{reply_id}", canned_change)
    app.router.add_get("/console/ws", console_socket)
    app.router.add_get("/console/{name:console\\.(?:js|css)}", console_asset)
