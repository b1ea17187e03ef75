"""The REST API (/api/v1: send a message, delete a conversation, its OpenAPI document) and the health check."""

from __future__ import annotations

import asyncio
import hmac
import json
import re
from collections.abc import Callable

from aiohttp import web

from bot.answers.rasa_client import url_ok
from bot.api.openapi import OPENAPI
from bot.app_keys import (
    HTTP_KEY,
    MESSENGER_KEY,
    RASA_KEY,
    RISK_STATUS_KEY,
    SETTINGS_KEY,
    SHARED_KEY,
)
from bot.conversation import pseudonym
from bot.crisis import REFUSAL_SCREEN_CHARS, readable
from bot.http import Refused
from bot.settings import MAX_REQUEST_BYTES, Settings

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


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
    raise Refused(
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
        raise Refused(
            400, "invalid_json", 'The body must be JSON, like {"text": "hello"}.', text=_text_in(raw)
        ) from None
    if not isinstance(body, dict):
        raise Refused(400, "invalid_body", 'The body must be a JSON object, like {"text": "hello"}.')
    text, payload = body.get("text"), body.get("payload")
    if (text is None) == (payload is None):
        raise Refused(400, "text_or_payload", 'Send either "text" (what she typed) or "payload" (a button).')
    if text is not None and not isinstance(text, str):
        raise Refused(400, "invalid_text", '"text" must be a string.')
    if text is not None and readable(text) != text:
        raise Refused(
            400,
            "invalid_text",
            '"text" holds a lone UTF-16 surrogate, which is not a character. Send it as valid Unicode.',
            text=text,
        )
    if payload is not None and not isinstance(payload, str):
        raise Refused(400, "invalid_payload", '"payload" must be a string, like "/ask_self_referral".')
    return text, payload


def _conversation_id(request: web.Request) -> str:
    conversation_id = request.match_info["conversation_id"]
    if not CONVERSATION_ID.match(conversation_id):
        raise Refused(
            400,
            "invalid_conversation_id",
            "A conversation id is 1-128 letters, digits, '.', '_', ':' or '-'.",
        )
    return conversation_id


def _api_key_id(request: web.Request, settings: Settings) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key:
        raise Refused(401, "unauthorized", "Send your API key as 'Authorization: Bearer <key>'.")
    if not settings.api_keys:
        raise Refused(503, "no_api_keys", "No API keys are configured. Set NIGHTLIGHT_API_KEYS.")
    # A header's bytes that are not UTF-8 arrive as surrogate escapes; they can only fail to match, never crash.
    given = key.strip().encode("utf-8", errors="surrogatepass")
    for known in settings.api_keys:
        if hmac.compare_digest(known.encode(), given):
            return pseudonym(known)[:8]
    raise Refused(401, "unauthorized", "That API key is not valid.")


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


async def _answers(ping: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Whether a store answers within `seconds` (a database on a silent machine reads as down, not as a hang)."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(ping), seconds)
    except (TimeoutError, asyncio.TimeoutError):
        return False


async def healthz(request: web.Request) -> web.Response:
    """200 once a Rasa server has a model loaded, the action server answers and messages can be stored; 503
    until then."""
    settings = request.app[SETTINGS_KEY]
    servers = await request.app[RASA_KEY].ready_each()
    rasa_ok = any(servers.values())
    actions_ok = await url_ok(request.app[HTTP_KEY], f"http://127.0.0.1:{settings.actions_port}/health")
    database_ok = await _answers(request.app[MESSENGER_KEY].store.ping)
    ok = rasa_ok and actions_ok and database_ok
    redis = await request.app[SHARED_KEY].status()
    # Ready while any Rasa server is: "degraded" names a server that is down while the others carry on, or Redis
    # down (each gateway then works from its own memory: consoles see only their own gateway's mothers live).
    whole = all(servers.values()) and redis != "down"
    return web.json_response(
        {
            "status": ("ok" if whole else "degraded") if ok else "unavailable",
            "rasa": rasa_ok,
            "rasa_servers": servers,
            "actions": actions_ok,
            "risk_model": request.app[RISK_STATUS_KEY],
            "redis": redis,
            "database": "ok" if database_ok else "down",
        },
        status=200 if ok else 503,
    )


async def openapi_document(request: web.Request) -> web.Response:
    """GET /api/v1/openapi.json: the REST API's description."""
    return web.json_response(OPENAPI)


def setup_api(app: web.Application) -> None:
    """Add the REST API's routes and the health check to the gateway."""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/v1/openapi.json", openapi_document)
    app.router.add_post("/api/v1/conversations/{conversation_id}/messages", post_message)
    app.router.add_delete("/api/v1/conversations/{conversation_id}", delete_conversation)
