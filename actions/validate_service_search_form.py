"""Check each answer to the search form: places she can be searched from, times we understand, kinds of help we list.

She can skip any question ("any"), change her mind ("actually somewhere else", or a town typed when asked "when"),
and is asked again kindly, never told she was wrong. Only a town or a postcode district is ever kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.place_words import place_in, words
from actions.search_request import read_request
from directory.errors import AmbiguousPlace, NamedPlace, UnknownPlace
from directory.geography import Place, resolve_place, stored_place
from directory.schedules import LONDON
from directory.when import phrase_spans, time_phrase_in

ANY = "any"
# UK-wide phone and online help only: what we can offer someone in Northern Ireland, which the data does not cover.
REMOTE = "remote"
ASKED_AGAIN_SLOT = "search_place_asked_again"
MAX_PLACE_CHOICES = 5

KINDS = ("talking-therapy", "peer-support", "parent-baby-group", "helpline")
NEEDS = ("baby-welcome", "creche", "online", "phone", "partners-welcome")

# Typed answers, tried in order: the first phrase found decides ("someone to talk to" is a helpline, not therapy).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("helpline", ("helpline", "help line", "phone line", "someone to talk to", "talk to someone", "call someone")),
    (
        "parent-baby-group",
        (
            "baby group",
            "with my baby",
            "with the baby",
            "take the baby",
            "take my baby",
            "take baby",
            "with baby",
            "mum and baby",
            "parent and baby",
            "baby and me",
            "stay and play",
            "playgroup",
        ),
    ),
    ("peer-support", ("peer", "other mums", "been through", "been there", "support group", "mums group", "group")),
    ("talking-therapy", ("therapy", "therapist", "counsel", "cbt", "iapt", "talking", "psycholog")),
)
NEED_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("creche", ("creche", "crèche", "childcare", "child care", "nursery")),
    ("partners-welcome", ("partner", "husband", "boyfriend", "wife", "girlfriend", "dad", "other half")),
    ("online", ("online", "video", "zoom", "teams", "internet", "computer", "laptop")),
    ("phone", ("phone", "call", "ring", "telephone")),
    ("baby-welcome", ("baby", "babies", "bring", "little one", "newborn")),
)
SKIP_PHRASES = frozenset(
    {
        "any",
        "skip",
        "skip it",
        "skip this",
        "pass",
        "i dont mind",
        "dont mind",
        "i dont care",
        "doesnt matter",
        "it doesnt matter",
        "no preference",
        "not fussed",
        "im not fussed",
        "anything",
        "anything really",
        "anywhere",
        "any time",
        "anytime",
        "any time really",
        "whenever",
        "whatever",
        "whatever is easiest",
        "either",
        "none",
        "nothing",
        "nothing really",
        "not sure",
        "no",
        "no thanks",
        "any is fine",
        "all",
    }
)
OTHER_PLACE = re.compile(
    r"\b(somewhere else|somewhere different|(a )?different (place|town|area|city)|another (place|town|area|city)|"
    r"other (place|town|area|city)|change (the )?(place|town|area|location)|wrong (place|town|area))\b"
)
# What she may wrap around a place or a time: "im in exeter please", "near torquay", "maybe tonight".
FILLER_BEFORE = re.compile(
    r"^(?:actually |well |ok |okay |maybe |um |erm )*(?:(?:i am|im|i live|we are|were|we live|i m|living)\s+)?"
    r"(?:in |near |around |at |by |close to |on |from )?(?:the )?"
)
FILLER_AFTER = re.compile(r"(?:\s+(?:please|pls|thanks|thank you|ta|instead|really|would be good|is best|is good))+$")
# The gateway only passes entity values made of these characters (bot/answers/replies.py ENTITY_VALUE).
BUTTON_VALUE = re.compile(r"^[A-Za-z0-9 ,.'()&:/-]{1,80}$")

NOT_CAUGHT = "Sorry, I didn't quite catch that."
NOT_CAUGHT_WHEN = "Sorry, I didn't quite catch when you meant."
CHANGE_PLACE = "Of course. Let's look somewhere else."
WHICH_PLACE = "I know more than one {name}. Which one do you mean?"
UNKNOWN_PLACE = "I'm sorry, I couldn't use that place. {reason}"
NORTHERN_IRELAND = (
    "I'm sorry. Nightlight's directory doesn't cover Northern Ireland yet, so I can't look for places there. "
    "I can show you phone and online services that work anywhere in the UK."
)
PLACE_INSTEAD = "OK, I'll look near {name} instead."


def is_payload(text: str) -> bool:
    """The raw text of a button press, which fills the asked slot when the button was for another one."""
    return text.lstrip().startswith("/")


def is_skip(text: str) -> bool:
    """She would rather not say, or does not mind."""
    said = words(text)
    return said in SKIP_PHRASES or said.startswith(("i dont mind", "dont mind", "doesnt matter", "skip"))


def wants_another_place(text: str) -> bool:
    """ "actually somewhere else": she has changed her mind about where."""
    return OTHER_PLACE.search(words(text)) is not None


def without_filler(text: str) -> str:
    """ "im in exeter please" -> "exeter"; the text itself when nothing is wrapped around it."""
    said = words(text)
    return FILLER_AFTER.sub("", FILLER_BEFORE.sub("", said)).strip()


def choose(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The code whose phrases appear first in the table for a typed answer."""
    said = f" {words(text)} "
    for code, phrases in table:
        # Whole words only: "bring" is not "ring", "recall" is not "call".
        if any(f" {phrase}" in said for phrase in phrases):
            return code
    return None


def whole_time_phrase(text: str, now: datetime | None = None) -> str | None:
    """The answer as she said it (or without filler) if all of it names a time we understand, else None."""
    moment = now or datetime.now(LONDON)
    for candidate in dict.fromkeys((text.strip(), without_filler(text))):
        if candidate and phrase_spans(candidate, moment) is not None:
            return candidate
    return None


def time_phrase(text: str, now: datetime | None = None) -> str | None:
    """The answer if it names a time we understand, or the time phrase inside a longer answer ("any time after 3
    really"), else None."""
    moment = now or datetime.now(LONDON)
    return whole_time_phrase(text, moment) or time_phrase_in(text, moment)


def find_place(text: str) -> tuple[Place, str]:
    """The place and the query that found it (as typed, or without filler); raises the most useful error."""
    errors: list[AmbiguousPlace | UnknownPlace] = []
    for query in dict.fromkeys((text.strip(), without_filler(text))):
        if not query:
            continue
        try:
            return resolve_place(query), query
        except (AmbiguousPlace, UnknownPlace) as error:
            errors.append(error)
    # Asking "which one?" helps most, then the honest word about Northern Ireland, then the plainest reading.
    ambiguous = [error for error in errors if isinstance(error, AmbiguousPlace)]
    northern_ireland = [error for error in errors if isinstance(error, UnknownPlace) and is_northern_ireland(error)]
    raise (ambiguous or northern_ireland or errors[:1] or [UnknownPlace(text, "No place was given.")])[0]


def place_buttons(candidates: Sequence[NamedPlace]) -> list[dict[str, str]]:
    """Up to five buttons, one per place she might mean, each carrying that place's label."""
    buttons = []
    for place in candidates:
        if BUTTON_VALUE.match(place.label):
            value = place.label.replace('"', "")
            buttons.append({"title": place.label, "payload": f'/inform{{"search_place": "{value}"}}'})
        if len(buttons) == MAX_PLACE_CHOICES:
            break
    return buttons


def is_northern_ireland(error: UnknownPlace) -> bool:
    """UnknownPlace says Northern Ireland in its reason when that is why we cannot search there."""
    return "Northern Ireland" in error.reason


def say_place_problem(dispatcher: CollectingDispatcher, error: AmbiguousPlace | UnknownPlace) -> None:
    """Tell her kindly why that place did not work, with choices when there are some."""
    if isinstance(error, AmbiguousPlace):
        name = error.candidates[0].name if error.candidates else error.query.strip()
        dispatcher.utter_message(text=WHICH_PLACE.format(name=name), buttons=place_buttons(error.candidates))
    elif is_northern_ireland(error):
        dispatcher.utter_message(
            text=NORTHERN_IRELAND,
            buttons=[{"title": "Show UK-wide help", "payload": f'/inform{{"search_place": "{REMOTE}"}}'}],
        )
    else:
        dispatcher.utter_message(text=UNKNOWN_PLACE.format(reason=error.reason))


def _from_first_message(tracker: Tracker, slot: str) -> dict[str, Any]:
    """{slot: value} when the form is starting and the message that started it says this; else nothing."""
    if tracker.get_slot("requested_slot") is not None:
        return {}
    request = read_request(str(tracker.latest_message.get("text") or ""), datetime.now(LONDON))
    value = {"search_place": request.place, "search_when": request.when, "search_kind": request.kind}.get(
        slot, request.need
    )
    return {slot: value} if value else {}


class ValidateServiceSearchForm(FormValidationAction):
    """Validate the search form's slots: search_place, search_when, search_kind, search_need."""

    def name(self) -> str:
        """The name Rasa calls this form's validation by."""
        return "validate_service_search_form"

    # What her first message already says (she asked for help and said where and when): the form asks only for the
    # rest. Read once, when the form starts; answers to its questions come in through the slot mappings.

    async def extract_search_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """The place her first message names."""
        return _from_first_message(tracker, "search_place")

    async def extract_search_when(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """The time her first message names."""
        return _from_first_message(tracker, "search_when")

    async def extract_search_kind(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """The kind of help her first message names."""
        return _from_first_message(tracker, "search_kind")

    async def extract_search_need(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """The need her first message names."""
        return _from_first_message(tracker, "search_need")

    async def validate_search_place(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A place we can search from, reduced to what may be kept; otherwise say why and ask again."""
        text = str(slot_value or "").strip()
        if not text or is_payload(text):
            return {"search_place": None}
        if text in (ANY, REMOTE) or is_skip(text):
            return {"search_place": text if text in (ANY, REMOTE) else ANY, ASKED_AGAIN_SLOT: False}
        if wants_another_place(text):
            return {"search_place": None, ASKED_AGAIN_SLOT: False}
        when = whole_time_phrase(text)
        if when is not None:
            # She answered the next question first: keep it, and ask for the place again.
            return {"search_place": None, "search_when": when}
        # "Exeter on tuesday": the place, and the time too when she has not given one yet.
        also = {} if tracker.get_slot("search_when") else {"search_when": time_phrase_in(text, datetime.now(LONDON))}
        try:
            _place, query = find_place(text)
        except (AmbiguousPlace, UnknownPlace) as error:
            inside = place_in(text)
            try:
                if inside is None:
                    raise error
                _place, query = find_place(inside)
            except (AmbiguousPlace, UnknownPlace) as problem:
                say_place_problem(dispatcher, problem)
                return {"search_place": None, ASKED_AGAIN_SLOT: True}
        return {"search_place": stored_place(query), ASKED_AGAIN_SLOT: False, **{k: v for k, v in also.items() if v}}

    async def validate_search_when(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A time phrase we understand, kept as she said it; a place typed here is taken as a new place."""
        text = str(slot_value or "").strip()
        if not text or is_payload(text):
            return {"search_when": None}
        if text == ANY or is_skip(text):
            return {"search_when": ANY}
        if wants_another_place(text):
            dispatcher.utter_message(text=CHANGE_PLACE)
            return {"search_when": None, "search_place": None, ASKED_AGAIN_SLOT: False}
        when = time_phrase(text)
        if when is not None:
            return {"search_when": when}
        try:
            place, query = find_place(text)
        except AmbiguousPlace as error:
            say_place_problem(dispatcher, error)
            return {"search_when": None, "search_place": None, ASKED_AGAIN_SLOT: True}
        except UnknownPlace as error:
            if is_northern_ireland(error):
                say_place_problem(dispatcher, error)
                return {"search_when": None, "search_place": None, ASKED_AGAIN_SLOT: True}
            dispatcher.utter_message(text=NOT_CAUGHT_WHEN)
            return {"search_when": None}
        dispatcher.utter_message(text=PLACE_INSTEAD.format(name=place.name))
        return {"search_when": None, "search_place": stored_place(query), ASKED_AGAIN_SLOT: False}

    async def validate_search_kind(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """One of the kinds of help we list, or "any"."""
        return self._choice("search_kind", KINDS, KIND_WORDS, slot_value, dispatcher)

    async def validate_search_need(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """One of the needs we can filter on, or "any"."""
        return self._choice("search_need", NEEDS, NEED_WORDS, slot_value, dispatcher)

    @staticmethod
    def _choice(
        slot: str,
        codes: tuple[str, ...],
        table: tuple[tuple[str, tuple[str, ...]], ...],
        slot_value: Any,
        dispatcher: CollectingDispatcher,
    ) -> dict[str, Any]:
        text = str(slot_value or "").strip()
        if not text or is_payload(text):
            return {slot: None}
        if text in codes or text == ANY:
            return {slot: text}
        if wants_another_place(text):
            dispatcher.utter_message(text=CHANGE_PLACE)
            return {slot: None, "search_place": None, ASKED_AGAIN_SLOT: False}
        chosen = choose(text, table)
        if chosen is not None:
            return {slot: chosen}
        if is_skip(text):
            return {slot: ANY}
        dispatcher.utter_message(text=NOT_CAUGHT)
        return {slot: None}


# --- the form's questions -------------------------------------------------------------------------------------------


def _button(title: str, slot: str, value: str) -> dict[str, str]:
    return {"title": title, "payload": f'/inform{{"{slot}": "{value}"}}'}


ASK_PLACE = (
    "Let's find something that fits you. Where should I look?\n\n"
    "A town, or the first half of your postcode (like EX4), is enough. I don't need your address."
)
ASK_PLACE_AGAIN = (
    "You can also type another town. The first half of your postcode works too, like EX4. "
    "Or you can skip this. Then I'll show you help that works anywhere."
)
ASK_WHEN = (
    "When could you go, or get in touch? "
    'You can say things like "tonight", "Tuesday morning" or "after the school run".'
)
ASK_KIND = "What kind of help would feel right? There's no wrong answer."
ASK_NEED = "Is there anything that would make it easier for you?"
PLACE_BUTTONS = [_button("Skip, show UK-wide help", "search_place", ANY)]
PLACE_AGAIN_BUTTONS = [_button("Skip", "search_place", ANY)]
WHEN_BUTTONS = [
    _button("Now", "search_when", "now"),
    _button("Tonight", "search_when", "tonight"),
    _button("Tomorrow morning", "search_when", "tomorrow morning"),
    _button("At the weekend", "search_when", "weekend"),
    _button("I don't mind", "search_when", ANY),
]
KIND_BUTTONS = [
    _button("Talking therapy", "search_kind", "talking-therapy"),
    _button("Mums who've been there", "search_kind", "peer-support"),
    _button("A group with my baby", "search_kind", "parent-baby-group"),
    _button("Someone to talk to now", "search_kind", "helpline"),
    _button("I don't mind", "search_kind", ANY),
]
NEED_BUTTONS = [
    _button("I can bring my baby", "search_need", "baby-welcome"),
    _button("A crèche", "search_need", "creche"),
    _button("Online", "search_need", "online"),
    _button("By phone", "search_need", "phone"),
    _button("My partner can come", "search_need", "partners-welcome"),
    _button("I don't mind", "search_need", ANY),
]


class _Ask(Action):
    """One of the form's questions, with a button for each common answer and one to skip."""

    slot = ""
    text = ""
    buttons: ClassVar[list[dict[str, str]]] = []

    def name(self) -> str:
        """action_ask_<slot>: the name Rasa calls to ask for that slot."""
        return f"action_ask_{self.slot}"

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        """The words and buttons for this turn."""
        return self.text, self.buttons

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Ask this turn's question with its buttons."""
        text, buttons = self.question(tracker)
        dispatcher.utter_message(text=text, buttons=list(buttons))
        return []


class ActionAskSearchPlace(_Ask):
    """Where to look; shorter after a place she gave could not be used (the reason was just said)."""

    slot = "search_place"
    text = ASK_PLACE
    buttons = PLACE_BUTTONS

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        """The shorter question once a place she gave could not be used, else the first."""
        if tracker.get_slot(ASKED_AGAIN_SLOT):
            return ASK_PLACE_AGAIN, PLACE_AGAIN_BUTTONS
        return ASK_PLACE, PLACE_BUTTONS


class ActionAskSearchWhen(_Ask):
    """When she could go or get in touch."""

    slot = "search_when"
    text = ASK_WHEN
    buttons = WHEN_BUTTONS


class ActionAskSearchKind(_Ask):
    """What kind of help would feel right."""

    slot = "search_kind"
    text = ASK_KIND
    buttons = KIND_BUTTONS


class ActionAskSearchNeed(_Ask):
    """What would make it easier: baby welcome, crèche, online, phone, partners welcome."""

    slot = "search_need"
    text = ASK_NEED
    buttons = NEED_BUTTONS
