"""She asked for a person: recognise it, say honestly what happens next, and give the 24/7 routes."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

REPLY = (
    "Of course. Our peer supporters are mums who have been through it themselves and are trained to listen. "
    "I can't put you through to one from here just yet. I'm sorry. "
    "If you'd like to talk to someone now, these are free and open day and night:"
)
ROUTES = ["samaritans", "pandas-text", "shout"]


class ActionRequestPeerSupporter(Action):
    """Answer a request for a person honestly and note that she asked."""

    def name(self) -> str:
        return "action_request_peer_supporter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text=REPLY,
            buttons=[{"title": "What is peer support?", "payload": "/ask_peer_support"}],
            json_message={"routes": ROUTES},
        )
        return [SlotSet("peer_supporter_requested", True)]
