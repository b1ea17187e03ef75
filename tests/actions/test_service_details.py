""" "What happens there?" is answered plainly from the directory, and kindly when it cannot be."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import directory_access
from actions.find_services import FAILED, SAMPLE_NOTICE
from actions.service_details import GONE, WHICH_SERVICE, ActionServiceDetails
from tests.actions.conftest import load_tracker
from tests.actions.test_find_services import BUMPS_AND_BABIES, sample_directory

__all__ = ["sample_directory"]  # the fixture, shared with the search tests


async def details(fixture: str) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert await ActionServiceDetails().run(dispatcher, load_tracker(fixture), {}) == []
    return dispatcher.messages


def test_the_action_has_the_name_the_domain_uses() -> None:
    assert ActionServiceDetails().name() == "action_service_details"


@pytest.mark.usefixtures("sample_directory")
async def test_details_say_what_when_where_babies_and_how_to_get_in_touch_with_the_sample_notice_first() -> None:
    [message] = await details("asks_what_happens_at_a_service")
    text = message["text"]
    assert text.startswith(SAMPLE_NOTICE)
    assert "Bumps and Babies Peer Group, Exeter (sample)" in text
    assert "A friendly peer support group" in text
    assert "SAMPLE DATA" not in text, "the notice says it once, plainly"
    assert "When: Tuesdays" in text
    assert "Where: 12 Example Quay Road, Exeter EX4" in text
    assert "You can bring your baby." in text
    assert "Details checked on 1 November 2026" in text
    card = message["custom"]["card"]
    assert card["service_id"] == BUMPS_AND_BABIES
    assert card["sample"] is True
    assert {link["kind"] for link in card["links"]} == {"tel", "sms", "https"}
    assert [b["title"] for b in message["buttons"]] == ["More like this", "This is wrong or has closed"]


async def test_details_without_a_service_ask_her_to_tap_the_one_she_means() -> None:
    assert [m["text"] for m in await details("asks_what_happens_without_a_service")] == [WHICH_SERVICE]


@pytest.mark.usefixtures("sample_directory")
async def test_details_of_a_service_no_longer_listed_say_so() -> None:
    tracker = load_tracker("asks_what_happens_at_a_service")
    tracker.latest_message["entities"][0]["value"] = "no-such-service"
    dispatcher = CollectingDispatcher()
    await ActionServiceDetails().run(dispatcher, tracker, {})
    assert [m["text"] for m in dispatcher.messages] == [GONE]


async def test_details_when_the_directory_is_down_still_answer_kindly_with_routes(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGHTLIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    [message] = await details("asks_what_happens_at_a_service")
    assert message["text"] == FAILED
    assert message["custom"] == {"routes": ["samaritans", "shout"]}
    directory_access.forget_engines()
