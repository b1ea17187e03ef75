"""Answers about therapy, self-referral, urgent help and specialist teams follow the nation she has said she is in."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answers.nation_answers import NATIONS_WITH_OWN_ROUTES, TOPICS
from bot.answers.replies import from_rasa
from bot.contacts import Contacts, ContactsError
from tests.conftest import CONTACTS_PATH
from tests.rasa.content import assistant

SELF_REFERRAL = assistant().responses["utter_self_referral"][0]
SPECIALIST = assistant().responses["utter_specialist_services"][0]


def rasa_items(response: dict[str, Any]) -> list[dict[str, Any]]:
    """What Rasa's REST channel sends for a response: the text, then its custom part as a separate item."""
    return [{"text": response["text"], "buttons": response.get("buttons", [])}, {"custom": response["custom"]}]


def test_every_topic_has_an_answer_for_scotland_wales_and_northern_ireland_with_sources(contacts: Contacts) -> None:
    answers = contacts.nation_answers
    assert answers is not None
    for topic in TOPICS:
        assert answers.elsewhere[topic].startswith("In Scotland, Wales or Northern Ireland")
        for nation in NATIONS_WITH_OWN_ROUTES:
            answer = answers.answers[(topic, nation)]
            assert answer.sources and all(url.startswith(("https://", "http://")) for url in answer.sources)


@pytest.mark.parametrize(
    ("nation", "says", "route"),
    [
        ("scotland", "Living Life", None),
        ("wales", "online CBT", "111"),
        ("northern-ireland", "GP", "Lifeline"),
    ],
)
def test_in_scotland_wales_or_northern_ireland_the_self_referral_answer_is_that_nations(
    contacts: Contacts, nation: str, says: str, route: str | None
) -> None:
    [message] = from_rasa(rasa_items(SELF_REFERRAL), contacts, nation)
    assert says in message.text
    assert "NHS Talking Therapies" not in message.text  # England's service
    assert message.link is None  # the NHS England service finder does not fit
    if route is not None:
        assert route in message.text
    assert [button.title for button in message.buttons] == [b["title"] for b in SELF_REFERRAL["buttons"]]


def test_in_england_the_answer_is_as_written(contacts: Contacts) -> None:
    [message] = from_rasa(rasa_items(SELF_REFERRAL), contacts, "england")
    assert message.text == SELF_REFERRAL["text"].strip()
    assert message.link is not None and "nhs.uk" in message.link.url


def test_when_her_nation_is_not_known_one_line_says_what_differs(contacts: Contacts) -> None:
    [message] = from_rasa(rasa_items(SELF_REFERRAL), contacts, "")
    assert message.text.startswith(SELF_REFERRAL["text"].strip())
    last_paragraph = message.text.rsplit("\n\n", 1)[-1]
    assert last_paragraph.startswith("In Scotland, Wales or Northern Ireland")
    assert "\n" not in last_paragraph
    assert message.link is not None


def test_an_added_answer_keeps_the_general_text_and_adds_the_nations(contacts: Contacts) -> None:
    [message] = from_rasa(rasa_items(SPECIALIST), contacts, "wales")
    assert message.text.startswith(SPECIALIST["text"].strip())
    assert "Every health board in Wales" in message.text


def test_urgent_help_routes_are_the_nations_own(contacts: Contacts) -> None:
    waiting = assistant().responses["utter_waiting_list"][0]
    [scotland] = from_rasa(rasa_items(waiting), contacts, "scotland")
    assert "NHS 24" in scotland.text
    assert "choose the mental health option" not in scotland.text  # England's 111 wording


def test_every_answer_that_names_an_england_only_route_says_how_it_differs_by_nation() -> None:
    for name, variants in assistant().responses.items():
        for variant in variants:
            text = variant.get("text", "")
            if "In England" in text or "refer yourself to NHS Talking Therapies" in text:
                assert "nation" in (variant.get("custom") or {}), name


def copy_beside(tmp_path: Path, routes: dict[str, Any]) -> Path:
    shutil.copy(CONTACTS_PATH, tmp_path / "crisis_contacts.yaml")
    shutil.copy(CONTACTS_PATH.parent / "retired_numbers.md", tmp_path)
    (tmp_path / "nation_routes.yaml").write_text(yaml.safe_dump(routes), encoding="utf-8")
    return tmp_path / "crisis_contacts.yaml"


def shipped_routes() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CONTACTS_PATH.parent / "nation_routes.yaml").read_text(encoding="utf-8"))
    return loaded


def test_a_phone_number_in_an_answer_is_refused(tmp_path: Path) -> None:
    routes = shipped_routes()
    routes["topics"]["urgent-help"]["wales"]["text"] += " Call 0800 132 737."
    with pytest.raises(ContactsError, match="numbers belong in the contacts file"):
        Contacts.load(copy_beside(tmp_path, routes))


def test_a_route_the_contacts_file_lacks_is_refused(tmp_path: Path) -> None:
    routes = shipped_routes()
    routes["topics"]["urgent-help"]["scotland"]["routes"] = ["breathing-space"]
    with pytest.raises(ContactsError, match="breathing-space"):
        Contacts.load(copy_beside(tmp_path, routes))


def test_an_answer_without_sources_is_refused(tmp_path: Path) -> None:
    routes = shipped_routes()
    routes["topics"]["self-referral"]["northern-ireland"]["sources"] = []
    with pytest.raises(ContactsError, match="web pages"):
        Contacts.load(copy_beside(tmp_path, routes))
