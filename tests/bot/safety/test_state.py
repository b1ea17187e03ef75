"""The gateway's safety state: elevated for a day after a crisis, kept across restarts, deleted on request."""

from __future__ import annotations

import threading
from dataclasses import replace

from sqlalchemy import inspect

from bot.safety.state import ELEVATED_SECONDS, SafetyState, SafetyStates
from tests.conftest import StoreAt


def test_a_crisis_elevates_the_conversation_for_24_hours() -> None:
    state = SafetyState().after_crisis(now=1000.0)
    assert state.elevated(now=1000.0 + ELEVATED_SECONDS - 1)
    assert not state.elevated(now=1000.0 + ELEVATED_SECONDS + 1)
    assert ELEVATED_SECONDS == 24 * 3600


def test_state_is_kept_across_reopening_and_can_be_forgotten(store_at: StoreAt) -> None:
    path = store_at("gateway")
    states = SafetyStates(path)
    states.save("c1", SafetyState(nation="wales", elevated_until=5.0, rasa_told=True))
    states.close()
    reopened = SafetyStates(path)
    assert reopened.get("c1") == SafetyState(nation="wales", elevated_until=5.0, rasa_told=True)
    assert reopened.get("unknown") == SafetyState()
    reopened.forget("c1")
    assert reopened.get("c1") == SafetyState()
    reopened.close()


def test_the_state_table_holds_no_message_text(store_at: StoreAt) -> None:
    states = SafetyStates(store_at("gateway"))
    columns = [column["name"] for column in inspect(states._engine).get_columns("safety_state")]
    assert columns == ["conversation", "nation", "elevated_until", "rasa_told"]
    states.close()


def test_two_gateways_changing_one_state_at_once_lose_neither_change(store_at: StoreAt) -> None:
    where = store_at("gateway")
    gateways = [SafetyStates(where), SafetyStates(where)]
    start = threading.Barrier(4)

    def turns(states: SafetyStates) -> None:
        start.wait()
        for _ in range(25):
            states.update("c1", lambda s: replace(s, elevated_until=s.elevated_until + 1))

    threads = [threading.Thread(target=turns, args=(gateways[n % 2],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gateways[0].get("c1").elevated_until == 100
