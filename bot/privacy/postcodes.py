"""What the gateway keeps out of every store and out of Rasa: full postcodes are cut to their district."""

from __future__ import annotations

import re

# A full UK postcode: outward code (area letters, district digits, maybe a letter or digit) and inward code
# (a digit and two letters). Mothers type O for 0 and leave the space out, so both are allowed.
FULL_POSTCODE = re.compile(r"\b([A-Za-z]{1,2}[0-9Oo][A-Za-z0-9]?)\s?([0-9Oo][A-Za-z]{2})\b")


def _district(match: re.Match[str]) -> str:
    outward = match.group(1).upper()
    # The district's digits: a letter O typed after the area letters is a zero.
    area = re.match(r"[A-Z]{1,2}", outward)
    head = area.group(0) if area else ""
    return head + outward[len(head) :].replace("O", "0")


def cut_postcodes(text: str) -> str:
    """The text with every full postcode replaced by its district ("EX4 4QJ" -> "EX4"), before anything keeps it."""
    return FULL_POSTCODE.sub(_district, text)
