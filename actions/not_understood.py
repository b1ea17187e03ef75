"""When the assistant is not sure what she meant: say so kindly, offer choices, and never be cheerful at pain."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

ACTION_NAME = "action_not_understood"

# Support comes before the menu: what she wrote may have been hard to write, even if we could not place it.
FIRST_TIME = (
    "Thank you for writing to me. I'm here, and I want to help, but I'm not sure I understood. I can tell you "
    "about how you might be feeling in pregnancy or after birth, help you find support, or help you reach a "
    "person. You could pick one of these, or say it another way."
)
AGAIN = (
    "I'm sorry, I'm still not getting it, and that's my fault, not yours. Short phrases often work best, "
    'like "anxiety", "self-referral" or "bonding". Or you can ask for a person. If you need someone now, '
    "these are free and open day and night:"
)
# When the safety screen heard distress, the answer is the warm one for feeling low, with its offer of a person.
SUPPORT_RESPONSE = "utter_feeling_low"

CHOICES = [
    {"title": "Baby blues or PND?", "payload": "/ask_baby_blues"},
    {"title": "Getting help", "payload": "/ask_talking_therapies"},
    {"title": "Talk to a person", "payload": "/request_peer_supporter"},
]


def screened_level(tracker: Tracker) -> str:
    """The gateway's safety screen level for her latest message ("none" when absent)."""
    metadata = tracker.latest_message.get("metadata") or {}
    screen = metadata.get("screen") if isinstance(metadata, dict) else None
    level = screen.get("level") if isinstance(screen, dict) else None
    return level if level in {"none", "distress", "crisis"} else "none"


def latest_intent(tracker: Tracker) -> str:
    """The intent of her latest message, as the model read it."""
    intent = tracker.latest_message.get("intent") or {}
    return str(intent.get("name") or "")


def misunderstood_in_a_row(tracker: Tracker) -> int:
    """How many of the assistant's turns just before this one were also `not understood`."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "action" or event.get("name") in {"action_listen", None}:
            continue
        if event.get("name") != ACTION_NAME:
            break
        count += 1
    return count


class ActionNotUnderstood(Action):
    """Say kindly that we did not understand, with choices; support first if she sounds distressed."""

    def name(self) -> str:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if screened_level(tracker) != "none":
            dispatcher.utter_message(response=SUPPORT_RESPONSE)
        elif misunderstood_in_a_row(tracker) >= 1:
            dispatcher.utter_message(text=AGAIN, buttons=CHOICES, json_message={"routes": ["samaritans"]})
        else:
            dispatcher.utter_message(text=FIRST_TIME, buttons=CHOICES)
        # As the policies' fallback (no rule or story fits), her message is taken back so that Rasa stops predicting
        # and waits for her; as the answer to an unclear message (nlu_fallback), the rule itself ends the turn.
        return [] if latest_intent(tracker) == "nlu_fallback" else [UserUtteranceReverted()]
