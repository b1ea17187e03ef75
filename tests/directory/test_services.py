"""One service as "what happens there?" shows it: its tags, its times in words, its street and its phone links."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Service
from directory.services import service_details
from tests.directory.conftest import BUMPS_AND_BABIES

APPP = "Action on Postpartum Psychosis (peer support; not a crisis service)"
SHOUT = "Shout"


def service_id(session: Session, name: str) -> str:
    return session.scalars(select(Service.id).where(Service.name == name)).one()


def test_a_group_has_its_times_in_its_own_words_its_street_and_a_number_to_call_or_text(sample: Session) -> None:
    details = service_details(sample, service_id(sample, BUMPS_AND_BABIES))
    assert details is not None
    assert details.service.name == BUMPS_AND_BABIES
    assert {"baby-welcome", "parent-baby-group"} <= set(details.tags)
    assert details.tags == sorted(details.tags)
    assert details.schedule.startswith("Tuesdays 10am to 11:30am at Riverside Community Rooms.; Thursdays")
    assert details.address == "12 Example Quay Road, Exeter EX4"
    assert (details.phone, details.tel, details.sms) == ("07700 900100", "tel:+447700900100", "sms:+447700900100")


def test_a_text_line_has_an_sms_link_and_no_number_to_call(sample: Session) -> None:
    details = service_details(sample, service_id(sample, SHOUT))
    assert details is not None
    assert details.address is None, "a line has no street"
    assert (details.phone, details.tel, details.sms) == (None, None, "sms:85258")


def test_a_service_without_listed_times_says_nothing_rather_than_guess(sample: Session) -> None:
    details = service_details(sample, service_id(sample, APPP))
    assert details is not None
    assert details.schedule == ""


def test_a_service_no_longer_in_the_directory_has_no_details(sample: Session) -> None:
    assert service_details(sample, "no-such-service") is None
