"""Stopping a search part way forgets her answers, so the next search asks afresh."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.clear_search import SEARCH_SLOTS, ActionClearSearch
from tests.actions.conftest import load_tracker


async def test_stopping_a_search_empties_every_search_slot_and_says_nothing_more() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionClearSearch().run(dispatcher, load_tracker("search_asks_when"), {})
    assert {(e["name"], e["value"]) for e in events} == {(slot, None) for slot in SEARCH_SLOTS}
    assert dispatcher.messages == []
