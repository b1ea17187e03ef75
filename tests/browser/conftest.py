"""Browser tests of the widget: Debian's chromium driven by Playwright against the real stack (`nightlight up`)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Playwright, sync_playwright

from bot.settings import PROJECT_ROOT
from tests.integration.stack import NIGHTLIGHT, Stack, free_port, running_stack

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# A directory entry whose name is an attack: if the widget ever parsed it as markup, the handler would run.
INJECTED = "<img src=x onerror=window.__pwned=1>"
PROBE_PLACE = "TR18"  # Penzance: far from the sample services around Exeter, so this entry is the one found there
PROBE_SERVICE = f"{INJECTED} Parent and Baby Group (sample)"

PROBE_PACKAGE: dict[str, list[dict[str, str]]] = {
    "organizations.csv": [
        {"id": "probe-org", "name": f"{INJECTED} Probe Charity (sample)", "description": "SAMPLE DATA: a test entry."}
    ],
    "services.csv": [
        {
            "id": "probe-service",
            "organization_id": "probe-org",
            "name": PROBE_SERVICE,
            "description": f"SAMPLE DATA: not a real service. {INJECTED}",
            "url": "https://example.org/probe",
            "status": "active",
            "assured_date": "2026-11-01",
        }
    ],
    "locations.csv": [
        {
            "id": "probe-location",
            "location_type": "physical",
            "organization_id": "probe-org",
            "name": "Probe Hall (sample)",
            "latitude": "50.1174",
            "longitude": "-5.5424",
        }
    ],
    "addresses.csv": [
        {
            "id": "probe-address",
            "location_id": "probe-location",
            "address_1": "1 Probe Street",
            "city": "Penzance",
            "state_province": "Cornwall",
            "postal_code": PROBE_PLACE,
            "country": "GB",
            "address_type": "physical",
        }
    ],
    "service_at_location.csv": [
        {"id": "probe-sal", "service_id": "probe-service", "location_id": "probe-location", "description": ""}
    ],
    "schedules.csv": [
        {
            "id": "probe-schedule",
            "service_id": "probe-service",
            "freq": "WEEKLY",
            "interval": "1",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": "00:00",
            "closes_at": "23:59",
            "description": "Every day (a test entry).",
        }
    ],
    "taxonomy_terms.csv": [
        {"id": "probe-term-group", "code": "parent-baby-group", "name": "Parent and baby group", "taxonomy": "x"},
        {"id": "probe-term-welcome", "code": "baby-welcome", "name": "Babies welcome", "taxonomy": "x"},
    ],
    "attributes.csv": [
        {
            "id": f"probe-attribute-{term}",
            "link_id": "probe-service",
            "taxonomy_term_id": f"probe-term-{term}",
            "link_type": "service",
            "link_entity": "service",
        }
        for term in ("group", "welcome")
    ],
}


def write_probe_package(folder: Path) -> Path:
    """An HSDS package with one service whose names carry markup."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in PROBE_PACKAGE.items():
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def prepare_directory(data_dir: Path) -> None:
    """The sample directory plus the probe entry, in the database the stack will use."""
    database = f"sqlite:///{data_dir}/directory.db"
    for command in (
        ["directory", "load-sample", "--db", database],
        ["directory", "import", str(write_probe_package(data_dir / "probe")), "--source", "probe", "--db", database],
    ):
        result = subprocess.run(
            [str(NIGHTLIGHT), *command], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def add_supporter(data_dir: Path, tenants: Path, username: str, name: str, role: str, password: str) -> None:
    """A supporter's account, made the way an operator makes one: with `nightlight supporters add`."""
    env = dict(os.environ, NIGHTLIGHT_DATA_DIR=str(data_dir), NIGHTLIGHT_TENANTS_DIR=str(tenants))
    result = subprocess.run(
        [str(NIGHTLIGHT), "supporters", "add", username, "--name", name, "--role", role, "--password-stdin"],
        input=f"{password}\n",
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@dataclass
class CharitySite:
    """A charity's own web site on another origin, serving a page with the one-line widget on it."""

    origin: str
    script_url: str = ""

    def page(self) -> bytes:
        script = f'<script src="{self.script_url}" data-tenant="default" async></script>'
        return f"<!doctype html><html lang=en><title>A charity</title><main><p>Hello</p></main>{script}".encode()


def serve(site: CharitySite) -> ThreadingHTTPServer:
    """Serve the site's page over real HTTP, in a thread."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.page()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    port = int(site.origin.rsplit(":", 1)[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def tenants_allowing(folder: Path, origin: str) -> Path:
    """The project's tenants, with one more origin allowed for the default tenant."""
    shutil.copytree(PROJECT_ROOT / "tenants", folder)
    default = folder / "default.yaml"
    data = yaml.safe_load(default.read_text(encoding="utf-8"))
    data["allowed_origins"] = [*(data.get("allowed_origins") or []), origin]
    default.write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def listed_site() -> CharitySite:
    """A charity site the default tenant lists in allowed_origins."""
    return CharitySite(f"http://127.0.0.1:{free_port()}")


@pytest.fixture(scope="module")
def unlisted_site() -> CharitySite:
    """A site the default tenant does not list."""
    return CharitySite(f"http://127.0.0.1:{free_port()}")


@pytest.fixture(scope="module")
def stack(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    listed_site: CharitySite,
    unlisted_site: CharitySite,
) -> Iterator[Stack]:
    """The real stack, one per test module, with the probe entry in its directory and two charity sites beside it."""
    data_dir = tmp_path_factory.mktemp("widget-stack")
    prepare_directory(data_dir)
    tenants = tenants_allowing(data_dir / "tenants", listed_site.origin)
    with running_stack(data_dir, {"NIGHTLIGHT_TENANTS_DIR": str(tenants)}) as running:
        servers = []
        for site in (listed_site, unlisted_site):
            site.script_url = f"{running.url}/widget.js"
            servers.append(serve(site))
        try:
            yield running
        finally:
            for server in servers:
                server.shutdown()
                server.server_close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium (never a downloaded one)."""
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots are kept after the run (not in git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
