"""`nightlight directory`: the commands outside tests call (interfaces 3, 4 and 5)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from directory.cli import SAMPLE_PACKAGE
from tests.conftest import PROJECT_ROOT

NIGHTLIGHT = str(PROJECT_ROOT / ".venv" / "bin" / "nightlight")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NIGHTLIGHT, "directory", *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/directory.db"
    result = run("import", str(SAMPLE_PACKAGE), "--db", url)
    assert result.returncode == 0, result.stderr
    assert "27 service" in result.stdout
    return url


def test_search_prints_the_interface_fields_as_json(db: str) -> None:
    result = run("search", "--near", "EX4", "--at", "2026-11-24T10:30", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert items
    for item in items:
        assert {"service_id", "name", "distance_km", "remote", "open", "next_open"} <= set(item)
        assert (item["distance_km"] is None) == item["remote"]
    assert any(item["remote"] for item in items)
    assert any(not item["remote"] for item in items)


def test_search_over_a_window_lists_the_tuesday_group_a_single_moment_misses(db: str) -> None:
    tuesday_9pm = ("--at", "2026-12-01T21:00")
    window = run("search", "--near", "EX4", *tuesday_9pm, "--when", "tuesday morning", "--json", "--db", db)
    assert window.returncode == 0, window.stderr
    group = next(item for item in json.loads(window.stdout) if item["name"].startswith("Bumps and Babies"))
    assert group["open"] and group["times_in_window"] == "Tue 8 Dec 10:00-11:30"
    moment = run("search", "--near", "EX4", "--at", "2026-12-08T09:00", "--json", "--db", db)
    assert not next(item for item in json.loads(moment.stdout) if item["name"].startswith("Bumps and Babies"))["open"]
    refused = run("search", "--near", "EX4", "--when", "whenever", "--db", db)
    assert refused.returncode == 2 and "--when" in refused.stderr


def test_search_by_town_and_tag_keeps_only_services_with_that_tag(db: str) -> None:
    result = run("search", "--near", "Exeter", "--tag", "creche", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    names = [item["name"] for item in json.loads(result.stdout)]
    assert names and all("(sample)" in name for name in names)


@pytest.mark.parametrize(
    ("place", "says"), [("Newport", "Isle of Wight"), ("Atlantis-on-Sea", ""), ("BT1 1AA", "Northern Ireland")]
)
def test_an_ambiguous_or_unknown_place_exits_2_and_says_why(db: str, place: str, says: str) -> None:
    result = run("search", "--near", place, "--json", "--db", db)
    assert result.returncode == 2
    assert result.stdout == ""
    assert place in result.stderr or says in result.stderr
    assert says in result.stderr


def test_the_database_url_can_come_from_the_environment(db: str) -> None:
    env = {"NIGHTLIGHT_DATABASE_URL": db, "PATH": "/usr/bin:/bin"}
    result = run("search", "--near", "EX4", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_a_bad_package_changes_nothing_and_names_file_row_and_field(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(SAMPLE_PACKAGE, bad)
    schedules = (bad / "schedules.csv").read_text(encoding="utf-8").splitlines()
    schedules[1] = schedules[1].replace(",00:00,23:59,", ",25:00,23:59,")
    (bad / "schedules.csv").write_text("\n".join(schedules) + "\n", encoding="utf-8")
    before = run("export", str(tmp_path / "before"), "--db", db)
    assert before.returncode == 0
    result = run("import", str(bad), "--db", db)
    assert result.returncode == 1
    assert "schedules.csv row 2, opens_at: opens_at must be a time like 09:30" in result.stderr
    assert run("export", str(tmp_path / "after"), "--db", db).returncode == 0
    for csv in (tmp_path / "before").iterdir():
        assert csv.read_text() == (tmp_path / "after" / csv.name).read_text(), csv.name


def test_bad_at_time_is_a_clear_usage_error(db: str) -> None:
    result = run("search", "--near", "EX4", "--at", "tomorrow", "--db", db)
    assert result.returncode == 2
    assert "2026-11-24T10:00" in result.stderr
