"""Crisis and support contacts: loaded from the one data file, rendered as short lines for replies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answers.nation_answers import NATION_ROUTES_FILE, NationAnswers, NationAnswersError
from bot.answers.nations import ENGLAND

RETIRED_NUMBERS_FILE = "retired_numbers.md"

# A route that serves only England, and what stands in for it elsewhere (ids in the contacts file).
NATION_EQUIVALENTS: dict[str, dict[str, str]] = {
    "nhs-111-mental-health": {
        "wales": "nhs-111-wales",
        "scotland": "nhs-24-scotland",
        "northern-ireland": "lifeline-ni",
    },
}


def retired_numbers(contacts_path: Path) -> frozenset[str]:
    """Numbers that must never be given out again, from the table beside the contacts file (digits only)."""
    path = contacts_path.parent / RETIRED_NUMBERS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContactsError(f"cannot read {path}: {error.strerror}") from error
    rows = re.findall(r"^\|\s*([0-9][0-9 ]+[0-9])\s*\|", text, flags=re.MULTILINE)
    if not rows:
        raise ContactsError(f"{path} lists no retired numbers")
    return frozenset(re.sub(r"\D", "", row) for row in rows)


class ContactsError(ValueError):
    """The contacts file is missing, malformed or names a retired number."""


@dataclass(frozen=True)
class Contact:
    """One route to help, exactly as the data file gives it."""

    id: str
    name: str
    how: str
    phone: str
    sms: str
    sms_body: str
    hours: str
    nations: tuple[str, ...]
    sources: tuple[str, ...]
    last_verified: dt.date | None
    crisis: bool

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every dialable number of this contact, digits only."""
        return tuple(n for n in (self.phone, self.sms) if n)

    def line(self) -> str:
        """A one-line route for a reply, built only from this entry's data."""
        if self.how:
            return f"{self.name}: {self.how}"
        parts = []
        if self.phone:
            parts.append(f"call {format_uk_number(self.phone)}")
        if self.sms:
            body = f"{self.sms_body} " if self.sms_body else ""
            parts.append(f"text {body}to {self.sms}")
        hours = f" ({self.hours})" if self.hours else ""
        return f"{self.name}: {' or '.join(parts)}{hours}"

    def short(self) -> str:
        """A few words for a one-line footer: "Samaritans 116 123", "Shout: text SHOUT to 85258"."""
        if self.phone:
            number = format_uk_number(self.phone)
            return self.name if number in self.name else f"{self.name} {number}"
        body = f"{self.sms_body} " if self.sms_body else ""
        return f"{self.name}: text {body}to {self.sms}"

    def taps(self) -> dict[str, str]:
        """The route as a screen shows it: its line, and tel:/sms: links to call or text in one tap."""
        route = {"id": self.id, "name": self.name, "line": self.line(), "hours": self.hours}
        if self.phone:
            route["tel"] = f"tel:{self.phone}"
            route["call"] = f"Call {format_uk_number(self.phone)}"
        if self.sms:
            body = self.sms_body if self.sms_body.isalnum() else ""
            route["sms"] = f"sms:{self.sms}" + (f"?body={body}" if body else "")
            route["text"] = f"Text {body} to {self.sms}" if body else f"Text {self.sms}"
        if self.last_verified is not None:
            route["checked"] = self.last_verified.isoformat()
        return route

    def serves(self, nation: str) -> bool:
        """True when this route is for people in that nation (routes that name no nation serve everyone)."""
        return not self.nations or nation in self.nations


def format_uk_number(digits: str) -> str:
    """Group a UK number for reading aloud: 116 123, 0800 1111, 0808 808 8000."""
    if len(digits) <= 3:
        return digits
    if len(digits) == 6:
        return f"{digits[:3]} {digits[3:]}"
    if len(digits) == 8:
        return f"{digits[:4]} {digits[4:]}"
    if len(digits) == 11:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return digits


def _contact(entry: dict[str, Any], crisis: bool, where: str, retired: frozenset[str]) -> Contact:
    for required in ("id", "name", "sources"):
        if not entry.get(required):
            raise ContactsError(f"{where}: every contact needs '{required}'")
    phone = re.sub(r"\D", "", str(entry.get("phone", "")))
    sms = re.sub(r"\D", "", str(entry.get("sms", "")))
    verified = entry.get("last_verified")
    if verified is not None and not isinstance(verified, dt.date):
        raise ContactsError(f"{where}: last_verified must be a date like 2026-11-22")
    contact = Contact(
        id=str(entry["id"]),
        name=str(entry["name"]),
        how=str(entry.get("how", "")),
        phone=phone,
        sms=sms,
        sms_body=str(entry.get("sms_body", "")),
        hours=str(entry.get("hours", "")),
        nations=tuple(entry.get("nations", ())),
        sources=tuple(str(s) for s in entry["sources"]),
        last_verified=verified,
        crisis=crisis,
    )
    for number in (*contact.numbers, *re.findall(r"\d[\d ]{6,}\d", contact.how)):
        if re.sub(r"\D", "", number) in retired:
            raise ContactsError(f"{where}: {contact.id} gives a retired number")
    return contact


@dataclass(frozen=True)
class Contacts:
    """All contacts from the data file, by id."""

    by_id: dict[str, Contact]
    retired: frozenset[str] = frozenset()
    # Scotland's, Wales's and Northern Ireland's answers on therapy and urgent help (nation_routes.yaml beside).
    nation_answers: NationAnswers | None = None

    @classmethod
    def load(cls, path: Path) -> Contacts:
        """Read and check the contacts file."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ContactsError(f"cannot read the contacts file {path}: {error.strerror}") from error
        except yaml.YAMLError as error:
            raise ContactsError(f"the contacts file {path} is not valid YAML: {error}") from error
        if not isinstance(data, dict) or not isinstance(data.get("crisis"), list):
            raise ContactsError(f"{path}: expected a 'crisis' list of contacts")
        retired = retired_numbers(path)
        by_id: dict[str, Contact] = {}
        for section, crisis in (("crisis", True), ("support", False)):
            for index, entry in enumerate(data.get(section) or []):
                contact = _contact(entry, crisis, f"{path.name} {section}[{index}]", retired)
                if contact.id in by_id:
                    raise ContactsError(f"{path.name}: the id {contact.id!r} appears twice")
                by_id[contact.id] = contact
        try:
            answers = NationAnswers.load(path.parent / NATION_ROUTES_FILE, frozenset(by_id))
        except NationAnswersError as error:
            raise ContactsError(str(error)) from error
        return cls(by_id=by_id, retired=retired, nation_answers=answers)

    def __getitem__(self, contact_id: str) -> Contact:
        return self.by_id[contact_id]

    def for_nation(self, ids: Iterable[str], nation: str = "england") -> list[Contact]:
        """The routes for her nation: England-only routes swapped for their local equivalent, or left out. Until she
        says where she is (nation ""), England's: most mothers writing are there, and the UK-wide lines serve all."""
        nation = nation or ENGLAND
        chosen: list[Contact] = []
        for route_id in ids:
            route_id = NATION_EQUIVALENTS.get(route_id, {}).get(nation, route_id)
            contact = self.by_id.get(route_id)
            if contact is not None and contact.serves(nation) and contact not in chosen:
                chosen.append(contact)
        return chosen

    def lines(self, ids: Iterable[str], nation: str = "england") -> list[str]:
        """Route lines for the given ids, skipping (never inventing) any the data does not have."""
        return [contact.line() for contact in self.for_nation(ids, nation)]

    @property
    def all_numbers(self) -> frozenset[str]:
        """Every number the data file gives, digits only; the only numbers a reply may contain."""
        return frozenset(n for c in self.by_id.values() for n in c.numbers) | frozenset(
            re.sub(r"\D", "", n) for c in self.by_id.values() for n in re.findall(r"\d[\d ]*\d", c.how)
        )
