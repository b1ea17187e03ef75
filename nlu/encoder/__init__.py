"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, giving one 384-number vector per sentence.

The same base encoder the risk model was fine-tuned from (`nlu/risk/`), with its weights unchanged, exported by
`nlu/risk/training/export_encoder.py`. Rasa's intent classifier reads these vectors as dense sentence features
(`nlu.rasa_component.SentenceEncoderFeaturizer`), so that a question phrased in words the training examples never
used can still land near the examples that mean the same. Runs with onnxruntime, tokenizers and numpy only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent / "model"


class EncoderUnavailable(RuntimeError):
    """The encoder's files are missing, altered, or could not be loaded."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SentenceEncoder:
    """Text in, unit-length vectors out. Long texts are cut to the model's token limit, keeping their start."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        try:
            import numpy as np
            import onnxruntime as ort  # type: ignore[import-untyped]
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EncoderUnavailable(f"a library the encoder needs is not installed: {error.name}") from error
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            model_file = folder / str(meta["model_file"])
            if _sha256(model_file) != meta["sha256"]:
                raise EncoderUnavailable(f"{model_file.name} does not match the checksum in meta.json")
            self.dimensions = int(meta["dimensions"])
            self._limit = int(meta["max_tokens"])
            self._output = str(meta["output"])
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
            if cls is None or sep is None:
                raise EncoderUnavailable("tokenizer.json has no [CLS] or [SEP] token")
            options = ort.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        except (OSError, KeyError, ValueError) as error:
            raise EncoderUnavailable(f"the encoder could not be loaded: {type(error).__name__}: {error}") from error
        except EncoderUnavailable:
            raise
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
