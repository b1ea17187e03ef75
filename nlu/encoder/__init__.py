"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, giving one 384-number vector per sentence.

The same base encoder the risk model was fine-tuned from (`nlu/risk/`), with its weights unchanged, exported by
`nlu/risk/training/export_encoder.py`. Rasa's intent classifier reads these vectors as dense sentence features
(`nlu.rasa_component.SentenceEncoderFeaturizer`), so that a question phrased in words the training examples never
used can still land near the examples that mean the same. Runs with onnxruntime, tokenizers and numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlu.onnx_files import ModelFileError, checked_meta, one_thread_session, wordpiece

MODEL_DIR = Path(__file__).resolve().parent / "model"


class EncoderUnavailable(RuntimeError):
    """The encoder's files are missing, altered, or could not be loaded."""


class SentenceEncoder:
    """Text in, unit-length vectors out. Long texts are cut to the model's token limit, keeping their start."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        try:
            import numpy as np
            import onnxruntime  # type: ignore[import-untyped]  # noqa: F401
            import tokenizers  # noqa: F401
        except ImportError as error:
            raise EncoderUnavailable(f"a library the encoder needs is not installed: {error.name}") from error
        try:
            meta, model_file = checked_meta(folder)
            self.dimensions = int(meta["dimensions"])
            self._limit = int(meta["max_tokens"])
            self._output = str(meta["output"])
            tokenizer, cls, sep = wordpiece(folder / "tokenizer.json")
            self._session = one_thread_session(model_file)
        except ModelFileError as error:
            raise EncoderUnavailable(str(error)) from error
        except (OSError, KeyError, ValueError) as error:
            raise EncoderUnavailable(f"the encoder could not be loaded: {type(error).__name__}: {error}") from error
        except Exception as error:  # onnxruntime's own load errors have no common base class
            raise EncoderUnavailable(f"the encoder could not be loaded: {type(error).__name__}") from error
        self._tokenizer, self._cls, self._sep, self._np = tokenizer, cls, sep, np
        self.name = f"sentence encoder {meta['sha256'][:12]}"

    def _ids(self, text: str) -> list[int]:
        ids = list(self._tokenizer.encode(text, add_special_tokens=False).ids)
        return [self._cls, *ids[: self._limit - 2], self._sep]

    def encode(self, texts: Sequence[str]) -> Any:
        """A float32 array of shape (len(texts), dimensions), one unit-length row per text.

        One text at a time: the int8 graph scales its activations over the whole input, so padding a batch would
        change a text's vector, and Rasa must see the same vector when it trains as when it serves."""
        np = self._np
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = np.array([self._ids(text)], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            (vector,) = self._session.run([self._output], feeds)
            rows[row] = np.asarray(vector, dtype=np.float32)[0]
        return rows
