"""The gateway's safety state: elevated for a day after a crisis, kept across restarts, deleted on request."""

from __future__ import annotations

from pathlib import Path

from bot.safety.state import ELEVATED_SECONDS, SafetyState, SafetyStates


def test_a_crisis_elevates_the_conversation_for_24_hours() -> None:
    state = SafetyState().after_crisis(now=1000.0)
    assert state.elevated(now=1000.0 + ELEVATED_SECONDS - 1)
    assert not state.elevated(now=1000.0 + ELEVATED_SECONDS + 1)
    assert ELEVATED_SECONDS == 24 * 3600


def test_state_is_kept_across_reopening_and_can_be_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "gateway.db"
    states = SafetyStates(path)
    states.save("c1", SafetyState(nation="wales", elevated_until=5.0, rasa_told=True))
    states.close()
    reopened = SafetyStates(path)
    assert reopened.get("c1") == SafetyState(nation="wales", elevated_until=5.0, rasa_told=True)
    assert reopened.get("unknown") == SafetyState()
    reopened.forget("c1")
    assert reopened.get("c1") == SafetyState()
    reopened.close()


def test_the_state_table_holds_no_message_text(tmp_path: Path) -> None:
    states = SafetyStates(tmp_path / "gateway.db")
    columns = [row[1] for row in states._db.execute("PRAGMA table_info(safety_state)")]
    assert columns == ["conversation", "nation", "elevated_until", "rasa_told"]
    states.close()
