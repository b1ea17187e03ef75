"""The "add your group" template for charities: it imports cleanly, its example is found, and its README's tag list
is exactly the taxonomy the directory understands."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.db import PROJECT_ROOT, make_engine, migrate, session_factory
from directory.hsds import import_package
from directory.schedules import LONDON
from directory.search import search

TEMPLATE = PROJECT_ROOT / "directory" / "template"
SAMPLE = PROJECT_ROOT / "directory" / "sample"
EXAMPLE_GROUP = "Tuesday Parent and Baby Group, Taunton (example)"
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 30, tzinfo=LONDON)


def rows(folder: Path, file: str) -> list[dict[str, str]]:
    with (folder / file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def readme_codes() -> list[str]:
    """The codes listed under "## Taxonomy codes" in the template's README, in order."""
    text = (TEMPLATE / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Taxonomy codes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `([a-z-]+)` — \S", section, flags=re.MULTILINE)


@pytest.fixture
def template(tmp_path: Path) -> Iterator[Session]:
    """A session on a fresh SQLite directory holding only the template, imported as a charity would."""
    engine = make_engine(f"sqlite:///{tmp_path / 'check.db'}")
    migrate(engine)
    with session_factory(engine)() as session:
        summary = import_package(session, TEMPLATE, source="my-charity")
        assert summary.warnings == []
        assert summary.counts["service"] == 1
        yield session
    engine.dispose()


@pytest.mark.parametrize("near", ["Taunton", "TA1"])
def test_the_example_group_is_found_near_taunton_on_a_tuesday_morning(template: Session, near: str) -> None:
    results = search(template, near, at=TUESDAY_MORNING)

    group = next(result for result in results if result.name == EXAMPLE_GROUP)
    assert group.open
    assert not group.remote
    assert group.distance_km is not None and group.distance_km < 1.0
    assert group.schedule_text == "Tuesdays 10:00-11:30, closed on bank holidays"
    assert {"parent-baby-group", "baby-welcome", "peer-support"} <= set(group.tags)
    assert group.address == "Example Community Hall, Example Road, Taunton TA1"


def test_the_example_group_is_not_found_far_from_taunton(template: Session) -> None:
    assert EXAMPLE_GROUP not in [result.name for result in search(template, "Exeter", at=TUESDAY_MORNING)]


def test_every_example_record_is_marked_as_made_up() -> None:
    for file in ("organizations.csv", "services.csv", "locations.csv"):
        for row in rows(TEMPLATE, file):
            assert row["name"].endswith("(example)"), (file, row["name"])
            assert row["description"].startswith("EXAMPLE:"), (file, row["name"])


def test_the_readme_lists_exactly_the_sample_taxonomy_codes_once_each() -> None:
    listed = readme_codes()
    sample_codes = {row["code"] for row in rows(SAMPLE, "taxonomy_terms.csv")}

    assert len(listed) == len(set(listed)), "a code is listed twice"
    assert set(listed) - sample_codes == set(), "listed in the README but not in the sample taxonomy"
    assert sample_codes - set(listed) == set(), "in the sample taxonomy but missing from the README"


def test_the_template_shares_the_sample_taxonomy_terms_with_the_same_ids() -> None:
    # Search finds a tag by its code, one id per code: a second id for the same code would hide one of them.
    assert rows(TEMPLATE, "taxonomy_terms.csv") == rows(SAMPLE, "taxonomy_terms.csv")
