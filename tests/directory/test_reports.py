"""'This is wrong or has closed' is stored for the charity to review, without her email or phone number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import ProblemReport
from directory.reports import report_problem
from directory.search import search
from tests.directory.conftest import BUMPS_AND_BABIES, by_name


def test_report_problem_stores_a_short_anonymous_report(sample: Session) -> None:
    service_id = by_name(search(sample, "EX4"))[BUMPS_AND_BABIES].service_id
    report_problem(sample, service_id, "It has closed, call me on 07700 900999 or mail jo@example.org " + "x" * 600)
    stored = sample.scalars(select(ProblemReport).where(ProblemReport.service_id == service_id)).one()
    assert len(stored.reason) == 500
    assert stored.reason.startswith("It has closed")
    assert "07700" not in stored.reason and "@" not in stored.reason
    assert stored.id and stored.reported_at is not None
