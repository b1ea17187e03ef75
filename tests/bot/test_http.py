"""The web edge: one refusal, one error format over HTTP and over a socket, and the headers every answer carries."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.contacts import Contacts
from bot.http import FrameError, Refused, error_frame, error_middleware, error_response, proxy_middleware, send_if_open


def test_a_frame_error_is_a_refusal_with_status_400_and_names_what_its_frame_should() -> None:
    error = FrameError("invalid_text", "Type it again.", "what she wrote", client_id="c1")
    assert isinstance(error, Refused)
    assert (error.status, error.code, error.text) == (400, "invalid_text", "what she wrote")
    assert error_frame(error) == {
        "type": "error",
        "code": "invalid_text",
        "message": "Type it again.",
        "client_id": "c1",
    }
    assert error_frame(error, routes=[])["routes"] == []


def test_an_error_response_is_the_one_json_shape_with_anything_else_beside_it() -> None:
    response = error_response(404, "no_logo", "That tenant has no logo.", messages=[])
    assert response.status == 404
    assert response.text is not None
    assert json.loads(response.text) == {
        "error": {"code": "no_logo", "message": "That tenant has no logo."},
        "messages": [],
    }


async def serve(contacts: Contacts, handler: Any) -> TestClient[Any, Any]:
    app = web.Application(middlewares=[error_middleware(contacts)])
    app.router.add_get("/", handler)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def test_a_refusal_anywhere_becomes_the_json_error_with_the_24_7_routes_and_the_security_headers(
    contacts: Contacts,
) -> None:
    async def refuse(request: web.Request) -> web.Response:
        raise Refused(401, "unauthorized", "Send your API key.")

    client = await serve(contacts, refuse)
    try:
        response = await client.get("/")
        body = await response.json()
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert body["error"] == {"code": "unauthorized", "message": "Send your API key."}
        routes = json.dumps(body)
        assert contacts["samaritans"].phone in routes, "every refusal carries the 24/7 routes"
    finally:
        await client.close()


async def test_a_refused_message_that_reads_as_a_crisis_gets_the_crisis_reply(contacts: Contacts) -> None:
    async def refuse(request: web.Request) -> web.Response:
        raise Refused(413, "request_too_large", "Send less at once.", text="i want to kill myself")

    client = await serve(contacts, refuse)
    try:
        body = await (await client.get("/")).json()
        assert body["error"]["code"] == "request_too_large"
        assert any(message.get("kind") == "crisis" for message in body["messages"])
    finally:
        await client.close()


async def test_a_closed_socket_is_not_an_error_and_nothing_is_sent() -> None:
    sent: list[dict[str, Any]] = []

    async def socket_handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sent.append({"open": await send_if_open(ws, {"type": "hello"})})
        await ws.close()
        sent.append({"closed": await send_if_open(ws, {"type": "after"})})
        return ws

    app = web.Application()
    app.router.add_get("/ws", socket_handler)
    async with TestClient(TestServer(app)) as client:
        ws = await client.ws_connect("/ws")
        assert (await ws.receive_json()) == {"type": "hello"}
        await ws.receive()  # the close
        await ws.close()
    assert sent == [{"open": True}, {"closed": False}]


async def seen_through(proxy: Any, headers: dict[str, str]) -> dict[str, Any]:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"scheme": request.scheme, "host": request.host, "remote": request.remote})

    app = web.Application(middlewares=[proxy])
    app.router.add_get("/", echo)
    async with TestClient(TestServer(app)) as client:
        seen: dict[str, Any] = await (await client.get("/", headers=headers)).json()
        return seen


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "chat.example.org", "X-Forwarded-For": "203.0.113.7"}


async def test_a_trusted_proxy_is_believed_about_scheme_host_and_her_address() -> None:
    headers = {**FORWARDED, "X-Forwarded-For": "198.51.100.1, 203.0.113.7, 127.0.0.1"}
    seen = await seen_through(proxy_middleware("", ("127.0.0.0/8",)), headers)
    assert seen == {"scheme": "https", "host": "chat.example.org", "remote": "203.0.113.7"}


async def test_anyone_else_s_forwarded_headers_change_nothing() -> None:
    seen = await seen_through(proxy_middleware("", ("10.0.0.0/8",)), FORWARDED)
    assert seen["scheme"] == "http" and seen["remote"] == "127.0.0.1"
    assert seen["host"].startswith("127.0.0.1:")


async def test_a_forwarded_host_that_could_carry_a_path_or_a_scheme_is_not_taken() -> None:
    headers = {**FORWARDED, "X-Forwarded-Host": "evil.example/steal", "X-Forwarded-For": "not an address"}
    seen = await seen_through(proxy_middleware("", ("127.0.0.0/8",)), headers)
    assert seen["scheme"] == "https"
    assert seen["host"].startswith("127.0.0.1:") and seen["remote"] == "127.0.0.1"


async def test_the_public_url_is_the_scheme_and_host_whatever_the_request_says() -> None:
    seen = await seen_through(proxy_middleware("https://chat.example.org", ()), {"X-Forwarded-Proto": "http"})
    assert (seen["scheme"], seen["host"]) == ("https", "chat.example.org")
