"""Reading every store of a production cluster whole, to find what is (or is no longer) in it."""

from __future__ import annotations

from collections.abc import Iterable

import psycopg
import redis
from psycopg import sql

from tests.production.cluster import CLAIM_KEY


def postgres_rows(url: str, skip: Iterable[str] = ("alembic_version",)) -> dict[str, list[str]]:
    """Every row of every table in the database's public schema, each as its text form, by table."""
    found: dict[str, list[str]] = {}
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        for table in tables:
            if table in skip:
                continue
            query = sql.SQL("SELECT t::text FROM {} AS t").format(sql.Identifier(table))
            found[table] = [str(row[0]) for row in connection.execute(query)]
    return found


def holding(rows: dict[str, list[str]], needles: Iterable[str]) -> list[str]:
    """Which tables hold which of the needles: "table: needle" for each, empty when none does."""
    return [
        f"{table}: {needle!r}"
        for table, texts in rows.items()
        for needle in needles
        if any(needle in text or needle.replace("'", "''") in text for text in texts)
    ]


def redis_contents(client: redis.Redis) -> dict[str, str]:
    """Every key of the Redis database (but the test run's own claim) with its value, whatever its type, as text."""
    contents: dict[str, str] = {}
    for raw_key in client.scan_iter(count=1000):
        key = raw_key.decode("utf-8", "replace")
        if key == CLAIM_KEY:
            continue
        kind = client.type(raw_key).decode()
        value: object
        if kind == "string":
            value = client.get(raw_key)
        elif kind == "hash":
            value = client.hgetall(raw_key)
        elif kind == "list":
            value = client.lrange(raw_key, 0, -1)
        elif kind == "set":
            value = client.smembers(raw_key)
        elif kind == "zset":
            value = client.zrange(raw_key, 0, -1, withscores=True)
        elif kind == "stream":
            value = client.xrange(raw_key)
        else:
            value = kind
        contents[key] = _text(value)
    return contents


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return " ".join(f"{_text(k)}={_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return " ".join(_text(item) for item in value)
    return str(value)
