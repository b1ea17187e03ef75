"""`nightlight rasa` and `nightlight actions`: each process on its own, as systemd runs them, made from the same
pieces as `nightlight up`."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import main
from bot.processes.supervisor import (
    Service,
    Supervisor,
    actions_service,
    build_services,
    gateway_service,
    rasa_service,
    write_endpoints,
)
from bot.settings import Settings


def test_rasa_on_its_own_listens_where_it_is_told_with_the_endpoints_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TICKET_LOCK_LIFETIME", raising=False)
    settings = Settings(
        data_dir=tmp_path,
        rasa_token="token-0123456789abcdef",
        tracker_store_url="postgresql://postgres@127.0.0.1:5432/tracker",
        lock_store_url="redis://:pw@127.0.0.1:6379/3",
    )
    service = rasa_service(
        settings, tmp_path / "m.tar.gz", tmp_path / "rasa", "token-0123456789abcdef", 5011, "10.0.0.5", "rasa-5011"
    )
    argv = service.argv
    assert argv[argv.index("--port") + 1] == "5011"
    assert argv[argv.index("--interface") + 1] == "10.0.0.5"
    assert "--enable-api" in argv and "--auth-token=token-0123456789abcdef" in argv
    assert service.name == "rasa-5011"
    assert not any(key.startswith("NIGHTLIGHT_") for key in service.env)
    assert service.env["TICKET_LOCK_LIFETIME"] == "20", "a dead server's lock lapses soon after the gateway gave up"
    endpoints = yaml.safe_load(Path(argv[argv.index("--endpoints") + 1]).read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["db"] == 3 and endpoints["lock_store"]["password"] == "pw"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".endpoints-")] == [], "no temporary file is left"


def test_up_is_made_of_the_same_three_pieces(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, rasa_token="token-0123456789abcdef")
    up = build_services(settings, tmp_path / "m.tar.gz", tmp_path / "rasa", "key-0123456789abcdef")
    assert [s.name for s in up] == ["actions", "rasa", "gateway"]
    alone = [
        actions_service(settings),
        rasa_service(settings, tmp_path / "m.tar.gz", tmp_path / "rasa", "token-0123456789abcdef"),
        gateway_service(settings, "token-0123456789abcdef", "key-0123456789abcdef"),
    ]
    assert [s.argv for s in up] == [s.argv for s in alone]


def test_the_gateway_up_starts_is_given_the_proxy_and_shared_store_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        trusted_proxies=("127.0.0.1/32",),
        public_url="https://chat.example.org",
        gateway_database_url="postgresql+psycopg://postgres@127.0.0.1:5432/gw",
        redis_url="redis://127.0.0.1:6379/4",
    )
    env = gateway_service(settings, "token-0123456789abcdef", "key-0123456789abcdef").env
    assert env["NIGHTLIGHT_GATEWAY_DATABASE_URL"] == "postgresql+psycopg://postgres@127.0.0.1:5432/gw"
    assert env["NIGHTLIGHT_REDIS_URL"] == "redis://127.0.0.1:6379/4"
    assert env["NIGHTLIGHT_TRUSTED_PROXIES"] == "127.0.0.1/32"
    assert env["NIGHTLIGHT_PUBLIC_URL"] == "https://chat.example.org"


def test_endpoints_written_by_two_servers_at_once_are_always_whole(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, lock_store_url="redis://127.0.0.1:6379/2")
    for _ in range(50):
        path = write_endpoints(settings)
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["lock_store"]["db"] == 2
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def rasa_cli(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    environment = {"NIGHTLIGHT_DATA_DIR": str(tmp_path), "NIGHTLIGHT_MODELS_DIR": str(tmp_path / "models"), **env}
    result = CliRunner().invoke(main, ["rasa", *args], env=environment)
    return result.exit_code, result.output


def test_rasa_on_its_own_needs_the_token_its_gateways_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIGHTLIGHT_RASA_TOKEN", raising=False)
    code, output = rasa_cli(tmp_path, "--port", "5011")
    assert code != 0
    assert "NIGHTLIGHT_RASA_TOKEN" in output


def test_rasa_on_its_own_never_trains_and_says_what_to_do_without_a_model(tmp_path: Path) -> None:
    code, output = rasa_cli(tmp_path, NIGHTLIGHT_RASA_TOKEN="token-0123456789abcdef")
    assert code != 0
    assert "nightlight train" in output
    assert not (tmp_path / "models").exists()


async def test_a_process_run_on_its_own_exits_when_its_child_dies_instead_of_restarting_it(tmp_path: Path) -> None:
    marker = tmp_path / "started"
    service = Service(
        name="alone",
        argv=[sys.executable, "-c", f"open({str(marker)!r}, 'a').write('x'); import time; time.sleep(2)"],
        env=dict(os.environ),
        ready=lambda session: asyncio.sleep(0, result=marker.exists()),
        startup_timeout=20,
    )
    out = io.StringIO()
    supervisor = Supervisor([service], tmp_path, tmp_path / "logs", out=out, max_restarts=0)
    code = await asyncio.wait_for(supervisor.run(asyncio.Event(), "ready"), 30)
    assert code == 1
    assert marker.read_text() == "x", "started once, never restarted"
    assert "alone stopped (exit status 0)" in out.getvalue()
