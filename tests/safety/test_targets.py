"""The screen meets the team's targets on the development set in tests/safety/*.yml."""

from __future__ import annotations

import pytest

from tests.safety.report import DEV_SET, Evaluation, evaluate, format_errors, unmet_targets


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    """The development set, screened once for every test in this module."""
    if not (DEV_SET / "crisis.yml").exists():
        pytest.fail("the development set tests/safety/crisis.yml is missing")
    return evaluate()


def test_development_set_has_every_part(evaluation: Evaluation) -> None:
    assert evaluation.crisis_total > 0
    assert evaluation.distress_total > 0
    assert evaluation.questions_total > 0
    assert evaluation.hard_total > 0
    assert evaluation.crisis_turns_total > 0


def test_screen_meets_every_target_on_the_development_set(evaluation: Evaluation) -> None:
    unmet = unmet_targets(evaluation)
    assert not unmet, "; ".join(unmet) + "\n" + format_errors(evaluation)
