"""The gateway: one aiohttp application that wires the stores, the channels (REST API, widget, Telegram) and the
peer supporters' console together, and starts and stops their background work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.answers.rasa_client import RasaClient
from bot.api import setup_api
from bot.app_keys import (
    CONTACTS_KEY,
    CONVERSATIONS_KEY,
    HTTP_KEY,
    MESSENGER_KEY,
    PEER_KEY,
    RASA_KEY,
    RISK_KEY,
    RISK_STATUS_KEY,
    SETTINGS_KEY,
    SHARED_KEY,
    TENANTS_KEY,
)
from bot.contacts import Contacts
from bot.conversation import Conversations
from bot.db import private_dir
from bot.http import error_middleware, json_parse_errors, proxy_middleware
from bot.messenger import Messenger, Outbox
from bot.peer.console import setup_console
from bot.peer.handoff import Handoffs
from bot.peer.support import PeerSupport
from bot.processes.logs import quiet_bad_requests
from bot.safety.state import SafetyStates
from bot.settings import MAX_REQUEST_BYTES, Settings
from bot.shared import SharedState
from bot.store import MessageStore
from bot.telegram import setup_telegram
from bot.tenants import TenantError, Tenants
from bot.widget import setup_widget
from nlu.risk import load_risk_layer

log = logging.getLogger("nightlight.gateway")

TENANT_CHECK_SECONDS = 5.0  # how soon a change to a tenant file takes effect
MAX_REQUEST_LINE = 64 * 1024
# A message unanswered this long after Rasa's timeout was left by a gateway that stopped: another answers it.
STALE_MARGIN_SECONDS = 20.0


async def watch_tenants(tenants: Tenants, interval: float = TENANT_CHECK_SECONDS) -> None:
    """Take in changes to the tenant files every `interval` seconds, without a restart; a file with a mistake is
    reported in the log and the tenants stay as they were until it is put right."""
    while True:
        await asyncio.sleep(interval)
        try:
            if await asyncio.to_thread(tenants.reload_if_changed):
                log.info("tenant files changed: reloaded tenants=%s", ",".join(sorted(tenants.by_id)))
        except TenantError as error:
            log.error("tenant files changed but were not reloaded: %s", error)
        except OSError as error:
            log.error("tenant files could not be read: %s", type(error).__name__)


def create_app(settings: Settings) -> web.Application:
    """Build the gateway for the given settings."""
    quiet_bad_requests()
    contacts = Contacts.load(settings.contacts_path)
    # Request lines up to MAX_REQUEST_LINE are read, so an over-long URL gets a JSON 414 from the error middleware.
    app = web.Application(
        middlewares=[proxy_middleware(settings.public_url, settings.trusted_proxies), error_middleware(contacts)],
        client_max_size=MAX_REQUEST_BYTES,
        handler_args={"max_line_size": MAX_REQUEST_LINE},
    )
    app[SETTINGS_KEY] = settings
    private_dir(settings.data_dir)
    app[CONTACTS_KEY] = contacts
    json_parse_errors(contacts)
    app[TENANTS_KEY] = Tenants.load(settings.tenants_dir)
    # Ids about her are hashed in Redis with a key made from the secret every gateway shares.
    app[SHARED_KEY] = SharedState(settings.redis_url, settings.redis_prefix, settings.signing_secret())
    # Loaded once, here; without it the screen runs on its rules alone, and says so.
    risk, status = load_risk_layer()
    app[RISK_KEY], app[RISK_STATUS_KEY] = risk, status
    if risk is None:
        log.error("the risk model is not loaded (%s): the safety screen runs on its rules alone", status)
    else:
        log.info("safety screen: rules and %s", risk.name)

    async def clients(app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession() as session:
            app[HTTP_KEY] = session
            app[RASA_KEY] = RasaClient(session, settings.rasa_urls, settings.rasa_token, settings.rasa_timeout)
            states = SafetyStates(settings.store("gateway"))
            store = MessageStore(settings.store("messages"))
            handoffs = Handoffs(settings.store("handoff"))
            outbox = Outbox(store)
            app[PEER_KEY] = PeerSupport(
                handoffs, app[CONTACTS_KEY], app[TENANTS_KEY], store, states, outbox, app[RASA_KEY], app[SHARED_KEY]
            )
            app[CONVERSATIONS_KEY] = Conversations(app[RASA_KEY], app[CONTACTS_KEY], states, app[RISK_KEY])
            app[MESSENGER_KEY] = Messenger(
                app[CONVERSATIONS_KEY],
                store,
                states,
                app[CONTACTS_KEY],
                app[TENANTS_KEY],
                settings.tracker_store_url,
                settings.project_root,
                app[PEER_KEY],
                outbox,
            )
            try:
                yield
            finally:
                await app[CONVERSATIONS_KEY].close()
                handoffs.close()
                store.close()
                states.close()
                await app[SHARED_KEY].close()

    async def background(app: web.Application) -> AsyncIterator[None]:
        # After the channels are up, so replies to messages left from before a restart can reach them.
        messenger = app[MESSENGER_KEY]
        # Alone, every unanswered message was this gateway's; with others, only those nobody has answered for a while.
        shared = bool(settings.gateway_database_url)
        stale = settings.rasa_timeout + STALE_MARGIN_SECONDS
        await messenger.replay_pending(time.time() - stale if shared else None)
        tasks = [
            asyncio.create_task(messenger.purge_forever()),
            asyncio.create_task(app[PEER_KEY].run_forever()),
            asyncio.create_task(watch_tenants(app[TENANTS_KEY])),
            # The heartbeat and the other gateways' events (nothing, with Redis off).
            asyncio.create_task(app[SHARED_KEY].run(lambda: [tenant.id for tenant in app[TENANTS_KEY]])),
        ]
        if shared:
            tasks.append(asyncio.create_task(messenger.sweep_forever(stale)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.cleanup_ctx.append(clients)
    setup_api(app)
    setup_widget(app)
    setup_telegram(app)
    setup_console(app)
    app.cleanup_ctx.append(background)
    return app
