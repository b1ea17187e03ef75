"""When she stops a search part way, forget her answers so the next search asks afresh."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

SEARCH_SLOTS = ("search_place", "search_when", "search_kind", "search_need", "search_place_asked_again")


class ActionClearSearch(Action):
    """Empty the search form's slots; says nothing (the reply before it already did)."""

    def name(self) -> str:
        """The name the domain calls this action by."""
        return "action_clear_search"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Empty every slot of the search form, saying nothing."""
        return [SlotSet(slot, None) for slot in SEARCH_SLOTS]
