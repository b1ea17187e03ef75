"""The `nightlight` command."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from pathlib import Path

import aiohttp
import click
from aiohttp import web

from bot.peer.supporters_cli import supporters
from bot.settings import PROJECT_ROOT, Settings, SettingsError
from directory.cli import directory

NO_API_KEY = (
    "No API key: set NIGHTLIGHT_API_KEYS (or NIGHTLIGHT_API_KEYS_FILE) in this shell as the gateway has it, "
    "or start Nightlight once with `make run`, which makes .nightlight/api-key."
)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(f"Bad setting: {error}") from None


def _rasa_bin() -> Path:
    rasa = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
    if not rasa.exists():
        raise click.ClickException("Rasa is not installed in .venv-rasa. Run `make install` (or `make run`).")
    return rasa


@click.group()
def main() -> None:
    """Nightlight: a peer navigator for perinatal mental health."""
    # Everything Nightlight and the processes it starts create (transcripts, accounts, Rasa's tracker, logs) is
    # readable by its owner only.
    os.umask(0o077)


main.add_command(directory)
main.add_command(supporters)


@main.command()
@click.option("--force", is_flag=True, help="Train even if a model for this training data already exists.")
def train(force: bool) -> None:
    """Train the Rasa model if the training data or config.yml changed."""
    from bot.processes.training import TrainingFailed, ensure_model

    settings = _settings()
    try:
        model, trained = ensure_model(settings.project_root, settings.models_dir, _rasa_bin(), force=force)
    except TrainingFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{'Trained' if trained else 'Up to date'}: {model}")


@main.command()
def up() -> None:
    """Train if needed, then start the action server, Rasa and the gateway; Ctrl-C stops them all."""
    from bot.processes.supervisor import serve
    from bot.processes.training import TrainingFailed, ensure_model
    from directory.cli import load_sample_if_empty

    settings = _settings()
    try:
        model, _ = ensure_model(settings.project_root, settings.models_dir, _rasa_bin())
    except TrainingFailed as error:
        raise click.ClickException(str(error)) from None
    if settings.sample_directory == "auto":
        loaded = load_sample_if_empty(settings.database_url)
        if loaded:
            click.echo(f"Loaded the sample directory ({loaded} services) into an empty directory database.")
    sys.exit(asyncio.run(serve(settings, model, _rasa_bin())))


@main.command()
def gateway() -> None:
    """Run only the gateway (Rasa and the action server must be running)."""
    from bot.app import create_app
    from bot.contacts import ContactsError
    from bot.processes.logs import configure

    settings = _settings()
    configure(settings.log_level)
    try:
        app = create_app(settings)
    except ContactsError as error:
        raise click.ClickException(str(error)) from None
    web.run_app(app, host=settings.host, port=settings.port, access_log=None, print=None)


@main.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port to listen on (default: the port of the first NIGHTLIGHT_RASA_URL).",
)
@click.option(
    "--interface",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: a private address when gateways on other machines use this server.",
)
@click.option(
    "--model",
    "model_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The trained model (default: the one for the current training data, in NIGHTLIGHT_MODELS_DIR).",
)
def rasa(port: int | None, interface: str, model_file: Path | None) -> None:
    """Run one Rasa server on its own (for systemd and the like), with the endpoints made from the settings
    (tracker store, lock store, action server) and its HTTP API behind NIGHTLIGHT_RASA_TOKEN."""
    from bot.processes.supervisor import port_of, rasa_service, serve_one
    from bot.processes.training import model_path

    settings = _settings()
    if not settings.rasa_token:
        raise click.ClickException(
            "NIGHTLIGHT_RASA_TOKEN is not set. A Rasa server run on its own needs the token its gateways use: "
            "set the same NIGHTLIGHT_RASA_TOKEN (or NIGHTLIGHT_RASA_TOKEN_FILE) for both."
        )
    model = model_file or model_path(settings.project_root, settings.models_dir)
    if not model.exists():
        raise click.ClickException(
            f"There is no model for the current training data ({model}). Run `nightlight train` first, or copy "
            "the models folder from the machine that trained it, so every Rasa server runs the same model."
        )
    port = port_of(settings.rasa_url) if port is None else port
    service = rasa_service(settings, model, _rasa_bin(), settings.rasa_token, port, interface, name=f"rasa-{port}")
    banner = f"Rasa is ready on {interface}:{port} with {model.name}."
    sys.exit(asyncio.run(serve_one(settings, service, port, banner)))


@main.command()
def actions() -> None:
    """Run the action server on its own (for systemd and the like), on loopback at NIGHTLIGHT_ACTIONS_PORT, where
    the Rasa servers on this machine call it; it reads the directory at NIGHTLIGHT_DATABASE_URL."""
    from bot.processes.supervisor import actions_service, serve_one
    from directory.cli import load_sample_if_empty

    settings = _settings()
    if settings.sample_directory == "auto":
        loaded = load_sample_if_empty(settings.database_url)
        if loaded:
            click.echo(f"Loaded the sample directory ({loaded} services) into an empty directory database.")
    banner = f"The action server is ready on 127.0.0.1:{settings.actions_port}."
    sys.exit(asyncio.run(serve_one(settings, actions_service(settings), settings.actions_port, banner)))


@main.command("api-key")
def api_key() -> None:
    """Print the REST API key to use: the first of NIGHTLIGHT_API_KEYS (or its _FILE) when set, else the one
    `make run` keeps in .nightlight/api-key."""
    settings = _settings()
    if not settings.api_keys and not settings.local_api_key_path.exists():
        raise click.ClickException(NO_API_KEY)
    from bot.processes.supervisor import local_api_key

    click.echo(local_api_key(settings))


@main.command()
@click.argument("text")
@click.option("--conversation", default=None, help="Conversation id, to continue a conversation.")
@click.option("--url", default=None, help="Gateway address (default: from NIGHTLIGHT_HOST and NIGHTLIGHT_PORT).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
def ask(text: str, conversation: str | None, url: str | None, as_json: bool) -> None:
    """Send one message through the REST API and print the reply."""
    from bot.processes.supervisor import local_api_key

    settings = _settings()
    key = settings.api_keys[0] if settings.api_keys else None
    if key is None:
        if not settings.local_api_key_path.exists():
            raise click.ClickException(NO_API_KEY)
        key = local_api_key(settings)
    base = (url or f"http://{settings.host}:{settings.port}").rstrip("/")
    conversation = conversation or f"cli-{uuid.uuid4().hex}"
    body = {"payload": text} if text.startswith("/") and " " not in text else {"text": text}

    async def send() -> tuple[int, dict[str, object]]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{base}/api/v1/conversations/{conversation}/messages",
                json=body,
                headers={"Authorization": f"Bearer {key}"},
                timeout=aiohttp.ClientTimeout(total=60),
            ) as response,
        ):
            return response.status, await response.json(content_type=None)

    try:
        status, data = asyncio.run(send())
    except aiohttp.ClientError as error:
        raise click.ClickException(f"Cannot reach Nightlight at {base} ({error}). Is `make run` running?") from None
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if status != 200:
        problem = data.get("error", {})
        message = problem.get("message", data) if isinstance(problem, dict) else data
        raise click.ClickException(f"HTTP {status}: {message}")
    messages = data.get("messages", [])
    assert isinstance(messages, list)
    for message in messages:
        click.echo(message["text"])
        if message.get("link"):
            click.echo(f"Read more: {message['link']['title']} {message['link']['url']}")
        for button in message.get("buttons", []):
            click.echo(f"  [{button['title']}] {button['payload']}")
        click.echo()
    click.echo(f"(conversation {conversation}: continue it with --conversation {conversation})", err=True)


@main.command("screen")
def screen_command() -> None:
    """Read messages, one per line, on stdin; write one JSON screening result per line on stdout: the rules and,
    when it loads, the risk model (`ask` is true where Nightlight would ask her directly)."""
    from nlu.risk import load_risk_layer
    from nlu.screen import screen

    risk, status = load_risk_layer()
    if risk is None:
        click.echo(f"The risk model is not loaded ({status}): these results are the rules' alone.", err=True)
    for line in sys.stdin:
        text = line.rstrip("\n")
        result = screen(text)
        if risk is not None:
            result = risk.screen(result, text, ())
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
