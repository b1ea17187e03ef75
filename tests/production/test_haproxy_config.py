"""deploy/haproxy.cfg: HAProxy accepts it as written, with TLS, and on loopback it terminates TLS, sets the
X-Forwarded-* headers the gateways believe, redirects plain HTTP, and takes a gateway out only when it stops
answering."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.integration.stack import free_port
from tests.production.haproxy import CONFIG, Balancer, check, self_signed_certificate, start_balancer

pytestmark = pytest.mark.production


class QuietServer(ThreadingHTTPServer):
    """HAProxy's health checks close their connection without reading the whole answer; that is not an error."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class FakeGateway:
    """Answers /healthz with `health`, and anything else with the headers it was sent and its own name."""

    name: str
    health: int = 200
    seen: list[dict[str, str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/healthz":
                    status, body = gateway.health, b"{}"
                else:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    gateway.seen.append(headers)
                    status, body = 200, json.dumps({"gateway": gateway.name, "headers": headers}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


def test_haproxy_accepts_the_config_as_written_with_a_certificate_and_refuses_it_without(tmp_path: Path) -> None:
    pem = self_signed_certificate(tmp_path)
    gateways = {"NIGHTLIGHT_GATEWAY_A": "10.0.0.11:8080", "NIGHTLIGHT_GATEWAY_B": "10.0.0.12:8080"}
    valid = check(CONFIG, {"NIGHTLIGHT_TLS_CERT": str(pem), **gateways})
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "Configuration file is valid" in valid.stdout + valid.stderr
    missing = check(CONFIG, {"NIGHTLIGHT_TLS_CERT": str(tmp_path / "no-such.pem"), **gateways})
    assert missing.returncode != 0, "a missing certificate is refused"


def trusted(balancer: Balancer) -> str:
    """The throwaway certificate, for the client to check HAProxy's against."""
    return str(balancer.log.parent / "cert.pem")


@pytest.fixture
def gateways() -> Iterator[tuple[FakeGateway, FakeGateway]]:
    pair = (FakeGateway("a"), FakeGateway("b"))
    yield pair
    for gateway in pair:
        if gateway.server is not None:
            gateway.stop()


@pytest.fixture
def balancer(tmp_path: Path, gateways: tuple[FakeGateway, FakeGateway]) -> Iterator[Balancer]:
    addresses = (gateways[0].start(), gateways[1].start())
    running = start_balancer(tmp_path, free_port(), free_port(), addresses, self_signed_certificate(tmp_path))
    yield running
    running.stop()


def test_over_tls_the_gateways_are_told_the_scheme_host_and_address_and_a_client_cannot_forge_them(
    balancer: Balancer, gateways: tuple[FakeGateway, FakeGateway]
) -> None:
    balancer.wait_for("gateway-a", "UP")
    balancer.wait_for("gateway-b", "UP")
    answered = set()
    for _ in range(4):
        response = requests.get(
            f"{balancer.url}/widget/config",
            headers={"X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.example"},
            verify=trusted(balancer),
            timeout=10,
        )
        assert response.status_code == 200
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        body = response.json()
        answered.add(body["gateway"])
        headers = body["headers"]
        assert headers["x-forwarded-proto"] == "https"
        assert headers["x-forwarded-host"] == balancer.url.removeprefix("https://")
        assert headers["x-forwarded-for"].split(",")[-1].strip() == "127.0.0.1"
    assert answered == {"a", "b"}, "both gateways take requests"
    redirect = requests.get(f"{balancer.http_url}/console/", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301
    assert redirect.headers["Location"].startswith("https://")


def test_a_gateway_whose_rasa_is_down_stays_in_and_one_that_stops_answering_is_taken_out(
    balancer: Balancer, gateways: tuple[FakeGateway, FakeGateway]
) -> None:
    balancer.wait_for("gateway-a", "UP")
    gateways[0].health = 503  # no Rasa server answers it: it still gives crisis replies
    gateways[1].stop()
    gateways[1].server = None
    balancer.wait_for("gateway-b", "DOWN", seconds=15)
    assert balancer.servers()["gateway-a"]["status"] == "UP"
    for _ in range(3):
        response = requests.get(f"{balancer.url}/api/v1/openapi.json", verify=trusted(balancer), timeout=10)
        assert response.json()["gateway"] == "a"


def test_the_access_log_names_routes_but_never_a_conversation_id_or_a_query_string(
    balancer: Balancer, gateways: tuple[FakeGateway, FakeGateway]
) -> None:
    balancer.wait_for("gateway-a", "UP")
    for path in ("/api/v1/conversations/her-phone-07700900123/messages", "/widget/ws?tenant=default&x=private-query"):
        assert requests.get(f"{balancer.url}{path}", verify=trusted(balancer), timeout=10).status_code == 200
    deadline = time.monotonic() + 10
    while "/widget/ws" not in balancer.log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.1)
    log = balancer.log.read_text(encoding="utf-8")
    assert "GET /api/v1/conversations/*/messages" in log
    assert "GET /widget/ws" in log
    assert "07700900123" not in log
    assert "private-query" not in log
