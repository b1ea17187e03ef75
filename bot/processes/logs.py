"""Logging set-up: one line per event, and never the text of a message."""

from __future__ import annotations

import logging


class NoTokenInUrls(logging.Filter):
    """Drop query strings from logged request lines, where tokens could appear."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Cut an aiohttp access line at its "?", so no query string is logged; the record is always kept."""
        if isinstance(record.msg, str) and "?" in record.msg and record.name.startswith("aiohttp.access"):
            record.msg = record.msg.split("?", 1)[0]
        return True


class NoTracebackForBadRequests(logging.Filter):
    """aiohttp logs a request it cannot parse (an over-long URL, a broken header) with a traceback that can quote
    the request line; keep one line naming the error instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Cut a record with an exception to one line naming the error's type, without the traceback; always kept."""
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = f"refused a request aiohttp could not read error={type(error).__name__}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_bad_requests() -> None:
    """Attach NoTracebackForBadRequests to aiohttp's server logger, once."""
    server = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, NoTracebackForBadRequests) for f in server.filters):
        server.addFilter(NoTracebackForBadRequests())


def configure(level: str) -> None:
    """Log to stderr at the given level; quieten libraries that log request details."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("aiohttp.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # On the access logger itself: a logger's filters see only what is logged on it, not what its children pass up.
    access = logging.getLogger("aiohttp.access")
    if not any(isinstance(f, NoTokenInUrls) for f in access.filters):
        access.addFilter(NoTokenInUrls())
    quiet_bad_requests()
