"""Which kind of crisis a message is, when the risk model heard a crisis that the rules did not name.

The crisis reply fits its kind: a mother frightened by unwanted thoughts is not answered as if she were suicidal,
and someone worried about a sister is told what she can do for her. The rules name the kind when they match; when
only the model heard the crisis, this reads the message with the packaged sentence encoder (`nlu/encoder/`) and
one logistic regression per category, trained on the risk corpus by `nlu/risk/training/categories.py`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from nlu.encoder import SentenceEncoder
from nlu.screen import CATEGORIES as SCREEN_CATEGORIES

WEIGHTS = Path(__file__).resolve().parent / "model" / "categories.json"
# The crisis categories the rules name, in their order ("distress" is a level, not a kind of crisis).
CATEGORIES = tuple(c for c in SCREEN_CATEGORIES if c != "distress")
# Earlier messages read with this one, as the risk model reads them.
HISTORY_TURNS = 2


class CategoriesUnavailable(RuntimeError):
    """The weights are missing or were trained on another encoder."""


def reading(text: str, history: Sequence[str] = ()) -> str:
    """What the encoder reads: her last two messages and this one, joined as the risk model joins them."""
    return " | ".join([*history[-HISTORY_TURNS:], text])


class CrisisCategories:
    """Categories for a crisis message: those at or past the threshold, else the likeliest one."""

    def __init__(self, encoder: SentenceEncoder, weights: Path = WEIGHTS) -> None:
        import numpy as np

        try:
            data = json.loads(weights.read_text(encoding="utf-8"))
            if tuple(data["categories"]) != CATEGORIES:
                raise CategoriesUnavailable("categories.json names other categories")
            self._weights = np.array(data["weights"], dtype=np.float32)
            self._bias = np.array(data["bias"], dtype=np.float32)
            self._threshold = float(data["threshold"])
            trained_on = str(data["encoder_sha256"])
        except (OSError, KeyError, ValueError, TypeError) as error:
            raise CategoriesUnavailable(f"categories.json could not be read: {type(error).__name__}") from error
        if not encoder.name.endswith(trained_on[:12]) or self._weights.shape != (len(CATEGORIES), encoder.dimensions):
            raise CategoriesUnavailable("categories.json was trained on another encoder")
        self._encoder = encoder
        self._np = np

    def probabilities(self, text: str, history: Sequence[str] = ()) -> dict[str, float]:
        """Each category's probability for the message, read with her last two messages."""
        np = self._np
        vector = self._encoder.encode([reading(text, history)])[0]
        scores = 1 / (1 + np.exp(-(self._weights @ vector + self._bias)))
        return {category: float(score) for category, score in zip(CATEGORIES, scores, strict=True)}

    def categories(self, text: str, history: Sequence[str] = ()) -> tuple[str, ...]:
        """The message's kinds of crisis: those at or past the threshold, else the likeliest one."""
        probabilities = self.probabilities(text, history)
        picked = tuple(c for c in CATEGORIES if probabilities[c] >= self._threshold)
        return picked or (max(probabilities, key=lambda c: probabilities[c]),)
