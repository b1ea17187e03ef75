"""One base for the gateway's stores: an engine, its schema brought up to date by Alembic, and transactions that
behave the same on a SQLite file and on PostgreSQL.

On SQLite (one gateway), the store keeps one connection, writes one transaction at a time (`BEGIN IMMEDIATE`), syncs
each commit to disk, and overwrites deleted rows. On PostgreSQL (several gateways), each transaction takes a pooled
connection; a change that must have one winner says so in its `UPDATE ... WHERE`, which PostgreSQL decides row by row.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, CursorResult, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from bot.db.files import private_file

log = logging.getLogger("nightlight.db")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Several gateways may start at once against one PostgreSQL database: one of them migrates at a time.
MIGRATION_LOCK = 7_351_208
# A SQLite file, or a PostgreSQL URL (postgresql+psycopg://...).
Where = Path | str


def is_postgresql(where: Where) -> bool:
    """Whether `where` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(where, str) and make_url(where).get_backend_name() == "postgresql"


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{private_file(path)}",
        # One connection for the store, used by one thread at a time under the store's lock.
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": 10},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's own
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "secure_delete=ON"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Take the write lock at the start, so two gateways sharing the file never deadlock half-way through.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _postgresql_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # A database that stops answering makes a statement fail within seconds instead of hanging on a dead TCP
    # connection (the messenger refuses her message clearly, with the 24/7 routes, rather than waiting).
    connect_args = {
        "connect_timeout": 3,
        "tcp_user_timeout": 5000,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 3,
        "keepalives_count": 3,
    }
    return create_engine(
        parsed, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=5, connect_args=connect_args
    )


def migrate(engine: Engine, schema: str) -> None:
    """Bring one store's tables up to date (alembic upgrade head), each store with its own version table."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS / schema))
    config.attributes["version_table"] = f"alembic_version_{schema}"
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class SQLStore:
    """A store's database: thread-safe, every change one transaction, on disk before it returns."""

    def __init__(self, where: Where, schema: str) -> None:
        self.postgresql = is_postgresql(where)
        if self.postgresql:
            assert isinstance(where, str)
            self._engine = _postgresql_engine(where)
            self._lock: contextlib.AbstractContextManager[Any] = _NoLock()
        else:
            self._engine = _sqlite_engine(Path(where))
            self._lock = threading.Lock()
        with self._lock:
            migrate(self._engine, schema)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One write transaction, rolled back whole if anything in it fails."""
        with self._lock, self._engine.begin() as connection:
            yield Session(connection)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Session]:
        """A connection for reads (one consistent transaction, rolled back at the end)."""
        with self._lock, self._engine.connect() as connection:
            yield Session(connection)

    def _scrub(self, *tables: str) -> None:
        """After a deletion, leave no copy of the deleted rows where it is practical to reach them.

        SQLite: copy the write-ahead log into the file and empty it (deleted rows were already overwritten).
        PostgreSQL: VACUUM the tables, so the dead row versions are removed from their pages at once rather than
        whenever autovacuum comes by. The write-ahead log and any backups keep them until they are recycled.
        """
        if self.postgresql:
            with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql(f"VACUUM {', '.join(tables)}")
            return
        with self._lock:
            raw = self._engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
            finally:
                raw.close()

    def ping(self) -> bool:
        """Whether the database answers a trivial query now."""
        try:
            with self._reading() as db:
                db.execute("SELECT 1")
        except Exception:  # any failure to reach it reads as down; the health check says which store
            return False
        return True

    def close(self) -> None:
        """Close the database, once any transaction in progress has finished."""
        with self._lock:
            self._engine.dispose()


class _NoLock(contextlib.nullcontext[None]):
    """PostgreSQL orders concurrent transactions itself."""


class Session:
    """A connection that runs SQL text with named parameters (`:name`), the same on both databases."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
        """Run one statement."""
        return self.connection.execute(text(sql), dict(params or {}))
