"""The trained assistant: data validation, held-out NLU quality, and conversation stories, with Rasa's own tools."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.training import rasa_environment
from tests.conftest import RASA_BIN

pytestmark = pytest.mark.stack

MIN_WEIGHTED_F1 = 0.85
MIN_RECALL = 0.7


def rasa(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = rasa_environment()
    env["PYTHONPATH"] = str(root)
    return subprocess.run(
        [str(RASA_BIN), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_rasa_data_validate_is_clean(project_root: Path) -> None:
    result = rasa(
        project_root,
        "data",
        "validate",
        "--fail-on-warnings",
        "--config",
        "config.yml",
        "--domain",
        "domain",
        "--data",
        "nlu",
        "stories",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_held_out_messages_are_understood(project_root: Path, trained_model: Path, tmp_path: Path) -> None:
    result = rasa(
        project_root,
        "test",
        "nlu",
        "--model",
        str(trained_model),
        "--nlu",
        "tests/rasa/nlu",
        "--out",
        str(tmp_path),
        "--no-plot",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text(encoding="utf-8"))
    weak = {
        intent: round(scores["recall"], 2)
        for intent, scores in report.items()
        if isinstance(scores, dict)
        and "recall" in scores
        and intent not in {"macro avg", "weighted avg", "micro avg"}
        and scores["recall"] < MIN_RECALL
    }
    errors = json.loads((tmp_path / "intent_errors.json").read_text(encoding="utf-8"))
    shown = "\n".join(f"  {e['text']!r}: {e['intent']} -> {e['intent_prediction']['name']}" for e in errors[:40])
    assert report["weighted avg"]["f1-score"] >= MIN_WEIGHTED_F1, f"weighted F1 too low; errors:\n{shown}"
    assert not weak, f"intents below {MIN_RECALL} recall: {weak}; errors:\n{shown}"


def test_conversation_stories_have_no_prediction_errors(
    project_root: Path, trained_model: Path, tmp_path: Path
) -> None:
    result = rasa(
        project_root,
        "test",
        "core",
        "--model",
        str(trained_model),
        "--stories",
        "tests/rasa/stories",
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
        "--no-plot",
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, detail
