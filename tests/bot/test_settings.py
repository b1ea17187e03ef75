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
