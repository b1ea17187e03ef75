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

from actions.place_words import place_in, words
from directory.when import time_phrase_in

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
