"""Logging set-up: one line per event, and never the text of a message."""

from __future__ import annotations

import logging


class NoTokenInUrls(logging.Filter):
    """Drop query strings from logged request lines, where tokens could appear."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "?" in record.msg and record.name.startswith("aiohttp.access"):
            record.msg = record.msg.split("?", 1)[0]
        return True


def configure(level: str) -> None:
    """Log to stderr at the given level; quieten libraries that log request details."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("aiohttp.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.getLogger().addFilter(NoTokenInUrls())
