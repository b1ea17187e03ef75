"""Fixtures shared by every suite."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from bot.contacts import Contacts
from bot.settings import PROJECT_ROOT

CONTACTS_PATH = PROJECT_ROOT / "data" / "crisis_contacts.yaml"


@pytest.fixture(scope="session")
def contacts() -> Contacts:
    """The real contacts data file."""
    return Contacts.load(CONTACTS_PATH)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The real Rasa model for the current training data: trained once per run, cached by content hash."""
    from bot.processes.training import ensure_model

    model, _ = ensure_model(PROJECT_ROOT, PROJECT_ROOT / "models", RASA_BIN)
    return model


# The PostgreSQL every machine here runs (trust auth): the gateway's stores are tested on it as well as on SQLite.
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
StoreAt = Callable[[str], "Path | str"]


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    name = f"nl_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreAt]:
    """Where a gateway store lives, by name: a SQLite file in a fresh folder, or a fresh schema in PostgreSQL."""
    if request.param == "sqlite":
        yield lambda name: tmp_path / f"{name}.db"
        return
    database = request.getfixturevalue("postgresql_database")
    schema = f"s_{uuid.uuid4().hex[:10]}"
    admin_url = database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield lambda name: f"{database}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
