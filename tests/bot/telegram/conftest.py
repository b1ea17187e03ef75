"""The Telegram channel's fakes: the Bot API and a Rasa server, on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from tests.fakes.rasa import FakeRasa
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "424242:AAE-nightlight-test-token-0123456789abcdef"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN)
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def rasa() -> AsyncIterator[FakeRasa]:
    fake = FakeRasa()
    server = TestServer(fake.app())
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    yield fake
    fake.release()
    await server.close()
