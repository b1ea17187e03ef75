"""Benchmark: the production cluster (two gateways and two Rasa servers behind HAProxy, on PostgreSQL and Redis).

Starts the cluster of the production tests (tests/production/cluster.py), then runs the same load, N concurrent
conversations over the REST API, against one gateway directly and against both behind HAProxy, and prints
throughput and p95 side by side with their ratios. Then it measures the crisis reply while one gateway is killed
(kill -9) under HAProxy: how long the replies take, and how many requests the kill cost. Run with `make bench`;
it asserts nothing.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Run as a script: the project root is added first.
from bot.processes.training import ensure_model  # noqa: E402
from tests.production.cluster import Cluster, running_cluster  # noqa: E402

CONVERSATIONS = 16
TURNS = 6
MESSAGES = (
    "whats the difference between baby blues and pnd",
    "how do i refer myself to talking therapies",
    "what is cbt",
    "im so anxious all the time",
    "what happens at the assessment",
    "who should i talk to first",
)
CRISIS = "i want to end my life"


@dataclass
class Load:
    """What one run of the load measured."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, int(0.95 * len(ordered)) - 1)] if ordered else float("nan")


async def send(http: aiohttp.ClientSession, url: str, key: str, conversation: str, text: str) -> float:
    """One message through the REST API; its reply time in milliseconds (raises on anything but 200)."""
    started = time.perf_counter()
    async with http.post(
        f"{url}/api/v1/conversations/{conversation}/messages",
        json={"text": text},
        headers={"Authorization": f"Bearer {key}"},
        timeout=aiohttp.ClientTimeout(total=90),
    ) as response:
        response.raise_for_status()
        await response.read()
    return (time.perf_counter() - started) * 1000


async def load(url: str, key: str, label: str) -> Load:
    """CONVERSATIONS conversations at once, TURNS messages each, one after another within a conversation."""
    result = Load()
    run = uuid.uuid4().hex[:6]

    async def converse(http: aiohttp.ClientSession, number: int) -> None:
        for turn in range(TURNS):
            try:
                result.latencies.append(
                    await send(http, url, key, f"bench-{label}-{run}-{number}", MESSAGES[(number + turn) % 6])
                )
            except (aiohttp.ClientError, asyncio.TimeoutError):
                result.errors += 1

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONVERSATIONS)) as http:
        await send(http, url, key, f"bench-warm-{run}", "hello")
        started = time.perf_counter()
        await asyncio.gather(*(converse(http, n) for n in range(CONVERSATIONS)))
        result.seconds = time.perf_counter() - started
    return result


async def crisis_during_failover(cluster: Cluster) -> None:
    """Crisis messages through HAProxy from several conversations, while one gateway is killed with kill -9."""
    assert cluster.balancer is not None
    before: list[float] = []
    after: list[float] = []
    failed = 0
    killed_at: float | None = None
    stop = asyncio.Event()

    async def keep_sending(http: aiohttp.ClientSession, number: int) -> None:
        nonlocal failed
        while not stop.is_set():
            started = time.monotonic()
            try:
                took = await send(http, cluster.url, cluster.key, f"bench-crisis-{number}", CRISIS)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                failed += 1
                continue
            (after if killed_at is not None and started >= killed_at else before).append(took)
            await asyncio.sleep(0.05)

    # A new connection for each request, as many clients would: HAProxy chooses a gateway for each.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        senders = [asyncio.create_task(keep_sending(http, n)) for n in range(4)]
        await asyncio.sleep(5)
        killed_at = time.monotonic()
        await asyncio.to_thread(cluster.kill_gateway, "gateway-a")
        down = time.monotonic()
        await asyncio.to_thread(cluster.balancer.wait_for, "gateway-a", "DOWN")
        marked = time.monotonic() - down
        await asyncio.sleep(5)
        stop.set()
        await asyncio.gather(*senders)
    print("crisis replies through HAProxy while gateway A is killed (kill -9), 4 conversations sending at once:")
    for name, times in (("before the kill", before), ("after the kill ", after)):
        ordered = sorted(times) or [float("nan")]
        p95 = ordered[max(0, int(0.95 * len(ordered)) - 1)]
        print(
            f"  {name}: {len(times):4d} replies   p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"
            f"   max {ordered[-1]:7.1f} ms"
        )
    print(f"  requests that failed (inside gateway A when it died; HAProxy answered 502): {failed}")
    print(f"  HAProxy stopped checking gateway A {marked:.1f} s after the kill. Until then a new connection to it was")
    print("  refused and tried again on gateway B at once (retry-on conn-failure), which the max above includes.")


def main() -> None:
    ensure_model(ROOT, ROOT / "models", ROOT / ".venv-rasa" / "bin" / "rasa")
    with tempfile.TemporaryDirectory() as folder, running_cluster(Path(folder)) as cluster:
        direct = asyncio.run(load(cluster.gateway_urls[0], cluster.key, "direct"))
        balanced = asyncio.run(load(cluster.url, cluster.key, "haproxy"))
        print(f"{CONVERSATIONS} conversations at once, {TURNS} messages each, over the REST API (both Rasa servers):")
        print(f"  {'':28}{'throughput':>14}{'p95':>12}{'errors':>8}")
        for name, run in (("one gateway, directly", direct), ("two gateways behind HAProxy", balanced)):
            print(f"  {name:28}{run.throughput:10.1f} /s {run.p95:9.1f} ms{run.errors:8d}")
        print(
            f"  ratio, two behind HAProxy to one: throughput {balanced.throughput / direct.throughput:5.2f}x, "
            f"p95 {balanced.p95 / direct.p95:5.2f}x"
        )
        print(
            "  Both runs share this machine's cores with the two Rasa servers, which do most of the work, and\n"
            "  with PostgreSQL, Redis, HAProxy and this load: throughput cannot grow with a second gateway here,\n"
            "  Rasa is the limit. The p95 can move either way (two gateway processes spread their own work over\n"
            "  the cores; HAProxy adds a hop). On separate machines each gateway and Rasa server brings its own cores."
        )
        asyncio.run(crisis_during_failover(cluster))


if __name__ == "__main__":
    main()
