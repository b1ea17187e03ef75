"""The safety screen on the independent risk corpus (data/risk_corpus), author by author: rules, model, combined.

Run from the repository root: ``python tests/safety/corpus_report.py [--misses]``.

- **rules**: the deterministic screen (`nlu.screen`), which was never written against this corpus.
- **model**: the risk model's probabilities from author-disjoint cross-validation
  (`nlu/risk/model/cv_predictions.jsonl`, written by `nlu/risk/train.py --folds`): each message was scored by a
  model trained without its author. The thresholds in `nlu/risk/model/thresholds.json` were chosen on those same
  out-of-fold scores, so the model and combined figures are somewhat optimistic.
- **combined**: what the gateway does (`nlu.risk.combine`): the rules, raised by the model, or "ask".

Last, the shipped model itself, as the gateway runs it, on the held-out question authors (`held_out/`): no fold and
no threshold ever saw them, so that figure is the one least flattered by how the model was made.

For each: crisis reply (crisis messages that get the crisis reply), crisis reply or question (the crisis reply or
the direct question), distress recall (distress messages flagged at any level), false crisis (ordinary messages
called a crisis), asked on ordinary (ordinary messages that get the direct question), per author and for the worst
author. It sets no target and exits 0: the development set's report (report.py) holds the targets.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nlu.risk.combine import RiskScores, Thresholds, combine  # noqa: E402
from nlu.risk.model import is_short  # noqa: E402
from nlu.screen import Screening, screen  # noqa: E402

CORPUS = ROOT / "data" / "risk_corpus"
MODEL_DIR = ROOT / "nlu" / "risk" / "model"
CV_PREDICTIONS = MODEL_DIR / "cv_predictions.jsonl"
HISTORY_TURNS = 2


@dataclass(frozen=True)
class Item:
    author: str
    text: str
    level: str
    history: tuple[str, ...]


def items() -> list[Item]:
    """Every single message and every conversation turn (with the turns before it)."""
    found = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if "turns" in item:
                history: list[str] = []
                for turn in item["turns"]:
                    found.append(Item(item["author"], turn["text"], turn["level"], tuple(history)))
                    history.append(turn["text"])
            else:
                found.append(Item(item["author"], item["text"], item["level"], ()))
    return found


def cv_scores() -> dict[tuple[str, str, tuple[str, ...]], RiskScores]:
    """Out-of-fold model scores by (author, text, last history turns); empty if the file is not there."""
    if not CV_PREDICTIONS.exists():
        return {}
    scores = {}
    for line in CV_PREDICTIONS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        key = (row["author"], row["text"], tuple(row.get("history") or ())[-HISTORY_TURNS:])
        scores[key] = RiskScores(none=row["p_none"], distress=row["p_distress"], crisis=row["p_crisis"])
    return scores


def model_verdict(scores: RiskScores, thresholds: Thresholds) -> Screening:
    """The model on its own, with the same thresholds the gateway uses."""
    return combine(Screening(level="none", categories=()), scores, thresholds)


def tally(counts: Counter[str], level: str, got: Screening) -> bool:
    """Count one verdict; True if it is a miss worth listing."""
    counts[level] += 1
    if level == "crisis":
        counts["crisis_reply"] += got.level == "crisis"
        counts["crisis_or_ask"] += got.level == "crisis" or got.ask
        return got.level != "crisis" and not got.ask
    if level == "distress":
        counts["distress_caught"] += got.level != "none"
        return got.level == "none"
    counts["false_crisis"] += got.level == "crisis"
    counts["asked"] += got.ask
    return got.level == "crisis"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_layer(name: str, counts: dict[str, Counter[str]]) -> None:
    print(f"\n{name}:")
    rows = []
    for author in sorted(counts):
        c = counts[author]
        rows.append((c["crisis_reply"] / max(c["crisis"], 1), author, c))
        print(
            f"  {author:22s} crisis reply {pct(c['crisis_reply'], c['crisis'])}"
            f"  reply or question {pct(c['crisis_or_ask'], c['crisis'])}"
            f"  distress {pct(c['distress_caught'], c['distress'])}"
            f"  false crisis {pct(c['false_crisis'], c['none'])}"
            f"  asked on ordinary {pct(c['asked'], c['none'])}"
        )
    total: Counter[str] = sum(counts.values(), Counter())
    worst = min(rows, key=lambda row: row[0])
    c = worst[2]
    print(
        f"  {'all authors':22s} crisis reply {pct(total['crisis_reply'], total['crisis'])}"
        f"  reply or question {pct(total['crisis_or_ask'], total['crisis'])}"
        f"  distress {pct(total['distress_caught'], total['distress'])}"
        f"  false crisis {pct(total['false_crisis'], total['none'])}"
        f"  asked on ordinary {pct(total['asked'], total['none'])}"
    )
    print(
        f"  worst author ({worst[1]}): crisis reply {pct(c['crisis_reply'], c['crisis'])}, reply or question "
        f"{pct(c['crisis_or_ask'], c['crisis'])}, distress {pct(c['distress_caught'], c['distress'])}, "
        f"false crisis {pct(c['false_crisis'], c['none'])}"
    )


def held_out_items() -> list[Item]:
    """The held-out question authors' messages, which no version of the model was trained or tuned on."""
    found = []
    for path in sorted((CORPUS / "held_out").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            found.append(Item(item["author"], item["text"], item["level"], ()))
    return found


def shipped_model_on_held_out(show_misses: bool) -> None:
    """The screen exactly as the gateway loads it (rules, shipped model, thresholds) on the held-out authors."""
    from nlu.risk import load_risk_layer

    layer, status = load_risk_layer()
    held_out = held_out_items()
    if layer is None or not held_out:
        print(f"\n(the shipped model on the held-out authors is not shown: {status if layer is None else 'no items'})")
        return
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    for item in held_out:
        got = layer.screen(screen(item.text), item.text, ())
        if tally(counts[item.author], item.level, got):
            misses.append(
                f"  [{item.author}] expected {item.level}, got {'ask' if got.ask else got.level}: {item.text[:140]!r}"
            )
    print_layer(
        f"the shipped model with the rules, on {len(held_out)} messages by held-out authors no fold or threshold saw",
        counts,
    )
    if show_misses:
        print(f"\n{len(misses)} misses (shipped model, held-out authors):")
        print("\n".join(misses))


def main(show_misses: bool) -> int:
    corpus = items()
    scores = cv_scores()
    thresholds = Thresholds.load(MODEL_DIR / "thresholds.json") if scores else None
    layers: dict[str, dict[str, Counter[str]]] = {name: defaultdict(Counter) for name in ("rules", "model", "combined")}
    misses: dict[str, list[str]] = defaultdict(list)
    unscored = 0
    for item in corpus:
        rules = screen(item.text, item.history)
        verdicts = {"rules": rules}
        found = scores.get((item.author, item.text, item.history[-HISTORY_TURNS:]))
        if thresholds is not None and found is not None:
            if is_short(item.text):
                # As the gateway does: a few words are only read by the model with her earlier messages.
                found = RiskScores(none=found.none, distress=0.0, crisis=found.crisis if item.history else 0.0)
            # Only a message without history has a score of itself alone, which is all that may lower a rules crisis.
            alone = found if not item.history and not is_short(item.text) else None
            verdicts["model"] = model_verdict(found, thresholds)
            verdicts["combined"] = combine(rules, found, thresholds, alone=alone)
        elif thresholds is not None:
            unscored += 1
        for name, got in verdicts.items():
            if tally(layers[name][item.author], item.level, got):
                shown = "ask" if got.ask else got.level
                misses[name].append(f"  [{item.author}] expected {item.level}, got {shown}: {item.text[:140]!r}")
    print(f"The safety screen on the independent risk corpus: {len(corpus)} messages and conversation turns.")
    print_layer("rules (never written against this corpus)", layers["rules"])
    if thresholds is None:
        print("\n(no cross-validated model scores in nlu/risk/model/: the model and combined layers are not shown)")
    else:
        print_layer(
            "model alone (author-disjoint cross-validation: each author scored by a model trained without it)",
            layers["model"],
        )
        print_layer("combined, as the gateway runs it", layers["combined"])
        if unscored:
            print(f"  ({unscored} items had no cross-validated score and were left out of model and combined)")
    for name in ("combined", "rules") if show_misses else ():
        print(f"\n{len(misses[name])} misses ({name}):")
        print("\n".join(misses[name]))
    shipped_model_on_held_out(show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main("--misses" in sys.argv))
