"""The gateway: an aiohttp application with the REST API, the health check and a plain chat page."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
from aiohttp import web, web_protocol, web_server
from aiohttp.web_request import BaseRequest

from bot.app_keys import (
    CONTACTS_KEY,
    CONVERSATIONS_KEY,
    HTTP_KEY,
    MESSENGER_KEY,
    PEER_KEY,
    RASA_KEY,
    SETTINGS_KEY,
    TENANTS_KEY,
)
from bot.contacts import Contacts
from bot.conversation import Conversations, pseudonym
from bot.crisis import REFUSAL_SCREEN_CHARS, readable, refusal, unavailable_reply
from bot.logs import quiet_bad_requests
from bot.messenger import MessageRejected, Messenger
from bot.openapi import OPENAPI
from bot.peer.console import setup_console
from bot.peer.handoff import Handoffs
from bot.peer.support import PeerSupport
from bot.rasa_client import RasaClient, url_ok
from bot.safety_state import SafetyStates
from bot.settings import MAX_REQUEST_BYTES, Settings
from bot.sqlite_file import private_dir
from bot.store import MessageStore
from bot.telegram import setup_telegram
from bot.tenants import TenantError, Tenants
from bot.widget import setup_widget
from nlu.risk import RiskLayer, load_risk_layer

log = logging.getLogger("nightlight.gateway")
RISK_KEY: web.AppKey[RiskLayer | None] = web.AppKey("risk")
RISK_STATUS_KEY = web.AppKey("risk_status", str)

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_URL_CHARS = 8 * 1024
TENANT_CHECK_SECONDS = 5.0  # how soon a change to a tenant file takes effect
MAX_REQUEST_LINE = 64 * 1024
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class RequestError(Exception):
    """A request we refuse, with what was wrong and what to do instead."""

    def __init__(self, status: int, code: str, message: str, text: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.text = text  # what she wrote, if it could be read: screened before the refusal is sent


def error_response(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """A JSON error body: {"error": {"code", "message"}}."""
    return web.json_response({"error": {"code": code, "message": message}, **extra}, status=status)


@web.middleware
async def errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> Any:
    """Turn every failure into a clear JSON answer that carries the 24/7 routes (or, if what was refused reads as a
    crisis, the crisis reply); never a stack trace."""
    contacts = request.app[CONTACTS_KEY]
    try:
        if len(request.raw_path) > MAX_URL_CHARS:
            raise RequestError(414, "url_too_long", f"The address is longer than {MAX_URL_CHARS} characters.")
        response = await handler(request)
    except (RequestError, MessageRejected) as error:
        response = error_response(error.status, error.code, error.message, **refusal(contacts, error.text))
        if error.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
    except web.HTTPException as error:
        if error.status < 400:
            raise
        code = error.reason.lower().replace(" ", "_")
        response = error_response(error.status, code, error.reason, **refusal(contacts))
    except Exception as error:
        # The exception's own text could quote a message, so only its type and where it was raised are logged.
        frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        log.error("unexpected error path=%s error=%s at=%s", request.path, type(error).__name__, where)
        # Whoever sent a message still gets a reply with the crisis lines, even when our own code fails.
        reply = unavailable_reply(contacts).as_dict()
        response = error_response(
            500, "internal_error", "Something went wrong on our side. Please try again.", messages=[reply]
        )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


class JsonParseErrors(web_protocol.RequestHandler):
    """Requests aiohttp cannot parse at all (a bad header byte, a request line over MAX_REQUEST_LINE) are refused
    below the middleware; this gives them the same JSON error, with the 24/7 routes, instead of plain text."""

    extra: ClassVar[dict[str, Any]] = {}

    def handle_error(
        self, request: BaseRequest, status: int = 500, exc: BaseException | None = None, message: str | None = None
    ) -> web.StreamResponse:
        super().handle_error(request, status, exc, message)  # logs one line (logs.NoTracebackForBadRequests)
        code = PARSE_ERROR_CODES.get(status, "bad_request" if status < 500 else "internal_error")
        body = {"error": {"code": code, "message": PARSE_ERROR_MESSAGE}, **self.extra}
        response = web.json_response(body, status=status)
        response.force_close()
        return response


PARSE_ERROR_CODES = {400: "bad_request", 413: "request_too_large", 414: "url_too_long", 431: "headers_too_large"}
PARSE_ERROR_MESSAGE = (
    "The request could not be read: a header, the address or the request line is malformed or too long."
)


def json_parse_errors(contacts: Contacts) -> None:
    """Serve JsonParseErrors for every connection this process accepts (aiohttp makes one handler per
    connection from the class its server module names)."""
    JsonParseErrors.extra = refusal(contacts)
    setattr(web_server, "RequestHandler", JsonParseErrors)  # noqa: B010


async def _read_body(request: web.Request) -> bytes:
    """The request body, refused over MAX_REQUEST_BYTES; a refused body is still read (up to a limit) and screened,
    so a crisis inside an oversized request still gets the crisis reply."""
    body = bytearray()
    while len(body) <= MAX_REQUEST_BYTES:
        chunk = await request.content.read(64 * 1024)
        if not chunk:
            return bytes(body)
        body.extend(chunk)
    while len(body) < REFUSAL_SCREEN_CHARS:
        chunk = await request.content.read(REFUSAL_SCREEN_CHARS - len(body))
        if not chunk:
            break
        body.extend(chunk)
    raise RequestError(
        413,
        "request_too_large",
        f"The request is larger than {MAX_REQUEST_BYTES} bytes. Send less at once.",
        text=_text_in(bytes(body)),
    )


def _text_in(raw: bytes) -> str:
    """Whatever she wrote in a body we cannot accept: its "text" if it parses, otherwise the readable bytes."""
    decoded = raw.decode("utf-8", errors="replace")
    try:
        body = json.loads(decoded)
    except (ValueError, RecursionError):
        return decoded
    text = body.get("text") if isinstance(body, dict) else None
    return text if isinstance(text, str) else decoded


async def _read_message(request: web.Request) -> tuple[str | None, str | None]:
    """Return (text, payload) from a JSON body holding exactly one of them."""
    raw = await _read_body(request)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested deeper than anyone writes
        raise RequestError(
            400, "invalid_json", 'The body must be JSON, like {"text": "hello"}.', text=_text_in(raw)
        ) from None
    if not isinstance(body, dict):
        raise RequestError(400, "invalid_body", 'The body must be a JSON object, like {"text": "hello"}.')
    text, payload = body.get("text"), body.get("payload")
    if (text is None) == (payload is None):
        raise RequestError(400, "text_or_payload", 'Send either "text" (what she typed) or "payload" (a button).')
    if text is not None and not isinstance(text, str):
        raise RequestError(400, "invalid_text", '"text" must be a string.')
    if text is not None and readable(text) != text:
        raise RequestError(
            400,
            "invalid_text",
            '"text" holds a lone UTF-16 surrogate, which is not a character. Send it as valid Unicode.',
            text=text,
        )
    if payload is not None and not isinstance(payload, str):
        raise RequestError(400, "invalid_payload", '"payload" must be a string, like "/ask_self_referral".')
    return text, payload


def _conversation_id(request: web.Request) -> str:
    conversation_id = request.match_info["conversation_id"]
    if not CONVERSATION_ID.match(conversation_id):
        raise RequestError(
            400,
            "invalid_conversation_id",
            "A conversation id is 1-128 letters, digits, '.', '_', ':' or '-'.",
        )
    return conversation_id


def _api_key_id(request: web.Request, settings: Settings) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key:
        raise RequestError(401, "unauthorized", "Send your API key as 'Authorization: Bearer <key>'.")
    if not settings.api_keys:
        raise RequestError(503, "no_api_keys", "No API keys are configured. Set NIGHTLIGHT_API_KEYS.")
    # A header's bytes that are not UTF-8 arrive as surrogate escapes; they can only fail to match, never crash.
    given = key.strip().encode("utf-8", errors="surrogatepass")
    for known in settings.api_keys:
        if hmac.compare_digest(known.encode(), given):
            return pseudonym(known)[:8]
    raise RequestError(401, "unauthorized", "That API key is not valid.")


async def post_message(request: web.Request) -> web.Response:
    """POST /api/v1/conversations/{conversation_id}/messages."""
    settings = request.app[SETTINGS_KEY]
    key_id = _api_key_id(request, settings)
    conversation_id = _conversation_id(request)
    text, payload = await _read_message(request)
    # Each API key has its own space of conversations, so one integration can never reach another's.
    sender = f"api-{key_id}-{conversation_id}"
    messenger = request.app[MESSENGER_KEY]
    delivery = await messenger.receive(sender, messenger.tenants.default, "api", text=text, payload=payload)
    assert delivery is not None  # no dedupe key, so never a duplicate
    await messenger.mark_delivered(delivery.outbound.id)
    return web.json_response(delivery.turn.as_dict())


async def delete_conversation(request: web.Request) -> web.Response:
    """DELETE /api/v1/conversations/{conversation_id}: "delete my data" for an integration's conversation."""
    settings = request.app[SETTINGS_KEY]
    key_id = _api_key_id(request, settings)
    sender = f"api-{key_id}-{_conversation_id(request)}"
    await request.app[MESSENGER_KEY].forget(sender)
    return web.json_response({"deleted": True})


async def healthz(request: web.Request) -> web.Response:
    """200 once Rasa has a model loaded and the action server answers; 503 until then."""
    settings = request.app[SETTINGS_KEY]
    rasa_ok = await request.app[RASA_KEY].ready()
    actions_ok = await url_ok(request.app[HTTP_KEY], f"http://127.0.0.1:{settings.actions_port}/health")
    ok = rasa_ok and actions_ok
    return web.json_response(
        {
            "status": "ok" if ok else "unavailable",
            "rasa": rasa_ok,
            "actions": actions_ok,
            "risk_model": request.app[RISK_STATUS_KEY],
        },
        status=200 if ok else 503,
    )


async def openapi_document(request: web.Request) -> web.Response:
    """GET /api/v1/openapi.json: the REST API's description."""
    return web.json_response(OPENAPI)


def setup_routes(app: web.Application) -> None:
    """Every route of the gateway, in one place."""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/v1/openapi.json", openapi_document)
    app.router.add_post("/api/v1/conversations/{conversation_id}/messages", post_message)
    app.router.add_delete("/api/v1/conversations/{conversation_id}", delete_conversation)


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
    # Request lines up to MAX_REQUEST_LINE are read, so an over-long URL gets a JSON 414 from `errors`.
    app = web.Application(
        middlewares=[errors], client_max_size=MAX_REQUEST_BYTES, handler_args={"max_line_size": MAX_REQUEST_LINE}
    )
    app[SETTINGS_KEY] = settings
    private_dir(settings.data_dir)
    app[CONTACTS_KEY] = Contacts.load(settings.contacts_path)
    json_parse_errors(app[CONTACTS_KEY])
    app[TENANTS_KEY] = Tenants.load(settings.tenants_dir)
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
            app[RASA_KEY] = RasaClient(session, settings.rasa_url, settings.rasa_token, settings.rasa_timeout)
            states = SafetyStates(settings.data_dir / "gateway.db")
            store = MessageStore(settings.data_dir / "messages.db")
            handoffs = Handoffs(settings.data_dir / "handoff.db")
            app[PEER_KEY] = PeerSupport(handoffs, app[CONTACTS_KEY], app[TENANTS_KEY], app[RASA_KEY])
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
            )
            try:
                yield
            finally:
                await app[CONVERSATIONS_KEY].close()
                handoffs.close()
                store.close()
                states.close()

    async def background(app: web.Application) -> AsyncIterator[None]:
        # After the channels are up, so replies to messages left from before a restart can reach them.
        messenger = app[MESSENGER_KEY]
        await messenger.replay_pending()
        tasks = [
            asyncio.create_task(messenger.purge_forever()),
            asyncio.create_task(app[PEER_KEY].run_forever()),
            asyncio.create_task(watch_tenants(app[TENANTS_KEY])),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.cleanup_ctx.append(clients)
    setup_routes(app)
    setup_widget(app)
    setup_telegram(app)
    setup_console(app)
    app.cleanup_ctx.append(background)
    return app
