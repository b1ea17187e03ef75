"""The REST API's OpenAPI document is true to the gateway: every route is described, and schemathesis, generating
requests from the document against a running gateway, finds no 500 and no response outside the document."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from aiohttp import web
from aiohttp.test_utils import TestServer
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth

from bot.api.openapi import OPENAPI
from bot.app import create_app
from bot.settings import Settings
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
# Bounded so the run stays short; schemathesis still explores every operation and its refusals.
EXAMPLES = 60


class LiveGateway:
    """The real gateway app served on a free port from its own thread, with a fake Rasa beside it."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._data_dir = data_dir
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        rasa = TestServer(FakeRasa().app())
        await rasa.start_server()
        settings = Settings(
            api_keys=(KEY,),
            rasa_url=str(rasa.make_url("")).rstrip("/"),
            rasa_timeout=2,
            actions_port=free_port(),
            data_dir=self._data_dir,
            port=self.port,
        )
        runner = web.AppRunner(create_app(settings))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()
        await rasa.close()

    def __enter__(self) -> LiveGateway:
        self._thread.start()
        assert self._ready.wait(30), "the gateway started"
        return self

    def __exit__(self, *_: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveGateway]:
    with LiveGateway(tmp_path_factory.mktemp("openapi")) as live:
        yield live


def test_the_gateway_serves_its_openapi_document(gateway: LiveGateway) -> None:
    response = requests.get(f"{gateway.url}/api/v1/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.json() == OPENAPI


def test_every_api_route_is_in_the_document_and_every_documented_route_exists(tmp_path: Path) -> None:
    app = create_app(Settings(api_keys=(KEY,), data_dir=tmp_path))
    served = {
        (route.method.lower(), route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None
        and (route.resource.canonical.startswith("/api/") or route.resource.canonical == "/healthz")
        and route.method != "HEAD"
    }
    documented = {(method, path) for path, operations in OPENAPI["paths"].items() for method in operations}
    assert served == documented


@pytest.mark.parametrize("auth", ["valid key", "generated"])
def test_schemathesis_finds_no_server_error_and_no_response_outside_the_document(
    gateway: LiveGateway, auth: str
) -> None:
    schema = schemathesis.from_dict(OPENAPI, base_url=gateway.url)
    headers = AUTH if auth == "valid key" else None
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            # Every default check: no 5xx, documented status codes, content types, headers and response schemas.
            response = case.call(headers=headers, timeout=30)
            excluded = []
            if headers:
                excluded.append(ignored_auth)  # with a valid key sent on purpose, "auth not enforced" is our header
            if case.path == "/healthz":
                excluded.append(not_a_server_error)  # its 503 means "not ready yet" (no action server here)
            case.validate_response(response, excluded_checks=tuple(excluded))

        check()
        checked += 1
    assert checked == 4, "every operation was exercised"
