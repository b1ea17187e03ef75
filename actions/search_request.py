"""What a request for help already says: "any groups near EX4 on tuesday mornings where i can bring the baby" names
the place, the time, the kind of help and a need, so the search form asks only for what is missing.

Read cautiously: a place is a postcode district, a town after "in", "near", "around" and the like, or a town or city
named on its own; a time is the longest phrase `directory.when` understands; a need must be said plainly ("bring
the baby", "a creche", "online", "by phone", "my partner can come"). Anything unsure is left for the form to ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from directory.errors import AmbiguousPlace, UnknownPlace
from directory.geography import is_town_name, resolve_place
from directory.when import time_phrase_in

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
# The kind of help, said plainly; the first found decides, unless it is refused ("I don't want a group").
FIRST_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "talking-therapy",
        (
            "therapy",
            "therapist",
            "counselling",
            "counsellor",
            "counseling",
            "counselor",
            "cbt",
            "psycholog",
            "1 to 1",
            "one to one",
            "iapt",
        ),
    ),
    (
        "parent-baby-group",
        (
            "baby group",
            "baby groups",
            "baby n me",
            "baby and me",
            "mum and baby",
            "mums and babies",
            "parent and baby",
            "mother and baby",
            "toddler group",
            "mother and toddler",
            "stay and play",
            "playgroup",
            "baby yoga",
            "baby massage",
            "buggy walk",
            "pram walk",
            "rhyme time",
            "baby sensory",
        ),
    ),
    (
        "helpline",
        (
            "helpline",
            "help line",
            "phone line",
            "text line",
            "someone to talk to now",
            "talk to someone now",
            "someone i can ring",
            "someone i can call",
            "someone to ring",
            "ring someone",
        ),
    ),
    (
        "peer-support",
        (
            "peer support",
            "support group",
            "mums group",
            "mums groups",
            "mothers group",
            "group for mums",
            "group of mums",
            "group for new mums",
            "group of other",
            "other mums",
            "other mothers",
            "been through",
        ),
    ),
)
REFUSED = re.compile(r"\b(?:not|dont|no|without|never|rather not)\s+(?:\w+\s+){0,2}$")
# What she needs, said plainly; the first found decides. Wider words ("baby", "phone") are the form's to ask.
FIRST_NEED_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("creche", ("creche", "crèche", "childcare", "child care")),
    (
        "baby-welcome",
        (
            "bring the baby",
            "bring my baby",
            "bring baby",
            "bring the bairn",
            "bring lo",
            "bring my lo",
            "bring the lo",
            "bring my little one",
            "bring the little one",
            "bring her",
            "bring him",
            "bring my son",
            "bring my daughter",
            "take the baby",
            "take my baby",
            "take baby",
            "babies welcome",
            "baby welcome",
            "baby friendly",
            "bring the pram",
            "bring my pram",
            "with the pram",
            "with my pram",
            "pram friendly",
            "buggy friendly",
        ),
    ),
    ("online", ("online", "video", "zoom", "on teams")),
    ("phone", ("by phone", "over the phone", "on the phone", "phone call", "phone appointment")),
    (
        "partners-welcome",
        (
            "partner can come",
            "partner could come",
            "husband can come",
            "husband could come",
            "partner come",
            "husband come",
            "fella can come",
            "bring my partner",
            "bring my husband",
            "with my partner",
            "with my husband",
            "me and my partner",
            "me and my husband",
            "me and me partner",
            "both of us",
            "both want to go",
            "couples",
            "for dads",
            "dads too",
        ),
    ),
)


def words(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation a space: how answers are compared."""
    text = re.sub(r"['’`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9è ]+", " ", text).split())


@dataclass(frozen=True)
class Request:
    """What her message says about the search: each None when it does not say."""

    place: str | None
    when: str | None
    kind: str | None
    need: str | None


def read_request(text: str, now: datetime) -> Request:
    """Place, time, kind of help and need from a message asking for help (see the module docstring)."""
    if text.lstrip().startswith("/"):
        return Request(None, None, None, None)  # a button: it says nothing more
    return Request(
        place=place_in(text),
        when=time_phrase_in(text, now),
        kind=plainly_said(text, FIRST_KIND_WORDS),
        need=plainly_said(text, FIRST_NEED_WORDS),
    )


def plainly_said(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The first code in the table whose phrase she says and does not refuse ("I don't want therapy")."""
    said = f" {words(text)} "
    for code, phrases in table:
        for phrase in phrases:
            at = said.find(f" {phrase}")
            while at >= 0:
                if REFUSED.search(said[: at + 1]) is None:
                    return code
                at = said.find(f" {phrase}", at + 1)
    return None


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
