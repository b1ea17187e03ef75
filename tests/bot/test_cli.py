"""`nightlight api-key` and `nightlight ask` find the REST API key the same way, whether it comes from the
environment, a file named there, or the one `make run` keeps in the data folder."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

KEY = "configured-key-0123456789"


def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    environment = {"NIGHTLIGHT_DATA_DIR": str(tmp_path), "NIGHTLIGHT_API_KEYS": "", **env}
    result = CliRunner().invoke(main, list(args), env=environment)
    return result.exit_code, result.output


def test_the_key_comes_from_the_environment_when_it_is_set(tmp_path: Path) -> None:
    (tmp_path / "api-key").write_text("the-local-key-0123456789\n", encoding="utf-8")
    assert run(tmp_path, "api-key", NIGHTLIGHT_API_KEYS=f"{KEY},another-key-0123456789") == (0, f"{KEY}\n")
    secret = tmp_path / "keys"
    secret.write_text(KEY, encoding="utf-8")
    assert run(tmp_path, "api-key", NIGHTLIGHT_API_KEYS_FILE=str(secret)) == (0, f"{KEY}\n")


def test_otherwise_the_key_is_the_one_make_run_keeps(tmp_path: Path) -> None:
    (tmp_path / "api-key").write_text("the-local-key-0123456789\n", encoding="utf-8")
    assert run(tmp_path, "api-key") == (0, "the-local-key-0123456789\n")


def test_with_no_key_anywhere_it_says_what_to_do_and_makes_none(tmp_path: Path) -> None:
    code, output = run(tmp_path, "api-key")
    assert code != 0
    assert "NIGHTLIGHT_API_KEYS" in output and "make run" in output
    assert not (tmp_path / "api-key").exists()


@pytest.fixture
def gateway() -> Iterator[tuple[str, list[str]]]:
    """A stand-in gateway that records the Authorization header of each request."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = json.dumps({"messages": [{"text": "Hello from the gateway."}], "safety": {}, "handoff": None})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_ask_sends_the_key_from_the_environment_without_a_local_key_file(
    tmp_path: Path, gateway: tuple[str, list[str]]
) -> None:
    url, seen = gateway
    code, output = run(tmp_path, "ask", "hello", "--url", url, NIGHTLIGHT_API_KEYS=KEY)
    assert code == 0, output
    assert "Hello from the gateway." in output
    assert seen == [f"Bearer {KEY}"]
    assert not (tmp_path / "api-key").exists()


def test_screen_reads_one_message_a_line_and_writes_one_json_verdict_a_line(tmp_path: Path) -> None:
    lines = ["i want to kill myself", "cant stop crying", "what time is the baby group on tuesday", ""]
    env = {"NIGHTLIGHT_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["screen"], input="\n".join(lines) + "\n", env=env)
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert verdicts == [
        {"level": "crisis", "categories": ["suicidal"], "ask": False},
        {"level": "distress", "categories": ["distress"], "ask": False},
        {"level": "none", "categories": [], "ask": False},
        {"level": "none", "categories": [], "ask": False},
    ], "one verdict for each line, an empty one included"
