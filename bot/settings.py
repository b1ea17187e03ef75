"""Settings, read once from the environment into a frozen dataclass."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting has a value Nightlight cannot use."""


@dataclass(frozen=True)
class Setting:
    """One environment variable: its default and what it means (the README's table is made from these)."""

    name: str
    default: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("NIGHTLIGHT_HOST", "127.0.0.1", "Address the gateway listens on."),
    Setting("NIGHTLIGHT_PORT", "8080", "Port the gateway listens on."),
    Setting(
        "NIGHTLIGHT_API_KEYS",
        "",
        "Comma-separated keys for the REST API (`Authorization: Bearer <key>`). Also read from "
        "`NIGHTLIGHT_API_KEYS_FILE`. If neither is set, `nightlight up` makes one in `.nightlight/api-key`.",
    ),
    Setting("NIGHTLIGHT_DATA_DIR", ".nightlight", "Runtime state: logs, generated Rasa endpoints, the local key."),
    Setting("NIGHTLIGHT_MODELS_DIR", "models", "Where trained Rasa models are kept, named by content hash."),
    Setting("NIGHTLIGHT_CONTACTS", "data/crisis_contacts.yaml", "The crisis and support contacts data file."),
    Setting(
        "NIGHTLIGHT_RASA_URL",
        "http://127.0.0.1:5005",
        "Where the gateway reaches the Rasa server; several, comma-separated, share the conversations (each keeps "
        "its server while that is healthy). `nightlight up` starts the first one.",
    ),
    Setting("NIGHTLIGHT_RASA_TOKEN", "", "Token for Rasa's HTTP API; `nightlight up` makes a fresh one if unset."),
    Setting("NIGHTLIGHT_RASA_TIMEOUT", "10", "Seconds the gateway waits for Rasa before it answers on its own."),
    Setting("NIGHTLIGHT_ACTIONS_PORT", "5055", "Port of the action server (loopback only)."),
    Setting(
        "NIGHTLIGHT_TRACKER_STORE_URL",
        "sqlite:///.nightlight/rasa-tracker.db",
        "Rasa's tracker store as a database URL: `sqlite:///path` or `postgresql://user@host:5432/db`.",
    ),
    Setting(
        "NIGHTLIGHT_LOCK_STORE_URL",
        "",
        "Rasa's lock store: empty for in-memory (one Rasa process), or `redis://127.0.0.1:6379/0`.",
    ),
    Setting(
        "NIGHTLIGHT_REDIS_URL",
        "",
        "Shared state for several gateways (who is on shift, open widgets, rate limits, events between gateways): "
        "`redis://host:6379/0` or `rediss://...`. Empty: each gateway keeps it in its own memory (one gateway only).",
    ),
    Setting("NIGHTLIGHT_LOG_LEVEL", "INFO", "Log level. Message text is never logged at INFO or above."),
    Setting(
        "NIGHTLIGHT_DATABASE_URL",
        "sqlite:///.nightlight/directory.db",
        "The service directory's database: `sqlite:///path` or `postgresql+psycopg://user@host:5432/db`.",
    ),
    Setting(
        "NIGHTLIGHT_GATEWAY_DATABASE_URL",
        "",
        "The gateway's own stores (messages and replies, handoffs, supporter accounts, safety state): empty for SQLite "
        "files in the data folder (one gateway), or `postgresql+psycopg://user@host:5432/db`, shared by every gateway.",
    ),
    Setting(
        "NIGHTLIGHT_SAMPLE_DIRECTORY",
        "auto",
        "`auto`: `nightlight up` loads the sample directory into an empty directory database; `never`: it does not.",
    ),
    Setting(
        "NIGHTLIGHT_TENANTS_DIR", "tenants", "Folder of tenant files, one `<id>.yaml` per charity; needs `default`."
    ),
    Setting(
        "NIGHTLIGHT_SECRET_KEY",
        "",
        "Signs widget session tokens (at least 32 characters). If unset, one is made in `.nightlight/secret-key`.",
    ),
    Setting(
        "NIGHTLIGHT_MAX_CONNECTIONS_PER_ADDRESS",
        "20",
        "Open widget connections allowed from one network address at once.",
    ),
    Setting("NIGHTLIGHT_TELEGRAM_TOKEN", "", "The Telegram bot token from @BotFather. Empty: no Telegram channel."),
    Setting(
        "NIGHTLIGHT_TELEGRAM_MODE",
        "polling",
        "`polling` (no public address needed) or `webhook` (needs `NIGHTLIGHT_TELEGRAM_WEBHOOK_URL` and a secret).",
    ),
    Setting(
        "NIGHTLIGHT_TELEGRAM_WEBHOOK_URL",
        "",
        "Public https URL that reaches the gateway's `/telegram/webhook`, for webhook mode.",
    ),
    Setting(
        "NIGHTLIGHT_TELEGRAM_SECRET",
        "",
        "Webhook secret token (1-256 of A-Z, a-z, 0-9, _ and -); requests without it get 403. Needed for webhook mode.",
    ),
    Setting(
        "NIGHTLIGHT_TELEGRAM_API_URL",
        "https://api.telegram.org/bot",
        "The Bot API's base URL (tests point it at a local fake).",
    ),
    Setting("NIGHTLIGHT_TELEGRAM_TENANT", "default", "The tenant whose bot this is."),
    Setting(
        "NIGHTLIGHT_PUBLIC_URL",
        "",
        "The address people reach the gateway at behind a proxy (`https://chat.example.org`): its own origin for the "
        "console's and widget's checks, and Secure cookies when it is https. Empty: as each request arrives.",
    ),
    Setting(
        "NIGHTLIGHT_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks of the reverse proxies in front of the gateway (`127.0.0.1, "
        "10.0.0.0/8`). Only their X-Forwarded-Proto, -Host and -For are believed; anyone else's are ignored.",
    ),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}

MAX_MESSAGE_CHARS = 2000
MAX_REQUEST_BYTES = 16 * 1024


def _read(env: Mapping[str, str], name: str) -> str:
    """Return a setting's value, from NAME_FILE when that is set (for secrets), else NAME, else the default."""
    file_name = env.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SettingsError(f"{name}_FILE: cannot read {file_name}: {error.strerror}") from error
    return env.get(name, _DEFAULTS[name]).strip()


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> int:
    raw = _read(env, name)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _float(env: Mapping[str, str], name: str, low: float, high: float) -> float:
    raw = _read(env, name)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high} seconds, not {value}")
    return value


def _public_url(env: Mapping[str, str]) -> str:
    """NIGHTLIGHT_PUBLIC_URL as scheme://host[:port], or "" when unset."""
    raw = _read(env, "NIGHTLIGHT_PUBLIC_URL").rstrip("/")
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
        raise SettingsError(f"NIGHTLIGHT_PUBLIC_URL must be like https://chat.example.org, not {raw!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _networks(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma-separated list of addresses or networks, each checked."""
    found = []
    for item in (part.strip() for part in _read(env, name).split(",")):
        if not item:
            continue
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingsError(f"{name}: {item!r} is not an address or a network like 10.0.0.0/8") from None
    return tuple(found)


def _path(env: Mapping[str, str], name: str) -> Path:
    path = Path(_read(env, name))
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    """Everything the processes need to know, fixed at start-up."""

    host: str = "127.0.0.1"
    port: int = 8080
    api_keys: tuple[str, ...] = ()
    data_dir: Path = PROJECT_ROOT / ".nightlight"
    models_dir: Path = PROJECT_ROOT / "models"
    contacts_path: Path = PROJECT_ROOT / "data" / "crisis_contacts.yaml"
    rasa_url: str = "http://127.0.0.1:5005"
    more_rasa_urls: tuple[str, ...] = ()  # further Rasa servers sharing the conversations with the first

    rasa_token: str = ""
    rasa_timeout: float = 10.0
    actions_port: int = 5055
    tracker_store_url: str = "sqlite:///.nightlight/rasa-tracker.db"
    lock_store_url: str = ""
    redis_url: str = ""
    redis_prefix: str = "nightlight:"  # every Redis key starts with this (tests give each run its own)
    log_level: str = "INFO"
    database_url: str = "sqlite:///.nightlight/directory.db"
    gateway_database_url: str = ""  # empty: a SQLite file per store in the data folder
    sample_directory: str = "auto"
    tenants_dir: Path = PROJECT_ROOT / "tenants"
    secret_key: str = ""
    max_connections_per_address: int = 20
    telegram_token: str = ""
    telegram_mode: str = "polling"
    telegram_webhook_url: str = ""
    telegram_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_tenant: str = "default"
    public_url: str = ""
    trusted_proxies: tuple[str, ...] = ()
    project_root: Path = field(default=PROJECT_ROOT)

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """Every Rasa server the gateway may use, the one `nightlight up` starts first."""
        return (self.rasa_url, *self.more_rasa_urls)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every setting; raise SettingsError naming the first bad one."""
        env = os.environ if env is None else env
        keys = tuple(k.strip() for k in _read(env, "NIGHTLIGHT_API_KEYS").split(",") if k.strip())
        for key in keys:
            if len(key) < 16:
                raise SettingsError("NIGHTLIGHT_API_KEYS: each key must be at least 16 characters long")
        rasa_urls = tuple(url.strip().rstrip("/") for url in _read(env, "NIGHTLIGHT_RASA_URL").split(","))
        for rasa_url in rasa_urls:
            if not rasa_url.startswith(("http://", "https://")):
                raise SettingsError(f"NIGHTLIGHT_RASA_URL must start with http:// or https://, not {rasa_url!r}")
        log_level = _read(env, "NIGHTLIGHT_LOG_LEVEL").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise SettingsError(f"NIGHTLIGHT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {log_level!r}")
        tracker = _read(env, "NIGHTLIGHT_TRACKER_STORE_URL")
        if not tracker.startswith(("sqlite:///", "postgresql://")):
            raise SettingsError("NIGHTLIGHT_TRACKER_STORE_URL must start with sqlite:/// or postgresql://")
        lock = _read(env, "NIGHTLIGHT_LOCK_STORE_URL")
        if lock and not lock.startswith("redis://"):
            raise SettingsError("NIGHTLIGHT_LOCK_STORE_URL must be empty or start with redis://")
        redis_url = _read(env, "NIGHTLIGHT_REDIS_URL")
        if redis_url and not redis_url.startswith(("redis://", "rediss://")):
            raise SettingsError("NIGHTLIGHT_REDIS_URL must be empty or start with redis:// or rediss://")
        database = _read(env, "NIGHTLIGHT_DATABASE_URL")
        if not database.startswith(("sqlite:///", "postgresql")):
            raise SettingsError("NIGHTLIGHT_DATABASE_URL must start with sqlite:/// or postgresql")
        gateway_database = _read(env, "NIGHTLIGHT_GATEWAY_DATABASE_URL")
        if gateway_database and not gateway_database.startswith("postgresql"):
            raise SettingsError("NIGHTLIGHT_GATEWAY_DATABASE_URL must be empty or start with postgresql")
        sample = _read(env, "NIGHTLIGHT_SAMPLE_DIRECTORY").lower()
        if sample not in {"auto", "never"}:
            raise SettingsError(f"NIGHTLIGHT_SAMPLE_DIRECTORY must be auto or never, not {sample!r}")
        secret_key = _read(env, "NIGHTLIGHT_SECRET_KEY")
        if secret_key and len(secret_key) < 32:
            raise SettingsError("NIGHTLIGHT_SECRET_KEY must be at least 32 characters long")
        telegram_mode = _read(env, "NIGHTLIGHT_TELEGRAM_MODE").lower()
        if telegram_mode not in {"polling", "webhook"}:
            raise SettingsError(f"NIGHTLIGHT_TELEGRAM_MODE must be polling or webhook, not {telegram_mode!r}")
        telegram_token = _read(env, "NIGHTLIGHT_TELEGRAM_TOKEN")
        webhook_url = _read(env, "NIGHTLIGHT_TELEGRAM_WEBHOOK_URL")
        telegram_secret = _read(env, "NIGHTLIGHT_TELEGRAM_SECRET")
        if telegram_secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", telegram_secret):
            raise SettingsError("NIGHTLIGHT_TELEGRAM_SECRET may hold only A-Z, a-z, 0-9, _ and -, up to 256 characters")
        if telegram_token and telegram_mode == "webhook":
            if not webhook_url.startswith("https://"):
                raise SettingsError("webhook mode needs NIGHTLIGHT_TELEGRAM_WEBHOOK_URL, an https:// address")
            if len(telegram_secret) < 16:
                raise SettingsError("webhook mode needs NIGHTLIGHT_TELEGRAM_SECRET of at least 16 characters")
        telegram_api = _read(env, "NIGHTLIGHT_TELEGRAM_API_URL")
        if not telegram_api.startswith(("http://", "https://")):
            raise SettingsError("NIGHTLIGHT_TELEGRAM_API_URL must start with http:// or https://")
        return cls(
            public_url=_public_url(env),
            trusted_proxies=_networks(env, "NIGHTLIGHT_TRUSTED_PROXIES"),
            tenants_dir=_path(env, "NIGHTLIGHT_TENANTS_DIR"),
            secret_key=secret_key,
            max_connections_per_address=_int(env, "NIGHTLIGHT_MAX_CONNECTIONS_PER_ADDRESS", 1, 10_000),
            telegram_token=telegram_token,
            telegram_mode=telegram_mode,
            telegram_webhook_url=webhook_url,
            telegram_secret=telegram_secret,
            telegram_api_url=telegram_api,
            telegram_tenant=_read(env, "NIGHTLIGHT_TELEGRAM_TENANT"),
            host=_read(env, "NIGHTLIGHT_HOST"),
            port=_int(env, "NIGHTLIGHT_PORT", 1, 65535),
            api_keys=keys,
            data_dir=_path(env, "NIGHTLIGHT_DATA_DIR"),
            models_dir=_path(env, "NIGHTLIGHT_MODELS_DIR"),
            contacts_path=_path(env, "NIGHTLIGHT_CONTACTS"),
            rasa_url=rasa_urls[0],
            more_rasa_urls=rasa_urls[1:],
            rasa_token=_read(env, "NIGHTLIGHT_RASA_TOKEN"),
            rasa_timeout=_float(env, "NIGHTLIGHT_RASA_TIMEOUT", 0.1, 120),
            actions_port=_int(env, "NIGHTLIGHT_ACTIONS_PORT", 1, 65535),
            tracker_store_url=tracker,
            lock_store_url=lock,
            redis_url=redis_url,
            log_level=log_level,
            database_url=database,
            gateway_database_url=gateway_database,
            sample_directory=sample,
        )

    def signing_secret(self) -> bytes:
        """The widget token key: the configured one, or a random one kept in the data folder."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / "secret-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip().encode()

    def store(self, name: str) -> Path | str:
        """Where one of the gateway's stores lives: `<name>.db` in the data folder, or the shared PostgreSQL."""
        return self.gateway_database_url or self.data_dir / f"{name}.db"

    @property
    def local_api_key_path(self) -> Path:
        """The key `nightlight up` makes when none is configured, so `nightlight ask` works out of the box."""
        return self.data_dir / "api-key"
