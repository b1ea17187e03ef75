"""The website widget: its socket (socket.py), its pages and script (pages.py) and her session tokens (sessions.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import WSCloseCode, web

from bot.app_keys import MESSENGER_KEY, PEER_KEY, SETTINGS_KEY, SHARED_KEY
from bot.widget.pages import demo_css, demo_page, tenant_logo, widget_config, widget_script
from bot.widget.sessions import TokenSigner
from bot.widget.socket import CHANNEL, SIGNER_KEY, WIDGET_KEY, WidgetState, widget_socket


def setup_widget(app: web.Application) -> None:
    """Add the widget's routes and background work to the gateway."""
    state = WidgetState(shared=app[SHARED_KEY])
    app[WIDGET_KEY] = state
    app[SIGNER_KEY] = TokenSigner(app[SETTINGS_KEY].signing_secret())

    async def widget_channel(app: web.Application) -> AsyncIterator[None]:
        # Replies made without her socket waiting (after a restart, say) go to her open sockets, if any.
        app[MESSENGER_KEY].on_channel(CHANNEL, state.push, state.push_typing)
        if PEER_KEY in app:
            state.watcher = app[PEER_KEY].her_presence
        # Replies and typing for her sockets here, from other gateways.
        unsubscribe = state.shared.bus.subscribe(state.on_event)
        catching_up = asyncio.create_task(state.catch_up_while_down())
        try:
            yield
        finally:
            unsubscribe()
            catching_up.cancel()
            await asyncio.gather(catching_up, return_exceptions=True)
            # Messages still being answered stay stored as unanswered; the next start answers them.
            tasks = list(state.tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def close_sockets(app: web.Application) -> None:
        # "Going away": the widget reconnects and resumes once the gateway is back.
        for ws in list(state.sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"the server is restarting")

    app.cleanup_ctx.append(widget_channel)
    app.on_shutdown.append(close_sockets)
    app.router.add_get("/", demo_page)
    app.router.add_get("/demo.css", demo_css)
    app.router.add_get("/widget.js", widget_script)
    app.router.add_get("/widget/config", widget_config)
    app.router.add_get("/widget/ws", widget_socket)
    app.router.add_get("/tenants/{tenant_id}/logo", tenant_logo)
