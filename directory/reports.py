"""She says "this is wrong or has closed": keep it for the charity that keeps the directory, without her details."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from sqlalchemy.orm import Session

from directory.models import ProblemReport

MAX_PROBLEM_REASON = 500
_EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_NUMBER = re.compile(r"(?:\+?\d[\d\s\-()]{8,}\d)")


def report_problem(session: Session, service_id: str, reason: str) -> None:
    """Store "this is wrong or has closed" for the charity to review; emails and phone numbers are removed first."""
    # The reason is free text from a mother: keep what is wrong with the service, not how to reach her.
    cleaned = _PHONE_NUMBER.sub("[number removed]", _EMAIL_ADDRESS.sub("[email removed]", reason.strip()))
    session.add(
        ProblemReport(
            id=str(uuid.uuid4()),
            service_id=service_id,
            reported_at=datetime.now(timezone.utc).replace(tzinfo=None),
            reason=cleaned[:MAX_PROBLEM_REASON],
        )
    )
    session.commit()
