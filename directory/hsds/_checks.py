"""Reading and checking a package: every file parsed, every row and link checked, and every problem found at once."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.errors import ImportFailed, ImportProblem
from directory.hsds._cells import _Adjusted, _Invalid
from directory.hsds._tables import KNOWN_UNUSED_FILES, LINK_ENTITIES, REQUIRED_FILES, SPECS, TABLES, TableSpec
from directory.models import Attribute, Language, Schedule, Service, ServiceArea, ServiceAtLocation, TaxonomyTerm

BATCH_SIZE = 2000
Row = dict[str, Any]


@dataclass
class _Parsed:
    """One file's rows after validation, with their spreadsheet row numbers."""

    spec: TableSpec
    rows: list[Row] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


def _read_records(
    path: Path, file: str, problems: list[ImportProblem], warnings: list[ImportProblem]
) -> list[list[str]] | None:
    """The file's CSV records (header first), or None after reporting why it cannot be read."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            ImportProblem(
                file,
                None,
                None,
                f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} on line {line}); "
                "save it as 'CSV UTF-8' and import again",
            )
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as error:
        problems.append(ImportProblem(file, len(records) + 1, None, f"this is not well-formed CSV ({error})"))
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        warnings.append(ImportProblem(file, None, None, "the file is empty; nothing was loaded from it"))
        return None
    return records


def _parse_file(
    path: Path, spec: TableSpec, problems: list[ImportProblem], warnings: list[ImportProblem]
) -> _Parsed | None:
    file = spec.file
    records = _read_records(path, file, problems, warnings)
    if records is None:
        return None
    header = [name.strip().lower() for name in records[0]]
    known = {column.name: column for column in spec.columns}
    header_ok = True
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(ImportProblem(file, 1, name, "this column appears twice in the header"))
            header_ok = False
        seen.add(name)
        if name not in known:
            warnings.append(ImportProblem(file, 1, name or "(blank)", "unknown column; its values were ignored"))
    has_rows = any(any(cell.strip() for cell in record) for record in records[1:])
    for column in spec.columns:
        # A header-only file loads nothing, so its missing columns do no harm.
        if column.required and column.name not in seen and has_rows:
            problems.append(
                ImportProblem(file, 1, column.name, f"the header has no {column.name} column; it is required")
            )
            header_ok = False
    if not header_ok:
        return None

    positions = [(index, known[name]) for index, name in enumerate(header) if name in known]
    missing = [column for column in spec.columns if column.name not in seen]
    parsed = _Parsed(spec)
    first_row: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines at the end of a spreadsheet export
        if len(record) != len(header):
            problems.append(
                ImportProblem(
                    file, number, None, f"this row has {len(record)} values but the header has {len(header)} columns"
                )
            )
            continue
        row: Row = {column.name: None for column in missing}
        ok = True
        for index, column in positions:
            text = record[index].strip()
            if not text:
                if column.required:
                    problems.append(ImportProblem(file, number, column.name, f"{column.name} is required"))
                    ok = False
                row[column.name] = None
                continue
            try:
                value = column.parse(column.name, text)
            except _Invalid as error:
                problems.append(ImportProblem(file, number, column.name, str(error)))
                ok = False
                continue
            if isinstance(value, _Adjusted):
                warnings.append(ImportProblem(file, number, column.name, value.note))
                value = value.value
            row[column.name] = value
        row_id = row.get("id")
        if isinstance(row_id, str):
            if row_id in first_row:
                problems.append(
                    ImportProblem(file, number, "id", f"id '{row_id}' is already used on row {first_row[row_id]}")
                )
                ok = False
            else:
                first_row[row_id] = number
        if ok:
            _check_row(spec, row, number, problems)
            parsed.rows.append(row)
            parsed.row_numbers.append(number)
            parsed.ids.add(row["id"])
    return parsed


def _check_row(spec: TableSpec, row: Row, number: int, problems: list[ImportProblem]) -> None:
    """Rules that involve more than one cell of a row."""
    file = spec.file

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(file, number, column, message))

    if spec.model is Service:
        row["status"] = row["status"] or "active"  # HSDS requires a status; an empty one means the service runs
        low, high = row["minimum_age"], row["maximum_age"]
        if low is not None and high is not None and low > high:
            problem("maximum_age", "maximum_age must not be less than minimum_age")
    elif spec.model is Schedule:
        if not (row["service_id"] or row["location_id"] or row["service_at_location_id"]):
            problem("service_id", "a schedule needs a service_id, location_id or service_at_location_id")
        freq, byday = row["freq"], row["byday"]
        if byday and not freq:
            problem("freq", "freq must be WEEKLY or MONTHLY when byday is given")
        if freq == "WEEKLY" and byday and any(not part.isalpha() for part in byday.split(",")):
            problem("byday", "byday occurrences like 2TU or -1FR need freq MONTHLY; with WEEKLY use plain days like TU")
        if freq == "WEEKLY" and row["bymonthday"]:
            problem("bymonthday", "bymonthday needs freq MONTHLY")
        if (row["interval"] or 1) > 1 and row["dtstart"] is None:
            problem(
                "dtstart", "dtstart is required when interval is more than 1 (it fixes which weeks or months count)"
            )
        if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
            problem("valid_to", "valid_to must not be before valid_from")
        if row["dtstart"] and row["until"] and row["until"] < row["dtstart"]:
            problem("until", "until must not be before dtstart")
        if (row["opens_at"] is None) != (row["closes_at"] is None):
            missing = "closes_at" if row["closes_at"] is None else "opens_at"
            problem(missing, "opens_at and closes_at go together: give both times or neither")
    elif spec.model is Language:
        if not (row["name"] or row["code"]):
            problem("name", "a language needs a name or a code")
    elif spec.model is ServiceArea and not (row["service_id"] or row["service_at_location_id"]):
        problem("service_id", "a service area needs a service_id or service_at_location_id")


def _existing_ids(session: Session, spec: TableSpec, source: str, replace: bool) -> set[str]:
    """Ids already in the database that will still be there after this import's deletions."""
    table = spec.table
    query = select(table.c.id)
    if replace and spec.model is not TaxonomyTerm:
        query = query.where(table.c.source.is_distinct_from(source))
    return set(session.scalars(query))


def _check_references(
    session: Session,
    parsed: dict[str, _Parsed],
    source: str,
    replace: bool,
    problems: list[ImportProblem],
) -> None:
    known: dict[str, set[str]] = {}

    def ids(file: str) -> set[str]:
        if file not in known:
            package = parsed[file].ids if file in parsed else set()
            known[file] = package | _existing_ids(session, SPECS[file], source, replace)
        return known[file]

    for file, content in parsed.items():
        references = [column for column in content.spec.columns if column.refers_to]
        for row, number in zip(content.rows, content.row_numbers, strict=True):
            for column in references:
                value = row[column.name]
                assert column.refers_to is not None
                if value is not None and value not in ids(column.refers_to):
                    problems.append(
                        ImportProblem(
                            file,
                            number,
                            column.name,
                            f"{column.name} '{value}' does not match any id in {column.refers_to}",
                        )
                    )
            if content.spec.model is Attribute:
                target = LINK_ENTITIES.get(row["link_entity"])
                if target is not None and row["link_id"] not in ids(target):
                    problems.append(
                        ImportProblem(
                            file,
                            number,
                            "link_id",
                            f"link_id '{row['link_id']}' does not match any id in {target} "
                            f"(link_entity is {row['link_entity']})",
                        )
                    )


def _validate(
    session: Session, path: Path, source: str, replace: bool
) -> tuple[dict[str, _Parsed], list[ImportProblem]]:
    """Every file parsed and checked; raises ImportFailed with every problem found."""
    problems: list[ImportProblem] = []
    warnings: list[ImportProblem] = []
    if not path.is_dir():
        raise ImportFailed([ImportProblem(str(path), None, None, "this is not a folder of HSDS CSV files")])
    for required in REQUIRED_FILES:
        if not (path / required).is_file():
            problems.append(ImportProblem(required, None, None, f"the package must include {required}"))
    for entry in sorted(path.iterdir()):
        if entry.suffix.lower() == ".csv" and entry.name not in SPECS:
            why = "Nightlight does not use it" if entry.name in KNOWN_UNUSED_FILES else "not an HSDS 3.0 file name"
            warnings.append(ImportProblem(entry.name, None, None, f"file ignored: {why}"))
    parsed: dict[str, _Parsed] = {}
    for spec in TABLES:
        file_path = path / spec.file
        if file_path.is_file():
            content = _parse_file(file_path, spec, problems, warnings)
            if content is not None:
                parsed[spec.file] = content
    if not problems:
        # Only worth checking links once every file reads cleanly; otherwise rows left out would cause false alarms.
        _check_references(session, parsed, source, replace, problems)
    if problems:
        raise ImportFailed(problems)
    warnings.extend(_unfindable_services(session, parsed, source, replace))
    return parsed, warnings


def _unfindable_services(
    session: Session, parsed: dict[str, _Parsed], source: str, replace: bool
) -> list[ImportProblem]:
    """Active services with no location and no service area: search has nowhere to look for them, so warn."""
    services = parsed.get("services.csv")
    if services is None:
        return []
    # Search only ever shows active services; an inactive one is not meant to be found.
    active = {
        row["id"]: number
        for row, number in zip(services.rows, services.row_numbers, strict=True)
        if row["status"] == "active"
    }
    placed: set[str] = set()
    for file in ("service_at_location.csv", "service_areas.csv"):
        if file in parsed:
            placed.update(row["service_id"] for row in parsed[file].rows if row["service_id"])
    unplaced = sorted(set(active) - placed)
    # Rows already in the database still count, unless this import is about to remove them (a replace).
    for model in (ServiceAtLocation, ServiceArea):
        for start in range(0, len(unplaced), BATCH_SIZE):
            query = select(model.service_id).where(model.service_id.in_(unplaced[start : start + BATCH_SIZE]))
            if replace:
                query = query.where(model.source.is_distinct_from(source))
            placed.update(session.scalars(query))
    return [
        ImportProblem(
            "services.csv",
            active[service_id],
            "id",
            f"service '{service_id}' has no location and no service area, so no search can find it; add a "
            "service_at_location.csv row linking it to a location, or a service_areas.csv row naming the area it "
            "serves",
        )
        for service_id in unplaced
        if service_id not in placed
    ]
