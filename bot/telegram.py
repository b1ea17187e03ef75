"""The Telegram channel."""

from __future__ import annotations

from aiohttp import web


def setup_telegram(app: web.Application) -> None:
    """Add the Telegram channel to the gateway when a bot token is configured."""
