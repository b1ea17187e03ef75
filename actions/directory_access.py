"""The actions' way into the service directory: one engine per database URL, made on first use, never at import."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from directory import db

_lock = threading.Lock()
_factories: dict[str, tuple[Engine, sessionmaker[Session]]] = {}


def session_factory() -> sessionmaker[Session]:
    """The cached session factory for the directory named by NIGHTLIGHT_DATABASE_URL (or the default file)."""
    # Looked up on every call, not at import: the action server starts before the directory may exist, and tests
    # point each case at its own database.
    url = db.database_url()
    with _lock:
        cached = _factories.get(url)
        if cached is None:
            engine = db.make_engine(url)
            cached = (engine, db.session_factory(engine))
            _factories[url] = cached
    return cached[1]


@contextmanager
def directory_session() -> Iterator[Session]:
    """A session on the directory, closed afterwards; errors reach the caller, which always answers her."""
    with session_factory()() as session:
        yield session


def forget_engines() -> None:
    """Dispose of every cached engine (tests, and after the database has been replaced)."""
    with _lock:
        for engine, _ in _factories.values():
            engine.dispose()
        _factories.clear()
