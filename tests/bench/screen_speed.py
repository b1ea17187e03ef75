"""Benchmark: how long the safety screen takes per message, against a trivial pass over the same texts; then the
screen with the risk model (rules, model and combining, on one core), and the memory the model adds.

Run with `make bench`. Prints times and ratios measured in this one run; asserts nothing.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlu import screen as screen_module  # noqa: E402
from tests.safety.report import load_messages  # noqa: E402

BUDGET_US = 1000.0


def timed(call: Callable[[str], object], texts: list[str]) -> list[float]:
    """Microseconds per call."""
    times = []
    for text in texts:
        started = time.perf_counter()
        call(text)
        times.append((time.perf_counter() - started) * 1e6)
    return times


def main() -> None:
    texts = [m.text for name in ("crisis.yml", "distress.yml", "negatives.yml") for m in load_messages(name)]
    # Unique texts each round, so the screen's small cache of recent messages cannot flatter it.
    rounds = 5
    varied = [f"{text} ({r})" for r in range(rounds) for text in texts]
    screen_module.screen("warm up")
    screen_times = timed(screen_module.screen, varied)
    baseline_times = timed(lambda t: t.lower().split(), varied)
    p50, p95 = statistics.median(screen_times), statistics.quantiles(screen_times, n=20)[18]
    mean, base = statistics.fmean(screen_times), statistics.fmean(baseline_times)
    print(f"safety screen over {len(varied)} messages ({len(texts)} development-set texts x {rounds})")
    print(f"  mean {mean:8.1f} us   p50 {p50:8.1f} us   p95 {p95:8.1f} us   max {max(screen_times):8.1f} us")
    print(f"  ratio to a lower()+split() pass over the same texts: {mean / base:6.1f}x")
    print(f"  ratio of the mean to the 1 ms budget:                {mean / BUDGET_US:6.2f}")
    with_model(varied, screen_times)


def with_model(varied: list[str], rules_times: list[float]) -> None:
    """The rules and the risk model together, as the gateway screens a message (one thread)."""
    from nlu.risk import load_risk_layer

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    risk, status = load_risk_layer()
    if risk is None:
        print(f"risk model not loaded ({status}): no figures for the screen with the model")
        return
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    texts = varied[: len(varied) // 5]
    for text in texts[:20]:
        risk.screen(screen_module.screen(text), text, ())  # warm up
    fresh = [f"{text} [{i}]" for i, text in enumerate(texts)]  # not in the model's cache
    times = timed(lambda t: risk.screen(screen_module.screen(t), t, ()), fresh)
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
    print(f"screen with the risk model ({risk.name}) over {len(fresh)} messages, one thread")
    print(f"  p50 {p50 / 1000:6.1f} ms   p95 {p95 / 1000:6.1f} ms   max {max(times) / 1000:6.1f} ms")
    print(f"  ratio of p95 to the 30 ms budget: {p95 / 30_000:5.2f}")
    print(f"  ratio to the rules alone (p50):   {p50 / statistics.median(rules_times):5.0f}x")
    print(f"  peak memory grew by {grown_mb:.0f} MB while loading the model (budget 300 MB)")


if __name__ == "__main__":
    main()
