"""Where she says she is: the place a message names ("any groups near EX4 on tuesday mornings" -> EX4), and whether a
message says nothing but a place ("Lisburn", "she lives in B20").

Read cautiously: a place is a postcode district, a town after "in", "near", "around" and the like, a place she starts
with, or a town or city named on its own; everyday words that are also towns ("bath", "reading") are taken as words.
Only the geography (`directory.geography`) is needed, so Rasa's own pipeline can use this too.
"""

from __future__ import annotations

import re

from directory.errors import AmbiguousPlace, UnknownPlace
from directory.geography import is_town_name, resolve_place

# A postcode district (EX4), or a whole postcode (EX4 4QJ): the form keeps only the district.
POSTCODE = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)(\s*[0-9][A-Za-z]{2})?\b")
# Text-speak that looks like a postcode district: "b4 6pm" is "before", not Birmingham.
NOT_POSTCODES = frozenset({"b4", "l8", "w8", "m8", "h8", "gr8", "l8r", "b4n", "2day", "p1"})
# Words before a place, the surer first: "moved to keighley from manchester" is in Keighley.
BEFORE_PLACE = (
    re.compile(
        r"\b(?:in|near|nr|around|round|close to|near to|local to|based in|live in|living in|outside|"
        r"(?:moved|move|moving)(?: up| down| over| back)? to|"
        r"somewhere in|anywhere in|area of|side of)\s+"
    ),
    re.compile(r"\b(?:at|from|by|for)\s+"),
)
# Words after "in"/"near"/"at" that are not places ("in the evening", "at home", "near me").
NOT_PLACES = frozenset(
    {
        "the",
        "a",
        "an",
        "my",
        "me",
        "our",
        "your",
        "here",
        "there",
        "home",
        "work",
        "bed",
        "person",
        "pain",
        "tears",
        "town",
        "school",
        "church",
        "hospital",
        "march",
        "may",
        "june",
        "july",
        "august",
        "general",
        "all",
        "any",
        "some",
        "this",
        "that",
        "least",
        "first",
        "last",
        "night",
        "morning",
        "evening",
        "afternoon",
        "weekend",
        "week",
        "mind",
        "touch",
        "peace",
        "which",
        "what",
        "where",
        "who",
        "how",
        "it",
        "them",
        "us",
        "her",
        "him",
        "you",
        "i",
        "im",
        "is",
        "can",
        "myself",
        "herself",
        "ours",
        "uk",
        "england",
        "scotland",
        "wales",
        "britain",
    }
)
MAX_PLACE_WORDS = 3
# Words a place name does not end with: "scunthorpe and", "leeds on".
NOT_LAST = frozenset({"and", "or", "on", "in", "for", "with", "to", "at", "the", "a", "near", "area", "please", "pls"})


def words(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation a space: how answers are compared."""
    text = re.sub(r"['’`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9è ]+", " ", text).split())


# What people put around a place when that is all they are saying: "she lives in B20", "we're near Bow, E3 x".
AROUND_A_PLACE = re.compile(
    r"^(?:(?:i|we|she|he|they|my \w+)\s+(?:live|lives|living|am|are|is|m|re|s)\s+)?(?:im\s+|were\s+|its\s+|it is\s+)?"
    r"(?:in|near|around|round|at|from|by|in the|near the)?\s*(?P<place>.+?)\s*(?:please|pls|thanks|ta|x+)?$"
)
# Towns that are also everyday words: on their own they are more likely the word.
EVERYDAY_WORDS = frozenset(
    {
        "bath",
        "reading",
        "march",
        "street",
        "church",
        "deal",
        "sale",
        "eye",
        "wells",
        "ware",
        "rye",
        "wick",
        "holt",
        "mold",
        "leek",
        "hope",
        "home",
        "diss",
        "looe",
        "bury",
        "ely",
        "over",
        "ash",
        "cross",
        "wool",
    }
)


def only_a_place(text: str) -> str | None:
    """The place, when a message says nothing but where ("Lisburn", "Bow, E3", "she lives in B20"), else None."""
    said = words(text)
    match = AROUND_A_PLACE.match(said)
    if match is None or not said or said in EVERYDAY_WORDS:
        return None
    place = match.group("place").strip()
    if not place or len(place.split()) > MAX_PLACE_WORDS + 1:
        return None
    if POSTCODE.fullmatch(place) or all(POSTCODE.fullmatch(part) for part in place.split()):
        return place if _is_place(place) else None
    # "bow e3": a name and its district.
    parts = place.split()
    if len(parts) > 1 and POSTCODE.fullmatch(parts[-1]) and _is_place(parts[-1]) and _is_place(" ".join(parts[:-1])):
        return parts[-1]
    # A name on its own must be a town or a city (or in Northern Ireland): "hey" and "more" are hamlets somewhere.
    return place if (is_town_name(place) or _in_northern_ireland(place)) and _is_place(place) else None


def _in_northern_ireland(candidate: str) -> bool:
    """Whether the name is a place we know to be in Northern Ireland."""
    try:
        resolve_place(candidate)
    except UnknownPlace as error:
        return "Northern Ireland" in error.reason
    except AmbiguousPlace:
        return False
    return False


def place_in(text: str) -> str | None:
    """The place a message names, as written (the form reduces a postcode to its district), or None."""
    for match in POSTCODE.finditer(text):
        candidate = match.group(0).strip()
        if match.group(1).lower() in NOT_POSTCODES and not match.group(2):
            continue
        if _is_place(candidate):
            return candidate
    said = words(re.sub(r"(?i)-in-law\b", " inlaw", text))
    for before in BEFORE_PLACE:
        for match in before.finditer(said):
            found = _longest_place(said[match.end() :].split())
            if found is not None:
                return found
    # A place she starts with: "Easterhouse, Sunday afternoon", "st budeaux baby n me group mondays".
    opening = words(re.split(r"[,.!?:;\n]", text, maxsplit=1)[0]).split()
    found = _longest_place(opening)
    if found is not None:
        return found
    # A town or city named on its own: "bradford mums group", "Postnatal support group Swansea Saturday?".
    tokens = said.split()
    for size in range(MAX_PLACE_WORDS, 0, -1):
        for start in range(len(tokens) - size + 1):
            candidate = " ".join(tokens[start : start + size])
            if tokens[start] not in NOT_PLACES and is_town_name(candidate) and _is_place(candidate):
                return candidate
    return None


def _longest_place(following: list[str]) -> str | None:
    """The longest run of up to three words at the start of `following` that is a place."""
    if not following or following[0] in NOT_PLACES:
        return None
    for size in range(min(MAX_PLACE_WORDS, len(following)), 0, -1):
        candidate = " ".join(following[:size])
        if following[size - 1] not in NOT_LAST and _is_place(candidate):
            return candidate
    return None


def _is_place(candidate: str) -> bool:
    """A place we can search from, or one to ask "which one?" about; not one we cannot find."""
    try:
        resolve_place(candidate)
    except AmbiguousPlace:
        return True
    except UnknownPlace as error:
        return "Northern Ireland" in error.reason  # the form says kindly what it can offer there
    return True
