"""`make clean` removes only what is made again on its own; `make reset-data` deletes her data only when told to."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bot.settings import PROJECT_ROOT


def make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def a_checkout(tmp_path: Path) -> Path:
    """The Makefile beside a data folder, trained models and caches, as on a machine that has run Nightlight."""
    shutil.copy(PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    for kept in ("console.db", "messages.db", "secret-key", "api-key"):
        (tmp_path / ".nightlight").mkdir(exist_ok=True)
        (tmp_path / ".nightlight" / kept).write_text("data")
    for made in ("models/nightlight-0123.tar.gz", ".pytest_cache/x", "bot/__pycache__/x.pyc"):
        (tmp_path / made).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / made).write_text("made again")
    return tmp_path


def test_clean_removes_models_and_caches_and_keeps_every_data_file(tmp_path: Path) -> None:
    folder = a_checkout(tmp_path)
    result = make(folder, "clean")
    assert result.returncode == 0, result.stderr
    assert not (folder / "models").exists()
    assert not (folder / ".pytest_cache").exists()
    assert not (folder / "bot" / "__pycache__").exists()
    assert sorted(p.name for p in (folder / ".nightlight").iterdir()) == [
        "api-key",
        "console.db",
        "messages.db",
        "secret-key",
    ]
    assert "make reset-data" in result.stdout, "it says what it kept and how to delete it"


def test_reset_data_says_what_it_deletes_and_without_a_yes_deletes_nothing(tmp_path: Path) -> None:
    folder = a_checkout(tmp_path)
    refused = make(folder, "reset-data")
    assert refused.returncode != 0
    assert "supporter accounts" in refused.stdout and "Not deleted" in refused.stdout
    assert (folder / ".nightlight" / "console.db").exists()
    done = make(folder, "reset-data", "CONFIRM=yes")
    assert done.returncode == 0, done.stdout
    assert not (folder / ".nightlight").exists()
