"""Tenant files: what a charity can set, and the clear errors when a file is wrong."""

from __future__ import annotations

import asyncio
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.app import watch_tenants
from bot.settings import PROJECT_ROOT
from bot.tenants import TenantError, Tenants, contrast, load_tenant

LONDON = ZoneInfo("Europe/London")
GOOD = {
    "id": "bloom",
    "name": "Bloom Perinatal Support",
    "bot_name": "Bloom",
    "colours": {"primary": "#3b2a6b", "on_primary": "#ffffff", "background": "#ffffff", "text": "#1f1f29"},
    "allowed_origins": ["https://bloom.example.org"],
    "home_area": "EX4",
    "organizations": ["org-bloom"],
    "peer_support_hours": {"tuesday": ["09:30-15:00"], "thursday": ["19:00-24:00"]},
    "retention_days": 14,
}


def write(folder: Path, data: dict[str, object], name: str | None = None) -> Path:
    path = folder / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_shipped_default_tenant_loads_and_allows_its_own_demo_origin() -> None:
    tenants = Tenants.load(PROJECT_ROOT / "tenants")
    default = tenants.default
    assert default.allows_origin("http://127.0.0.1:8080")
    assert default.retention_days == 30


def test_a_tenant_file_gives_every_field(tmp_path: Path) -> None:
    tenant = load_tenant(write(tmp_path, GOOD))
    assert tenant.bot_name == "Bloom"
    assert tenant.organizations == ("org-bloom",)
    assert tenant.retention_days == 14
    assert tenant.public()["colours"]["primary"] == "#3b2a6b"
    assert "allowed_origins" not in tenant.public()


def test_origins_match_exactly_and_the_gateways_own_origin_is_allowed(tmp_path: Path) -> None:
    tenant = load_tenant(write(tmp_path, GOOD))
    assert tenant.allows_origin("https://bloom.example.org")
    assert not tenant.allows_origin("https://bloom.example.org.evil.example")
    assert not tenant.allows_origin("http://bloom.example.org")
    assert not tenant.allows_origin(None)
    assert tenant.allows_origin("http://127.0.0.1:9000", own_origin="http://127.0.0.1:9000")


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (datetime(2026, 11, 24, 10, 0, tzinfo=LONDON), True),  # Tuesday morning
        (datetime(2026, 11, 24, 15, 0, tzinfo=LONDON), False),  # Tuesday, just closed
        (datetime(2026, 11, 26, 23, 30, tzinfo=LONDON), True),  # Thursday late, open to midnight
        (datetime(2026, 11, 22, 3, 0, tzinfo=LONDON), False),  # Sunday 3am
    ],
)
def test_peer_support_hours_are_read_in_london_time(tmp_path: Path, moment: datetime, open_: bool) -> None:
    assert load_tenant(write(tmp_path, GOOD)).peer_support_open(moment) is open_


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colours": {**GOOD["colours"], "on_primary": "#4a3a7a"}}, "contrast"),  # type: ignore[dict-item]
        ({"colours": {**GOOD["colours"], "primary": "purple"}}, "colours.primary"),  # type: ignore[dict-item]
        ({"allowed_origins": ["https://bloom.example.org/"]}, "allowed_origins"),
        ({"allowed_origins": ["*"]}, "allowed_origins"),
        ({"peer_support_hours": {"funday": ["09:00-17:00"]}}, "unknown day"),
        ({"peer_support_hours": {"monday": ["9am-5pm"]}}, "09:00-17:00"),
        ({"peer_support_hours": {"monday": ["17:00-09:00"]}}, "close after"),
        ({"retention_days": 0}, "retention_days"),
        ({"name": ""}, "'name' is required"),
        ({"logo": "../../etc/passwd"}, "logo"),
    ],
)
def test_a_wrong_tenant_file_gets_an_error_naming_the_file_and_field(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(TenantError, match=r"bloom\.yaml") as error:
        load_tenant(write(tmp_path, {**GOOD, **change}))
    assert message in str(error.value)


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(TenantError, match="match the file name"):
        load_tenant(write(tmp_path, GOOD, name="other"))


def test_a_tenants_folder_needs_a_default(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    with pytest.raises(TenantError, match=r"default\.yaml"):
        Tenants.load(tmp_path)


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_a_changed_tenant_file_is_taken_in_and_a_broken_one_keeps_the_last_good_settings(tmp_path: Path) -> None:
    folder = tmp_path / "tenants"
    shutil.copytree(PROJECT_ROOT / "tenants", folder)
    tenants = Tenants.load(folder)
    assert not tenants.reload_if_changed(), "nothing changed"
    default = folder / "default.yaml"
    data = yaml.safe_load(default.read_text(encoding="utf-8"))
    data["name"] = "Renamed Charity"
    default.write_text(yaml.safe_dump(data), encoding="utf-8")
    (folder / "second.yaml").write_text(yaml.safe_dump({**data, "id": "second", "name": "Second"}), encoding="utf-8")
    assert tenants.reload_if_changed()
    assert tenants.default.name == "Renamed Charity"
    assert tenants.get("second") is not None

    data["colours"] = {**data["colours"], "on_primary": data["colours"]["primary"]}  # no contrast at all
    default.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(TenantError):
        tenants.reload_if_changed()
    assert tenants.default.name == "Renamed Charity", "the last good settings stay"
    assert tenants.get("second") is not None


async def test_the_running_gateway_takes_in_a_tenant_change_without_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "tenants"
    shutil.copytree(PROJECT_ROOT / "tenants", folder)
    tenants = Tenants.load(folder)
    watcher = asyncio.create_task(watch_tenants(tenants, interval=0.05))
    try:
        default = folder / "default.yaml"
        data = yaml.safe_load(default.read_text(encoding="utf-8"))
        data["name"] = "Renamed While Running"
        default.write_text(yaml.safe_dump(data), encoding="utf-8")
        for _ in range(100):
            if tenants.default.name == "Renamed While Running":
                break
            await asyncio.sleep(0.05)
        assert tenants.default.name == "Renamed While Running"
    finally:
        watcher.cancel()
