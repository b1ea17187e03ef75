"""What the screen returns: the levels, the categories, and the Screening verdict.

_HOPELESS is the internal marker for hopeless distress: it is reported as distress but also arms the history rules
in _context.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("none", "distress", "crisis")

CATEGORIES = (
    "suicidal",
    "self-harm",
    "overdose-or-injury",
    "harm-to-baby",
    "intrusive-thoughts",
    "psychosis-signs",
    "abuse-or-danger",
    "third-party",
    "distress",
)

_CRISIS_CATEGORIES = frozenset(CATEGORIES) - {"distress"}

# Internal marker for hopeless distress; it counts as distress but also arms the context rules.
_HOPELESS = "hopeless"


@dataclass(frozen=True)
class Screening:
    """The screen's verdict on one message."""

    level: str
    categories: tuple[str, ...]
    # Set by the risk model's layer (nlu.risk.combine) when the screen is unsure: Nightlight asks her directly.
    ask: bool = False

    def as_dict(self) -> dict[str, object]:
        """Return the JSON-ready form used by the gateway and the CLI."""
        return {"level": self.level, "categories": list(self.categories), "ask": self.ask}
