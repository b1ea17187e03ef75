"""Remote services: included, marked and optional, and offered only where the areas they serve reach."""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.search import search
from tests.directory.conftest import by_name
from tests.directory.search.conftest import STARLING, TUESDAY_MORNING, WEDNESDAY_NIGHT, names


def test_remote_services_are_included_marked_and_can_be_left_out(sample: Session) -> None:
    results = by_name(search(sample, "EX4", at=TUESDAY_MORNING))
    samaritans = results["Samaritans"]
    assert samaritans.remote and samaritans.distance_km is None
    assert samaritans.tel == "tel:116123"
    assert results["Shout"].sms == "sms:85258?body=SHOUT"
    local_only = search(sample, "EX4", at=TUESDAY_MORNING, include_remote=False)
    assert local_only and not any(result.remote for result in local_only)


def test_remote_services_for_devon_are_not_offered_in_manchester(sample: Session) -> None:
    manchester = names(search(sample, "Manchester", at=WEDNESDAY_NIGHT))
    assert "Samaritans" in manchester
    assert STARLING not in manchester
    assert STARLING in names(search(sample, "PL1", at=WEDNESDAY_NIGHT))
