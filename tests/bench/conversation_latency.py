"""Benchmark: reply time on turn 1 against turn 50 of one conversation, through the real stack.

Starts `nightlight up` on free ports (training first if needed), holds a long conversation through the REST API,
and prints latency percentiles for the first and last ten turns and their ratio, the gateway's own crisis
reply (no Rasa) against a Rasa answer, and the crisis reply with Rasa frozen by SIGSTOP. Run with `make bench`;
it asserts nothing.
"""

from __future__ import annotations

import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.integration.stack import free_port  # noqa: E402  (run as a script: the project root is added first)

TURNS = 50
MESSAGES = [
    "whats the difference between baby blues and pnd",
    "how do i refer myself to talking therapies",
    "can i bring my baby to sessions",
    "what is cbt",
    "thanks",
    "im so anxious all the time",
    "what happens at the assessment",
    "who should i talk to first",
]


def frozen_crisis_replies(send: Callable[[str, str], float], data_dir: str) -> None:
    """Crisis replies with Rasa frozen (SIGSTOP: its port accepts, nothing answers), in conversations Rasa has
    already answered, so the gateway would have something to tell it."""
    found = subprocess.run(["pgrep", "-f", f"{data_dir}/endpoints.yml"], capture_output=True, text=True, check=False)
    pids = [int(pid) for pid in found.stdout.split()]
    if not pids:
        print("  (Rasa's process was not found; the frozen-Rasa figure is skipped)")
        return
    for i in range(20):
        send(f"bench-frozen-{i}", "what is cbt")
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        frozen = sorted(send(f"bench-frozen-{i}", "i want to end my life") for i in range(20))
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    p95 = frozen[int(0.95 * len(frozen)) - 1]
    print("  crisis reply with Rasa frozen (SIGSTOP), 20 conversations Rasa had answered before:")
    print(f"    p50 {statistics.median(frozen):7.1f} ms   p95 {p95:7.1f} ms   max {frozen[-1]:7.1f} ms")
    print(f"    ratio of p95 to the 100 ms budget: {p95 / 100:5.2f}")


def main() -> None:
    port = free_port()
    key = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(
            os.environ,
            NIGHTLIGHT_PORT=str(port),
            NIGHTLIGHT_RASA_URL=f"http://127.0.0.1:{free_port()}",
            NIGHTLIGHT_ACTIONS_PORT=str(free_port()),
            NIGHTLIGHT_DATA_DIR=data_dir,
            NIGHTLIGHT_API_KEYS=key,
            NIGHTLIGHT_DATABASE_URL=f"sqlite:///{data_dir}/directory.db",
        )
        log = Path(data_dir) / "up.log"
        with log.open("wb") as out:
            up = subprocess.Popen([str(ROOT / ".venv/bin/nightlight"), "up"], cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"{url}/healthz", timeout=3).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if up.poll() is not None:
                    sys.exit(f"nightlight up exited:\n{log.read_text()[-3000:]}")
                time.sleep(1)

            def send(conversation: str, text: str) -> float:
                started = time.perf_counter()
                response = requests.post(
                    f"{url}/api/v1/conversations/{conversation}/messages",
                    json={"text": text},
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=60,
                )
                response.raise_for_status()
                return (time.perf_counter() - started) * 1000

            send("warm-up", "hello")
            conversation = f"bench-{secrets.token_hex(4)}"
            times = [send(conversation, MESSAGES[i % len(MESSAGES)]) for i in range(TURNS)]
            first, last = times[:10], times[-10:]
            print(f"one conversation of {TURNS} turns through gateway -> Rasa -> actions")
            print(f"  turns 1-10:  p50 {statistics.median(first):7.1f} ms   max {max(first):7.1f} ms")
            print(f"  turns 41-50: p50 {statistics.median(last):7.1f} ms   max {max(last):7.1f} ms")
            print(f"  ratio of p50, last ten to first ten: {statistics.median(last) / statistics.median(first):5.2f}")
            crisis = [send(f"bench-crisis-{i}", "i want to end my life") for i in range(10)]
            rasa = [send(f"bench-rasa-{i}", "what is cbt") for i in range(10)]
            print(f"  crisis reply from the gateway alone: p50 {statistics.median(crisis):7.1f} ms")
            print(f"  answer through Rasa:                 p50 {statistics.median(rasa):7.1f} ms")
            print(f"  ratio, Rasa answer to crisis reply:  {statistics.median(rasa) / statistics.median(crisis):5.1f}x")
            frozen_crisis_replies(send, data_dir)
        finally:
            up.send_signal(signal.SIGINT)
            up.wait(60)


if __name__ == "__main__":
    main()
