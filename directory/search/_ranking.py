"""A service while it is being ranked, and the order results come in."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time

from directory.schedules import ScheduleRule

NIGHT_STARTS, NIGHT_ENDS = time(22, 0), time(7, 0)
# Distance bands: within one band the tenant's own services go first; a person does not mind 300 m more.
DISTANCE_BANDS_KM = (2.0, 5.0, 10.0, 20.0, 40.0, 80.0)


@dataclass
class _Candidate:
    """A service being ranked; details are only loaded for the ones returned."""

    service_id: str
    organization_id: str
    remote: bool
    perinatal: bool
    distance: float | None = None
    location_id: str | None = None
    service_at_location_id: str | None = None
    open: bool = False
    night_line: bool = False
    round_the_clock: bool = False
    rules: list[ScheduleRule] = field(default_factory=list)


def _is_night(moment: datetime) -> bool:
    """22:00-07:00 London time."""
    clock = moment.time()
    return clock >= NIGHT_STARTS or clock < NIGHT_ENDS


def _band(distance: float) -> int:
    """Index of the distance band (DISTANCE_BANDS_KM) a distance falls in."""
    return next((i for i, limit in enumerate(DISTANCE_BANDS_KM) if distance <= limit), len(DISTANCE_BANDS_KM))


def _rank(candidate: _Candidate, night: bool, own: frozenset[str]) -> tuple[object, ...]:
    """Sort key: see the ranking in directory/search/__init__.py."""
    distance = candidate.distance if candidate.distance is not None else math.inf
    night_line = night and candidate.night_line
    return (
        not night_line,
        not (night_line and candidate.round_the_clock),
        not candidate.open,
        not candidate.perinatal,
        candidate.remote and not night,
        _band(distance),
        candidate.organization_id not in own,
        distance,
        candidate.service_id,
    )
