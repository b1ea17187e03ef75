"""The shipped screen (rules, risk model, thresholds) on question authors that no fold and no threshold ever saw.

`make safety-report` prints the same figures author by author with every miss. The floors sit a little outside
what the shipped model measured (1.3% false crisis, 4.0% asked, 94% of distress heard, 6 of 7 crises answered or
asked about), so a model that reads everyday questions worse fails here.
"""

from __future__ import annotations

from collections import Counter

from nlu.risk import load_risk_layer
from nlu.screen import screen
from tests.safety.corpus_report import held_out_items, tally

MAX_FALSE_CRISIS = 0.03
MAX_ASKED = 0.07
MIN_DISTRESS = 0.88
MIN_CRISIS_REPLY_OR_QUESTION = 0.85


def test_the_shipped_screen_reads_held_out_authors_questions_calmly_and_still_hears_risk() -> None:
    layer, status = load_risk_layer()
    assert layer is not None, status
    items = held_out_items()
    assert len({item.author for item in items}) >= 2 and len(items) >= 300
    counts: Counter[str] = Counter()
    for item in items:
        tally(counts, item.level, layer.screen(screen(item.text), item.text, ()))
    assert counts["crisis"] >= 5, "too few crisis messages to say anything"
    assert counts["false_crisis"] / counts["none"] <= MAX_FALSE_CRISIS, counts
    assert counts["asked"] / counts["none"] <= MAX_ASKED, counts
    assert counts["distress_caught"] / counts["distress"] >= MIN_DISTRESS, counts
    assert counts["crisis_or_ask"] / counts["crisis"] >= MIN_CRISIS_REPLY_OR_QUESTION, counts
