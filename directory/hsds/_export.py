"""Export: every table as an HSDS 3.0 tabular package, one CSV per table, that imports back unchanged."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hsds._tables import TABLES


def _format(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat() + "Z"  # stored as naive UTC
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def export_package(session: Session, path: Path) -> None:
    """Write every table as an HSDS 3.0 tabular package (one CSV per table) into the folder `path`."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        table = spec.table
        names = [column.name for column in spec.columns]
        query = select(*(table.c[name] for name in names)).order_by(table.c.id)
        with (path / spec.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(names)
            writer.writerows(_formatted(session.execute(query)))


def _formatted(rows: Iterable[Sequence[object]]) -> Iterable[list[str]]:
    for row in rows:
        yield [_format(value) for value in row]
