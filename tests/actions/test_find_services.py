"""The search shows short honest cards from the directory, widens when nothing fits, and always answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import directory_access, find_services
from actions.find_services import (
    FAILED,
    FOUND_ANYWHERE,
    FOUND_FOR_NI,
    NOTHING_FITS,
    SAMPLE_NOTICE,
    WHICH_SERVICE,
    ActionFindServices,
    own_organizations,
    plan_search,
    venue_area,
    when_to_search,
)
from bot.answers.replies import is_button_payload
from directory import db, hsds
from directory import search as directory_search
from directory.schedules import LONDON
from directory.search import _search as search_steps
from tests.actions.conftest import load_tracker

SAMPLE = Path(__file__).resolve().parents[2] / "directory" / "sample"
BUMPS_AND_BABIES = "c21ea71b-ecf8-509b-b3d2-f8cfd432b5cc"
RESET = [
    {"event": "slot", "timestamp": None, "name": slot, "value": None}
    for slot in ("search_when", "search_kind", "search_need")
]


# Searches read opening hours against the time now, so the tests that rank results fix it: a Tuesday morning,
# when the Bumps and Babies group by the river is meeting.
TUESDAY_MORNING = datetime(2026, 11, 24, 10, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def a_known_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(find_services, "local_now", lambda: TUESDAY_MORNING)


@pytest.fixture
def sample_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A SQLite directory holding the sample package, named by NIGHTLIGHT_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    with db.session_factory(engine)() as session:
        hsds.import_package(session, SAMPLE)
        session.commit()
    engine.dispose()
    monkeypatch.setenv("NIGHTLIGHT_DATABASE_URL", url)
    yield url
    directory_access.forget_engines()


async def run(fixture: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionFindServices().run(dispatcher, load_tracker(fixture), {})
    return events, dispatcher.messages


def cards(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"]["card"] for m in messages if "card" in (m.get("custom") or {})]


def test_the_action_has_the_name_the_domain_uses() -> None:
    assert ActionFindServices().name() == "action_find_services"


@pytest.mark.usefixtures("sample_directory")
async def test_a_baby_group_search_in_exeter_shows_up_to_three_cards_with_the_sample_notice_first() -> None:
    events, messages = await run("search_for_a_baby_group_in_exeter")
    first, *rest = messages
    assert first["text"].startswith("Here's what I found near Exeter.")
    assert SAMPLE_NOTICE in first["text"]
    assert 1 <= len(rest) <= 3
    assert len(cards(messages)) == len(rest)
    assert cards(messages)[0]["service_id"] == BUMPS_AND_BABIES
    for message in rest:
        card = message["custom"]["card"]
        lines = message["text"].split("\n")
        assert lines[0] == card["name"]
        assert "babies welcome" in card["reason"]
        assert lines[-1] == "Details checked on 1 November 2026"
        assert card["checked"] == "2026-11-01"
        assert card["sample"] is True
        assert card["links"], "every sample group can be called or visited"
        for link in card["links"]:
            assert link["kind"] in {"tel", "sms", "https"}
            assert link["url"].startswith({"tel": "tel:", "sms": "sms:", "https": "https://"}[link["kind"]])
        assert [b["title"] for b in message["buttons"]] == [
            "More like this",
            "What happens there?",
            "This is wrong or has closed",
        ]
        assert message["buttons"][0]["payload"] == f'/more_like_this{{"service_id": "{card["service_id"]}"}}'
        assert all(is_button_payload(b["payload"]) for b in message["buttons"])
    # A new search starts fresh, but the place is kept: she is still in the same area.
    assert events == RESET


@pytest.mark.usefixtures("sample_directory")
async def test_a_card_gives_tap_to_call_and_tap_to_text_links() -> None:
    _, messages = await run("search_for_a_baby_group_in_exeter")
    bumps = next(card for card in cards(messages) if card["service_id"] == BUMPS_AND_BABIES)
    assert {"kind": "tel", "title": "Call 07700 900100", "url": "tel:+447700900100"} in bumps["links"]
    assert {"kind": "sms", "title": "Text 07700900100", "url": "sms:+447700900100"} in bumps["links"]
    assert {"kind": "https", "title": "Open their website", "url": "https://example.org/bumps-and-babies"} in (
        bumps["links"]
    )


@pytest.mark.usefixtures("sample_directory")
async def test_a_card_has_one_line_for_when_it_is_open_and_one_for_the_venues_street_and_town() -> None:
    _, messages = await run("search_for_a_baby_group_in_exeter")
    for card in cards(messages):
        assert card["when"] and "\n" not in card["when"]
        assert card["where"].endswith(", Exeter"), card["where"]
        assert not any(character.isdigit() for character in card["where"]), "no house number, no postcode"


@pytest.mark.parametrize(
    ("address", "area"),
    [
        ("1 Sample Lane, Exeter EX2", "Sample Lane, Exeter"),
        ("Flat 2, 14a High Street, Totnes TQ9 5AB", "High Street, Totnes"),
        ("10-12 Fore Street, Unit 3, Exeter EX1 1AA", "Fore Street, Exeter"),
        ("St Mark's Hall, Mill Road, Exeter", "St Mark's Hall, Exeter"),
        ("Exeter EX4 4QJ", "Exeter"),
        (None, ""),
    ],
)
def test_a_venues_area_is_its_street_and_town_never_a_flat_a_house_number_or_a_postcode(
    address: str | None, area: str
) -> None:
    assert venue_area(address) == area


@pytest.mark.usefixtures("sample_directory")
async def test_when_nothing_fits_it_says_so_then_widens_and_says_how_never_inventing() -> None:
    _, messages = await run("search_that_nothing_fits")
    first, *rest = messages
    assert first["text"].startswith(NOTHING_FITS)
    assert "Nothing matched" in first["text"]
    assert (SAMPLE_NOTICE in first["text"]) == any(card["sample"] for card in cards(messages))
    assert 1 <= len(rest) <= 3
    assert all(card["service_id"] for card in cards(messages))


@pytest.mark.usefixtures("sample_directory")
async def test_with_every_question_skipped_only_services_usable_anywhere_are_shown() -> None:
    _, messages = await run("search_with_everything_skipped")
    assert messages[0]["text"].startswith(FOUND_ANYWHERE)
    assert 1 <= len(cards(messages)) <= 3
    assert not any(" km" in card["reason"] for card in cards(messages))


@pytest.mark.usefixtures("sample_directory")
async def test_in_northern_ireland_only_uk_wide_services_are_shown() -> None:
    _, messages = await run("search_from_northern_ireland")
    assert messages[0]["text"].startswith(FOUND_FOR_NI)
    shown = cards(messages)
    assert shown
    assert not any(" km" in card["reason"] for card in shown)
    assert not any("NHS 111" in card["name"] for card in shown), "an England-only line is not for Northern Ireland"


@pytest.mark.usefixtures("sample_directory")
async def test_a_search_for_tomorrow_morning_shows_what_is_open_then_or_says_when_it_opens() -> None:
    _, messages = await run("search_tomorrow_morning")
    assert cards(messages)
    assert all(card["next_open"] is None or card["next_open"].startswith("20") for card in cards(messages))


@pytest.mark.usefixtures("sample_directory")
async def test_more_like_this_shows_the_same_kind_of_service_without_the_one_she_chose() -> None:
    _, messages = await run("asks_for_more_like_a_service")
    assert messages[0]["text"].startswith("Here are some more like Bumps and Babies Peer Group, Exeter (sample).")
    shown = [card["service_id"] for card in cards(messages)]
    assert shown
    assert BUMPS_AND_BABIES not in shown


async def test_more_like_this_without_a_service_asks_her_to_tap_the_one_she_means() -> None:
    _, messages = await run("asks_for_more_without_a_service")
    assert [m["text"] for m in messages] == [WHICH_SERVICE]


async def test_when_the_directory_cannot_be_opened_she_still_gets_a_kind_reply_with_24_7_routes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("NIGHTLIGHT_DATABASE_URL", f"sqlite:///{not_a_folder / 'directory.db'}")
    events, [message] = await run("search_for_a_baby_group_in_exeter")
    assert message["text"] == FAILED
    assert message["custom"] == {"routes": ["samaritans", "shout"]}
    assert events == RESET
    directory_access.forget_engines()


async def test_an_empty_database_without_tables_also_gets_the_kind_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGHTLIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    _, [message] = await run("search_with_everything_skipped")
    assert message["text"] == FAILED
    assert message["custom"]["routes"] == ["samaritans", "shout"]
    directory_access.forget_engines()


def test_the_failure_reply_types_no_phone_number() -> None:
    assert not any(ch.isdigit() for ch in FAILED)


def test_the_charity_she_came_through_is_read_from_the_message_metadata() -> None:
    tracker = load_tracker("search_for_a_baby_group_in_exeter")
    assert own_organizations(tracker) == frozenset()
    tracker.latest_message["metadata"] = {"tenant": {"id": "bloom", "organizations": ["org-1", 7, "org-2"]}}
    assert own_organizations(tracker) == frozenset({"org-1", "org-2"})
    tracker.latest_message["metadata"] = {"tenant": "not a mapping"}
    assert own_organizations(tracker) == frozenset()


@pytest.mark.usefixtures("sample_directory")
async def test_the_search_ranks_the_charitys_own_organisations_first_among_equals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[frozenset[str]] = []
    real_search = directory_search.search

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["own_organizations"])
        return real_search(*args, **kwargs)

    monkeypatch.setattr(directory_search, "search", spy)
    tracker = load_tracker("search_for_a_baby_group_in_exeter")
    tracker.latest_message["metadata"] = {"tenant": {"id": "default", "organizations": ["org-1"]}}
    await ActionFindServices().run(CollectingDispatcher(), tracker, {})
    assert seen and all(own == frozenset({"org-1"}) for own in seen)


TUESDAY_9PM = datetime(2026, 12, 1, 21, 0, tzinfo=LONDON)


def test_a_named_window_is_searched_whole_and_the_present_moment_as_now() -> None:
    assert when_to_search("tuesday mornings", TUESDAY_9PM).spans == (
        (datetime(2026, 12, 8, 9, tzinfo=LONDON), datetime(2026, 12, 8, 12, tzinfo=LONDON)),
        (datetime(2026, 12, 15, 9, tzinfo=LONDON), datetime(2026, 12, 15, 12, tzinfo=LONDON)),
    )
    assert when_to_search("now", TUESDAY_9PM).spans == ()
    assert when_to_search("any", TUESDAY_9PM).spans == ()


def test_the_holidays_say_which_dates_were_used_as_they_differ_by_area() -> None:
    when = when_to_search("in the holidays", TUESDAY_9PM)
    assert when.note == "School holidays differ from area to area: I looked from 20 Dec to 3 Jan."
    assert when_to_search("in the holidays", TUESDAY_9PM, "Scotland").spans


@pytest.mark.usefixtures("sample_directory")
def test_tuesday_mornings_asked_at_9pm_on_tuesday_list_the_tuesday_group_with_its_time() -> None:
    with directory_access.directory_session() as session:
        replies = plan_search(
            session,
            {"search_place": "EX4", "search_when": "tuesday mornings", "search_kind": None, "search_need": None},
            TUESDAY_9PM,
        )
    group = next(reply for reply in replies if reply.json_message and "Bumps and Babies" in reply.text)
    assert "Open Tue 8 Dec 10:00-11:30 and Tue 15 Dec 10:00-11:30, 0.5 km" in group.text
    assert "today" not in group.text


@pytest.mark.usefixtures("sample_directory")
async def test_a_search_reads_every_opening_time_against_one_clock_never_the_real_time_behind_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_london = search_steps._london

    def only_given_times(at: datetime | None) -> datetime:
        assert at is not None, "the search read the real time instead of the action's clock"
        return real_london(at)

    monkeypatch.setattr(search_steps, "_london", only_given_times)
    sunday_3am = datetime(2026, 11, 29, 3, 0, tzinfo=LONDON)
    monkeypatch.setattr(find_services, "local_now", lambda: sunday_3am)
    _, messages = await run("search_for_a_baby_group_in_exeter")
    assert cards(messages)
    assert not any(card["reason"].startswith("Open now") for card in cards(messages)), "no baby group meets at 3am"
    assert cards(messages)[0]["service_id"] == BUMPS_AND_BABIES, "the nearest, when none is open"
