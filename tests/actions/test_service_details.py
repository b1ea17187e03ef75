""" "What happens there?" is answered plainly from the directory; "this is wrong or has closed" is kept and thanked."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import directory_access
from actions.find_services import FAILED, SAMPLE_NOTICE
from actions.report_service_problem import NOT_SAVED, THANKS, ActionReportServiceProblem
from actions.report_service_problem import WHICH_SERVICE as REPORT_WHICH_SERVICE
from actions.service_details import GONE, WHICH_SERVICE, ActionServiceDetails
from directory import db
from directory.models import ProblemReport
from tests.actions.conftest import load_tracker
from tests.actions.test_find_services import BUMPS_AND_BABIES, sample_directory

__all__ = ["sample_directory"]  # the fixture, shared with the search tests


async def details(fixture: str) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert await ActionServiceDetails().run(dispatcher, load_tracker(fixture), {}) == []
    return dispatcher.messages


def test_the_actions_have_the_names_the_domain_uses() -> None:
    assert ActionServiceDetails().name() == "action_service_details"
    assert ActionReportServiceProblem().name() == "action_report_service_problem"


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


async def test_a_report_is_stored_for_the_charity_and_she_is_thanked(sample_directory: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionReportServiceProblem().run(dispatcher, load_tracker("reports_a_service_problem"), {})
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [THANKS]
    engine = db.make_engine(sample_directory)
    with db.session_factory(engine)() as session:
        [report] = session.scalars(select(ProblemReport)).all()
    engine.dispose()
    assert report.service_id == BUMPS_AND_BABIES
    assert report.reason == "reported in chat"


async def test_a_report_without_a_service_asks_which_one() -> None:
    dispatcher = CollectingDispatcher()
    await ActionReportServiceProblem().run(dispatcher, load_tracker("asks_what_happens_without_a_service"), {})
    assert [m["text"] for m in dispatcher.messages] == [REPORT_WHICH_SERVICE]


async def test_a_report_when_the_directory_is_down_apologises_with_the_24_7_routes(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGHTLIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    dispatcher = CollectingDispatcher()
    await ActionReportServiceProblem().run(dispatcher, load_tracker("reports_a_service_problem"), {})
    [message] = dispatcher.messages
    assert message["text"] == NOT_SAVED
    assert message["custom"] == {"routes": ["samaritans", "shout"]}
    directory_access.forget_engines()
