"""The Open Referral specification's own HSDS 3.0 example package, through the real importer (see SOURCE.md there).

The example is refused for errors that are really in it. Corrected step by step, as a publisher would, it imports,
and what is only our stricter taste (http:// links) comes through as warnings.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine

from directory.db import make_engine, migrate
from tests.directory.hsds.conftest import load, problems_of

EXAMPLE = Path(__file__).resolve().parent / "openreferral_example"

ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
SERVICE_AT_LOCATION = "e94c9f38-1e8f-4564-91d4-d53501ab1765"

REAL_ERRORS_IN_CELLS = [
    # The header has two columns that hold objects and arrays (left out of the tabular form); the row stops short.
    "taxonomy_terms.csv row 2: this row has 9 values but the header has 11 columns",
    "locations.csv row 2, latitude: latitude must be between -90 and 90",
    "phones.csv row 2, number: number must be a phone number without quotation marks, like 01632 960123",
    # RFC 5545, which HSDS schedules follow: BYMONTHDAY must not be given with FREQ=WEEKLY.
    "schedules.csv row 2, bymonthday: bymonthday needs freq MONTHLY",
]

LINKS_TO_ROWS_NOT_THERE = [
    "organizations.csv row 2, parent_organization_id: parent_organization_id 'cd09a387-91f4-4555-94ec-e799c35344cd' "
    "does not match any id in organizations.csv",
    "taxonomy_terms.csv row 2, parent_id: parent_id '0bc248fa-dc27-4650-9ba4-8f1a24ef16a2' does not match any id in "
    "taxonomy_terms.csv",
    "locations.csv row 2, organization_id: organization_id '985e4a42-bd9f-4edc-911d-0243a4640aca' does not match any "
    "id in organizations.csv",
    "service_at_location.csv row 2, service_id: service_id 'ab231982-2106-4a55-80fc-b305560c5556' does not match any "
    "id in services.csv",
    "service_at_location.csv row 2, location_id: location_id '2528e812-ccbb-43a7-b761-a90f27ea9ac4' does not match any "
    "id in locations.csv",
    "schedules.csv row 2, service_id: service_id 'ae8b7eaf-7e7d-4128-a403-ae097f146356' does not match any id in "
    "services.csv",
    "schedules.csv row 2, location_id: location_id 'dd9e501b-4df9-4e71-85ac-29748e7e2d5a' does not match any id in "
    "locations.csv",
    "schedules.csv row 2, service_at_location_id: service_at_location_id '0a41a90a-b5a5-4541-87e2-5cc2fd72536b' does "
    "not match any id in service_at_location.csv",
    "service_areas.csv row 2, service_at_location_id: service_at_location_id 'af69894e-7bed-11ef-a85c-07e0918a608c' "
    "does not match any id in service_at_location.csv",
]


def http_upgraded(where: str, column: str, url: str) -> str:
    return f"{where}, {column}: {column} was an http:// link, so it was changed to {url}; check that the new link opens"


WARNINGS_ONCE_IMPORTED = [
    *(
        f"{file}: file ignored: Nightlight does not use it"
        for file in (
            "contacts.csv",
            "cost_options.csv",
            "funding.csv",
            "meta_table_descriptions.csv",
            "metadata.csv",
            "organization_identifiers.csv",
            "programs.csv",
            "required_documents.csv",
            "units.csv",
        )
    ),
    http_upgraded("organizations.csv row 2", "website", "https://example.com"),
    http_upgraded("organizations.csv row 2", "uri", "https://example.com"),
    "taxonomy_terms.csv row 1, taxonomy_detail: unknown column; its values were ignored",
    "taxonomy_terms.csv row 1, metadata: unknown column; its values were ignored",
    http_upgraded("taxonomy_terms.csv row 2", "term_uri", "https://example.com"),
    http_upgraded("services.csv row 2", "url", "https://example.com/counselling"),
    http_upgraded("locations.csv row 2", "url", "https://example.com"),
    http_upgraded("schedules.csv row 2", "schedule_link", "https://example.com"),
    http_upgraded("accessibility.csv row 2", "url", "https://example.com"),
    http_upgraded("service_areas.csv row 2", "uri", "https://example.com"),
]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """A migrated, empty SQLite directory."""
    fresh = make_engine(f"sqlite:///{tmp_path / 'example.db'}")
    migrate(fresh)
    return fresh


def copy_of_example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "openreferral_example"))


def change_first_row(folder: Path, file: str, **cells: str) -> None:
    """Set cells of the file's only data row (spreadsheet row 2), padding a short row to the header's width."""
    path = folder / file
    with path.open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    row += [""] * (len(header) - len(row))
    for column, value in cells.items():
        row[header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, row])


def correct_the_cells(folder: Path) -> None:
    """What a publisher would fix in the cells: a full taxonomy row, a real latitude, a bare number, no bymonthday."""
    change_first_row(folder, "taxonomy_terms.csv")
    change_first_row(folder, "locations.csv", latitude="51.5")
    change_first_row(folder, "phones.csv", number="+44 1234 234567")
    change_first_row(folder, "schedules.csv", bymonthday="")


def mend_the_links(folder: Path) -> None:
    """Point every link at the example's own rows, and drop the parents that are not in the package."""
    change_first_row(folder, "organizations.csv", parent_organization_id="")
    change_first_row(folder, "taxonomy_terms.csv", parent_id="")
    change_first_row(folder, "locations.csv", organization_id=ORGANIZATION)
    change_first_row(folder, "service_at_location.csv", service_id=SERVICE, location_id=LOCATION)
    change_first_row(
        folder, "schedules.csv", service_id=SERVICE, location_id=LOCATION, service_at_location_id=SERVICE_AT_LOCATION
    )
    change_first_row(folder, "service_areas.csv", service_at_location_id=SERVICE_AT_LOCATION)


def test_the_published_example_is_refused_for_four_errors_in_its_cells(sqlite_engine: Engine) -> None:
    problems = problems_of(sqlite_engine, EXAMPLE)

    assert [str(problem) for problem in problems] == REAL_ERRORS_IN_CELLS


def test_with_its_cells_corrected_the_example_is_refused_for_links_to_rows_it_does_not_have(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    folder = copy_of_example(tmp_path)
    correct_the_cells(folder)

    problems = problems_of(sqlite_engine, folder)

    assert [str(problem) for problem in problems] == LINKS_TO_ROWS_NOT_THERE


def test_with_its_links_mended_the_example_imports_with_its_http_links_made_https(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    folder = copy_of_example(tmp_path)
    correct_the_cells(folder)
    mend_the_links(folder)

    summary = load(sqlite_engine, folder)

    assert summary.counts == {
        "organization": 1,
        "taxonomy_term": 1,
        "service": 1,
        "location": 1,
        "service_at_location": 1,
        "phone": 1,
        "language": 1,
        "schedule": 1,
        "address": 1,
        "accessibility": 1,
        "service_area": 1,
        "attribute": 1,
    }
    assert [str(warning) for warning in summary.warnings] == WARNINGS_ONCE_IMPORTED
