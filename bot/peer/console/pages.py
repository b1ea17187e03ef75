"""The console's page, script and styles, and its JSON routes: who is signed in, canned replies, the audit trail."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app_keys import TENANTS_KEY
from bot.crisis import readable
from bot.http import Refused
from bot.peer.console.auth import (
    CONSOLE_CSP,
    check_csrf,
    coordinators_only,
    refusals,
    session_of,
    signed_in,
)
from bot.peer.console.desk import CONSOLE_KEY, DESK_KEY
from bot.peer.supporters import (
    SupporterError,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"


@refusals
async def console_page(request: web.Request) -> web.StreamResponse:
    """GET /console/: the console, for a signed-in supporter."""
    if await session_of(request) is None:
        raise web.HTTPSeeOther("/console/login")
    return web.FileResponse(STATIC_DIR / "console.html")


async def console_root(request: web.Request) -> web.StreamResponse:
    """GET /console: a permanent redirect to /console/."""
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
    session, _ = await signed_in(request)
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
    session, _ = await signed_in(request)
    coordinators_only(session)
    events = await request.app[DESK_KEY].audit(session.supporter.tenant)
    return web.json_response({"events": events})


async def _canned_body(request: web.Request) -> tuple[str, str]:
    try:
        body = await request.json()
    except (ValueError, RecursionError):
        raise Refused(400, "invalid_json", 'Send JSON like {"title": "...", "text": "..."}.') from None
    if not isinstance(body, dict) or not isinstance(body.get("title"), str) or not isinstance(body.get("text"), str):
        raise Refused(400, "invalid_body", 'Send JSON like {"title": "...", "text": "..."}.')
    if readable(body["title"]) != body["title"] or readable(body["text"]) != body["text"]:
        raise Refused(400, "invalid_text", "The text holds a character that is not valid Unicode.")
    return body["title"], body["text"]


def _reply_id(request: web.Request) -> int:
    try:
        return int(request.match_info["reply_id"])
    except ValueError:
        raise Refused(404, "no_such_reply", "That canned reply no longer exists.") from None


@refusals
async def canned_list(request: web.Request) -> web.StreamResponse:
    """GET /console/api/canned: the tenant's canned replies."""
    session, _ = await signed_in(request)
    frame = await request.app[DESK_KEY].canned_frame(session.supporter.tenant)
    return web.json_response({"replies": frame["replies"]})


@refusals
async def canned_change(request: web.Request) -> web.StreamResponse:
    """POST /console/api/canned, PUT and DELETE /console/api/canned/{id}: coordinators keep the canned replies."""
    session, _ = await signed_in(request)
    check_csrf(request, session)
    coordinators_only(session)
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
        raise Refused(status, "canned_refused", str(error)) from None
    await broadcast_canned(request.app, tenant)
    return web.json_response(result, status=201 if request.method == "POST" else 200)


async def broadcast_canned(app: web.Application, tenant: str) -> None:
    """Send the tenant's canned replies to each of its consoles, after a change."""
    frame = await app[DESK_KEY].canned_frame(tenant)
    for console in app[CONSOLE_KEY].of_tenant(tenant):
        await console.send(frame)
