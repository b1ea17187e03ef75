"""Checking a package: every problem reported at once with its file, row and column, and warnings that still load."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from directory.db import session_factory
from directory.errors import ImportFailed, ImportProblem
from directory.hsds import import_package
from directory.models import Service
from tests.directory.hsds.conftest import Package, load, problems_of, valid_package, write_package
from tests.directory.test_db import engine  # noqa: F401  (the fixture: SQLite and PostgreSQL)

BAD_CELLS = [
    ("schedules.csv", 0, "opens_at", "25:00", "opens_at must be a time like 09:30"),
    ("schedules.csv", 0, "closes_at", "9.30am", "closes_at must be a time like 09:30"),
    ("schedules.csv", 0, "opens_at", "09:30+01:00", "opens_at must be a local time like 09:30 (Europe/London)"),
    ("schedules.csv", 0, "freq", "DAILY", "freq must be WEEKLY or MONTHLY"),
    ("schedules.csv", 1, "byday", "2XX", "'2XX' is not one"),
    ("schedules.csv", 0, "byday", "2TU", "byday occurrences like 2TU or -1FR need freq MONTHLY"),
    ("schedules.csv", 0, "valid_from", "2025-13-01", "valid_from must be a date like 2025-09-01"),
    ("schedules.csv", 0, "valid_to", "24/10/2025", "valid_to must be a date like 2025-09-01"),
    ("schedules.csv", 0, "valid_to", "2025-08-01", "valid_to must not be before valid_from"),
    ("schedules.csv", 2, "dtstart", "", "dtstart is required when interval is more than 1"),
    ("schedules.csv", 0, "interval", "fortnightly", "interval must be a whole number like 2"),
    ("schedules.csv", 0, "bymonthday", "32", "bymonthday must be numbers from -31 to 31"),
    ("schedules.csv", 0, "timezone", "London", "timezone must be a UTC offset in hours like 0"),
    ("schedules.csv", 0, "service_id", "svc-missing", "service_id 'svc-missing' does not match any id in services.csv"),
    ("schedules.csv", 2, "service_at_location_id", "sal-9", "does not match any id in service_at_location.csv"),
    ("schedules.csv", 3, "location_id", "loc-9", "location_id 'loc-9' does not match any id in locations.csv"),
    ("schedules.csv", 0, "open_on_bank_holidays", "sometimes", "open_on_bank_holidays must be true or false"),
    ("schedules.csv", 0, "schedule_link", "data:text/html,hello", "'data:' links are refused"),
    ("services.csv", 0, "organization_id", "org-9", "'org-9' does not match any id in organizations.csv"),
    ("services.csv", 0, "organization_id", "", "organization_id is required"),
    ("services.csv", 0, "name", "", "name is required"),
    ("services.csv", 0, "url", "javascript:alert(1)", "'javascript:' links are refused"),
    ("services.csv", 0, "url", "http://", "must be a web address starting with https://"),
    ("services.csv", 0, "url", "example.org", "must be a web address starting with https://"),
    ("services.csv", 0, "email", "not-an-email", "email must be an email address like hello@example.org"),
    ("services.csv", 0, "status", "open", "status must be active, inactive, defunct or temporarily closed"),
    ("services.csv", 0, "assured_date", "last June", "assured_date must be a date like 2025-09-01"),
    ("services.csv", 0, "minimum_age", "sixteen", "minimum_age must be a whole number like 16"),
    ("services.csv", 1, "id", "svc-1", "id 'svc-1' is already used on row 2"),
    ("organizations.csv", 0, "website", "javascript:alert(1)", "'javascript:' links are refused"),
    ("organizations.csv", 1, "parent_organization_id", "org-9", "does not match any id in organizations.csv"),
    ("locations.csv", 0, "latitude", "north", "latitude must be a decimal number like 50.7236"),
    ("locations.csv", 0, "location_type", "building", "location_type must be physical, postal or virtual"),
    ("service_at_location.csv", 0, "location_id", "loc-9", "'loc-9' does not match any id in locations.csv"),
    ("phones.csv", 0, "number", "call us", "number must be a phone number like 01632 960123"),
    ("phones.csv", 0, "location_id", "loc-9", "location_id 'loc-9' does not match any id in locations.csv"),
    ("phones.csv", 0, "service_id", "svc-9", "service_id 'svc-9' does not match any id in services.csv"),
    ("addresses.csv", 0, "country", "United Kingdom", "country must be a two-letter code like GB"),
    ("attributes.csv", 0, "taxonomy_term_id", "tt-9", "does not match any id in taxonomy_terms.csv"),
    ("attributes.csv", 0, "link_id", "svc-9", "link_id 'svc-9' does not match any id in services.csv"),
    ("languages.csv", 0, "phone_id", "ph-9", "phone_id 'ph-9' does not match any id in phones.csv"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "index", "column", "value", "expected"), BAD_CELLS)
def test_a_bad_value_is_reported_with_its_file_row_field_and_what_is_expected(
    sqlite_engine: Engine, tmp_path: Path, file: str, index: int, column: str, value: str, expected: str
) -> None:
    package = valid_package()
    package[file][index][column] = value

    problems = problems_of(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert len(problems) == 1, problems
    assert (problems[0].file, problems[0].row, problems[0].field) == (file, index + 2, column)
    assert expected in problems[0].message


def test_every_problem_in_the_package_is_reported_at_once(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = valid_package()
    package["schedules.csv"][0]["opens_at"] = "25:00"
    package["schedules.csv"][1]["freq"] = "YEARLY"
    package["services.csv"][2]["url"] = "ftp://example.org"
    package["organizations.csv"][1]["name"] = ""

    problems = problems_of(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert {(problem.file, problem.row, problem.field) for problem in problems} == {
        ("schedules.csv", 2, "opens_at"),
        ("schedules.csv", 3, "freq"),
        ("services.csv", 4, "url"),
        ("organizations.csv", 3, "name"),
    }
    assert "schedules.csv row 2, opens_at: opens_at must be a time like 09:30" in [str(p) for p in problems]


def test_rows_are_numbered_as_a_spreadsheet_shows_them_even_after_a_multiline_cell(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    package = valid_package()
    package["services.csv"][0]["description"] = "line one\nline two\nline three"
    package["services.csv"][1]["email"] = "nope"

    problems = problems_of(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert [(problem.row, problem.field) for problem in problems] == [(3, "email")]


def test_a_service_may_point_at_an_organization_already_in_the_database(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    load(engine, write_package(tmp_path / "devon", valid_package()))
    extra = {
        "organizations.csv": [],
        "services.csv": [{"id": "svc-new", "organization_id": "org-1", "name": "New group"}],
    }
    summary = load(engine, write_package(tmp_path / "devon-extra", extra))
    assert summary.counts == {"organization": 0, "service": 1}


def test_unknown_files_and_columns_are_warnings_and_the_rest_still_loads(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = valid_package()
    package["services.csv"][0]["favourite_colour"] = "teal"
    folder = write_package(tmp_path / "pkg", package)
    (folder / "contacts.csv").write_text("id,name\nc-1,Someone\n", encoding="utf-8")
    (folder / "servces.csv").write_text("id\n", encoding="utf-8")
    (folder / "datapackage.json").write_text("{}", encoding="utf-8")

    summary = load(sqlite_engine, folder)

    assert summary.counts["service"] == 3
    assert [str(warning) for warning in summary.warnings] == [
        "contacts.csv: file ignored: Nightlight does not use it",
        "servces.csv: file ignored: not an HSDS 3.0 file name",
        "services.csv row 1, favourite_colour: unknown column; its values were ignored",
    ]


def test_only_organizations_and_services_are_required_files(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = {name: rows for name, rows in valid_package().items() if name in {"organizations.csv", "services.csv"}}
    assert load(sqlite_engine, write_package(tmp_path / "minimal", package)).total == 5

    problems = problems_of(sqlite_engine, write_package(tmp_path / "no-services", {"organizations.csv": []}))
    assert problems == [ImportProblem("services.csv", None, None, "the package must include services.csv")]


def test_a_header_without_a_required_column_is_reported_once(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = valid_package()
    for service in package["services.csv"]:
        del service["organization_id"]

    problems = problems_of(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert problems == [
        ImportProblem("services.csv", 1, "organization_id", "the header has no organization_id column; it is required")
    ]


def test_a_row_with_the_wrong_number_of_values_is_reported(sqlite_engine: Engine, tmp_path: Path) -> None:
    folder = write_package(tmp_path / "pkg", valid_package())
    with (folder / "organizations.csv").open("a", encoding="utf-8") as handle:
        handle.write("org-3,Too,many,values,here,and,more,and,more,and,more\n")

    problems = problems_of(sqlite_engine, folder)

    assert problems == [
        ImportProblem("organizations.csv", 4, None, "this row has 11 values but the header has 5 columns")
    ]


def test_malformed_csv_is_reported_with_its_row(sqlite_engine: Engine, tmp_path: Path) -> None:
    folder = write_package(tmp_path / "pkg", valid_package())
    (folder / "organizations.csv").write_text('id,name\norg-1,"Unclosed "quote" here\n', encoding="utf-8")

    problems = problems_of(sqlite_engine, folder)

    assert len(problems) == 1
    assert (problems[0].file, problems[0].row) == ("organizations.csv", 2)
    assert "not well-formed CSV" in problems[0].message


def test_a_file_that_is_not_utf8_is_reported_with_how_to_fix_it(sqlite_engine: Engine, tmp_path: Path) -> None:
    folder = write_package(tmp_path / "pkg", valid_package())
    (folder / "organizations.csv").write_bytes("id,name\norg-1,Café\norg-2,Other\n".encode("cp1252"))

    problems = problems_of(sqlite_engine, folder)

    assert len(problems) == 1
    assert problems[0].file == "organizations.csv"
    assert "not UTF-8" in problems[0].message
    assert "line 2" in problems[0].message
    assert "CSV UTF-8" in problems[0].message


def test_a_byte_order_mark_from_excel_is_accepted(sqlite_engine: Engine, tmp_path: Path) -> None:
    folder = write_package(tmp_path / "pkg", valid_package())
    text = (folder / "organizations.csv").read_text(encoding="utf-8")
    (folder / "organizations.csv").write_text(text, encoding="utf-8-sig")

    assert load(sqlite_engine, folder).counts["organization"] == 2


def test_a_missing_folder_is_reported(sqlite_engine: Engine, tmp_path: Path) -> None:
    problems = problems_of(sqlite_engine, tmp_path / "nowhere")
    assert problems[0].message == "this is not a folder of HSDS CSV files"


def test_the_failure_message_lists_the_problems_for_a_person(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = valid_package()
    package["schedules.csv"][0]["freq"] = "DAILY"
    with pytest.raises(ImportFailed) as failure, session_factory(sqlite_engine)() as session:
        import_package(session, write_package(tmp_path / "pkg", package))
    assert str(failure.value) == (
        "import failed, nothing was changed (1 problem):\n  schedules.csv row 2, freq: freq must be WEEKLY or MONTHLY"
    )


# ---- warnings: loaded, but worth a look -----------------------------------------------------------------------


def with_unfindable_service(package: Package) -> Package:
    """The package plus an active service with no location and no service area (row 5 of services.csv)."""
    package["services.csv"].append({"id": "svc-4", "organization_id": "org-1", "name": "Nowhere group"})
    return package


UNFINDABLE = (
    "services.csv row 5, id: service 'svc-4' has no location and no service area, so no search can find it; add a "
    "service_at_location.csv row linking it to a location, or a service_areas.csv row naming the area it serves"
)


def test_a_service_with_no_location_and_no_area_is_loaded_with_a_warning(
    engine: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    summary = load(engine, write_package(tmp_path / "pkg", with_unfindable_service(valid_package())))

    # svc-3 has no location either, but it is inactive: search never shows it, so there is nothing to warn about.
    assert [str(warning) for warning in summary.warnings] == [UNFINDABLE]
    with session_factory(engine)() as session:
        assert session.get_one(Service, "svc-4").name == "Nowhere group"


def test_a_location_or_area_already_in_the_database_counts_unless_the_import_replaces_it(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    package = with_unfindable_service(valid_package())
    package["service_areas.csv"].append({"id": "area-4", "service_id": "svc-4", "name": "Devon"})
    load(sqlite_engine, write_package(tmp_path / "devon", package))
    services_only = {"organizations.csv": package["organizations.csv"], "services.csv": package["services.csv"]}
    folder = write_package(tmp_path / "devon-services", services_only)

    # Only services.csv again: the locations and area loaded before still place svc-1, svc-2 and svc-4.
    assert load(sqlite_engine, folder, source="devon").warnings == []
    # Replacing the source removes those rows, so now nothing places the active services.
    replaced = load(sqlite_engine, folder, source="devon", replace=True)
    assert [warning.message.split(" has ")[0] for warning in replaced.warnings] == [
        "service 'svc-1'",
        "service 'svc-2'",
        "service 'svc-4'",
    ]


def test_the_import_command_prints_the_warnings_and_still_imports(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from directory.cli import directory

    package = with_unfindable_service(valid_package())
    package["services.csv"][0]["url"] = "http://example.org/bumps"
    folder = write_package(tmp_path / "pkg", package)

    result = CliRunner().invoke(directory, ["import", str(folder), "--db", f"sqlite:///{tmp_path / 'cli.db'}"])

    assert result.exit_code == 0, result.output
    assert "Imported from pkg: " in result.stdout
    assert "4 service" in result.stdout
    assert (
        "warning: services.csv row 2, url: url was an http:// link, so it was changed to https://example.org/bumps; "
        "check that the new link opens"
    ) in result.stderr
    assert f"warning: {UNFINDABLE}" in result.stderr
