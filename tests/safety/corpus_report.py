"""The safety screen on the independent risk corpus (data/risk_corpus), author by author.

Run from the repository root: ``python tests/safety/corpus_report.py [--misses]``. Every figure is on text the
screen's rules were not written against. It prints, per author and for the worst author: crisis recall (the crisis
reply), crisis messages caught at any level, distress recall (distress or crisis), false crisis and any-alarm on
ordinary messages, and the same for conversation turns read with the turns before them. It sets no target and
always exits 0: it measures; the development set's report holds the targets.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nlu.screen import screen  # noqa: E402

CORPUS = ROOT / "data" / "risk_corpus"


def items() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(author, text, expected level, history) for every single message and every conversation turn."""
    found = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if "turns" in item:
                history: list[str] = []
                for turn in item["turns"]:
                    found.append((item["author"], turn["text"], turn["level"], tuple(history)))
                    history.append(turn["text"])
            else:
                found.append((item["author"], item["text"], item["level"], ()))
    return found


def main(show_misses: bool) -> int:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    for author, text, level, history in items():
        got = screen(text, history).level
        c = counts[author]
        c[level] += 1
        if level == "crisis":
            c["crisis_reply"] += got == "crisis"
            c["crisis_any"] += got != "none"
        elif level == "distress":
            c["distress_caught"] += got != "none"
        else:
            c["false_crisis"] += got == "crisis"
            c["false_any"] += got != "none"
        if (level != "none" and got == "none") or (level == "none" and got == "crisis"):
            misses.append(f"  [{author}] expected {level}, got {got}: {text[:140]!r}")

    def pct(part: int, whole: int) -> str:
        return f"{100 * part / whole:5.1f}%" if whole else "    -"

    rows = []
    for author in sorted(counts):
        c = counts[author]
        size = sum(c[k] for k in ("crisis", "distress", "none"))
        row = (
            f"{author:22s} crisis reply {pct(c['crisis_reply'], c['crisis'])}"
            f"  caught {pct(c['crisis_any'], c['crisis'])}"
            f"  distress {pct(c['distress_caught'], c['distress'])}"
            f"  false crisis {pct(c['false_crisis'], c['none'])}"
            f"  any alarm on ordinary {pct(c['false_any'], c['none'])}  (n={size})"
        )
        rows.append((author, c["crisis_reply"] / max(c["crisis"], 1), row))
    total: Counter[str] = sum(counts.values(), Counter())
    print("Rules on the independent risk corpus (messages and conversation turns), by author:")
    for _, _, row in rows:
        print(row)
    worst = min(rows, key=lambda row: row[1])
    print(f"worst author by crisis reply: {worst[0]}")
    print(
        f"all authors: crisis reply {pct(total['crisis_reply'], total['crisis'])}, caught "
        f"{pct(total['crisis_any'], total['crisis'])}, distress {pct(total['distress_caught'], total['distress'])}, "
        f"false crisis {pct(total['false_crisis'], total['none'])}"
    )
    if show_misses:
        print(f"\n{len(misses)} misses:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main("--misses" in sys.argv))
