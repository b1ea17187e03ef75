#!/usr/bin/env python3
"""Train the crisis-category reader: which kind of crisis a message is, when the risk model (not the rules) heard it.

    .venv/bin/python nlu/risk/training/categories.py        # cross-validates by author, then trains on all

Every crisis item of the risk corpus is read by the packaged sentence encoder (`nlu/encoder/`); one logistic
regression per category (one against the rest, numpy only) learns the categories the authors gave. A turn of a
conversation is read with its two earlier turns, joined as the risk model reads them. The figures come from
author-disjoint folds (the same four as the risk model's), and the weights, trained on every author, go to
`nlu/risk/model/categories.json`. Runs in the project's own environment: no PyTorch.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from featurize import FOLDS, load_corpus  # noqa: E402

from bot.crisis import template_for  # noqa: E402
from nlu.encoder import SentenceEncoder  # noqa: E402
from nlu.risk.categories import CATEGORIES, reading  # noqa: E402
from nlu.screen import Screening  # noqa: E402

OUT = ROOT / "nlu" / "risk" / "model" / "categories.json"
STEPS = 600
RATE = 2.0
L2 = 1e-3
THRESHOLD = 0.5


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-against-the-rest logistic regressions, full-batch gradient descent with a little L2."""
    weights = np.zeros((x.shape[1], y.shape[1]))
    bias = np.log((y.mean(0) + 1e-3) / (1 - y.mean(0) + 1e-3))
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(x @ weights + bias)))
        weights -= RATE * (x.T @ (p - y) / len(x) + L2 * weights)
        bias -= RATE * (p - y).mean(0)
    return weights, bias


def chosen(p: np.ndarray) -> list[str]:
    """As CrisisCategories.categories: those at or past the threshold, else the likeliest one."""
    picked = [c for c, v in zip(CATEGORIES, p, strict=True) if v >= THRESHOLD]
    return picked or [CATEGORIES[int(p.argmax())]]


def main() -> None:
    """Cross-validate by author and print the figures, then train on every author and write categories.json."""
    items = [it for it in load_corpus() if it["level"] == "crisis" and it.get("categories")]
    if not items:
        raise SystemExit("no crisis items with categories in the corpus")
    encoder = SentenceEncoder()
    x = encoder.encode(
        [reading(it["text"], tuple(it["history"].split(" | ")) if it["history"] else ()) for it in items]
    )
    y = np.array([[1.0 if c in it["categories"] else 0.0 for c in CATEGORIES] for it in items])
    rows = []
    for held in FOLDS:
        train = np.array([it["aid"] not in held for it in items])
        weights, bias = fit(x[train], y[train])
        probs = 1 / (1 + np.exp(-(x[~train] @ weights + bias)))
        for it, p in zip([it for it, t in zip(items, train, strict=True) if not t], probs, strict=True):
            rows.append((it, chosen(p)))
    first_right = sum(1 for it, got in rows if got[0] in it["categories"]) / len(rows)
    same_reply = sum(
        1
        for it, got in rows
        if template_for(Screening("crisis", tuple(got))) is template_for(Screening("crisis", tuple(it["categories"])))
    ) / len(rows)
    exact = sum(1 for it, got in rows if set(got) == set(it["categories"])) / len(rows)
    by_author: dict[str, list[bool]] = {}
    for it, got in rows:
        by_author.setdefault(it["aid"], []).append(
            template_for(Screening("crisis", tuple(got))) is template_for(Screening("crisis", tuple(it["categories"])))
        )
    worst = min(by_author, key=lambda a: sum(by_author[a]) / len(by_author[a]))
    per_category = {}
    for c in CATEGORIES:
        gold = [got for it, got in rows if c in it["categories"]]
        said = [it for it, got in rows if c in got]
        per_category[c] = {
            "items": len(gold),
            "recall": round(sum(1 for got in gold if c in got) / max(len(gold), 1), 3),
            "precision": round(sum(1 for it in said if c in it["categories"]) / max(len(said), 1), 3),
        }
    cv = {
        "protocol": "author-disjoint 4-fold cross-validation, the risk model's folds",
        "crisis_items": len(rows),
        "same_reply_as_its_author_meant": round(same_reply, 3),
        "first_category_right": round(first_right, 3),
        "exact_set": round(exact, 3),
        "worst_author": {worst: round(sum(by_author[worst]) / len(by_author[worst]), 3)},
        "per_category": per_category,
    }
    print(json.dumps(cv, indent=1))
    weights, bias = fit(x, y)
    OUT.write_text(
        json.dumps(
            {
                "categories": list(CATEGORIES),
                "threshold": THRESHOLD,
                "encoder_sha256": json.loads((ROOT / "nlu/encoder/model/meta.json").read_text())["sha256"],
                "weights": [[round(float(v), 5) for v in row] for row in weights.T],
                "bias": [round(float(v), 5) for v in bias],
                "cross_validation": cv,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
