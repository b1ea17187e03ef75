"""Start the real stack (`nightlight up`: gateway, Rasa and the action server) on free ports, for tests."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from bot.conversation import pseudonym
from bot.settings import PROJECT_ROOT

NIGHTLIGHT = PROJECT_ROOT / ".venv" / "bin" / "nightlight"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    process: subprocess.Popen[bytes]
    url: str
    rasa_url: str
    key: str
    rasa_token: str
    data_dir: Path
    output: Path

    def pid(self, name: str) -> int:
        return int((self.data_dir / "logs" / f"{name}.pid").read_text(encoding="utf-8"))

    def healthy(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=3).status_code == 200
        except requests.RequestException:
            return False

    def wait_healthy(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nightlight up exited:\n{self.output.read_text()[-4000:]}")
            if self.healthy():
                return
            time.sleep(1)
        raise AssertionError(f"not healthy after {seconds} s:\n{self.output.read_text()[-4000:]}")


class Chat:
    """One mother's conversation through the REST API."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.id = f"test-{uuid.uuid4().hex}"

    @property
    def sender(self) -> str:
        return f"api-{pseudonym(self.stack.key)[:8]}-{self.id}"

    def send(self, text: str | None = None, payload: str | None = None, timeout: float = 60) -> dict[str, Any]:
        body = {"text": text} if text is not None else {"payload": payload}
        response = requests.post(
            f"{self.stack.url}/api/v1/conversations/{self.id}/messages",
            json=body,
            headers={"Authorization": f"Bearer {self.stack.key}"},
            timeout=timeout,
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def tracker(self) -> dict[str, Any]:
        response = requests.get(
            f"{self.stack.rasa_url}/conversations/{self.sender}/tracker",
            params={"token": self.stack.rasa_token},
            timeout=10,
        )
        data: dict[str, Any] = response.json()
        return data


@contextmanager
def running_stack(data_dir: Path, extra_env: Mapping[str, str] | None = None) -> Iterator[Stack]:
    """`nightlight up` on free ports with its state in `data_dir`; stopped with Ctrl-C (SIGINT) afterwards."""
    port, rasa_port, actions_port = free_port(), free_port(), free_port()
    key, token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    env = dict(
        os.environ,
        NIGHTLIGHT_PORT=str(port),
        NIGHTLIGHT_RASA_URL=f"http://127.0.0.1:{rasa_port}",
        NIGHTLIGHT_ACTIONS_PORT=str(actions_port),
        NIGHTLIGHT_DATA_DIR=str(data_dir),
        NIGHTLIGHT_API_KEYS=key,
        NIGHTLIGHT_RASA_TOKEN=token,
        NIGHTLIGHT_RASA_TIMEOUT="8",
        NIGHTLIGHT_TRACKER_STORE_URL=f"sqlite:///{data_dir}/tracker.db",
        NIGHTLIGHT_DATABASE_URL=f"sqlite:///{data_dir}/directory.db",
        **(extra_env or {}),
    )
    output = data_dir / "up.log"
    with output.open("wb") as out:
        process = subprocess.Popen([str(NIGHTLIGHT), "up"], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out)
    running = Stack(process, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{rasa_port}", key, token, data_dir, output)
    try:
        running.wait_healthy(300)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
