"""The production configuration: Rasa's tracker store on PostgreSQL, its lock store on Redis, the directory on
PostgreSQL, with a real conversation through the gateway."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

from bot.conversation import pseudonym
from bot.settings import PROJECT_ROOT
from tests.integration.stack import NIGHTLIGHT, free_port

pytestmark = pytest.mark.stack

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Our own virtualenv has no Redis client; Rasa's has one, so ask Redis through it.
REDIS_WRITES = (
    "import redis; s = redis.Redis().info('commandstats'); "
    "print(sum(v['calls'] for k, v in s.items() if k in ('cmdstat_set', 'cmdstat_del', 'cmdstat_setex')))"
)


def redis_writes() -> int:
    """How many SET and DEL commands Redis has served so far."""
    python = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
    result = subprocess.run([str(python), "-c", REDIS_WRITES], capture_output=True, text=True, check=True, timeout=60)
    return int(result.stdout.strip() or 0)


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL databases (tracker store, directory), dropped afterwards."""
    names = (f"nl_tracker_{uuid.uuid4().hex[:8]}", f"nl_directory_{uuid.uuid4().hex[:8]}")
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_conversation_is_kept_in_postgresql_with_redis_locks(
    trained_model: Path, databases: tuple[str, str], tmp_path: Path
) -> None:
    tracker_db, directory_db = databases
    port, key = free_port(), secrets.token_urlsafe(24)
    redis_db = 7
    env = dict(
        os.environ,
        NIGHTLIGHT_PORT=str(port),
        NIGHTLIGHT_RASA_URL=f"http://127.0.0.1:{free_port()}",
        NIGHTLIGHT_ACTIONS_PORT=str(free_port()),
        NIGHTLIGHT_DATA_DIR=str(tmp_path),
        NIGHTLIGHT_API_KEYS=key,
        NIGHTLIGHT_TRACKER_STORE_URL=f"postgresql://postgres@127.0.0.1:5432/{tracker_db}",
        NIGHTLIGHT_LOCK_STORE_URL=f"redis://127.0.0.1:6379/{redis_db}",
        NIGHTLIGHT_DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:5432/{directory_db}",
    )
    output = tmp_path / "up.log"
    with output.open("wb") as out:
        up = subprocess.Popen([str(NIGHTLIGHT), "up"], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert up.poll() is None, output.read_text()[-4000:]
            try:
                if requests.get(f"{url}/healthz", timeout=3).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            raise AssertionError(output.read_text()[-4000:])
        writes_before = redis_writes()
        conversation = f"pg-{uuid.uuid4().hex}"
        for text in ("hello", "what is cbt"):
            response = requests.post(
                f"{url}/api/v1/conversations/{conversation}/messages",
                json={"text": text},
                headers={"Authorization": f"Bearer {key}"},
                timeout=60,
            )
            assert response.status_code == 200
            assert response.json()["messages"][0]["kind"] == "answer"
        sender = f"api-{pseudonym(key)[:8]}-{conversation}"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{tracker_db}") as tracker:
            said = [
                row[0]
                for row in tracker.execute(
                    "SELECT data::json->>'text' FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
                    (sender,),
                )
            ]
        assert said == ["hello", "what is cbt"]
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{directory_db}") as directory:
            services = directory.execute("SELECT count(*) FROM service").fetchone()
        assert services is not None and services[0] > 0, "the sample directory was loaded into PostgreSQL"
        assert "type: redis" in (tmp_path / "endpoints.yml").read_text()
        assert redis_writes() > writes_before, "Rasa took its conversation locks in Redis"
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(60)
