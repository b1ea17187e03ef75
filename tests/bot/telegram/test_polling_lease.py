"""Several gateways on one database: exactly one polls Telegram, and another takes over where it stopped."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.telegram.channel import TELEGRAM_KEY
from tests.bot.telegram.test_channel import CHAT, settings_for, start_gateway
from tests.conftest import StoreAt
from tests.fakes.rasa import FakeRasa
from tests.fakes.telegram_api import FakeTelegram


async def pollers(gateways: list[TestClient[Any, Any]], wait: float = 10) -> list[int]:
    """Which gateways hold the polling lease, once one of them does."""
    for _ in range(int(wait / 0.1)):
        holding = [n for n, gateway in enumerate(gateways) if gateway.app[TELEGRAM_KEY].polling]
        if holding:
            return holding
        await asyncio.sleep(0.1)
    return []


async def test_one_gateway_polls_and_another_carries_on_from_its_offset_when_it_stops(
    telegram: FakeTelegram, rasa: FakeRasa, tmp_path: Path, store_at: StoreAt
) -> None:
    shared = store_at("gateway")
    database = shared if isinstance(shared, str) else ""  # SQLite: both gateways use the same data folder
    gateways = [
        await start_gateway(settings_for(telegram, rasa, tmp_path, gateway_database_url=database)) for _ in range(2)
    ]
    try:
        [poller] = await pollers(gateways)
        telegram.push(telegram.text(CHAT, "what is cbt"))
        await telegram.wait_sent(CHAT, 1)
        await asyncio.sleep(1)
        assert not gateways[1 - poller].app[TELEGRAM_KEY].polling  # still only one
        await gateways[poller].close()  # a clean stop gives the lease up
        assert await pollers([gateways[1 - poller]]) == [0]
        telegram.push(telegram.text(CHAT, "and what is a health visitor"))
        await telegram.wait_sent(CHAT, 2)
        await asyncio.sleep(1)
    finally:
        for gateway in gateways:
            await gateway.close()
    assert rasa.messages == ["what is cbt", "and what is a health visitor"]  # the first was not fetched again
    assert len(telegram.sent(CHAT)) == 2
