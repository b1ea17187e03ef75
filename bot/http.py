"""The gateway's web edge: one refusal, one JSON error format, the own-origin check, sending on a socket that may
have closed, and the headers every answer carries.

Every route and socket refuses with `Refused` (or `FrameError`, its kind for one WebSocket frame). Over HTTP the
`error_middleware` turns it into `{"error": {"code", "message"}, ...}` with the 24/7 routes, or the crisis reply if
what was refused reads as a crisis; a socket sends the same fields in an `error` frame.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from aiohttp import web, web_protocol, web_server
from aiohttp.typedefs import Middleware
from aiohttp.web_request import BaseRequest

from bot.contacts import Contacts
from bot.crisis import refusal, unavailable_reply

log = logging.getLogger("nightlight.gateway")

MAX_URL_CHARS = 8 * 1024
# The gateway's own pages load only their own scripts, styles and images, and no other site may frame them.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PARSE_ERROR_CODES = {400: "bad_request", 413: "request_too_large", 414: "url_too_long", 431: "headers_too_large"}
PARSE_ERROR_MESSAGE = (
    "The request could not be read: a header, the address or the request line is malformed or too long."
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# A host as a proxy may name it: a name or an address, with a port; nothing that could carry a path or a scheme.
FORWARDED_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")


class Refused(Exception):
    """A request we refuse, with an HTTP status, a code, and a sentence that says what to do instead."""

    def __init__(self, status: int, code: str, message: str, text: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.text = text  # what she wrote, if it could be read: screened before the refusal is sent
        self.extra = extra  # what an error frame names besides (client_id, handoff_id)


class FrameError(Refused):
    """A WebSocket frame we cannot act on: the error frame says what was wrong and what to do."""

    def __init__(self, code: str, message: str, text: str | None = None, **extra: Any) -> None:
        super().__init__(400, code, message, text, **extra)


def error_response(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """The gateway's JSON error: {"error": {"code", "message"}}, with anything else the answer carries."""
    return web.json_response({"error": {"code": code, "message": message}, **extra}, status=status)


def refused_response(error: Refused, contacts: Contacts) -> web.Response:
    """The answer to a refusal: the JSON error with the 24/7 routes, or with the crisis reply if what was refused
    reads as a crisis."""
    return error_response(error.status, error.code, error.message, **refusal(contacts, error.text))


def error_frame(error: Refused, **extra: Any) -> dict[str, Any]:
    """The same error as a WebSocket frame: {"type": "error", "code", "message", ...}."""
    return {"type": "error", "code": error.code, "message": error.message, **error.extra, **extra}


def own_origin(request: web.Request) -> str:
    """The gateway's own scheme://host, as the browser sees it on the gateway's pages."""
    return f"{request.scheme}://{request.host}"


async def send_if_open(ws: web.WebSocketResponse, frame: dict[str, Any]) -> bool:
    """Send a frame if the socket is still open; a socket that has closed is not an error."""
    if ws.closed:
        return False
    try:
        await ws.send_json(frame)
    except (ConnectionError, RuntimeError):
        return False
    return True


def error_middleware(contacts: Contacts) -> Middleware:
    """Turn every failure into a clear JSON answer that carries the 24/7 routes (or, if what was refused reads as
    a crisis, the crisis reply), never a stack trace; and give every answer the gateway's security headers."""

    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if len(request.raw_path) > MAX_URL_CHARS:
                raise Refused(414, "url_too_long", f"The address is longer than {MAX_URL_CHARS} characters.")
            response = await handler(request)
        except Refused as error:
            response = refused_response(error, contacts)
            if error.status == 401:
                response.headers["WWW-Authenticate"] = "Bearer"
        except web.HTTPException as error:
            if error.status < 400:
                raise
            code = error.reason.lower().replace(" ", "_")
            response = error_response(error.status, code, error.reason, **refusal(contacts))
        except Exception as error:
            response = unexpected(request, error, contacts)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    return errors


def unexpected(request: web.Request, error: Exception, contacts: Contacts) -> web.Response:
    """A 500 for our own failure: she still gets the crisis lines; the log names only the error's type and where it
    was raised, since the exception's own text could quote a message."""
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    log.error("unexpected error path=%s error=%s at=%s", request.path, type(error).__name__, where)
    reply = unavailable_reply(contacts).as_dict()
    return error_response(
        500, "internal_error", "Something went wrong on our side. Please try again.", messages=[reply]
    )


class JsonParseErrors(web_protocol.RequestHandler):
    """Requests aiohttp cannot parse at all (a bad header byte, a request line that is too long) are refused below
    the middleware; this gives them the same JSON error, with the 24/7 routes, instead of plain text."""

    extra: ClassVar[dict[str, Any]] = {}

    def handle_error(
        self, request: BaseRequest, status: int = 500, exc: BaseException | None = None, message: str | None = None
    ) -> web.StreamResponse:
        """Answer a request aiohttp could not parse with the gateway's JSON error."""
        super().handle_error(request, status, exc, message)  # logs one line (logs.NoTracebackForBadRequests)
        code = PARSE_ERROR_CODES.get(status, "bad_request" if status < 500 else "internal_error")
        response = error_response(status, code, PARSE_ERROR_MESSAGE, **self.extra)
        response.force_close()
        return response


def json_parse_errors(contacts: Contacts) -> None:
    """Serve JsonParseErrors for every connection this process accepts (aiohttp makes one handler per
    connection from the class its server module names)."""
    JsonParseErrors.extra = refusal(contacts)
    setattr(web_server, "RequestHandler", JsonParseErrors)  # noqa: B010


def _trusted(address: str | None, proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def _first(value: str | None) -> str:
    return (value or "").split(",", 1)[0].strip()


def _client(forwarded_for: list[str], proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> str:
    """Her address: the nearest one in X-Forwarded-For that is not one of our proxies ("" if none is readable)."""
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        if _trusted(hop, proxies):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return ""
    return ""


def proxy_middleware(public_url: str, trusted_proxies: tuple[str, ...]) -> Middleware:
    """See each request as the browser sent it, through the reverse proxy in front of the gateway: scheme and host
    from NIGHTLIGHT_PUBLIC_URL, or from X-Forwarded-Proto and -Host; her address from X-Forwarded-For. The headers
    are believed only from a trusted proxy, since anyone else could write them."""
    proxies = tuple(ipaddress.ip_network(network) for network in trusted_proxies)
    public = urlsplit(public_url) if public_url else None

    @web.middleware
    async def behind_proxy(request: web.Request, handler: Handler) -> web.StreamResponse:
        scheme, host, remote = request.scheme, request.host, request.remote or ""
        if proxies and _trusted(request.remote, proxies):
            forwarded_scheme = _first(request.headers.get("X-Forwarded-Proto")).lower()
            if forwarded_scheme in ("http", "https"):
                scheme = forwarded_scheme
            forwarded_host = _first(request.headers.get("X-Forwarded-Host"))
            if FORWARDED_HOST.fullmatch(forwarded_host):
                host = forwarded_host
            remote = _client(request.headers.getall("X-Forwarded-For", []), proxies) or remote
        if public is not None:
            scheme, host = public.scheme, public.netloc
        if (scheme, host, remote) == (request.scheme, request.host, request.remote or ""):
            return await handler(request)
        return await handler(request.clone(scheme=scheme, host=host, remote=remote))

    return behind_proxy
