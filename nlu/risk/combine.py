"""How the rules and the risk model make one verdict. Pure Python: the thresholds are data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from nlu.screen import Screening


@dataclass(frozen=True)
class RiskScores:
    """The model's probabilities for one message, read with her last few messages."""

    none: float
    distress: float
    crisis: float


@dataclass(frozen=True)
class Thresholds:
    """Where the model's crisis probability means "crisis" and where it means "ask her"; its distress cut-off."""

    crisis: float
    ask: float
    distress: float

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(crisis=float(data["crisis"]), ask=float(data["ask"]), distress=float(data["distress"]))


LEVEL_ORDER = {"none": 0, "distress": 1, "crisis": 2}


def combine(rules: Screening, scores: RiskScores | None, thresholds: Thresholds) -> Screening:
    """One verdict from both layers. The model only ever raises the level: a crisis the rules heard stays a crisis.
    Between the ask and crisis thresholds (and when the rules did not hear a crisis) the screen is unsure: the
    level is at least distress and `ask` is set, so Nightlight asks her directly."""
    if scores is None or rules.level == "crisis":
        return rules
    if scores.crisis >= thresholds.crisis:
        return Screening(level="crisis", categories=tuple(c for c in rules.categories if c != "distress"))
    distressed = scores.distress + scores.crisis >= thresholds.distress or rules.level == "distress"
    categories = rules.categories if rules.level == "distress" else ("distress",)
    if scores.crisis >= thresholds.ask:
        return Screening(level="distress", categories=categories, ask=True)
    if distressed and rules.level == "none":
        return Screening(level="distress", categories=("distress",))
    return rules
