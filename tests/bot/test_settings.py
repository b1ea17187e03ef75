"""Settings are read once, checked, and fail loudly with the setting's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, SETTINGS, Settings, SettingsError


def test_defaults_listen_on_loopback_8080_with_sqlite() -> None:
    settings = Settings.from_env({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.tracker_store_url.startswith("sqlite:///")
    assert settings.data_dir == PROJECT_ROOT / ".nightlight"


def test_redis_is_off_by_default_and_takes_redis_or_rediss_urls() -> None:
    assert Settings.from_env({}).redis_url == ""
    assert Settings.from_env({"NIGHTLIGHT_REDIS_URL": "redis://10.0.0.5:6379/2"}).redis_url == "redis://10.0.0.5:6379/2"
    assert Settings.from_env({"NIGHTLIGHT_REDIS_URL": "rediss://cache.example:6380"}).redis_url.startswith("rediss://")


def test_api_keys_are_a_comma_separated_list() -> None:
    settings = Settings.from_env({"NIGHTLIGHT_API_KEYS": "a" * 20 + ", " + "b" * 20})
    assert settings.api_keys == ("a" * 20, "b" * 20)


def test_secrets_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "keys"
    key_file.write_text("k" * 24 + "\n", encoding="utf-8")
    assert Settings.from_env({"NIGHTLIGHT_API_KEYS_FILE": str(key_file)}).api_keys == ("k" * 24,)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"NIGHTLIGHT_PORT": "eighty"}, "NIGHTLIGHT_PORT"),
        ({"NIGHTLIGHT_PORT": "70000"}, "NIGHTLIGHT_PORT"),
        ({"NIGHTLIGHT_API_KEYS": "short"}, "NIGHTLIGHT_API_KEYS"),
        ({"NIGHTLIGHT_RASA_URL": "localhost:5005"}, "NIGHTLIGHT_RASA_URL"),
        ({"NIGHTLIGHT_RASA_TIMEOUT": "soon"}, "NIGHTLIGHT_RASA_TIMEOUT"),
        ({"NIGHTLIGHT_TRACKER_STORE_URL": "mysql://x"}, "NIGHTLIGHT_TRACKER_STORE_URL"),
        ({"NIGHTLIGHT_LOCK_STORE_URL": "memcached://x"}, "NIGHTLIGHT_LOCK_STORE_URL"),
        ({"NIGHTLIGHT_LOG_LEVEL": "CHATTY"}, "NIGHTLIGHT_LOG_LEVEL"),
        ({"NIGHTLIGHT_REDIS_URL": "127.0.0.1:6379"}, "NIGHTLIGHT_REDIS_URL"),
        ({"NIGHTLIGHT_REDIS_URL": "http://127.0.0.1:6379"}, "NIGHTLIGHT_REDIS_URL"),
        ({"NIGHTLIGHT_SECRET_KEY": "too-short"}, "NIGHTLIGHT_SECRET_KEY"),
        ({"NIGHTLIGHT_TELEGRAM_MODE": "carrier-pigeon"}, "NIGHTLIGHT_TELEGRAM_MODE"),
        ({"NIGHTLIGHT_TELEGRAM_SECRET": "has spaces in it"}, "NIGHTLIGHT_TELEGRAM_SECRET"),
        (
            {
                "NIGHTLIGHT_TELEGRAM_TOKEN": "1:x",
                "NIGHTLIGHT_TELEGRAM_MODE": "webhook",
                "NIGHTLIGHT_TELEGRAM_SECRET": "s" * 20,
            },
            "NIGHTLIGHT_TELEGRAM_WEBHOOK_URL",
        ),
        (
            {
                "NIGHTLIGHT_TELEGRAM_TOKEN": "1:x",
                "NIGHTLIGHT_TELEGRAM_MODE": "webhook",
                "NIGHTLIGHT_TELEGRAM_WEBHOOK_URL": "https://nightlight.example.org/telegram/webhook",
            },
            "NIGHTLIGHT_TELEGRAM_SECRET",
        ),
        ({"NIGHTLIGHT_MAX_CONNECTIONS_PER_ADDRESS": "0"}, "NIGHTLIGHT_MAX_CONNECTIONS_PER_ADDRESS"),
        ({"NIGHTLIGHT_API_KEYS_FILE": "/no/such/file"}, "NIGHTLIGHT_API_KEYS_FILE"),
    ],
)
def test_a_bad_setting_is_refused_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_the_readme_documents_every_setting() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, f"README does not document {setting.name}"


def test_the_widget_signing_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = settings.signing_secret()
    assert len(first) >= 32
    assert settings.signing_secret() == first
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0
    assert Settings(secret_key="c" * 40, data_dir=tmp_path).signing_secret() == b"c" * 40


def test_the_public_url_and_trusted_proxies_are_checked() -> None:
    env = {"NIGHTLIGHT_PUBLIC_URL": "https://chat.example.org/", "NIGHTLIGHT_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}
    settings = Settings.from_env(env)
    assert settings.public_url == "https://chat.example.org"
    assert settings.trusted_proxies == ("127.0.0.1/32", "10.0.0.0/8")
    for env, named in (
        ({"NIGHTLIGHT_PUBLIC_URL": "chat.example.org"}, "NIGHTLIGHT_PUBLIC_URL"),
        ({"NIGHTLIGHT_PUBLIC_URL": "https://chat.example.org/path"}, "NIGHTLIGHT_PUBLIC_URL"),
        ({"NIGHTLIGHT_TRUSTED_PROXIES": "my proxy"}, "NIGHTLIGHT_TRUSTED_PROXIES"),
    ):
        with pytest.raises(SettingsError, match=named):
            Settings.from_env(env)


def test_several_rasa_urls_share_the_conversations_and_nightlight_up_starts_the_first() -> None:
    settings = Settings.from_env({"NIGHTLIGHT_RASA_URL": "http://127.0.0.1:5005, http://10.0.0.2:5005/"})
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.rasa_urls == ("http://127.0.0.1:5005", "http://10.0.0.2:5005")
    with pytest.raises(SettingsError, match="NIGHTLIGHT_RASA_URL"):
        Settings.from_env({"NIGHTLIGHT_RASA_URL": "http://127.0.0.1:5005,rasa:5005"})
