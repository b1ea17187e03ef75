"""`nightlight directory ...`: import, export, search and the sample directory, from the command line."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.db import database_url, make_engine, migrate, session_factory
from directory.errors import AmbiguousPlace, ImportFailed, UnknownPlace
from directory.hsds import export_package, import_package
from directory.models import Service

LONDON = ZoneInfo("Europe/London")
SAMPLE_PACKAGE = Path(__file__).resolve().parent / "sample"
SAMPLE_SOURCE = "sample"

db_option = click.option(
    "--db", "db_url", default=None, help="Database URL (default: NIGHTLIGHT_DATABASE_URL, else the local SQLite file)."
)


def _session(db_url: str | None) -> Session:
    engine = make_engine(database_url(db_url))
    migrate(engine)
    return session_factory(engine)()


@click.group()
def directory() -> None:
    """The service directory: import, export and search."""


@directory.command("import")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="First remove everything previously imported from this source.")
@click.option("--source", default=None, help="Name of the source (default: the folder's name).")
@db_option
def import_command(path: Path, replace: bool, source: str | None, db_url: str | None) -> None:
    """Load an Open Referral HSDS 3.0 tabular package (a folder of CSV files). All or nothing."""
    with _session(db_url) as session, click.progressbar(length=1, label="Importing", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            summary = import_package(session, path, replace=replace, source=source, progress=progress)
        except ImportFailed as failure:
            click.echo("", err=True)
            click.echo(f"Nothing was imported: {len(failure.problems)} problem(s) in {path}:", err=True)
            for problem in failure.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(1)
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{count} {table}" for table, count in summary.counts.items() if count)
    click.echo(f"Imported from {summary.source}: {counts or 'nothing'}.")


@directory.command("export")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export_command(path: Path, db_url: str | None) -> None:
    """Write the directory back out as an HSDS 3.0 tabular package."""
    with _session(db_url) as session:
        export_package(session, path)
    click.echo(f"Exported to {path}")


def load_sample_if_empty(db_url: str | None = None) -> int:
    """Load the sample directory into an empty database; return how many services were loaded (0 if not empty)."""
    with _session(db_url) as session:
        if session.scalar(select(func.count()).select_from(Service)):
            return 0
        summary = import_package(session, SAMPLE_PACKAGE, source=SAMPLE_SOURCE)
    return summary.counts.get("service", 0)


@directory.command("load-sample")
@db_option
def load_sample_command(db_url: str | None) -> None:
    """Load the sample directory (fictional services around Exeter plus real national lines) if it is empty."""
    loaded = load_sample_if_empty(db_url)
    click.echo(f"Loaded {loaded} sample services." if loaded else "The directory already has services; left as it is.")


def _parse_at(value: str | None) -> datetime:
    if value is None:
        return datetime.now(LONDON)
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=LONDON)
    except ValueError:
        raise click.BadParameter("use Europe/London local time like 2026-11-24T10:00", param_hint="--at") from None


@directory.command("search")
@click.option("--near", required=True, help="A postcode, a postcode district (EX4) or a town.")
@click.option("--within-km", default=20.0, show_default=True, type=click.FloatRange(0.1, 1000))
@click.option("--at", "at_text", default=None, help="Europe/London local time, YYYY-MM-DDTHH:MM (default: now).")
@click.option(
    "--when",
    "when_text",
    default=None,
    help='A time window in words, like "tuesday mornings" or "weekday evenings", counted from --at (or now).',
)
@click.option("--tag", "tags", multiple=True, help="A perinatal taxonomy code, e.g. baby-welcome (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@db_option
def search_command(
    near: str,
    within_km: float,
    at_text: str | None,
    when_text: str | None,
    tags: tuple[str, ...],
    as_json: bool,
    db_url: str | None,
) -> None:
    """Services near a place, open at a time (or at any point in a window), with the given tags; remote included."""
    from directory.search import search
    from directory.when import phrase_spans

    at = _parse_at(at_text)
    during = phrase_spans(when_text, at) if when_text is not None else ()
    if during is None:
        raise click.BadParameter(f"{when_text!r} is not a time we understand", param_hint="--when")
    with _session(db_url) as session:
        try:
            if during:
                results = search(session, near, within_km=within_km, during=during, now=at, tags=tags)
            else:
                results = search(session, near, within_km=within_km, at=at, tags=tags)
        except AmbiguousPlace as ambiguous:
            click.echo(f"{near!r} could be more than one place. Which did you mean?", err=True)
            for place in ambiguous.candidates:
                click.echo(f"  {place.label}", err=True)
            sys.exit(2)
        except UnknownPlace as unknown:
            click.echo(f"{near!r}: {unknown.reason}", err=True)
            sys.exit(2)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in results], indent=2, ensure_ascii=False, default=str))
        return
    if any(r.sample for r in results):
        click.echo("SAMPLE DIRECTORY: example services, not real ones.\n")
    for result in results:
        where = "remote" if result.remote else f"{result.distance_km:.1f} km"
        click.echo(f"{result.name} ({where})\n  {result.reason}\n  {result.next_open_text}")
    if not results:
        click.echo("Nothing found. Try further away (--within-km) or another time.")
