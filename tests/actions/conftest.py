"""Action tests build a Tracker from a JSON fixture and run the action with a CollectingDispatcher."""

from __future__ import annotations

import json
from pathlib import Path

from rasa_sdk import Tracker

TRACKERS = Path(__file__).parent / "trackers"


def load_tracker(name: str) -> Tracker:
    """A Tracker from tests/actions/trackers/<name>.json."""
    return Tracker.from_dict(json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8")))
