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
    # A rules crisis that the model reads as ordinary with at least this confidence is asked about instead.
    ask_instead: float = 1.01

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        """The thresholds from a JSON file; without `ask_instead` in it, a rules crisis is never made a question."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            crisis=float(data["crisis"]),
            ask=float(data["ask"]),
            distress=float(data["distress"]),
            ask_instead=float(data.get("ask_instead", 1.01)),
        )


LEVEL_ORDER = {"none": 0, "distress": 1, "crisis": 2}


def combine(
    rules: Screening, scores: RiskScores | None, thresholds: Thresholds, alone: RiskScores | None = None
) -> Screening:
    """One verdict from both layers. `scores` is the model's reading of the message with her earlier messages (it
    can only raise the level); `alone` is its reading of the message on its own (the only one that may lower).

    - Past the crisis threshold it is a crisis; between the ask and crisis thresholds the screen is unsure, so the
      level is at least distress and `ask` is set (Nightlight asks her directly).
    - The one way down: a crisis the rules heard, in words the model reads on their own as ordinary with high
      confidence (a question about a topic, a past event, an idiom the rules took literally), becomes the direct
      question, never "none": her "yes" still gets the crisis reply. Context never lowers anything.
    """
    if scores is None:
        return rules
    if rules.level == "crisis":
        if alone is not None and alone.none >= thresholds.ask_instead:
            return Screening(level="distress", categories=("distress",), ask=True)
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


def higher(first: RiskScores, second: RiskScores) -> RiskScores:
    """The riskier reading of each class, so that neither reading (with or without context) can hide risk."""
    return RiskScores(
        none=min(first.none, second.none),
        distress=max(first.distress, second.distress),
        crisis=max(first.crisis, second.crisis),
    )
