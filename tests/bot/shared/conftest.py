"""Fixtures for the state gateways share through Redis: the real Redis at 127.0.0.1:6379 under a key prefix of each
test's own (deleted afterwards), a port where nothing listens, and a server that accepts and never answers."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from redis import asyncio as aioredis

from tests.integration.stack import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A key prefix for this test alone; every key under it is deleted afterwards."""
    chosen = f"nightlight-test-{secrets.token_hex(6)}:"
    yield chosen
    client = aioredis.Redis.from_url(REDIS_URL)
    async for key in client.scan_iter(match=chosen + "*"):
        await client.delete(key)
    await client.aclose()


@pytest.fixture
async def redis_client() -> AsyncIterator[aioredis.Redis]:
    """A plain client to the real Redis, to look at what the gateways wrote."""
    client = aioredis.Redis.from_url(REDIS_URL, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
def refused_url() -> str:
    """A Redis URL on a port where nothing listens: every connection is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
async def blackhole_url() -> AsyncIterator[str]:
    """A Redis URL whose server accepts connections and never says a word."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        while await reader.read(4096):
            pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"redis://127.0.0.1:{port}/0"
    for writer in held:
        writer.close()
    server.close()
