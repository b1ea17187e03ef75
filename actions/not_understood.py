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

# When the model was unsure between topics, the likeliest ones are offered by name instead of guessing: one tap
# answers the right one. Only topics and ways of getting help: never small talk or search answers.
TOPIC_TITLES = {
    "ask_baby_blues": "Baby blues",
    "ask_postnatal_depression": "Postnatal depression",
    "ask_antenatal_depression": "Low in pregnancy",
    "ask_anxiety": "Worry and anxiety",
    "ask_panic_attacks": "Panic attacks",
    "ask_intrusive_thoughts": "Scary thoughts",
    "ask_birth_trauma": "A hard birth",
    "ask_fear_of_birth": "Fear of giving birth",
    "ask_bonding": "Bonding with baby",
    "ask_loss": "Losing a baby",
    "ask_postpartum_psychosis": "Postpartum psychosis",
    "ask_sleep_and_mood": "Sleep and mood",
    "ask_partner_mental_health": "Partners and dads",
    "ask_medication": "Medication",
    "ask_who_to_talk_to": "Who to talk to",
    "ask_what_to_say": "What to say",
    "ask_baby_taken_away": "Fear of losing the baby to services",
    "ask_talking_therapies": "Talking therapy",
    "ask_self_referral": "Referring myself",
    "ask_waiting_list": "Waiting lists",
    "ask_assessment": "The first appointment",
    "ask_cbt": "CBT",
    "ask_therapy_formats": "Phone, video or face to face",
    "ask_baby_at_sessions": "Bringing baby along",
    "ask_specialist_services": "Specialist teams",
    "ask_peer_support": "Peer support",
    "ask_privacy": "What you keep",
    "find_services": "Find support near me",
    "request_peer_supporter": "Talk to a person",
}
# Answers that say "this needs help today": offered last, never first, when the model only guessed them.
EMERGENCY_TOPICS = frozenset({"ask_postpartum_psychosis"})
# Only the model's first three choices are looked at, and a topic it gave less than this is not offered: for
# gibberish its first choices are small talk, so she gets the usual choices instead.
LEAST_LIKELY_OFFERED = 0.15
MOST_OFFERED = 3
WHICH_ONE = (
    "Thank you for writing to me. I want to answer the right thing, and I'm not sure which you mean. Is it one of "
    "these? Or you can say it another way."
)

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


def likely_topics(tracker: Tracker) -> list[dict[str, str]]:
    """Buttons for the topics the model found likeliest for her message, best first.

    When its first choice was the emergency answer and her message shows no emergency sign (the pipeline's
    EmergencyAnswerCheck made it a fallback), the next likeliest topics come first, whatever their confidence, and the
    emergency one last: a question that only sounds near it should not be steered there."""
    ranking = [e for e in tracker.latest_message.get("intent_ranking") or [] if e.get("name") != "nlu_fallback"]
    if ranking and ranking[0].get("name") in EMERGENCY_TOPICS:
        others = [e for e in ranking[1:6] if e.get("name") in TOPIC_TITLES and e.get("name") not in EMERGENCY_TOPICS]
        chosen = [*others[: MOST_OFFERED - 1], ranking[0]]
        return [{"title": TOPIC_TITLES[str(e["name"])], "payload": f"/{e['name']}"} for e in chosen]
    buttons = []
    for entry in ranking[:MOST_OFFERED]:
        name = str(entry.get("name") or "")
        confidence = float(entry.get("confidence") or 0.0)
        if name in TOPIC_TITLES and confidence >= LEAST_LIKELY_OFFERED:
            buttons.append({"title": TOPIC_TITLES[name], "payload": f"/{name}"})
    return buttons


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
    """Say kindly that we did not understand, with choices; support first if she sounds distressed; and when the
    model was torn between topics, offer those topics by name."""

    def name(self) -> str:
        """The name the domain calls this action by."""
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Say kindly that her message was not understood, in the way that fits this turn."""
        if screened_level(tracker) != "none":
            dispatcher.utter_message(response=SUPPORT_RESPONSE)
        elif latest_intent(tracker) == "nlu_fallback" and (topics := likely_topics(tracker)):
            # Unsure between near topics: ask which, rather than answer the wrong one with confidence.
            person = {"title": "Talk to a person", "payload": "/request_peer_supporter"}
            dispatcher.utter_message(text=WHICH_ONE, buttons=topics + ([person] if person not in topics else []))
        elif misunderstood_in_a_row(tracker) >= 1:
            dispatcher.utter_message(text=AGAIN, buttons=CHOICES, json_message={"routes": ["samaritans"]})
        else:
            dispatcher.utter_message(text=FIRST_TIME, buttons=CHOICES)
        # As the policies' fallback (no rule or story fits), her message is taken back so that Rasa stops predicting
        # and waits for her; as the answer to an unclear message (nlu_fallback), the rule itself ends the turn.
        return [] if latest_intent(tracker) == "nlu_fallback" else [UserUtteranceReverted()]
