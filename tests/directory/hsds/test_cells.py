"""Cells: http links become https with a warning, other links are refused, and phone numbers must read as numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from directory.db import session_factory
from directory.errors import ImportProblem
from directory.models import Organization, Schedule, Service
from tests.directory.hsds.conftest import load, problems_of, valid_package, write_package


def test_http_links_are_upgraded_to_https_with_a_warning_naming_the_row(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = valid_package()
    package["organizations.csv"][0]["website"] = "http://example.org"
    package["services.csv"][0]["url"] = "HTTP://example.org/bumps?day=tue"
    package["locations.csv"][1]["url"] = "http://example.org/join"
    package["schedules.csv"][3]["schedule_link"] = "http://example.org/book"

    summary = load(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert [str(warning) for warning in summary.warnings] == [
        "organizations.csv row 2, website: website was an http:// link, so it was changed to https://example.org; "
        "check that the new link opens",
        "services.csv row 2, url: url was an http:// link, so it was changed to https://example.org/bumps?day=tue; "
        "check that the new link opens",
        "locations.csv row 3, url: url was an http:// link, so it was changed to https://example.org/join; "
        "check that the new link opens",
        "schedules.csv row 5, schedule_link: schedule_link was an http:// link, so it was changed to "
        "https://example.org/book; check that the new link opens",
    ]
    with session_factory(sqlite_engine)() as session:
        assert session.get_one(Organization, "org-1").website == "https://example.org"
        assert session.get_one(Service, "svc-1").url == "https://example.org/bumps?day=tue"
        assert session.get_one(Schedule, "sch-late").schedule_link == "https://example.org/book"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "'javascript:' links are refused"),
        ("data:text/html,<b>hi</b>", "'data:' links are refused"),
        ("ftp://example.org/leaflet.pdf", "'ftp:' links are refused"),
        ("http:example.org", "must be a web address starting with https://"),
        ("http://[::1", "must be a web address starting with https://"),
    ],
)
def test_links_that_are_not_web_addresses_are_still_refused(
    sqlite_engine: Engine, tmp_path: Path, url: str, expected: str
) -> None:
    package = valid_package()
    package["services.csv"][0]["url"] = url

    problems = problems_of(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert [(problem.file, problem.row, problem.field) for problem in problems] == [("services.csv", 2, "url")]
    assert expected in problems[0].message


def test_a_phone_number_in_quotation_marks_is_refused_with_a_hint(sqlite_engine: Engine, tmp_path: Path) -> None:
    package = valid_package()
    package["phones.csv"][0]["number"] = '"+44 1632 960123"'

    problems = problems_of(sqlite_engine, write_package(tmp_path / "pkg", package))

    assert problems == [
        ImportProblem(
            "phones.csv", 2, "number", "number must be a phone number without quotation marks, like 01632 960123"
        )
    ]
