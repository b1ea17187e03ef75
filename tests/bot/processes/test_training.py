"""The model is retrained only when its training inputs change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.processes.training import model_path, prune_models, training_hash


@pytest.fixture
def project(tmp_path: Path, project_root: Path) -> Path:
    shutil.copy(project_root / "config.yml", tmp_path)
    for folder in ("domain", "nlu", "stories"):
        shutil.copytree(project_root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_hash_is_stable(project: Path) -> None:
    assert training_hash(project) == training_hash(project)


@pytest.mark.parametrize("changed", ["config.yml", "domain/core.yml", "nlu/feelings.yml", "stories/feelings.yml"])
def test_changing_training_data_or_config_changes_the_model_name(project: Path, changed: str) -> None:
    before = model_path(project, project / "models")
    with (project / changed).open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert model_path(project, project / "models") != before


def test_changing_the_screen_code_does_not_retrain(project: Path) -> None:
    before = training_hash(project)
    (project / "nlu" / "screen.py").write_text("# code, not training data\n", encoding="utf-8")
    assert training_hash(project) == before


def test_old_models_are_pruned_keeping_the_newest(tmp_path: Path) -> None:
    import os

    for age, name in enumerate(["nightlight-c.tar.gz", "nightlight-b.tar.gz", "nightlight-a.tar.gz"]):
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (1000 - age, 1000 - age))
    prune_models(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightlight-b.tar.gz", "nightlight-c.tar.gz"]
