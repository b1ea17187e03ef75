"""A valid HSDS package to change one cell of, and ways to import it, for the importer's tests."""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from directory.db import PROJECT_ROOT, session_factory
from directory.errors import ImportFailed, ImportProblem
from directory.hsds import ImportSummary, import_package

Package = dict[str, list[dict[str, str]]]

SAMPLE = PROJECT_ROOT / "directory" / "sample"

VALID: Package = {
    "organizations.csv": [
        {"id": "org-1", "name": "Example Parents Trust", "website": "https://example.org", "email": "hi@example.org"},
        {"id": "org-2", "name": "Example Wellbeing CIC", "parent_organization_id": "org-1"},
    ],
    "services.csv": [
        {
            "id": "svc-1",
            "organization_id": "org-1",
            "name": "Bumps & Babies, Tuesday group",
            "description": 'A "drop-in" group, babies welcome,\nno need to book.',
            "url": "https://example.org/bumps",
            "status": "active",
            "assured_date": "2025-06-01",
            "minimum_age": "16",
            "last_modified": "2025-06-01T10:30:00Z",
        },
        {"id": "svc-2", "organization_id": "org-2", "name": "Evening online circle", "status": ""},
        {"id": "svc-3", "organization_id": "org-2", "name": "Café chat (Pâtisserie) 🍼", "status": "inactive"},
    ],
    "locations.csv": [
        {"id": "loc-1", "location_type": "physical", "name": "Community hall", "latitude": "50.7236"},
        {"id": "loc-2", "location_type": "virtual", "name": "Online", "url": "https://example.org/join"},
    ],
    "service_at_location.csv": [
        {"id": "sal-1", "service_id": "svc-1", "location_id": "loc-1"},
        {"id": "sal-2", "service_id": "svc-2", "location_id": "loc-2"},
    ],
    "schedules.csv": [
        {"id": "sch-weekly", "service_id": "svc-1", "freq": "WEEKLY", "byday": "TU", "opens_at": "10:00",
         "closes_at": "11:30", "valid_from": "2025-09-02", "valid_to": "2025-10-24", "timezone": "Europe/London"},
        {"id": "sch-monthly", "service_id": "svc-1", "freq": "MONTHLY", "byday": "2TU,-1FR", "opens_at": "13:00",
         "closes_at": "14:00", "open_on_bank_holidays": "false"},
        {"id": "sch-fortnightly", "service_at_location_id": "sal-2", "freq": "WEEKLY", "interval": "2",
         "dtstart": "2025-01-07", "byday": "TU", "opens_at": "19:30:00", "closes_at": "21:00:00"},
        {"id": "sch-late", "location_id": "loc-2", "freq": "WEEKLY", "byday": "FR,SA", "opens_at": "22:00",
         "closes_at": "24:00", "schedule_link": "https://example.org/book"},
    ],
    "phones.csv": [
        {"id": "ph-1", "service_id": "svc-1", "number": "01632 960123", "type": "voice"},
        {"id": "ph-2", "organization_id": "org-2", "number": "+44 (0)7700 900123", "type": "text"},
    ],
    "addresses.csv": [
        {"id": "addr-1", "location_id": "loc-1", "address_1": "1 Example Street", "city": "Exeter",
         "postal_code": "EX4 4QJ", "country": "GB", "address_type": "physical"},
    ],
    "languages.csv": [{"id": "lang-1", "service_id": "svc-1", "name": "Polish", "code": "pl", "phone_id": "ph-1"}],
    "accessibility.csv": [{"id": "acc-1", "location_id": "loc-1", "description": "Step-free access"}],
    "service_areas.csv": [{"id": "area-1", "service_id": "svc-2", "name": "Devon", "extent_type": "text"}],
    "taxonomy_terms.csv": [
        {"id": "tt-kind", "code": "peer-support", "name": "Peer support", "taxonomy": "nightlight-perinatal"},
        {"id": "tt-baby", "code": "baby-welcome", "name": "Babies welcome", "taxonomy": "nightlight-perinatal",
         "parent_id": "tt-kind"},
    ],
    "attributes.csv": [
        {"id": "attr-1", "link_id": "svc-1", "link_type": "service", "link_entity": "service",
         "taxonomy_term_id": "tt-baby"},
        {"id": "attr-2", "link_id": "svc-1", "link_type": "service", "link_entity": "service",
         "taxonomy_term_id": "tt-kind"},
    ],
}  # fmt: skip


def valid_package() -> Package:
    """A fresh copy of the valid package, safe to change in one test."""
    return copy.deepcopy(VALID)


def write_package(folder: Path, package: Package) -> Path:
    """Write each file of `package` as CSV with the union of its rows' keys as the header."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in package.items():
        header: list[str] = []
        for row in rows:
            header.extend(key for key in row if key not in header)
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header or ["id"])
            writer.writeheader()
            writer.writerows(rows)
    return folder


def load(database: Engine, folder: Path, **options: Any) -> ImportSummary:
    """Import `folder` into `database`."""
    with session_factory(database)() as session:
        return import_package(session, folder, **options)


def problems_of(database: Engine, folder: Path, **options: Any) -> list[ImportProblem]:
    """The problems that stop `folder` importing into `database`."""
    with pytest.raises(ImportFailed) as failure, session_factory(database)() as session:
        import_package(session, folder, **options)
    return failure.value.problems


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """A migrated SQLite database, for the validation tests that do not depend on the database kind."""
    from directory.db import make_engine, migrate

    fresh = make_engine(f"sqlite:///{tmp_path / 'validation.db'}")
    migrate(fresh)
    return fresh
