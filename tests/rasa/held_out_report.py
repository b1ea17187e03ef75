"""How well the trained model understands questions it never saw, set by set and author by author.

Run from the repository root: ``python tests/rasa/held_out_report.py [--errors]`` (`make nlu-report`); it trains
the model first if the training data changed.

Two held-out sets, neither ever trained on:
- `tests/rasa/nlu/`: written with the training data, by the same hand (so it flatters the model);
- `tests/rasa/held_out/`: written by independent authors, each in their own voice, who saw only a description of
  each intent (the author is named in each file). This is the figure to trust.

Every message is parsed by the trained model as the Rasa server parses it, through the whole pipeline (the fallback
with its ambiguity rule, the second opinion of the nearest examples, the emergency check and the safety screen). A
message counts as understood when the intent that decides her reply is the one its author meant; "not sure I
understood" is a miss. "Before the fallback" figures use the model's first choice instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.processes.training import rasa_environment  # noqa: E402

SETS = {"same author": ROOT / "tests" / "rasa" / "nlu", "independent": ROOT / "tests" / "rasa" / "held_out"}
SAME_AUTHOR = "project"
FALLBACK_INTENT = "nlu_fallback"


def fallback_threshold() -> float:
    """The FallbackClassifier's threshold in config.yml (0 when there is none)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


FALLBACK_THRESHOLD = fallback_threshold()


@dataclass(frozen=True)
class Prediction:
    held_out_set: str
    author: str
    text: str
    intent: str
    predicted: str
    confidence: float
    # The whole pipeline's answer: `nlu_fallback` when she would be told "not sure I understood".
    decided: str = ""

    @property
    def falls_back(self) -> bool:
        return self.decided == FALLBACK_INTENT if self.decided else self.confidence < FALLBACK_THRESHOLD

    @property
    def answered(self) -> str:
        """The intent whose answer she gets (`nlu_fallback`: "not sure I understood")."""
        if self.decided:
            return self.decided
        return FALLBACK_INTENT if self.falls_back else self.predicted

    @property
    def right(self) -> bool:
        """She gets the answer for what she asked."""
        return self.answered == self.intent

    @property
    def right_intent(self) -> bool:
        """The model's first choice is right, before the fallback."""
        return self.predicted == self.intent


def _authors() -> dict[str, tuple[str, str]]:
    """Each held-out text's set and author (the file name is the author for the independent set)."""
    found = {}
    for name, folder in SETS.items():
        for path in sorted(folder.glob("*.yml")):
            author = SAME_AUTHOR if name == "same author" else path.stem
            for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
                for line in item.get("examples", "").splitlines():
                    if line.strip().startswith("- "):
                        found[line.strip()[2:].strip()] = (name, author, item["intent"])
    return found


# Parses every message with the trained model exactly as the Rasa server does (the whole pipeline: the fallback,
# the second opinion, the emergency check and the safety screen), in Rasa's own environment.
PARSE = """
import asyncio, json, sys
from rasa.core.agent import Agent
async def main():
    agent = Agent.load(sys.argv[1])
    for text in json.loads(open(sys.argv[2]).read()):
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
        first = ranking[0] if ranking else {"name": "", "confidence": 0.0}
        print(json.dumps({"text": text, "decided": parsed["intent"]["name"],
                          "first": first["name"], "confidence": first["confidence"]}))
asyncio.run(main())
"""


def predictions(model: Path, rasa_bin: Path) -> list[Prediction]:
    """Every held-out message parsed once by the trained model (TensorFlow loads once)."""
    authors = _authors()
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.json"
        texts.write_text(json.dumps(list(authors)), encoding="utf-8")
        env = rasa_environment()
        env["PYTHONPATH"] = str(ROOT)
        result = subprocess.run(
            [str(rasa_bin.parent / "python"), "-c", PARSE, str(model), str(texts)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    found = []
    for line in result.stdout.splitlines():
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        held_out_set, author, intent = authors[row["text"]]
        found.append(
            Prediction(
                held_out_set,
                author,
                row["text"],
                intent,
                str(row["first"]),
                float(row["confidence"] or 0.0),
                decided=str(row["decided"]),
            )
        )
    return found


def accuracy(rows: list[Prediction]) -> float:
    return sum(r.right for r in rows) / len(rows) if rows else 0.0


def weighted_f1(rows: list[Prediction], strict: bool = True) -> float:
    """F1 per intent, weighted by how many held-out messages each intent has; `strict` counts a fallback as a miss."""
    support = Counter(r.intent for r in rows)
    total = 0.0
    for intent, count in support.items():
        tp = sum(1 for r in rows if r.intent == intent and (r.right if strict else r.right_intent))
        said = sum(1 for r in rows if (r.answered if strict else r.predicted) == intent)
        precision = tp / said if said else 0.0
        recall = tp / count
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total += f1 * count
    return total / len(rows) if rows else 0.0


def recall_by_intent(rows: list[Prediction], strict: bool = True) -> dict[str, float]:
    by: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        by[r.intent].append(r.right if strict else r.right_intent)
    return {intent: sum(v) / len(v) for intent, v in sorted(by.items())}


def by_author(rows: list[Prediction]) -> dict[str, list[Prediction]]:
    found: dict[str, list[Prediction]] = defaultdict(list)
    for r in rows:
        found[r.author].append(r)
    return dict(found)


def report(rows: list[Prediction], show_errors: bool) -> None:
    for name in SETS:
        chosen = [r for r in rows if r.held_out_set == name]
        if not chosen:
            continue
        fallback = sum(r.falls_back for r in chosen) / len(chosen)
        print(f"\n{name} held-out set: {len(chosen)} messages")
        wrong = sum(not r.right and not r.falls_back for r in chosen) / len(chosen)
        print(
            f"  understood {accuracy(chosen):.1%}  a wrong answer {wrong:.1%}  'not sure I understood' {fallback:.1%}"
            f"  weighted F1 {weighted_f1(chosen):.3f} (before the fallback: {weighted_f1(chosen, strict=False):.3f})"
        )
        authors = by_author(chosen)
        for author, own in sorted(authors.items()):
            print(f"  {author:12s} {len(own):4d} messages, understood {accuracy(own):.1%}")
        worst = min(authors, key=lambda a: accuracy(authors[a]))
        print(f"  worst author: {worst} {accuracy(authors[worst]):.1%}")
        weak = {i: round(v, 2) for i, v in recall_by_intent(chosen).items() if v < 0.7}
        print(f"  intents under 70% recall: {weak or 'none'}")
        confusions = Counter(
            (r.intent, "not understood" if r.falls_back else r.answered) for r in chosen if not r.right
        )
        print("  commonest confusions: " + ", ".join(f"{a} -> {b} ({n})" for (a, b), n in confusions.most_common(8)))
        if show_errors:
            for r in chosen:
                if not r.right:
                    print(
                        f"    [{r.author}] {r.intent} -> {r.answered} ({r.predicted} {r.confidence:.2f}): "
                        f"{r.text[:120]!r}"
                    )


def main() -> int:
    from bot.processes.training import ensure_model
    from tests.conftest import RASA_BIN

    model, _ = ensure_model(ROOT, ROOT / "models", RASA_BIN)
    report(predictions(model, RASA_BIN), "--errors" in sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
