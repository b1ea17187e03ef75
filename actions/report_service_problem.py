"""She tapped "this is wrong or has closed": keep the report for the charity that keeps the directory, and thank her."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_access import directory_session
from actions.find_services import FAILURE_ROUTES, entity_value
from directory.models import Service
from directory.reports import report_problem

log = logging.getLogger("nightlight.actions.report_service_problem")

ACTION_NAME = "action_report_service_problem"
# What is stored: never her words, which could say who she is.
REASON = "reported in chat"
THANKS = "Thank you. The charity that keeps this directory will check it."
WHICH_SERVICE = (
    'Which one do you mean? Please tap "This is wrong or has closed" under the service that is wrong, and I\'ll pass '
    "it on."
)
GONE = "Thank you. That service is no longer in the directory, so there's nothing more to do."
NOT_SAVED = (
    "I'm sorry, I couldn't pass that on just now. Please try again a little later. Thank you for telling me. "
    "If you need someone now, these are free and open day and night:"
)


def report(service_id: str) -> bool:
    """Store the report; False when the service is not in the directory (runs in a worker thread)."""
    with directory_session() as session:
        if session.get(Service, service_id) is None:
            return False
        report_problem(session, service_id, REASON)
        session.commit()
        return True


class ActionReportServiceProblem(Action):
    """Record that a service is wrong or has closed, for the charity to review."""

    def name(self) -> str:
        """The name the domain calls this action by."""
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Store the report for the service her button named and thank her, asking which one when none is named."""
        service_id = entity_value(tracker, "service_id")
        if service_id is None:
            dispatcher.utter_message(text=WHICH_SERVICE)
            return []
        try:
            stored = await asyncio.to_thread(report, service_id)
        except Exception as error:  # any failure at all: she must still get an answer
            log.error("problem report failed: %s", type(error).__name__)
            # A failure reply still carries the 24/7 routes, rendered from the contacts data by the gateway.
            dispatcher.utter_message(text=NOT_SAVED, json_message={"routes": list(FAILURE_ROUTES)})
            return []
        dispatcher.utter_message(text=THANKS if stored else GONE)
        return []
