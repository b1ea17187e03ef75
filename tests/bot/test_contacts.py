"""The contacts file is the only source of numbers, and retired numbers never come back."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.contacts import Contacts, ContactsError, format_uk_number
from tests.conftest import CONTACTS_PATH


def test_the_shipped_contacts_file_loads_with_a_source_and_date_for_every_entry(contacts: Contacts) -> None:
    assert {"emergency", "nhs-111-mental-health", "samaritans", "shout", "pandas-text"} <= set(contacts.by_id)
    for contact in contacts.by_id.values():
        assert contact.sources, contact.id
        assert all(s.startswith("https://") for s in contact.sources), contact.id
        assert isinstance(contact.last_verified, dt.date), contact.id


def test_samaritans_line_is_rendered_from_the_data(contacts: Contacts) -> None:
    line = contacts["samaritans"].line()
    assert line.startswith("Samaritans: ")
    assert "116 123" in line


def test_a_contact_without_wording_is_rendered_from_its_phone_and_hours(contacts: Contacts) -> None:
    assert (
        contacts["cry-sis"].line()
        == "Cry-sis (crying and sleepless babies): call 0800 448 0737 (every day 9am to 10pm)"
    )


def test_unknown_route_ids_are_skipped_not_invented(contacts: Contacts) -> None:
    assert contacts.lines(["samaritans", "no-such-line"]) == [contacts["samaritans"].line()]


@pytest.mark.parametrize(
    ("digits", "shown"),
    [("999", "999"), ("116123", "116 123"), ("08001111", "0800 1111"), ("08088088000", "0808 808 8000")],
)
def test_numbers_are_grouped_for_reading(digits: str, shown: str) -> None:
    assert format_uk_number(digits) == shown


def test_the_retired_numbers_named_beside_the_contacts_file_are_known(contacts: Contacts) -> None:
    assert len(contacts.retired) >= 2
    assert not contacts.retired & contacts.all_numbers


@pytest.mark.parametrize("field", ["phone", "how"])
def test_a_contacts_file_with_a_retired_number_is_refused(tmp_path: Path, contacts: Contacts, field: str) -> None:
    shutil.copy(CONTACTS_PATH.parent / "retired_numbers.md", tmp_path)
    path = tmp_path / "contacts.yaml"
    for retired in sorted(contacts.retired):
        value = f"Call {retired}" if field == "how" else retired
        path.write_text(
            f"crisis:\n  - id: old\n    name: Old line\n    {field}: '{value}'\n"
            "    sources: [https://example.org]\n    last_verified: 2026-11-22\n",
            encoding="utf-8",
        )
        with pytest.raises(ContactsError, match="retired"):
            Contacts.load(path)


def test_a_broken_contacts_file_names_the_problem(tmp_path: Path) -> None:
    shutil.copy(CONTACTS_PATH.parent / "retired_numbers.md", tmp_path)
    path = tmp_path / "contacts.yaml"
    path.write_text("crisis:\n  - name: No id\n    sources: [https://example.org]\n", encoding="utf-8")
    with pytest.raises(ContactsError, match="needs 'id'"):
        Contacts.load(path)
