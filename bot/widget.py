"""The web widget's server side: its script, the demo page and the WebSocket."""

from __future__ import annotations

from aiohttp import web


def setup_widget(app: web.Application) -> None:
    """Add the widget's routes and background work to the gateway."""
