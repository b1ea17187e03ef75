"""Signing in and out of the console, its session cookie, CSRF checks and how its refusals are answered."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import WSCloseCode, web

from bot.app_keys import CONTACTS_KEY
from bot.http import Refused, error_response, own_origin, refused_response
from bot.peer.console.desk import CONSOLE_KEY, ConsoleState
from bot.peer.supporters import (
    SESSION_SECONDS,
    SIGN_IN_REFUSED,
    Session,
)

log = logging.getLogger("nightlight.console")


COOKIE = "nightlight_console"
LOGIN_COOKIE = "nightlight_console_signin"
COOKIE_PATH = "/console"
CSRF_HEADER = "X-CSRF-Token"
MAX_FORM_BYTES = 4 * 1024
ADDRESS_REFUSED = "Too many sign-in tries from this network. Please wait a few minutes and try again."
CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
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


def no_store(response: web.StreamResponse) -> web.StreamResponse:
    """Keep a console answer out of caches and give it the console's CSP and referrer policy; returns the response."""
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


def _login_token(state: ConsoleState, cookie: str) -> str:
    """The sign-in form's token: tied to the form's own cookie, so another site can neither read nor forge it."""
    return hmac.new(
        state.login_key, f"console-sign-in:{cookie}".encode("utf-8", "surrogatepass"), hashlib.sha256
    ).hexdigest()


def _login_page(token: str, error: str | None = None, username: str = "") -> str:
    shown = f'<p class="problem" role="alert">{html.escape(error)}</p>' if error else ""
    return LOGIN_PAGE.format(token=html.escape(token), error=shown, username=html.escape(username))


async def session_of(request: web.Request) -> tuple[Session, str] | None:
    """The session and token in the request's console cookie; None if there is no cookie or its session is not valid."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    session = await asyncio.to_thread(request.app[CONSOLE_KEY].accounts.session, token)
    return (session, token) if session else None


async def signed_in(request: web.Request) -> tuple[Session, str]:
    """The signed-in supporter's session and token; raises Refused (401) when nobody is signed in."""
    found = await session_of(request)
    if found is None:
        raise Refused(401, "signed_out", "Please sign in to the console first.")
    return found


def check_csrf(request: web.Request, session: Session, sent: object = None) -> None:
    """Raise Refused (403) without the session's CSRF token (header or `sent`), or from another site's origin."""
    token = request.headers.get(CSRF_HEADER) or sent
    if not isinstance(token, str) or not hmac.compare_digest(
        token.encode("utf-8", "surrogatepass"), session.csrf.encode()
    ):
        raise Refused(
            403, "csrf_failed", "This change was not sent from the console page. Reload the console and try again."
        )
    origin = request.headers.get("Origin")
    if origin is not None and origin != own_origin(request):
        raise Refused(403, "origin_not_allowed", "Changes can only be made from the console's own page.")


def coordinators_only(session: Session) -> None:
    """Raise Refused (403) unless the signed-in supporter is a coordinator."""
    if not session.supporter.is_coordinator:
        raise Refused(403, "coordinators_only", "Only a coordinator can do that.")


def refusals(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Answer a Refused as every route does (http.refused_response), and keep every console answer out of caches."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            response = await handler(request)
        except Refused as refused:
            response = refused_response(refused, request.app[CONTACTS_KEY])
        return no_store(response)

    wrapped.__doc__ = handler.__doc__
    return wrapped


@refusals
async def login_page(request: web.Request) -> web.StreamResponse:
    """GET /console/login: the sign-in form (or the console, for someone already signed in)."""
    if await session_of(request) is not None:
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
        raise Refused(413, "request_too_large", "That is too much to sign in with.")
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except (ValueError, RecursionError):
            raise Refused(400, "invalid_json", 'Send JSON like {"username": ..., "password": ...}.') from None
        if not isinstance(body, dict):
            raise Refused(400, "invalid_body", "Send a JSON object with username, password and csrf.")
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
        raise Refused(
            403, "csrf_failed", "The sign-in form had expired or came from another site. Open the sign-in page again."
        )
    username, password = fields.get("username", ""), fields.get("password", "")
    address = request.remote or "unknown"
    now = time.time()

    def refused(status: int, code: str, message: str) -> web.Response:
        if as_json:
            return error_response(status, code, message)
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
    session, token = await signed_in(request)
    sent: object = None
    if request.content_type != "application/json" and request.can_read_body:
        sent = (await request.post()).get("csrf")
    check_csrf(request, session, sent)
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
