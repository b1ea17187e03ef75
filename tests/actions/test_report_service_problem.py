""" "This is wrong or has closed" is kept for the charity and thanked, and answered kindly when it cannot be kept."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import directory_access
from actions.report_service_problem import NOT_SAVED, THANKS, WHICH_SERVICE, ActionReportServiceProblem
from directory import db
from directory.models import ProblemReport
from tests.actions.conftest import load_tracker
from tests.actions.test_find_services import BUMPS_AND_BABIES, sample_directory

__all__ = ["sample_directory"]  # the fixture, shared with the search tests


def test_the_action_has_the_name_the_domain_uses() -> None:
    assert ActionReportServiceProblem().name() == "action_report_service_problem"


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
    assert [m["text"] for m in dispatcher.messages] == [WHICH_SERVICE]


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
