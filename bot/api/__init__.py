"""The REST API: its routes and the health check (routes.py) and its OpenAPI document (openapi.py)."""

from bot.api.routes import setup_api

__all__ = ["setup_api"]
