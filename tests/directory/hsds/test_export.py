"""Exporting the directory as an HSDS 3.0 tabular package, and reading it back unchanged."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from directory.db import migrate, session_factory
from directory.hsds import TABLES, export_package
from tests.directory.hsds.conftest import SAMPLE, load, valid_package, write_package
from tests.directory.test_db import engine, scratch_engine  # noqa: F401  (engine is the SQLite/PostgreSQL fixture)

TableRows = dict[str, list[tuple[Any, ...]]]


def every_row(database: Engine) -> TableRows:
    """Every row of every HSDS table, without `source` (which import it came from), sorted by id."""
    rows: TableRows = {}
    with session_factory(database)() as session:
        for spec in TABLES:
            columns = [column for column in spec.table.columns if column.name != "source"]
            rows[spec.table.name] = [tuple(row) for row in session.execute(select(*columns).order_by(spec.table.c.id))]
    return rows


def test_export_writes_every_file_with_hsds_column_names(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    load(engine, write_package(tmp_path / "devon", valid_package()))
    with session_factory(engine)() as session:
        export_package(session, tmp_path / "export")

    files = sorted(path.name for path in (tmp_path / "export").iterdir())
    assert files == sorted(spec.file for spec in TABLES)
    with (tmp_path / "export" / "schedules.csv").open(encoding="utf-8", newline="") as handle:
        schedules = {row["id"]: row for row in csv.DictReader(handle)}
    assert schedules["sch-monthly"]["byday"] == "2TU,-1FR"
    assert schedules["sch-monthly"]["opens_at"] == "13:00"
    assert schedules["sch-monthly"]["open_on_bank_holidays"] == "false"
    assert schedules["sch-fortnightly"]["dtstart"] == "2025-01-07"
    assert schedules["sch-late"]["closes_at"] == "00:00"
    with (tmp_path / "export" / "services.csv").open(encoding="utf-8", newline="") as handle:
        services = {row["id"]: row for row in csv.DictReader(handle)}
    assert services["svc-1"]["description"] == 'A "drop-in" group, babies welcome,\nno need to book.'
    assert services["svc-1"]["last_modified"] == "2025-06-01T10:30:00Z"
    assert "source" not in services["svc-1"]


def test_an_exported_package_imports_into_a_fresh_database_with_every_row_the_same(
    engine: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    load(engine, write_package(tmp_path / "devon", valid_package()))
    with session_factory(engine)() as session:
        export_package(session, tmp_path / "export")

    with scratch_engine(engine.dialect.name, tmp_path / "second") as fresh:
        migrate(fresh)
        summary = load(fresh, tmp_path / "export")
        assert summary.warnings == []
        assert every_row(fresh) == every_row(engine)
    assert sum(len(rows) for rows in every_row(engine).values()) == 23


def test_the_sample_directory_survives_an_export_and_reimport(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    load(engine, SAMPLE)
    with session_factory(engine)() as session:
        export_package(session, tmp_path / "export")

    with scratch_engine(engine.dialect.name, tmp_path / "second") as fresh:
        migrate(fresh)
        load(fresh, tmp_path / "export")
        assert every_row(fresh) == every_row(engine)


def test_exporting_an_empty_directory_writes_headers_only(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    with session_factory(engine)() as session:
        export_package(session, tmp_path / "empty")
    header = (tmp_path / "empty" / "organizations.csv").read_text(encoding="utf-8")
    assert header.startswith("id,name,alternate_name,description,email,website,")
    assert header.count("\n") == 1
