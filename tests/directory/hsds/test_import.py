"""Importing HSDS 3.0 tabular packages: all or nothing, upserts, replace and progress."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from sqlalchemy import Engine, select

from directory.db import session_factory
from directory.errors import ImportProblem
from directory.models import Attribute, Organization, Phone, Schedule, Service, TaxonomyTerm
from tests.directory.hsds.conftest import SAMPLE, count, load, problems_of, valid_package, write_package
from tests.directory.test_db import engine  # noqa: F401  (the fixture: SQLite and PostgreSQL)


def test_import_loads_every_file_of_a_valid_package(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    summary = load(engine, write_package(tmp_path / "devon", valid_package()))

    assert summary.source == "devon"
    assert summary.warnings == []
    assert summary.counts == {
        "organization": 2,
        "taxonomy_term": 2,
        "service": 3,
        "location": 2,
        "service_at_location": 2,
        "phone": 2,
        "language": 1,
        "schedule": 4,
        "address": 1,
        "accessibility": 1,
        "service_area": 1,
        "attribute": 2,
    }
    with session_factory(engine)() as session:
        service = session.get(Service, "svc-1")
        assert service is not None
        assert service.description == 'A "drop-in" group, babies welcome,\nno need to book.'
        assert service.assured_date == date(2025, 6, 1)
        assert service.source == "devon"
        assert {attribute.taxonomy_term.code for attribute in service.attributes} == {"baby-welcome", "peer-support"}
        assert session.get_one(Service, "svc-2").status == "active"  # HSDS needs a status; blank means active
        assert session.get_one(Service, "svc-3").name == "Café chat (Pâtisserie) 🍼"
        assert session.get_one(Organization, "org-2").parent_organization_id == "org-1"
        monthly = session.get_one(Schedule, "sch-monthly")
        assert (monthly.freq, monthly.byday, monthly.open_on_bank_holidays) == ("MONTHLY", "2TU,-1FR", False)
        assert (monthly.opens_at, monthly.closes_at) == (time(13, 0), time(14, 0))
        late = session.get_one(Schedule, "sch-late")
        assert late.closes_at == time(0, 0)  # 24:00 closes at midnight: a window that runs past midnight
        assert session.get_one(Schedule, "sch-weekly").valid_to == date(2025, 10, 24)
        assert session.get_one(Phone, "ph-2").number == "+44 (0)7700 900123"  # kept exactly as given


def test_import_reports_progress_up_to_the_total(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    calls: list[tuple[int, int]] = []
    load(
        engine,
        write_package(tmp_path / "pkg", valid_package()),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[0] == (0, 23)
    assert calls[-1] == (23, 23)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_reimporting_the_same_ids_updates_them(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    package = valid_package()
    load(engine, write_package(tmp_path / "devon", package))
    package["services.csv"][0]["name"] = "Bumps & Babies (now on Wednesdays)"
    package["schedules.csv"][0]["byday"] = "WE"
    load(engine, write_package(tmp_path / "devon", package))

    with session_factory(engine)() as session:
        assert session.get_one(Service, "svc-1").name == "Bumps & Babies (now on Wednesdays)"
        assert session.get_one(Schedule, "sch-weekly").byday == "WE"
        assert count(session, Service) == 3
        assert count(session, Schedule) == 4


def test_replace_removes_what_the_source_no_longer_lists_and_keeps_other_sources(
    engine: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    load(engine, write_package(tmp_path / "devon", valid_package()))
    other = {
        "organizations.csv": [{"id": "other-org", "name": "Somerset group"}],
        "services.csv": [{"id": "other-svc", "organization_id": "other-org", "name": "Somerset circle"}],
        # Another source may use the devon source's taxonomy terms; replacing devon must not break it.
        "attributes.csv": [
            {"id": "other-attr", "link_id": "other-svc", "link_entity": "service", "taxonomy_term_id": "tt-kind"}
        ],
    }
    load(engine, write_package(tmp_path / "somerset", other))
    smaller = valid_package()
    smaller["services.csv"] = smaller["services.csv"][:1]
    smaller["service_at_location.csv"] = smaller["service_at_location.csv"][:1]
    smaller["schedules.csv"] = smaller["schedules.csv"][:2]
    smaller["phones.csv"] = smaller["phones.csv"][:1]
    smaller["service_areas.csv"] = []
    smaller["attributes.csv"] = []
    smaller["taxonomy_terms.csv"] = []

    summary = load(engine, write_package(tmp_path / "devon-new", smaller), replace=True, source="devon")

    with session_factory(engine)() as session:
        assert set(session.scalars(select(Service.id))) == {"svc-1", "other-svc"}
        assert set(session.scalars(select(Schedule.id))) == {"sch-weekly", "sch-monthly"}
        assert set(session.scalars(select(Attribute.id))) == {"other-attr"}
        # tt-kind is still used by the other source; tt-baby is not, so it goes with its source.
        assert set(session.scalars(select(TaxonomyTerm.id))) == {"tt-kind"}
    assert summary.deleted["service"] == 3
    assert summary.counts["service"] == 1


def test_replace_uses_the_folder_name_as_the_source_by_default(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    load(engine, write_package(tmp_path / "devon", valid_package()))
    only_one = {
        "organizations.csv": [{"id": "org-1", "name": "Example Parents Trust"}],
        "services.csv": [{"id": "svc-9", "organization_id": "org-1", "name": "A new group"}],
    }
    folder = write_package(tmp_path / "elsewhere" / "devon", only_one)
    load(engine, folder, replace=True)

    with session_factory(engine)() as session:
        assert set(session.scalars(select(Service.id))) == {"svc-9"}
        assert set(session.scalars(select(Organization.id))) == {"org-1"}


def test_a_package_with_a_problem_changes_nothing(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    load(engine, write_package(tmp_path / "devon", valid_package()))
    broken = valid_package()
    broken["services.csv"][0]["name"] = "Renamed, but the import fails"
    broken["schedules.csv"][0]["opens_at"] = "25:00"

    problems = problems_of(engine, write_package(tmp_path / "devon", broken), replace=True)

    assert problems == [ImportProblem("schedules.csv", 2, "opens_at", "opens_at must be a time like 09:30")]
    with session_factory(engine)() as session:
        assert session.get_one(Service, "svc-1").name == "Bumps & Babies, Tuesday group"
        assert count(session, Schedule) == 4


def test_a_database_error_while_loading_rolls_everything_back(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    load(engine, write_package(tmp_path / "devon", valid_package()))
    # Another source's service points at devon's organisation; replacing devon without it cannot succeed.
    other = {
        "organizations.csv": [],
        "services.csv": [{"id": "other-svc", "organization_id": "org-2", "name": "Depends on devon"}],
    }
    load(engine, write_package(tmp_path / "somerset", other))
    without_org_2 = valid_package()
    without_org_2["organizations.csv"] = without_org_2["organizations.csv"][:1]
    for service in without_org_2["services.csv"]:
        service["organization_id"] = "org-1"
    without_org_2["phones.csv"] = without_org_2["phones.csv"][:1]

    problems = problems_of(engine, write_package(tmp_path / "devon", without_org_2), replace=True)

    assert problems[0].file == "(database)"
    with session_factory(engine)() as session:
        assert count(session, Organization) == 2
        assert count(session, Service) == 4


def test_the_sample_directory_imports_cleanly(engine: Engine) -> None:  # noqa: F811
    summary = load(engine, SAMPLE)
    assert summary.warnings == []
    assert summary.counts["organization"] > 0
    assert summary.counts["service"] > 0
