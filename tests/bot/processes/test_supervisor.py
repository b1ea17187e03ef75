"""The supervisor starts processes, reports and restarts one that dies, and leaves no orphans."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
import yaml

from bot.answers.rasa_client import url_ok
from bot.processes.supervisor import (
    Service,
    Supervisor,
    build_services,
    lock_store_config,
    redact,
    tracker_store_config,
    write_endpoints,
)
from bot.settings import Settings
from tests.integration.stack import free_port


def http_service(name: str, port: int) -> Service:
    url = f"http://127.0.0.1:{port}/"
    return Service(
        name=name,
        argv=[sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        env=dict(os.environ),
        ready=lambda session: url_ok(session, url),
        startup_timeout=20,
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_process_that_dies_is_reported_by_name_and_restarted(tmp_path: Path) -> None:
    out = io.StringIO()
    service = http_service("web", free_port())
    supervisor = Supervisor([service], tmp_path, tmp_path / "logs", out=out)
    await supervisor.start(service)
    await supervisor.wait_ready(service)
    assert service.process is not None
    first_pid = service.process.pid
    os.killpg(first_pid, signal.SIGKILL)
    for _ in range(100):
        await asyncio.sleep(0.1)
        if service.process.pid != first_pid and "ready again" in out.getvalue():
            break
    assert "web stopped unexpectedly (killed by signal 9)" in out.getvalue()
    assert service.process.pid != first_pid
    await supervisor.stop_all()
    assert not alive(service.process.pid)


async def test_start_up_fails_clearly_when_a_process_exits_at_once(tmp_path: Path) -> None:
    service = Service(
        name="broken",
        argv=[sys.executable, "-c", "print('no model found'); raise SystemExit(3)"],
        env=dict(os.environ),
        ready=lambda session: asyncio.sleep(0, result=False),
        startup_timeout=20,
    )
    out = io.StringIO()
    supervisor = Supervisor(
        [service, http_service("b", free_port()), http_service("c", free_port())],
        tmp_path,
        tmp_path / "logs",
        out=out,
    )
    code = await supervisor.run(asyncio.Event(), "ready")
    assert code == 1
    assert "broken exited while starting" in out.getvalue()
    assert "no model found" in out.getvalue()
    for other in supervisor.services.values():
        assert other.process is None or other.process.returncode is not None


async def test_stop_all_ends_every_process_group(tmp_path: Path) -> None:
    services = [http_service(n, free_port()) for n in ("a", "b", "c")]
    supervisor = Supervisor(services, tmp_path, tmp_path / "logs", out=io.StringIO())
    stop = asyncio.Event()
    runner = asyncio.ensure_future(supervisor.run(stop, "ready"))
    async with aiohttp.ClientSession() as session:
        for _ in range(100):
            if all(s.process for s in services) and await services[2].ready(session):
                break
            await asyncio.sleep(0.1)
    pids = [s.process.pid for s in services if s.process]
    assert len(pids) == 3
    stop.set()
    assert await runner == 0
    assert not any(alive(pid) for pid in pids)


def test_endpoints_are_generated_from_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, actions_port=6055, lock_store_url="redis://127.0.0.1:6379/2")
    endpoints = yaml.safe_load(write_endpoints(settings).read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:6055/webhook"
    assert endpoints["tracker_store"]["dialect"] == "sqlite"
    assert endpoints["lock_store"] == {
        "type": "redis",
        "url": "127.0.0.1",
        "port": 6379,
        "db": 2,
        "key_prefix": "nightlight",
    }


def test_a_postgresql_tracker_store_url_becomes_rasa_settings(tmp_path: Path) -> None:
    config = tracker_store_config("postgresql://nl:secret@127.0.0.1:5432/nightlight", tmp_path)
    assert config == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "127.0.0.1",
        "port": 5432,
        "db": "nightlight",
        "username": "nl",
        "password": "secret",
    }


def test_no_lock_store_url_means_in_memory() -> None:
    assert lock_store_config("") is None


async def test_up_refuses_to_start_when_a_port_is_taken(tmp_path: Path) -> None:
    from bot.processes.supervisor import serve

    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        settings = Settings(port=port, data_dir=tmp_path)
        assert await serve(settings, tmp_path / "model.tar.gz", tmp_path / "rasa") == 1


@pytest.mark.parametrize(
    "line",
    [
        '2026 ERROR rasa.core.channels.rest - {"text": "i feel \\"awful\\"", "event": "rest.message.received.timeout"}',
        "{'text': 'i feel awful', 'intent': 'feeling_low'}",
        '{"message": "i feel awful"}',
    ],
)
def test_message_text_in_a_child_process_log_line_is_redacted(line: str) -> None:
    cleaned = redact(line)
    assert "awful" not in cleaned
    assert "[redacted]" in cleaned


def test_a_rasa_token_that_starts_with_a_dash_is_passed_as_one_argument(tmp_path: Path) -> None:
    settings = Settings(rasa_token="-starts-with-a-dash-0123456789", data_dir=tmp_path)
    rasa = next(
        s for s in build_services(settings, tmp_path / "model.tar.gz", tmp_path / "rasa", "key") if s.name == "rasa"
    )
    assert "--auth-token=-starts-with-a-dash-0123456789" in rasa.argv
    assert "-starts-with-a-dash-0123456789" not in rasa.argv
