"""What a rule is: one family of phrasings that puts a message into a category, and how it is built."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class _Rule:
    """One family of phrasings that puts a message into a category."""

    category: str
    pattern: re.Pattern[str]
    # Category to report when the phrase is negated in its clause; None means a negated phrase says nothing.
    if_negated: str | None = None
    # Bare topic words ("psychosis", "self harm") are dropped in questions about the topic.
    topic: bool = False
    # Whose risk: a third-person subject turns the disclosure into third-party (plus the category).
    subject_sensitive: bool = True
    # Fires only when someone else is the subject ("better off without her" is said of a friend, or of an ex).
    third_only: bool = False
    # An act described inside a thought ("a picture of my hand over his mouth") is an intrusive thought.
    unless_thought: bool = False
    # How many words before the phrase a negator may stand; thoughts are there even when she "would never".
    negation_window: int = 5


def _rule(
    category: str,
    pattern: str,
    *,
    if_negated: str | None = None,
    topic: bool = False,
    subject: bool = True,
    third_only: bool = False,
    unless_thought: bool = False,
) -> _Rule:
    """Build a rule from a pattern written in the normalised vocabulary; category may join several with "+"."""
    window = 2 if category == "intrusive-thoughts" else 5
    return _Rule(category, re.compile(pattern), if_negated, topic, subject, third_only, unless_thought, window)
