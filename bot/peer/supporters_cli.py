"""`nightlight supporters ...`: peer supporters' console accounts, from the command line."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from bot.peer.supporters import MIN_PASSWORD_CHARS, Role, SupporterError, Supporters
from bot.settings import Settings, SettingsError
from bot.tenants import LONDON, TenantError, Tenants

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Nightlight's data folder (default: NIGHTLIGHT_DATA_DIR, else .nightlight).",
)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(f"Bad setting: {error}") from None


def _open(data_dir: Path | None) -> Supporters:
    """The accounts: in the given data folder, else where the settings keep them (the shared PostgreSQL, if set)."""
    if data_dir is not None:
        return Supporters(data_dir / "console.db")
    return Supporters(_settings().store("console"))


def _password(from_stdin: bool) -> str:
    """A new password: one line on stdin, or typed twice without showing it."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Password (at least {MIN_PASSWORD_CHARS} characters)",
            hide_input=True,
            confirmation_prompt="Type it again",
        )
    if len(password) < MIN_PASSWORD_CHARS:
        raise click.ClickException(f"A password must be at least {MIN_PASSWORD_CHARS} characters long.")
    return str(password)


def _check_tenant(tenant: str) -> None:
    """Refuse a tenant this deployment does not have (NIGHTLIGHT_TENANTS_DIR, when it can be read)."""
    try:
        tenants = Tenants.load(_settings().tenants_dir)
    except (TenantError, OSError):
        return
    if tenants.get(tenant) is None:
        known = ", ".join(t.id for t in tenants)
        raise click.ClickException(f"There is no tenant {tenant!r}. Tenants here: {known}.")


@click.group()
def supporters() -> None:
    """Peer supporters' accounts for the console: add, list, disable, reset-password."""


@supporters.command()
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Her first name, as mothers will see it (like Sam).")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.SUPPORTER.value,
    show_default=True,
    help="Coordinators also keep the canned replies and read the audit trail.",
)
@click.option("--tenant", default="default", show_default=True, help="The charity (tenant id) she supports for.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@data_dir_option
def add(username: str, display_name: str, role: str, tenant: str, password_stdin: bool, data_dir: Path | None) -> None:
    """Create an account; the password is asked for twice and never shown."""
    _check_tenant(tenant)
    password = _password(password_stdin)
    accounts = _open(data_dir)
    try:
        supporter = accounts.add(username, display_name, role, password, tenant)
    except SupporterError as error:
        raise click.ClickException(str(error)) from None
    finally:
        accounts.close()
    click.echo(f"Added {supporter.username} ({supporter.display_name}, {supporter.role.value}, {supporter.tenant}).")


@supporters.command("list")
@click.option("--tenant", default=None, help="Only this tenant's supporters.")
@data_dir_option
def list_command(tenant: str | None, data_dir: Path | None) -> None:
    """List the accounts (never anything about their passwords)."""
    accounts = _open(data_dir)
    try:
        everyone = accounts.all(tenant)
    finally:
        accounts.close()
    if not everyone:
        click.echo("No supporters yet. Add one with `nightlight supporters add USERNAME --name NAME`.")
        return
    click.echo(f"{'username':<24} {'name':<16} {'role':<12} {'tenant':<16} {'status':<10} added")
    now = datetime.now(LONDON).timestamp()
    for s in everyone:
        status = "disabled" if s.disabled else "locked" if s.locked_until and s.locked_until > now else "active"
        added = datetime.fromtimestamp(s.created_at, LONDON).strftime("%Y-%m-%d")
        click.echo(f"{s.username:<24} {s.display_name:<16} {s.role.value:<12} {s.tenant:<16} {status:<10} {added}")


@supporters.command()
@click.argument("username")
@data_dir_option
def disable(username: str, data_dir: Path | None) -> None:
    """Stop an account signing in, and end its sessions (its open consoles close within a minute)."""
    accounts = _open(data_dir)
    try:
        supporter = accounts.disable(username)
    except SupporterError as error:
        raise click.ClickException(str(error)) from None
    finally:
        accounts.close()
    click.echo(f"Disabled {supporter.username}; their sessions have ended.")


@supporters.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@data_dir_option
def reset_password(username: str, password_stdin: bool, data_dir: Path | None) -> None:
    """Set a new password (this also lifts a lockout and ends the account's sessions)."""
    accounts = _open(data_dir)
    try:
        if accounts.by_username(username) is None:
            raise click.ClickException(f"There is no account called {username}.")
        password = _password(password_stdin)
        supporter = accounts.reset_password(username, password)
    except SupporterError as error:
        raise click.ClickException(str(error)) from None
    finally:
        accounts.close()
    click.echo(f"New password set for {supporter.username}; their old sessions have ended.")
