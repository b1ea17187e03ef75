"""The gateway's own SQLite files (messages, handoffs, supporter accounts): one way to open and write them."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Make a folder (and its parents) that only its owner can open: 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create a file (if missing) that only its owner can read: 0600, in a 0700 folder."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)
    return path


def connect_private(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """Open a SQLite file readable by its owner only; its -wal and -shm files take the same mode."""
    return sqlite3.connect(private_file(path), check_same_thread=False, isolation_level=None, timeout=timeout)


class SQLiteFile:
    """A SQLite file shared by the gateway's threads.

    Writes are on disk before a transaction returns (stored before acknowledged), and deleted rows are overwritten
    rather than left in free pages, so "delete my data" really deletes.
    """

    def __init__(self, path: Path, schema: str) -> None:
        self._db = connect_private(path, timeout=10)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "secure_delete=ON"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(schema)
        self._lock = threading.Lock()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction at a time, rolled back whole if anything in it fails."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the file and empty it: deleted rows leave no copy behind there either."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the database, once any transaction in progress has finished."""
        with self._lock:
            self._db.close()
