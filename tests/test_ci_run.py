""".ci/run starts PostgreSQL and Redis when they are not running, leaves them alone when they are, and then runs
`make test` (here with stand-ins for the service commands and make, which record what they were asked)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from bot.settings import PROJECT_ROOT

# Each stand-in appends its name and arguments to calls.log; pg_isready and redis-cli answer "up" once the matching
# `service ... start` has run (or, with UP set, from the start).
STANDINS = {
    "pg_isready": 'echo "pg_isready $*" >> "$LOG"; [ -e "$STATE/postgresql" ]',
    "redis-cli": 'echo "redis-cli $*" >> "$LOG"; if [ -e "$STATE/redis-server" ]; then echo PONG; fi',
    "service": 'echo "service $*" >> "$LOG"; [ "$2" = start ] && touch "$STATE/$1"',
    "make": 'echo "make $*" >> "$LOG"',
}


def ci_run(tmp_path: Path, running: bool) -> list[str]:
    checkout = tmp_path / "checkout"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / ".ci" / "run", checkout / ".ci" / "run")
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    state.mkdir()
    if running:
        (state / "postgresql").touch()
        (state / "redis-server").touch()
    for name, body in STANDINS.items():
        path = bin_dir / name
        path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "calls.log"
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", LOG=str(log), STATE=str(state))
    result = subprocess.run(
        ["bash", str(checkout / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_ci_starts_postgresql_and_redis_when_they_are_down_then_runs_make_test(tmp_path: Path) -> None:
    calls = ci_run(tmp_path, running=False)
    assert "service postgresql start" in calls
    assert "service redis-server start" in calls
    assert calls[-1] == "make test"
    assert calls.index("service postgresql start") < calls.index("make test")


def test_ci_leaves_running_services_alone(tmp_path: Path) -> None:
    calls = ci_run(tmp_path, running=True)
    assert not [call for call in calls if call.startswith("service")]
    assert calls[-1] == "make test"
