"""She asked "what happens there?": say plainly what the service is, when and where, how to get in touch, and babies."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.directory_access import directory_session
from actions.find_services import (
    SAMPLE_NOTICE,
    Reply,
    checked_on,
    contact_links,
    entity_value,
    failure_reply,
)
from directory.models import Service
from directory.services import service_details

log = logging.getLogger("nightlight.actions.service_details")

ACTION_NAME = "action_service_details"
SAMPLE_PREFIXES = ("SAMPLE DATA — not a real service.", "SAMPLE DATA - not a real service.")
WHICH_SERVICE = 'Which one do you mean? Please tap "What happens there?" under the service you\'d like to know about.'
GONE = "I'm sorry, I can't find that service any more. It may have been taken out of the directory."
BABIES_WELCOME = "You can bring your baby."
CRECHE = "There's a crèche, so someone can look after your baby while you take part."
BABIES_UNKNOWN = "It doesn't say whether you can bring your baby, so it's worth asking them."
NO_TIMES = "Opening times aren't listed, so it's worth asking them."
NO_PLACE = "It's by phone, text or online, so you can use it from home."
MAX_DESCRIPTION = 400


def is_sample(service: Service) -> bool:
    """Sample records are marked by name and description (directory/sample/README.md)."""
    return service.name.rstrip().endswith("(sample)") or (service.description or "").startswith("SAMPLE DATA")


def plain_description(service: Service) -> str:
    """The service's own description without the sample marker (the notice says it once, plainly)."""
    text = (service.description or "").strip()
    for prefix in SAMPLE_PREFIXES:
        text = text.removeprefix(prefix).strip()
    if len(text) > MAX_DESCRIPTION:
        text = text[:MAX_DESCRIPTION].rsplit(" ", 1)[0] + "..."
    return text


def plan_details(session: Session, service_id: str) -> Reply:
    """The details of one service as a single plain message, with its contact links and buttons."""
    details = service_details(session, service_id)
    if details is None:
        return Reply(text=GONE)
    service, tags = details.service, details.tags
    if "baby-welcome" in tags:
        babies = BABIES_WELCOME
    elif "creche" in tags:
        babies = CRECHE
    else:
        babies = BABIES_UNKNOWN
    if "creche" in tags and babies == BABIES_WELCOME:
        babies = f"{babies} {CRECHE}"
    paragraphs = [service.name]
    if is_sample(service):
        paragraphs.insert(0, SAMPLE_NOTICE)
    description = plain_description(service)
    if description:
        paragraphs.append(description)
    facts = [
        f"When: {details.schedule or NO_TIMES}",
        f"Where: {details.address}" if details.address else NO_PLACE,
        babies,
    ]
    if service.application_process:
        facts.append(f"How to get in touch: {service.application_process.strip()}")
    facts.append(checked_on(service.assured_date))
    paragraphs.append("\n".join(facts))
    url = service.url if service.url and service.url.startswith("https://") else None
    entity = f'{{"service_id": "{service_id}"}}'
    return Reply(
        text="\n\n".join(paragraphs),
        buttons=[
            {"title": "More like this", "payload": f"/more_like_this{entity}"},
            {"title": "This is wrong or has closed", "payload": f"/report_service_problem{entity}"},
        ],
        json_message={
            "card": {
                "service_id": service_id,
                "name": service.name,
                "links": contact_links(details.tel, details.sms, url, details.phone),
                "checked": None if service.assured_date is None else service.assured_date.isoformat(),
                "sample": is_sample(service),
            }
        },
    )


def plan(service_id: str) -> Reply:
    """Look the service up (in a worker thread: the directory is a blocking database)."""
    with directory_session() as session:
        return plan_details(session, service_id)


class ActionServiceDetails(Action):
    """Say what happens at a service she tapped, from the directory's own record."""

    def name(self) -> str:
        """The name the domain calls this action by."""
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the details of the service her button named, asking which one when none is named."""
        service_id = entity_value(tracker, "service_id")
        if service_id is None:
            Reply(text=WHICH_SERVICE).send(dispatcher)
            return []
        try:
            reply = await asyncio.to_thread(plan, service_id)
        except Exception as error:  # any failure at all: she must still get an answer
            log.error("service details failed: %s", type(error).__name__)
            reply = failure_reply()
        reply.send(dispatcher)
        return []
