"""The peer supporter console: sign-in (auth.py), its pages and JSON routes (pages.py), the live socket (socket.py)
and what the consoles see and do (desk.py).

Routes, all under /console:

    GET  /console/              the console page (sign in first)     GET  /console/login   the sign-in page
    POST /console/login         form or JSON, with the sign-in token POST /console/logout  ends the session
    GET  /console/api/me        who is signed in, and the CSRF token  GET  /console/ws      the live console
    GET  /console/api/canned    canned replies (POST to add; PUT and DELETE /console/api/canned/{id}: coordinators)
    GET  /console/api/audit     handoff events without message text (coordinators)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator

from aiohttp import WSCloseCode, web

from bot.app_keys import CONTACTS_KEY, MESSENGER_KEY, PEER_KEY, SETTINGS_KEY, TENANTS_KEY
from bot.peer.console.auth import login, login_page, logout
from bot.peer.console.desk import CONSOLE_KEY, DESK_KEY, ConsoleState, Desk
from bot.peer.console.pages import audit_json, canned_change, canned_list, console_asset, console_page, console_root, me
from bot.peer.console.socket import console_socket
from bot.peer.supporters import Supporters


def setup_console(app: web.Application) -> None:
    """Add the console's routes, its database and its live updates to the gateway."""
    state = ConsoleState(login_key=hashlib.sha256(b"console:" + app[SETTINGS_KEY].signing_secret()).digest())
    app[CONSOLE_KEY] = state

    async def console_ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS_KEY]
        state.supporters = Supporters(settings.store("console"))
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
