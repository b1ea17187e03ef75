#!/usr/bin/env python3
"""Metrics on out-of-fold probabilities ($NIGHTLIGHT_TRAIN_DIR/oof.jsonl) -> eval.json and a markdown summary on stdout.

Argmax metrics, per held-out author / singles / turns / overall:
  crisis_recall    argmax == crisis            among crisis items
  crisis_caught    argmax in {crisis,distress} among crisis items
  distress_recall  argmax in {distress,crisis} among distress items
  false_crisis     argmax == crisis            among none items
  none_flagged     argmax != none              among none items
Threshold rules on p_crisis (chosen on the SAME out-of-fold data -> optimistic):
  t_crisis: smallest t with P(p_crisis >= t | none) <= 5%; crisis recall = P(p_crisis >= t | crisis)
  ask band [t_ask, t_crisis): "crisis-or-ask" = P(p_crisis >= t_ask | crisis); "ask on none" =
  P(t_ask <= p_crisis < t_crisis | none). Targets: crisis-or-ask >= 97%, ask on none <= 8%.
"""

import json
import os
import sys

import numpy as np
from featurize import WORK

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(WORK, "oof.jsonl")
rows = [json.loads(l) for l in open(path, encoding="utf-8")]
LAB = ["none", "distress", "crisis"]
y = np.array([LAB.index(r["level"]) for r in rows])
P = np.array([[r["p_none"], r["p_distress"], r["p_crisis"]] for r in rows])
pc = P[:, 2]
am = P.argmax(1)
authors = np.array([r["author"] for r in rows])
kinds = np.array([r["kind"] for r in rows])
AUTH = sorted(set(authors))
N, D, C = 0, 1, 2


def frac(mask, cond):
    """The share of the items in `mask` for which `cond` holds; NaN when `mask` is empty."""
    return float(cond[mask].mean()) if mask.sum() else float("nan")


def argmax_metrics(m):
    """Counts and argmax metrics (see the module doc) for the items in mask `m`."""
    return {
        "n": int(m.sum()),
        "n_crisis": int((m & (y == C)).sum()),
        "n_none": int((m & (y == N)).sum()),
        "acc": frac(m, am == y),
        "crisis_recall": frac(m & (y == C), am == C),
        "crisis_caught": frac(m & (y == C), am != N),
        "distress_recall": frac(m & (y == D), am != N),
        "false_crisis": frac(m & (y == N), am == C),
        "none_flagged": frac(m & (y == N), am != N),
    }


def thr_metrics(m, tc, ta):
    """Threshold metrics for the items in mask `m`, with t_crisis `tc` and t_ask `ta` (see the module doc)."""
    return {
        "crisis_recall_at_tc": frac(m & (y == C), pc >= tc),
        "false_crisis_at_tc": frac(m & (y == N), pc >= tc),
        "crisis_or_ask": frac(m & (y == C), pc >= ta),
        "ask_on_none": frac(m & (y == N), (pc >= ta) & (pc < tc)),
        "none_flagged_ask_or_crisis": frac(m & (y == N), pc >= ta),
        "distress_ask_or_crisis": frac(m & (y == D), pc >= ta),
    }


ALL = np.ones(len(y), bool)
groups = {"overall": ALL, "singles": kinds == "single", "turns": kinds == "turn"}
groups.update({a: authors == a for a in AUTH})
res = {"n": len(rows), "argmax": {g: argmax_metrics(m) for g, m in groups.items()}}

# t_crisis: smallest threshold with false crisis <= 5% on none (overall, pooled OOF)
none_p = np.sort(pc[y == N])
cands = np.unique(np.concatenate([pc, [1.0 + 1e-9]]))
tc = next(t for t in cands if (none_p >= t).mean() <= 0.05)
# ask band, t_crisis fixed: largest t_ask giving crisis-or-ask >= 97%
crisis_p = np.sort(pc[y == C])
k = int(np.floor(0.03 * len(crisis_p)))  # may miss at most k crisis items
ta97 = float(crisis_p[k]) if k < len(crisis_p) else 0.0
ta97 = min(ta97, tc)
# the t_ask that keeps ask-on-none <= 8%
ta8 = next((t for t in cands[::-1] if t <= tc and ((none_p >= t) & (none_p < tc)).mean() > 0.08), None)
ta8 = float(cands[np.searchsorted(cands, ta8) + 1]) if ta8 is not None else 0.0

# whole trade-off curve: for t_crisis in a grid, t_ask achieving 97% and its ask-on-none, and the
# best crisis-or-ask with ask-on-none <= 8%
curve = []
for q in [0.02, 0.03, 0.05, 0.08, 0.10]:
    t = next(t for t in cands if (none_p >= t).mean() <= q)
    a97 = min(float(crisis_p[k]), t)
    ta_ok = [x for x in cands if x <= t and ((none_p >= x) & (none_p < t)).mean() <= 0.08]
    a8 = float(min(ta_ok)) if ta_ok else float(t)
    curve.append(
        {
            "false_crisis_target": q,
            "t_crisis": float(t),
            "crisis_recall_at_tc": float((crisis_p >= t).mean()),
            "t_ask_for_97": a97,
            "ask_on_none_at_97": float(((none_p >= a97) & (none_p < t)).mean()),
            "t_ask_for_ask8": a8,
            "crisis_or_ask_at_ask8": float((crisis_p >= a8).mean()),
        }
    )

res["thresholds"] = {
    "t_crisis": float(tc),
    "t_ask_97": float(ta97),
    "t_ask_ask8": float(ta8),
    "at_97": {g: thr_metrics(m, tc, ta97) for g, m in groups.items()},
    "at_ask8": {g: thr_metrics(m, tc, ta8) for g, m in groups.items()},
    "curve": curve,
}
# per-author worst cases
for key in ("at_97", "at_ask8"):
    d = res["thresholds"][key]
    res["thresholds"][key + "_worst"] = {
        "crisis_recall_at_tc": min((d[a]["crisis_recall_at_tc"], a) for a in AUTH),
        "false_crisis_at_tc": max((d[a]["false_crisis_at_tc"], a) for a in AUTH),
        "crisis_or_ask": min((d[a]["crisis_or_ask"], a) for a in AUTH),
        "ask_on_none": max((d[a]["ask_on_none"], a) for a in AUTH),
    }

# a per-author threshold view: if t_crisis were chosen inside each held-out author (even more optimistic)
json.dump(res, open(os.path.join(WORK, "eval.json"), "w"), indent=1)


def pct(x):
    """A fraction as a percentage with one decimal, or a dash for NaN."""
    return "—" if x != x else f"{100 * x:.1f}"


print(f"OOF rows: {len(rows)}\n")
print("| group | n | acc | crisis recall | crisis caught | distress recall | false crisis | none flagged |")
print("|---|---|---|---|---|---|---|---|")
for g, m in res["argmax"].items():
    print(
        f"| {g} | {m['n']} | {pct(m['acc'])} | {pct(m['crisis_recall'])} | {pct(m['crisis_caught'])} | "
        f"{pct(m['distress_recall'])} | {pct(m['false_crisis'])} | {pct(m['none_flagged'])} |"
    )
t = res["thresholds"]
for key, ta in (("at_97", t["t_ask_97"]), ("at_ask8", t["t_ask_ask8"])):
    print(f"\nt_crisis = {t['t_crisis']:.4f}, t_ask = {ta:.4f} ({key})\n")
    print(
        "| group | crisis recall @t_crisis | false crisis @t_crisis | crisis-or-ask | ask on none | "
        "none ask-or-crisis | distress ask-or-crisis |"
    )
    print("|---|---|---|---|---|---|---|")
    for g, m in t[key].items():
        print(
            f"| {g} | {pct(m['crisis_recall_at_tc'])} | {pct(m['false_crisis_at_tc'])} | "
            f"{pct(m['crisis_or_ask'])} | {pct(m['ask_on_none'])} | {pct(m['none_flagged_ask_or_crisis'])} | "
            f"{pct(m['distress_ask_or_crisis'])} |"
        )
    print("\nworst author:", {k: (pct(v[0]), v[1]) for k, v in t[key + "_worst"].items()})
print("\ntrade-off curve (pooled OOF):\n")
print(
    "| false-crisis target | t_crisis | crisis recall | t_ask for 97% | ask on none there | "
    "t_ask for ask<=8% | crisis-or-ask there |"
)
print("|---|---|---|---|---|---|---|")
for c in curve:
    print(
        f"| {pct(c['false_crisis_target'])} | {c['t_crisis']:.4f} | {pct(c['crisis_recall_at_tc'])} | "
        f"{c['t_ask_for_97']:.4f} | {pct(c['ask_on_none_at_97'])} | {c['t_ask_for_ask8']:.4f} | "
        f"{pct(c['crisis_or_ask_at_ask8'])} |"
    )

# ---- extra (not in the brief's definition): ask band on s = p_crisis + p_distress = 1 - p_none, crisis
# still decided by p_crisis >= t_crisis. Same optimism caveat.
s = P[:, 1] + P[:, 2]
tcf = t["t_crisis"]
miss = (y == C) & (pc < tcf)  # crisis items not flagged crisis
cands_s = np.unique(s)


def alt(ta):
    """Crisis-or-ask and ask-on-none over all items, asking where s >= `ta` (crisis still p_crisis >= t_crisis)."""
    return {
        "crisis_or_ask": float(((y == C) & ((pc >= tcf) | (s >= ta))).sum() / (y == C).sum()),
        "ask_on_none": float(((y == N) & (pc < tcf) & (s >= ta)).sum() / (y == N).sum()),
    }


ok97 = [x for x in cands_s if alt(x)["crisis_or_ask"] >= 0.97]
ta_s97 = float(max(ok97)) if ok97 else 0.0
ok8 = [x for x in cands_s if alt(x)["ask_on_none"] <= 0.08]
ta_s8 = float(min(ok8)) if ok8 else 1.0
res["alt_ask_on_1_minus_p_none"] = {
    "t_ask_97": ta_s97,
    "at_97": {
        a: {
            "crisis_or_ask": frac(groups[a] & (y == C), (pc >= tcf) | (s >= ta_s97)),
            "ask_on_none": frac(groups[a] & (y == N), (pc < tcf) & (s >= ta_s97)),
        }
        for a in groups
    },
    "t_ask_ask8": ta_s8,
    "at_ask8": {
        a: {
            "crisis_or_ask": frac(groups[a] & (y == C), (pc >= tcf) | (s >= ta_s8)),
            "ask_on_none": frac(groups[a] & (y == N), (pc < tcf) & (s >= ta_s8)),
        }
        for a in groups
    },
}
json.dump(res, open(os.path.join(WORK, "eval.json"), "w"), indent=1)
print("\nextra: ask band on s = 1 - p_none (crisis still p_crisis >= t_crisis)\n")
print("| group | crisis-or-ask @97 rule | ask on none @97 rule | crisis-or-ask @ask8 rule | ask on none @ask8 rule |")
print("|---|---|---|---|---|")
r = res["alt_ask_on_1_minus_p_none"]
print(f"| t_ask | {ta_s97:.4f} | | {ta_s8:.4f} | |")
for g in groups:
    print(
        f"| {g} | {pct(r['at_97'][g]['crisis_or_ask'])} | {pct(r['at_97'][g]['ask_on_none'])} | "
        f"{pct(r['at_ask8'][g]['crisis_or_ask'])} | {pct(r['at_ask8'][g]['ask_on_none'])} |"
    )
