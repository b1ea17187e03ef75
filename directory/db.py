"""Database engines, sessions and migrations for the directory (SQLite by default, PostgreSQL when configured)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_DATABASE_URL = "sqlite:///.nightlight/directory.db"  # relative to the project root
DATABASE_URL_VARIABLE = "NIGHTLIGHT_DATABASE_URL"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the explicit one, else NIGHTLIGHT_DATABASE_URL, else the default SQLite file."""
    return explicit or os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, creates its folder and turns on foreign keys like PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        # The default is the project's own file wherever the command runs; other relative paths follow the cwd.
        if url == DEFAULT_DATABASE_URL:
            path = PROJECT_ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        parsed = parsed.set(database=str(path))
    engine = create_engine(parsed)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked; without this a bad import could pass here and fail on PostgreSQL.
    cursor.execute("PRAGMA foreign_keys=ON")
    # Readers (the action server) keep working while an import writes.
    cursor.execute("PRAGMA busy_timeout=10000")
    # Search reads thousands of index entries per city: a larger page cache, memory-mapped reads and in-memory
    # temporary b-trees (IN lists, sorts) keep those reads off the file system calls.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date (alembic upgrade head), without an alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to `engine`; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
