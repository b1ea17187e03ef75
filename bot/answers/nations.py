"""Which UK nation she has said she is in, so that she gets that nation's crisis routes."""

from __future__ import annotations

import re

ENGLAND = "england"
NOT_SAID = ""
NATIONS = ("england", "wales", "scotland", "northern-ireland")

# Names people use for where they live. Place names shared between nations (Newport, Bangor) are left out.
_MENTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "northern-ireland",
        re.compile(r"\b(?:northern ireland|n\.? ?ireland|norn iron|belfast|derry|londonderry|lisburn|newry)\b"),
    ),
    ("scotland", re.compile(r"\b(?:scotland|glasgow|edinburgh|aberdeen|dundee|inverness|stirling|paisley)\b")),
    ("wales", re.compile(r"\b(?:wales|cymru|cardiff|swansea|wrexham|aberystwyth|merthyr)\b")),
    ("england", re.compile(r"\b(?:england)\b")),
)
# "my mum lives in Scotland" is about someone else; "we live in Scotland" and "I'm in Cardiff" are about her.
_ABOUT_HER = re.compile(r"\b(?:i|i'm|im|i am|we|we're|were|we are|me|us|my home|our home|here)\b")


def mentioned_nation(text: str) -> str | None:
    """The nation she says she is in, if this message says so."""
    lowered = text.lower()
    for nation, pattern in _MENTIONS:
        match = pattern.search(lowered)
        if match and _ABOUT_HER.search(lowered[: match.start()]):
            return nation
    return None
