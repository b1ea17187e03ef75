"""Tenants: one deployment, many charities. Each has a YAML file in the tenants folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

LONDON = ZoneInfo("Europe/London")
TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
WINDOW = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LOGO_SUFFIXES = {".png": "image/png", ".svg": "image/svg+xml"}
# WCAG 2.1 AA asks for 4.5:1 between normal text and its background.
MIN_CONTRAST = 4.5
DEFAULT_TENANT = "default"


class TenantError(ValueError):
    """A tenant file Nightlight cannot use; the message names the file and the field."""


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours, from 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Colours:
    """The widget's palette; each text colour is checked against its background."""

    primary: str
    on_primary: str
    background: str
    text: str


@dataclass(frozen=True)
class Window:
    """Part of a day when peer supporters may be on shift, in London time."""

    day: int  # Monday is 0
    opens: time
    closes: time  # time(0, 0) would be ambiguous, so a window to midnight closes at 23:59:59

    def contains(self, moment: datetime) -> bool:
        """Whether the moment, in London time, is on this window's day, at or after it opens and before it closes."""
        local = moment.astimezone(LONDON)
        return local.weekday() == self.day and self.opens <= local.time() < self.closes


@dataclass(frozen=True)
class Tenant:
    """One charity: how the widget looks, where it may run, and how long its transcripts are kept."""

    id: str
    name: str
    bot_name: str
    colours: Colours
    logo: Path | None
    allowed_origins: tuple[str, ...]
    home_area: str | None
    organizations: tuple[str, ...]
    peer_support_hours: tuple[Window, ...]
    retention_days: int

    def allows_origin(self, origin: str | None, own_origin: str | None = None) -> bool:
        """Exact match only: a widget may start on the charity's listed origins and on the gateway's own pages."""
        if not origin:
            return False
        return origin in self.allowed_origins or (own_origin is not None and origin == own_origin)

    def peer_support_open(self, moment: datetime) -> bool:
        """Whether the time falls inside the tenant's peer-support hours."""
        return any(window.contains(moment) for window in self.peer_support_hours)

    def public(self) -> dict[str, Any]:
        """What the widget is told about its charity: nothing secret."""
        return {
            "id": self.id,
            "name": self.name,
            "bot_name": self.bot_name,
            "colours": {
                "primary": self.colours.primary,
                "on_primary": self.colours.on_primary,
                "background": self.colours.background,
                "text": self.colours.text,
            },
            "logo": f"/tenants/{self.id}/logo" if self.logo else None,
        }


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise TenantError(f"{where}: '{key}' is required")
    return data[key]


def _text(data: dict[str, Any], key: str, where: str, limit: int = 80) -> str:
    value = _require(data, key, where)
    if not isinstance(value, str) or len(value.strip()) > limit:
        raise TenantError(f"{where}: '{key}' must be text of at most {limit} characters")
    return value.strip()


def _colours(raw: object, where: str) -> Colours:
    if not isinstance(raw, dict):
        raise TenantError(f"{where}: 'colours' must map primary, on_primary, background and text to #rrggbb")
    values = {}
    for key in ("primary", "on_primary", "background", "text"):
        value = raw.get(key)
        if not isinstance(value, str) or not COLOUR.match(value):
            raise TenantError(f"{where}: colours.{key} must be a colour like #3b2a6b, not {value!r}")
        values[key] = value.lower()
    colours = Colours(**values)
    for fore, back in (("on_primary", "primary"), ("text", "background"), ("primary", "background")):
        ratio = contrast(getattr(colours, fore), getattr(colours, back))
        if ratio < MIN_CONTRAST:
            raise TenantError(
                f"{where}: colours.{fore} on colours.{back} has a contrast of {ratio:.1f}:1; "
                f"WCAG AA needs at least {MIN_CONTRAST}:1. Choose a darker or lighter colour."
            )
    return colours


def _hours(raw: object, where: str) -> tuple[Window, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise TenantError(f"{where}: 'peer_support_hours' must map days (monday...) to lists like ['09:00-17:00']")
    windows = []
    for day, spans in raw.items():
        if day not in DAYS:
            raise TenantError(f"{where}: peer_support_hours has an unknown day {day!r}; use monday ... sunday")
        for span in spans or ():
            match = WINDOW.match(str(span))
            if not match:
                raise TenantError(f"{where}: peer_support_hours.{day} has {span!r}; write it like '09:00-17:00'")
            opens = time(int(match[1]), int(match[2]))
            closes = time(23, 59, 59) if match[3] == "24" else time(int(match[3]), int(match[4]))
            if closes <= opens:
                raise TenantError(f"{where}: peer_support_hours.{day} {span!r} must close after it opens")
            windows.append(Window(DAYS.index(day), opens, closes))
    return tuple(windows)


def load_tenant(path: Path) -> Tenant:
    """Read and check one tenant file."""
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TenantError(f"{where}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise TenantError(f"{where}: a tenant file is a YAML mapping")
    tenant_id = _text(data, "id", where, 40)
    if not TENANT_ID.match(tenant_id) or tenant_id != path.stem:
        raise TenantError(f"{where}: 'id' must be lower-case letters, digits and '-', and match the file name")
    origins = data.get("allowed_origins") or []
    if not isinstance(origins, list):
        raise TenantError(f"{where}: 'allowed_origins' must be a list like ['https://charity.org.uk']")
    for origin in origins:
        if not isinstance(origin, str) or not ORIGIN.match(origin):
            raise TenantError(
                f"{where}: allowed_origins has {origin!r}; an origin is scheme and host only, "
                "like https://charity.org.uk (no path, no trailing slash)"
            )
    logo = data.get("logo")
    logo_path = None
    if logo:
        logo_path = (path.parent / str(logo)).resolve()
        if (
            logo_path.suffix not in LOGO_SUFFIXES
            or not logo_path.is_file()
            or logo_path.parent != path.parent.resolve()
        ):
            raise TenantError(f"{where}: 'logo' must name a .png or .svg file in the tenants folder")
    retention = data.get("retention_days", 30)
    if not isinstance(retention, int) or not 1 <= retention <= 3650:
        raise TenantError(f"{where}: 'retention_days' must be a whole number of days from 1 to 3650")
    organizations = data.get("organizations") or []
    if not isinstance(organizations, list) or not all(isinstance(o, str) for o in organizations):
        raise TenantError(f"{where}: 'organizations' must be a list of HSDS organization ids")
    home = data.get("home_area")
    return Tenant(
        id=tenant_id,
        name=_text(data, "name", where),
        bot_name=_text(data, "bot_name", where, 40),
        colours=_colours(data.get("colours"), where),
        logo=logo_path,
        allowed_origins=tuple(origins),
        home_area=str(home).strip() if home else None,
        organizations=tuple(organizations),
        peer_support_hours=_hours(data.get("peer_support_hours"), where),
        retention_days=retention,
    )


@dataclass(frozen=True)
class Tenants:
    """Every tenant of this deployment, by id: read again when a tenant file changes (see `reload_if_changed`)."""

    by_id: dict[str, Tenant]
    folder: Path | None = None
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # file name -> (modified ns, size)

    @classmethod
    def load(cls, folder: Path) -> Tenants:
        """Load every `*.yaml` in the folder; there must be a `default` tenant."""
        stamps = _stamps(folder)
        return cls(_read_all(folder), folder, stamps)

    def reload_if_changed(self) -> bool:
        """Read the tenant files again if any was added, changed or removed, and take them all in at once.

        Returns whether anything changed. A file with a mistake raises TenantError, and the tenants stay as they
        were, so a typo made while the gateway runs never takes a charity's widget down.
        """
        if self.folder is None:
            return False
        stamps = _stamps(self.folder)
        if stamps == self.stamps:
            return False
        fresh = _read_all(self.folder)
        self.by_id.clear()
        self.by_id.update(fresh)
        self.stamps.clear()
        self.stamps.update(stamps)
        return True

    def get(self, tenant_id: str | None) -> Tenant | None:
        """The tenant with this id, or None."""
        return self.by_id.get(tenant_id or "")

    @property
    def default(self) -> Tenant:
        """The tenant from default.yaml, which every deployment must have."""
        return self.by_id[DEFAULT_TENANT]

    def __iter__(self) -> Any:
        return iter(self.by_id.values())


def _read_all(folder: Path) -> dict[str, Tenant]:
    tenants = {}
    for path in sorted(folder.glob("*.yaml")):
        tenant = load_tenant(path)
        tenants[tenant.id] = tenant
    if DEFAULT_TENANT not in tenants:
        raise TenantError(f"{folder}: there must be a default.yaml tenant (see tenants/default.yaml)")
    return tenants


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Each tenant file's and logo's modification time and size, to notice a change without reading them."""
    found = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.suffix in (".yaml", *LOGO_SUFFIXES) and path.is_file():
            info = path.stat()
            found[path.name] = (info.st_mtime_ns, info.st_size)
    return found
