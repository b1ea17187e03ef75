"""The directory database: URLs, engines and migrations, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError

from directory.db import DEFAULT_DATABASE_URL, PROJECT_ROOT, database_url, make_engine, migrate, session_factory
from directory.models import Base, Organization, ProblemReport, Service

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE_KINDS = ["sqlite", "postgresql"]


@contextmanager
def scratch_engine(kind: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of `kind`: a SQLite file in tmp_path, or a fresh PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'directory.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    name = f"nightlight_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        # The PostgreSQL half of the suite must fail loudly, never skip: "same code on PostgreSQL" is a requirement.
        pytest.fail(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({error}); start it to run these tests")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        engine = make_engine(f"{POSTGRES_SERVER}/{name}")
        try:
            yield engine
        finally:
            engine.dispose()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=DATABASE_KINDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty directory database of each kind."""
    with scratch_engine(request.param, tmp_path) as fresh:
        migrate(fresh)
        yield fresh


@pytest.mark.parametrize("kind", DATABASE_KINDS)
def test_migration_creates_exactly_the_tables_and_columns_the_models_define(kind: str, tmp_path: Path) -> None:
    with scratch_engine(kind, tmp_path) as fresh:
        migrate(fresh)
        with fresh.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            tables = set(inspect(connection).get_table_names())
    assert differences == []
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


@pytest.mark.parametrize("kind", DATABASE_KINDS)
def test_migrating_an_up_to_date_database_again_changes_nothing(kind: str, tmp_path: Path) -> None:
    with scratch_engine(kind, tmp_path) as fresh:
        migrate(fresh)
        with session_factory(fresh)() as session:
            session.add(Organization(id="org-1", name="Kept"))
            session.commit()
        migrate(fresh)
        with session_factory(fresh)() as session:
            assert session.scalars(select(Organization.name)).all() == ["Kept"]


def test_the_models_define_the_hsds_tables_nightlight_uses() -> None:
    hsds = {
        "organization",
        "service",
        "location",
        "service_at_location",
        "schedule",
        "phone",
        "address",
        "language",
        "accessibility",
        "service_area",
        "taxonomy_term",
        "attribute",
    }
    assert set(Base.metadata.tables) == hsds | {"problem_report", "directory_version"}


def test_database_url_prefers_the_explicit_url_then_the_environment_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NIGHTLIGHT_DATABASE_URL", raising=False)
    assert database_url() == DEFAULT_DATABASE_URL
    monkeypatch.setenv("NIGHTLIGHT_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/from_env")
    assert database_url() == "postgresql+psycopg://postgres@127.0.0.1/from_env"
    assert database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_make_engine_creates_the_folder_of_a_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "folder" / "directory.db"
    engine = make_engine(f"sqlite:///{target}")
    migrate(engine)
    engine.dispose()
    assert target.is_file()


def test_the_default_sqlite_file_lives_in_the_project_root_wherever_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = make_engine(DEFAULT_DATABASE_URL)
    assert engine.url.database == str(PROJECT_ROOT / ".nightlight" / "directory.db")
    engine.dispose()


def test_both_databases_refuse_a_service_whose_organization_does_not_exist(engine: Engine) -> None:
    with session_factory(engine)() as session:
        session.add(Service(id="svc-1", organization_id="nowhere", name="Orphan", status="active"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_a_problem_report_gets_an_id_and_a_time_and_outlives_the_service(engine: Engine) -> None:
    with session_factory(engine)() as session:
        session.add(ProblemReport(service_id="svc-that-was-removed", reason="this group has closed"))
        session.commit()
        report = session.scalars(select(ProblemReport)).one()
    assert len(report.id) == 36
    assert report.reported_at is not None
    assert report.reason == "this group has closed"
