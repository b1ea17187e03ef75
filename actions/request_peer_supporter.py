"""She asked for a person: recognise it, say honestly what happens next, and give the 24/7 routes."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

# The gateway replaces this answer with its offer of a peer supporter (the "handoff" signal): it knows who is on.
# The text is what she gets if the gateway cannot make the offer.
REPLY = (
    "Of course. Our peer supporters are mums who have been through it themselves and are trained to listen. "
    "I can't put you through to one from here right now. I'm sorry. "
    "If you'd like to talk to someone now, these are free and open day and night:"
)
ROUTES = ["samaritans", "pandas-text", "shout"]


class ActionRequestPeerSupporter(Action):
    """Answer a request for a person honestly and note that she asked."""

    def name(self) -> str:
        """The name the domain calls this action by."""
        return "action_request_peer_supporter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Say honestly what happens next, with the 24/7 routes and the handoff signal, and note that she asked."""
        dispatcher.utter_message(
            text=REPLY,
            buttons=[{"title": "What is peer support?", "payload": "/ask_peer_support"}],
            json_message={"routes": ROUTES, "signal": "handoff"},
        )
        return [SlotSet("peer_supporter_requested", True)]
