"""Run the fine-tuned risk model on CPU with onnxruntime: one message, with her last two messages as context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlu.onnx_files import ModelFileError, checked_meta, one_thread_session, wordpiece
from nlu.risk.categories import CrisisCategories
from nlu.risk.combine import RiskScores, Thresholds, combine, higher
from nlu.screen import Screening

MODEL_DIR = Path(__file__).resolve().parent / "model"
# How many of her earlier messages the model reads with the new one (it was trained this way).
HISTORY_TURNS = 2
HISTORY_JOINER = " | "


# Messages of this many words or fewer are only read by the model with her earlier messages.
SHORT_WORDS = 3


def is_short(text: str) -> bool:
    """A message of a few words, which the model does not read on its own."""
    return len(text.split()) <= SHORT_WORDS


class RiskModelUnavailable(RuntimeError):
    """The model's files are missing, altered, or could not be loaded."""


@dataclass(frozen=True)
class _Meta:
    labels: tuple[str, ...]
    max_tokens: int
    output: str  # the graph's output to read: "probs" (softmax inside the graph) or "logits"
    sha256: str


class RiskModel:
    """The encoder and its classifier head as one ONNX graph, its tokenizer and its thresholds."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        try:
            import numpy as np
            import onnxruntime  # type: ignore[import-untyped]  # noqa: F401
            import tokenizers  # noqa: F401
        except ImportError as error:
            raise RiskModelUnavailable(f"a library the model needs is not installed: {error.name}") from error
        try:
            meta, model_file = checked_meta(folder)
            self._meta = _Meta(
                labels=tuple(meta["labels"]),
                max_tokens=int(meta["max_tokens"]),
                output=str(meta.get("output", "probs")),
                sha256=str(meta["sha256"]),
            )
            self.thresholds = Thresholds.load(folder / "thresholds.json")
            self._tokenizer, self._cls, self._sep = wordpiece(folder / "tokenizer.json")
            self._session = one_thread_session(model_file)
        except ModelFileError as error:
            raise RiskModelUnavailable(str(error)) from error
        except (OSError, KeyError, ValueError) as error:
            raise RiskModelUnavailable(f"the model could not be loaded: {type(error).__name__}: {error}") from error
        except Exception as error:  # onnxruntime's own load errors have no common base class
            raise RiskModelUnavailable(f"the model could not be loaded: {type(error).__name__}") from error
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._np = np
        self.assess = lru_cache(maxsize=4096)(self._assess)  # each turn is read by the urgent check and the turn

    @property
    def name(self) -> str:
        """The model as the gateway's log names it: "risk model" and the first 12 hex digits of its checksum."""
        return f"risk model {self._meta.sha256[:12]}"

    def _ids(self, text: str) -> list[int]:
        return list(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def _encode(self, text: str, history: tuple[str, ...]) -> dict[str, Any]:
        """[CLS] text [SEP], or [CLS] earlier | messages [SEP] text [SEP] with type ids 0 then 1, as trained. Over the
        token limit, the oldest words of the history go first; the text itself is cut only if it alone is too long."""
        np = self._np
        limit = self._meta.max_tokens
        current = self._ids(text)
        earlier = self._ids(HISTORY_JOINER.join(history[-HISTORY_TURNS:])) if history else []
        current = current[: limit - (3 if earlier else 2)]
        room = limit - 3 - len(current)
        earlier = earlier[len(earlier) - room :] if earlier and room > 0 else []
        if earlier:
            ids = [self._cls, *earlier, self._sep, *current, self._sep]
            types = [0] * (len(earlier) + 2) + [1] * (len(current) + 1)
        else:
            ids = [self._cls, *current[: limit - 2], self._sep]
            types = [0] * len(ids)
        feeds = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "token_type_ids": np.array([types], dtype=np.int64),
        }
        return {name: value for name, value in feeds.items() if name in self._inputs}

    def _assess(self, text: str, history: tuple[str, ...] = ()) -> RiskScores:
        """A long message is read in overlapping windows and the riskiest reading kept, so risk buried in the middle
        of a long message is not cut off at the model's token limit."""
        ids = self._ids(text)
        window = self._meta.max_tokens - 2
        if history or len(ids) <= window:
            return self._run(self._encode(text, history))
        readings = [
            self._run(self._feeds([self._cls, *ids[start : start + window], self._sep]))
            for start in range(0, max(len(ids) - window, 0) + window // 2, window // 2)
        ]
        worst = readings[0]
        for reading in readings[1:]:
            worst = higher(worst, reading)
        return worst

    def _feeds(self, ids: list[int]) -> dict[str, Any]:
        np = self._np
        feeds = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "token_type_ids": np.zeros((1, len(ids)), dtype=np.int64),
        }
        return {name: value for name, value in feeds.items() if name in self._inputs}

    def _run(self, feeds: dict[str, Any]) -> RiskScores:
        np = self._np
        (output,) = self._session.run([self._meta.output], feeds)
        values = np.asarray(output, dtype=np.float64)[0]
        if self._meta.output == "logits":
            values = np.exp(values - values.max())
            values = values / values.sum()
        by_label = dict(zip(self._meta.labels, (float(v) for v in values), strict=True))
        return RiskScores(none=by_label["none"], distress=by_label["distress"], crisis=by_label["crisis"])

    def scores(self, text: str, history: Sequence[str] = ()) -> RiskScores:
        """The model's probabilities for a message given her earlier messages (oldest first)."""
        return self.assess(text, tuple(history))


class SemanticScreen:
    """The rules' verdict combined with the model's reading of the same message and her history."""

    def __init__(self, model: RiskModel, categories: CrisisCategories | None = None) -> None:
        self.model = model
        self.categories = categories
        self.name = model.name

    def screen(self, rules: Screening, text: str, history: Sequence[str]) -> Screening:
        """The combined verdict; a crisis only the model heard is given the kind of crisis it reads as, so that the
        reply fits it (without a reader, such a crisis gets the default crisis reply)."""
        verdict = self._combined(rules, text, history)
        if verdict.level == "crisis" and not verdict.categories and self.categories is not None:
            return Screening(level="crisis", categories=self.categories.categories(text, history))
        return verdict

    def _combined(self, rules: Screening, text: str, history: Sequence[str]) -> Screening:
        """Read the message on its own and with her last messages; either reading can raise the level, only the
        message on its own can turn a rules crisis into the direct question."""
        if is_short(text):
            # A few words on their own ("tomorrow morning", answering the bot's question) say too little for the
            # model to act on; read with her earlier messages they can still make a crisis ("tonight", after
            # hopeless ones). The rules read them either way.
            if not history:
                return rules
            context = self.model.scores(text, history)
            return combine(
                rules, RiskScores(none=context.none, distress=0.0, crisis=context.crisis), self.model.thresholds
            )
        alone = self.model.scores(text, ())
        if not history:
            return combine(rules, alone, self.model.thresholds, alone=alone)
        # Context can make a message a crisis ("tonight's the night" after hopeless ones), but struggling is heard in
        # the message itself: a plain question after a hard message is still a plain question.
        read = higher(alone, self.model.scores(text, history))
        read = RiskScores(none=read.none, distress=alone.distress, crisis=read.crisis)
        return combine(rules, read, self.model.thresholds, alone=alone)
