"""A production cluster on one machine, for the tests and the benchmark: fresh PostgreSQL databases (the gateways'
state, Rasa's tracker, the directory), a Redis database of its own, one action server, two Rasa servers and two
gateways, each started the way systemd would start it (`nightlight actions`, `nightlight rasa --port`,
`nightlight gateway`), and HAProxy in front of the gateways with the project's deploy/haproxy.cfg.

Nothing here is skipped: without PostgreSQL, Redis or HAProxy the cluster fails to start and says which is missing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests
import yaml

from bot.settings import PROJECT_ROOT
from tests.integration.stack import free_port
from tests.production.haproxy import Balancer, haproxy_binary, start_balancer

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
NIGHTLIGHT = str(PROJECT_ROOT / ".venv" / "bin" / "nightlight")
# The Redis database a cluster takes is marked with this key while it runs, so two runs never share one.
CLAIM_KEY = "nightlight-tests:cluster"
PASSWORD = "a long enough passphrase"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
START_SECONDS = 240


def require_postgresql_and_redis() -> None:
    """Fail loudly, naming what to do, when PostgreSQL or Redis is not running."""
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=5) as admin:
            admin.execute("SELECT 1")
    except psycopg.OperationalError as error:
        raise AssertionError(
            f"PostgreSQL is not running at 127.0.0.1:5432 with trust auth for postgres ({error}). "
            "`.ci/run` starts it; by hand: service postgresql start"
        ) from None
    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=5).ping()
    except redis.RedisError as error:
        raise AssertionError(
            f"Redis is not running at 127.0.0.1:6379 ({error}). "
            "`.ci/run` starts it; by hand: service redis-server start"
        ) from None
    haproxy_binary()


def claim_redis_db() -> int:
    """An empty Redis database (1-15), marked as this run's."""
    for db in range(15, 0, -1):
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db)
        if client.dbsize() == 0 and client.set(CLAIM_KEY, str(os.getpid()), nx=True, ex=3600):
            return db
    raise AssertionError("No empty Redis database among 1-15 for the production tests")


def tenants_open_all_week(folder: Path) -> Path:
    """The project's tenants, the default one with peer-support hours all day, every day."""
    shutil.copytree(PROJECT_ROOT / "tenants", folder)
    default = folder / "default.yaml"
    data = yaml.safe_load(default.read_text(encoding="utf-8"))
    data["peer_support_hours"] = {day: ["00:00-24:00"] for day in DAYS}
    default.write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def listening(port: int) -> bool:
    """Whether something accepts connections on the loopback port."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Process:
    """One process of the cluster, started in its own process group with its output in a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}.out"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM (a wrapper stops its child gracefully), then SIGKILL to the group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@dataclass
class Cluster:
    """Everything running, and what the tests need to reach it."""

    root: Path
    databases: dict[str, str]
    redis_db: int
    key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    actions_port: int = field(default_factory=free_port)
    rasa_ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    gateway_ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    processes: dict[str, Process] = field(default_factory=dict)
    balancer: Balancer | None = None
    tenants: Path | None = None
    # Every distinctive text the tests send or a supporter writes: none may appear in any log.
    texts: list[str] = field(default_factory=list)

    # ---- where things are ----------------------------------------------------------------------------------------

    def database_url(self, name: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@127.0.0.1:5432/{self.databases[name]}"

    @property
    def redis_url(self) -> str:
        return f"redis://{REDIS_HOST}:{REDIS_PORT}/{self.redis_db}"

    @property
    def rasa_urls(self) -> tuple[str, str]:
        return (f"http://127.0.0.1:{self.rasa_ports[0]}", f"http://127.0.0.1:{self.rasa_ports[1]}")

    @property
    def gateway_urls(self) -> tuple[str, str]:
        return (f"http://127.0.0.1:{self.gateway_ports[0]}", f"http://127.0.0.1:{self.gateway_ports[1]}")

    @property
    def url(self) -> str:
        """The public address: HAProxy."""
        assert self.balancer is not None
        return self.balancer.url

    def redis(self) -> redis.Redis:
        return redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=self.redis_db)

    # ---- the settings each process is given -------------------------------------------------------------------------

    def env(self, data_dir: Path, **more: str) -> dict[str, str]:
        """The settings every machine of the cluster shares, with its own data folder."""
        assert self.tenants is not None
        base = {k: v for k, v in os.environ.items() if not k.startswith("NIGHTLIGHT_")}
        return dict(
            base,
            # This checkout's code, whichever checkout the virtualenv was installed from.
            PYTHONPATH=str(PROJECT_ROOT),
            NIGHTLIGHT_DATA_DIR=str(data_dir),
            NIGHTLIGHT_MODELS_DIR=str(PROJECT_ROOT / "models"),
            NIGHTLIGHT_TENANTS_DIR=str(self.tenants),
            NIGHTLIGHT_API_KEYS=self.key,
            NIGHTLIGHT_SECRET_KEY=self.secret_key,
            NIGHTLIGHT_RASA_URL=",".join(self.rasa_urls),
            NIGHTLIGHT_RASA_TOKEN=self.rasa_token,
            NIGHTLIGHT_ACTIONS_PORT=str(self.actions_port),
            NIGHTLIGHT_TRACKER_STORE_URL=self.database_url("tracker", "postgresql"),
            NIGHTLIGHT_LOCK_STORE_URL=self.redis_url,
            NIGHTLIGHT_DATABASE_URL=self.database_url("directory"),
            NIGHTLIGHT_GATEWAY_DATABASE_URL=self.database_url("gateway"),
            NIGHTLIGHT_REDIS_URL=self.redis_url,
            NIGHTLIGHT_TRUSTED_PROXIES="127.0.0.1",
            NIGHTLIGHT_MAX_CONNECTIONS_PER_ADDRESS="1000",
            NIGHTLIGHT_LOG_LEVEL="INFO",
            **more,
        )

    def gateway_process(self, index: int) -> Process:
        name = "gateway-" + "ab"[index]
        folder = self.root / name
        env = self.env(folder, NIGHTLIGHT_HOST="127.0.0.1", NIGHTLIGHT_PORT=str(self.gateway_ports[index]))
        return Process(name, [NIGHTLIGHT, "gateway"], env, folder)

    def rasa_process(self, index: int) -> Process:
        name = f"rasa-{index + 1}"
        folder = self.root / name
        port = str(self.rasa_ports[index])
        return Process(name, [NIGHTLIGHT, "rasa", "--port", port], self.env(folder), folder)

    def actions_process(self) -> Process:
        folder = self.root / "actions"
        return Process("actions", [NIGHTLIGHT, "actions"], self.env(folder, NIGHTLIGHT_SAMPLE_DIRECTORY="auto"), folder)

    # ---- starting, killing, restarting --------------------------------------------------------------------------

    def start(self, process: Process) -> None:
        self.processes[process.name] = process
        process.start()

    def wait_listening(self, name: str, port: int, seconds: float = START_SECONDS) -> None:
        process = self.processes[name]
        deadline = time.monotonic() + seconds
        while not listening(port):
            assert process.running(), f"{name} exited while starting:\n{process.tail()}"
            assert time.monotonic() < deadline, f"{name} did not listen on {port} in {seconds} s:\n{process.tail()}"
            time.sleep(0.2)

    def health(self, url: str) -> dict[str, Any]:
        try:
            data: dict[str, Any] = requests.get(f"{url}/healthz", timeout=10).json()
        except (requests.RequestException, ValueError):
            return {}
        return data

    def wait_ready(self, seconds: float = START_SECONDS) -> None:
        """Until both gateways say every Rasa server and the action server are ready, and HAProxy has both."""
        deadline = time.monotonic() + seconds
        while True:
            for process in self.processes.values():
                assert process.running(), f"{process.name} exited:\n{process.tail()}"
            if all(self.health(url).get("status") == "ok" for url in self.gateway_urls):
                break
            assert time.monotonic() < deadline, "not ready in time:\n" + "\n".join(
                f"--- {p.name}\n{p.tail()}" for p in self.processes.values()
            )
            time.sleep(1)
        assert self.balancer is not None
        self.balancer.wait_for("gateway-a", "UP")
        self.balancer.wait_for("gateway-b", "UP")

    def kill_gateway(self, name: str) -> None:
        """kill -9: the gateway gets no chance to finish anything."""
        process = self.processes[name].process
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def restart_gateway(self, name: str) -> None:
        index = "ab".index(name[-1])
        self.start(self.gateway_process(index))
        self.wait_listening(name, self.gateway_ports[index], 60)

    def kill_rasa(self, index: int) -> None:
        """kill -9 the Rasa server itself (not its `nightlight rasa` wrapper, which then exits too)."""
        name = f"rasa-{index + 1}"
        pid_file = self.root / name / "logs" / f"rasa-{self.rasa_ports[index]}.pid"
        os.killpg(int(pid_file.read_text(encoding="utf-8")), signal.SIGKILL)
        wrapper = self.processes[name].process
        assert wrapper is not None
        wrapper.wait(30)

    def add_supporter(self, username: str, name: str, role: str = "supporter") -> None:
        """An account made as an operator makes one, against the shared database."""
        result = subprocess.run(
            [NIGHTLIGHT, "supporters", "add", username, "--name", name, "--role", role, "--password-stdin"],
            input=f"{PASSWORD}\n",
            cwd=PROJECT_ROOT,
            env=self.env(self.root / "admin"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def logs(self) -> dict[Path, str]:
        """Every log the cluster wrote: each process's output and the logs its supervisors keep."""
        return {
            path: path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(self.root.rglob("*"))
            if path.is_file() and (path.suffix in (".out", ".log"))
        }

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        if self.balancer is not None:
            self.balancer.stop()


def create_databases(names: dict[str, str]) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        for name in names.values():
            admin.execute(f'CREATE DATABASE "{name}"')


def drop_databases(names: dict[str, str]) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_cluster(root: Path, supporters: tuple[tuple[str, str], ...] = ()) -> Iterator[Cluster]:
    """Start the whole cluster (Rasa servers in parallel with everything else), yield it ready, and take it all
    down afterwards: processes stopped, databases dropped, the Redis database emptied."""
    require_postgresql_and_redis()
    run = uuid.uuid4().hex[:8]
    databases = {kind: f"nl_{kind}_{run}" for kind in ("gateway", "tracker", "directory")}
    create_databases(databases)
    redis_db = claim_redis_db()
    cluster = Cluster(root=root, databases=databases, redis_db=redis_db)
    try:
        cluster.tenants = tenants_open_all_week(root / "tenants")
        cluster.start(cluster.actions_process())
        cluster.start(cluster.rasa_process(0))
        cluster.start(cluster.rasa_process(1))
        # Both gateways start at once on the empty database, as two machines booting together would.
        cluster.start(cluster.gateway_process(0))
        cluster.start(cluster.gateway_process(1))
        cluster.wait_listening("gateway-a", cluster.gateway_ports[0], 90)
        cluster.wait_listening("gateway-b", cluster.gateway_ports[1], 90)
        for username, name in supporters:
            cluster.add_supporter(username, name)
        cluster.balancer = start_balancer(
            root / "haproxy",
            free_port(),
            free_port(),
            (f"127.0.0.1:{cluster.gateway_ports[0]}", f"127.0.0.1:{cluster.gateway_ports[1]}"),
        )
        cluster.wait_ready()
        yield cluster
    finally:
        cluster.stop()
        drop_databases(databases)
        cluster.redis().flushdb()
