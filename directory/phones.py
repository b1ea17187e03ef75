"""Tap-to-call and tap-to-text links for phone numbers as the directory's data writes them."""

from __future__ import annotations

import re
from urllib.parse import quote

from directory.errors import InvalidPhoneNumber

_DIAL_NOISE = re.compile(r"[\s\-.()/]")


def _dial_string(number: str) -> str:
    """The number as dialled: +44... for UK numbers, short codes (116 123, 85258) as they are."""
    cleaned = _DIAL_NOISE.sub("", number.strip().replace("(0)", ""))
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not re.fullmatch(r"\+?\d{3,15}", cleaned):
        raise InvalidPhoneNumber(number)
    if cleaned.startswith("+"):
        return cleaned
    if cleaned.startswith("0") and len(cleaned) >= 10:
        return "+44" + cleaned[1:]
    return cleaned


def tel_link(number: str) -> str:
    """A tap-to-call link for a number as written in the data: "01632 960123" -> "tel:+441632960123"."""
    return f"tel:{_dial_string(number)}"


def sms_link(number: str, body: str | None = None) -> str:
    """A tap-to-text link, optionally with the message to send: ("85258", "SHOUT") -> "sms:85258?body=SHOUT"."""
    link = f"sms:{_dial_string(number)}"
    return f"{link}?body={quote(body)}" if body else link
