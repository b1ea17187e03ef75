"""Corpus loading and model input construction, shared by train.py, export.py and the checks.

No torch here: the same code (tokenizers + numpy only) is what a CPU runtime with onnxruntime would use.

Input format (must be identical at training and inference time):
  * single message:       [CLS] text [SEP]                                 token_type_ids all 0
  * conversation turn i:  [CLS] history [SEP] text [SEP]                   0 for "[CLS] history [SEP]",
                          history = previous up to 2 turns joined by " | "  1 for "text [SEP]"
                          (turn 0 has no history -> single-segment form)
  * max 128 tokens. If too long, the history is cut first, dropping its OLDEST tokens (the words
    nearest the current turn are kept); only if the current text alone does not fit is it cut,
    keeping its first tokens.
  * Tokenizer: tokenizer.json of all-MiniLM-L6-v2 (bert-base-uncased WordPiece, lower-casing).
"""

from __future__ import annotations

import glob
import json
import os

import numpy as np
from tokenizers import Tokenizer

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "data", "risk_corpus")
# Where training writes its caches, fold outputs and the final model (outside the repository).
WORK = os.environ.get("NIGHTLIGHT_TRAIN_DIR", "/tmp/nightlight-risk-training")
LABELS = ["none", "distress", "crisis"]  # label order of the model's outputs
LABEL2ID = {l: i for i, l in enumerate(LABELS)}
MAX_TOKENS = 128
CONTEXT_TURNS = 2
HISTORY_JOIN = " | "
# Each fold of cross-validation holds out three authors: two who wrote risk messages and conversations, and one who
# wrote questions.
FOLDS = [("a01", "a05", "a09"), ("a02", "a06", "a10"), ("a03", "a07", "a11"), ("a04", "a08", "a12")]


def load_corpus(data_dir: str = DATA_DIR) -> list[dict]:
    """Every message of the corpus as a flat list of dicts: author, short author id (a01..a08),
    text, history (str or None), level, kind ('single' or 'turn'), source file and position."""
    items = []
    for path in sorted(glob.glob(os.path.join(data_dir, "*.jsonl"))):
        conv = path.endswith("-conversations.jsonl")
        with open(path, encoding="utf-8") as fh:
            for ln, line in enumerate(fh):
                if not line.strip():
                    continue
                o = json.loads(line)
                if not conv:
                    items.append(
                        dict(
                            author=o["author"],
                            aid=o["author"][:3],
                            text=o["text"],
                            history=None,
                            level=o["level"],
                            categories=o.get("categories", []),
                            kind="single",
                            src=os.path.basename(path),
                            pos=ln,
                        )
                    )
                    continue
                turns = o["turns"]
                for i, t in enumerate(turns):
                    prev = [p["text"] for p in turns[max(0, i - CONTEXT_TURNS) : i]]
                    items.append(
                        dict(
                            author=o["author"],
                            aid=o["author"][:3],
                            text=t["text"],
                            history=HISTORY_JOIN.join(prev) if prev else None,
                            level=t["level"],
                            categories=t.get("categories", []),
                            kind="turn",
                            src=os.path.basename(path),
                            pos=ln,
                            turn=i,
                            conv=o.get("name"),
                        )
                    )
    return items


class Featurizer:
    """Turns (text, history) into input_ids / attention_mask / token_type_ids (see module doc)."""

    def __init__(self, tokenizer_json: str, max_tokens: int = MAX_TOKENS):
        self.tok = Tokenizer.from_file(tokenizer_json)
        self.tok.no_truncation()
        self.tok.no_padding()
        self.max_tokens = max_tokens
        self.cls = self.tok.token_to_id("[CLS]")
        self.sep = self.tok.token_to_id("[SEP]")
        self.pad = self.tok.token_to_id("[PAD]")

    def _ids(self, s: str) -> list[int]:
        return self.tok.encode(s, add_special_tokens=False).ids

    def encode_one(self, text: str, history: str | None = None):
        """Token ids and token type ids for one message and its history, in the module doc's format and token limit."""
        cur = self._ids(text)
        if not history:
            cur = cur[: self.max_tokens - 2]
            ids = [self.cls, *cur, self.sep]
            return ids, [0] * len(ids)
        hist = self._ids(history)
        cur = cur[: self.max_tokens - 3]  # current text keeps at least its first part
        room = self.max_tokens - 3 - len(cur)  # what is left for the history
        hist = hist[len(hist) - room :] if room > 0 else []  # keep the most recent history tokens
        if not hist:  # no room left: single segment
            ids = [self.cls, *cur[: self.max_tokens - 2], self.sep]
            return ids, [0] * len(ids)
        ids = [self.cls, *hist, self.sep, *cur, self.sep]
        tt = [0] * (len(hist) + 2) + [1] * (len(cur) + 1)
        return ids, tt

    def batch(self, texts, histories=None, pad_to: int | None = None):
        """Padded int64 numpy arrays for a batch (padding to the longest in the batch)."""
        if histories is None:
            histories = [None] * len(texts)
        enc = [self.encode_one(t, h) for t, h in zip(texts, histories, strict=False)]
        L = pad_to or max(len(e[0]) for e in enc)
        n = len(enc)
        ids = np.full((n, L), self.pad, dtype=np.int64)
        am = np.zeros((n, L), dtype=np.int64)
        tt = np.zeros((n, L), dtype=np.int64)
        for i, (a, b) in enumerate(enc):
            ids[i, : len(a)] = a
            am[i, : len(a)] = 1
            tt[i, : len(b)] = b
        return {"input_ids": ids, "attention_mask": am, "token_type_ids": tt}
