"""What the processes write to the log: no query strings from request lines, no tracebacks that quote a request."""

from __future__ import annotations

import logging

import pytest

from bot.processes.logs import configure


def test_a_request_line_is_logged_without_its_query_string(caplog: pytest.LogCaptureFixture) -> None:
    configure("INFO")
    access = logging.getLogger("aiohttp.access")
    access.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="aiohttp.access"):
            access.info('127.0.0.1 "GET /widget/config?tenant=default&token=secret-token HTTP/1.1" 200')
    finally:
        access.setLevel(logging.NOTSET)
    assert caplog.records, "the line itself is still logged"
    assert all("secret-token" not in record.getMessage() for record in caplog.records)
    assert '"GET /widget/config' in caplog.records[-1].getMessage()


def test_configuring_twice_adds_the_filters_once() -> None:
    configure("INFO")
    configure("INFO")
    names = [type(f).__name__ for f in logging.getLogger("aiohttp.access").filters]
    assert names.count("NoTokenInUrls") == 1
