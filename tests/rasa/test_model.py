"""The trained assistant: data validation, held-out NLU quality, and conversation stories, with Rasa's own tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.processes.training import rasa_environment
from tests.conftest import RASA_BIN
from tests.rasa.held_out_report import Prediction, accuracy, by_author, predictions, recall_by_intent, weighted_f1

pytestmark = pytest.mark.stack

MIN_WEIGHTED_F1 = 0.85
MIN_RECALL = 0.7
# Independent authors' questions (tests/rasa/held_out/), a "not sure I understood" counted as a miss: floors about
# three points under what the model measured (90.4% overall, worst author 86.9%), so a change that makes it
# understand them worse fails here.
MIN_INDEPENDENT = 0.87
MIN_INDEPENDENT_AUTHOR = 0.84


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


@pytest.fixture(scope="module")
def held_out(trained_model: Path) -> list[Prediction]:
    """The model's reading of both held-out sets, parsed as the server parses them."""
    return predictions(trained_model, RASA_BIN)


def _shown(rows: list[Prediction]) -> str:
    return "\n".join(f"  {r.author}: {r.text[:90]!r}: {r.intent} -> {r.predicted}" for r in rows if not r.right)[:4000]


def test_held_out_messages_by_the_training_data_s_own_author_are_understood(held_out: list[Prediction]) -> None:
    """Counted on the model's first choice, before the fallback; the independent set below counts it as a miss."""
    rows = [r for r in held_out if r.held_out_set == "same author"]
    assert len(rows) >= 400
    weak = {intent: round(v, 2) for intent, v in recall_by_intent(rows, strict=False).items() if v < MIN_RECALL}
    assert weighted_f1(rows, strict=False) >= MIN_WEIGHTED_F1, f"weighted F1 too low; errors:\n{_shown(rows)}"
    assert not weak, f"intents below {MIN_RECALL} recall: {weak}; errors:\n{_shown(rows)}"


def test_questions_from_independent_authors_are_understood(held_out: list[Prediction]) -> None:
    """`make nlu-report` prints these figures author by author, with every miss."""
    rows = [r for r in held_out if r.held_out_set == "independent"]
    authors = by_author(rows)
    assert len(authors) >= 2 and len(rows) >= 300
    assert accuracy(rows) >= MIN_INDEPENDENT, f"{accuracy(rows):.1%} understood; errors:\n{_shown(rows)}"
    for author, own in authors.items():
        assert accuracy(own) >= MIN_INDEPENDENT_AUTHOR, f"{author}: {accuracy(own):.1%}; errors:\n{_shown(own)}"


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
