"""Deterministic safety screen: reads a mother's raw message and returns a risk level and categories.

Pure standard-library Python, so both Rasa's virtualenv and ours can import it. The screen works in three steps:
normalise the text (invisible characters, full-width letters, line breaks inside a sentence, case, apostrophes,
text-speak, stretched letters, one-letter typos), blank out figures of speech, then match families of phrasings
(subject x verb family x object family) with clause-scoped negation and question-about-a-topic suppression. Earlier
messages in the conversation give context to short, final-sounding messages ("tonight's the night") that are only
risky after hopeless ones.

The package's parts, in the order a message meets them:

- _normalise: invisible and full-width characters, line breaks, case, apostrophes, contractions, text-speak and
  dialect words, typo repair, phrase substitutions.
- _figures: everyday figures of speech blanked to neutral words.
- _vocabulary and _rule: the shared word families and what a rule is.
- _rules/: the rules of each category, a catalogue each (suicidal, self_harm, overdose, harm_to_baby, intrusive,
  psychosis, abuse, wider, distress).
- _matching: every rule in order (_all_rules), with negation, subject and topic-question logic; one message alone.
- _context: what the earlier turns of the conversation add.
- _verdict: the levels, the categories and the Screening result.

Only the names in __all__ are public; the private modules may change.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlu.screen._context import _with_history
from nlu.screen._matching import _prepared, _screen_text
from nlu.screen._normalise import normalise
from nlu.screen._verdict import _CRISIS_CATEGORIES, _HOPELESS, CATEGORIES, LEVELS, Screening

__all__ = ["CATEGORIES", "LEVELS", "Screening", "forget_cached", "normalise", "screen"]


def screen(text: str, history: Sequence[str] = ()) -> Screening:
    """Screen one message, given her earlier messages in this conversation (oldest first)."""
    found = set(_screen_text(text))
    if history:
        found = _with_history(found, text, history)
    if _HOPELESS in found:
        found.discard(_HOPELESS)
        found.add("distress")
    if "harm-to-baby" in found:
        found.discard("intrusive-thoughts")
    crisis = found & _CRISIS_CATEGORIES
    if crisis:
        return Screening("crisis", tuple(sorted(crisis)))
    if "distress" in found:
        return Screening("distress", ("distress",))
    return Screening("none", ())


def forget_cached() -> None:
    """Drop every cached message text, so "delete my data" leaves none of hers in memory."""
    _prepared.cache_clear()
    _screen_text.cache_clear()
