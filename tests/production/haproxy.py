"""HAProxy for the tests: the project's deploy/haproxy.cfg, checked as it is and run on loopback ports."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
MISSING = "HAProxy is not installed: `make test` installs Debian's haproxy (apt-get install haproxy)."

# The lines of deploy/haproxy.cfg that only make sense on a real machine, and what a loopback run puts instead.
MACHINE_ONLY = ("chroot ", "user ", "group ", "daemon")


def haproxy_binary() -> str:
    """The haproxy command; fails loudly (never skips) when it is missing."""
    if not Path(HAPROXY).exists():
        raise AssertionError(MISSING)
    return HAPROXY


def self_signed_certificate(folder: Path, host: str = "chat.example.org") -> Path:
    """A throwaway certificate and its key in one PEM file, as HAProxy's `crt` wants them (the certificate alone
    is beside it, as cert.pem, for clients to trust)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert)),
            *("-days", "2", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pem = folder / "tls.pem"
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    return pem


def _replace(text: str, old: str, new: str) -> str:
    """Replace one line of the config; the line must be there, so this file and the config cannot drift apart."""
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if line.strip() == old]
    assert len(found) == 1, f"deploy/haproxy.cfg no longer has the line {old!r}"
    lines[found[0]] = f"    {new}"
    return "\n".join(lines) + "\n"


def loopback_config(https_port: int, http_port: int, stats_socket: Path, tls: bool = False) -> str:
    """deploy/haproxy.cfg for one machine's loopback: its public ports moved to loopback, logs to stdout, no
    chroot or user change, the stats socket in the test's folder; with `tls`, still terminating TLS."""
    text = CONFIG.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith(MACHINE_ONLY)]
    text = "\n".join(lines) + "\n"
    text = _replace(text, "log /dev/log local0", "log stdout format raw local0")
    text = _replace(
        text,
        "stats socket /run/haproxy/admin.sock mode 660 level admin",
        f"stats socket {stats_socket} mode 600 level admin",
    )
    text = _replace(text, "bind :80", f"bind 127.0.0.1:{http_port}")
    public = f'bind 127.0.0.1:{https_port} ssl crt "${{NIGHTLIGHT_TLS_CERT}}" alpn http/1.1'
    text = _replace(
        text,
        'bind :443 ssl crt "${NIGHTLIGHT_TLS_CERT}" alpn http/1.1',
        public if tls else f"bind 127.0.0.1:{https_port}",
    )
    return text


def check(config: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """`haproxy -c -f config`: whether HAProxy accepts the file with these settings."""
    return subprocess.run(
        [haproxy_binary(), "-c", "-f", str(config)],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@dataclass
class Balancer:
    """A running HAProxy in front of the gateways."""

    process: subprocess.Popen[bytes]
    url: str
    http_url: str
    stats_socket: Path
    log: Path

    def stats(self) -> list[dict[str, str]]:
        """`show stat` from the stats socket: one row per frontend, server and backend."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect(str(self.stats_socket))
            client.sendall(b"show stat\n")
            chunks = []
            while chunk := client.recv(65536):
                chunks.append(chunk)
        text = b"".join(chunks).decode().lstrip("# ")
        return list(csv.DictReader(io.StringIO(text)))

    def servers(self) -> dict[str, dict[str, str]]:
        """The gateways as HAProxy sees them, by server name: status (UP/DOWN...) and scur (open sessions)."""
        return {row["svname"]: row for row in self.stats() if row["pxname"] == "gateways" and row["type"] == "2"}

    def wait_for(self, server: str, status: str, seconds: float = 30) -> None:
        """Wait until HAProxy's health checks say this of a gateway."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.servers()[server]["status"].startswith(status):
                return
            time.sleep(0.2)
        raise AssertionError(f"{server} is {self.servers()[server]['status']} after {seconds} s, not {status}")

    def stop(self) -> None:
        """Stop HAProxy."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_balancer(
    folder: Path, https_port: int, http_port: int, gateways: tuple[str, str], tls_cert: Path | None = None
) -> Balancer:
    """HAProxy with the loopback variant of deploy/haproxy.cfg in front of two gateways (host:port each)."""
    folder.mkdir(parents=True, exist_ok=True)
    stats = folder / "haproxy.sock"
    config = folder / "haproxy.cfg"
    config.write_text(loopback_config(https_port, http_port, stats, tls=tls_cert is not None), encoding="utf-8")
    env = {
        "NIGHTLIGHT_GATEWAY_A": gateways[0],
        "NIGHTLIGHT_GATEWAY_B": gateways[1],
        "NIGHTLIGHT_TLS_CERT": str(tls_cert or "/nonexistent"),
    }
    checked = check(config, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    log = folder / "haproxy.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [haproxy_binary(), "-db", "-f", str(config)], env=dict(os.environ, **env), stdout=out, stderr=out
        )
    scheme = "https" if tls_cert else "http"
    balancer = Balancer(process, f"{scheme}://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", stats, log)
    deadline = time.monotonic() + 20
    while not stats.exists() or not _listening(https_port):
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "HAProxy did not start:\n" + log.read_text()
        time.sleep(0.1)
    return balancer


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0
