"""Loading a shipped ONNX model safely: its checksum, its WordPiece tokenizer and a one-thread session.

Shared by the risk model (`nlu/risk/`) and the sentence encoder (`nlu/encoder/`). Each loader turns any failure
into its own "unavailable" error; these helpers raise `ModelFileError` with a plain reason.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


class ModelFileError(ValueError):
    """A model's files are missing, altered or unreadable."""


def sha256_of(path: Path) -> str:
    """The file's SHA-256 hex digest, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_meta(folder: Path) -> tuple[dict[str, Any], Path]:
    """meta.json and the model file it names, which must match the checksum it gives."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    model_file = folder / str(meta["model_file"])
    if sha256_of(model_file) != meta["sha256"]:
        raise ModelFileError(f"{model_file.name} does not match the checksum in meta.json")
    return meta, model_file


def wordpiece(path: Path) -> tuple[Any, int, int]:
    """The tokenizer, with no truncation or padding of its own, and its [CLS] and [SEP] ids."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls is None or sep is None:
        raise ModelFileError(f"{path.name} has no [CLS] or [SEP] token")
    return tokenizer, cls, sep


def one_thread_session(model_file: Path) -> Any:
    """An onnxruntime session on one CPU thread: a message is read in a few milliseconds, and two cores are shared."""
    import onnxruntime as ort  # type: ignore[import-untyped]

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
