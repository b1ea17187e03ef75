"""Import: a package checked whole, then loaded in one transaction; a replace also removes what the source dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory.errors import DirectoryError, ImportFailed, ImportProblem
from directory.hsds._checks import BATCH_SIZE, _Parsed, _validate
from directory.hsds._tables import TABLES
from directory.models import Attribute, Organization, TaxonomyTerm, bump_directory_version

Progress = Callable[[int, int], None]


# ---- summary --------------------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import did: rows loaded and removed per table, and warnings that did not stop it."""

    source: str
    replaced: bool
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Rows loaded across every table."""
        return sum(self.counts.values())


# ---- writing --------------------------------------------------------------------------------------------------


def _upsert_statement(session: Session, table: Table) -> Any:
    """INSERT ... ON CONFLICT (id) DO UPDATE for this session's database (SQLite or PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement: Any = postgresql_insert(table)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    else:
        raise DirectoryError(f"importing needs SQLite or PostgreSQL, not {dialect}")
    updates = {column.name: statement.excluded[column.name] for column in table.columns if column.name != "id"}
    return statement.on_conflict_do_update(index_elements=[table.c.id], set_=updates)


# Self-references: rows are loaded with the link empty, then linked, so their order in the file does not matter.
_SELF_LINKS = {Organization: "parent_organization_id", TaxonomyTerm: "parent_id"}


def _load(
    session: Session, parsed: dict[str, _Parsed], source: str, progress: Progress | None, summary: ImportSummary
) -> None:
    total = sum(len(content.rows) for content in parsed.values())
    done = 0
    if progress:
        progress(0, total)
    for spec in TABLES:
        content = parsed.get(spec.file)
        if content is None:
            continue
        table = spec.table
        statement = _upsert_statement(session, table)
        self_link = _SELF_LINKS.get(spec.model)
        for start in range(0, len(content.rows), BATCH_SIZE):
            batch = [{**row, "source": source} for row in content.rows[start : start + BATCH_SIZE]]
            if self_link:
                for row in batch:
                    row[self_link] = None
            session.execute(statement, batch)
            done += len(batch)
            if progress:
                progress(done, total)
        if self_link:
            links = [{"row_id": row["id"], "target": row[self_link]} for row in content.rows if row[self_link]]
            if links:
                link = update(table).where(table.c.id == bindparam("row_id")).values({self_link: bindparam("target")})
                session.connection().execute(link, links)
        summary.counts[table.name] = len(content.rows)


def _delete_source(session: Session, source: str, summary: ImportSummary) -> None:
    """Remove every row an earlier import of `source` loaded, children first (taxonomy terms come later)."""
    for spec in reversed(TABLES):
        table = spec.table
        if spec.model is TaxonomyTerm:
            continue
        if spec.model is Organization:
            # Unlink parent organisations first so the DELETE never depends on the order of its own rows.
            session.execute(update(table).where(table.c.source == source).values(parent_organization_id=None))
        result: Any = session.execute(delete(table).where(table.c.source == source))
        if result.rowcount:
            summary.deleted[table.name] = result.rowcount


def _delete_unused_terms(session: Session, source: str, loaded: set[str], summary: ImportSummary) -> None:
    """After a replace, drop this source's old taxonomy terms that nothing uses any more."""
    # Terms are a shared vocabulary: keep any that another source's attributes or terms still point at.
    used = select(Attribute.taxonomy_term_id)
    parents = select(TaxonomyTerm.parent_id).where(TaxonomyTerm.parent_id.is_not(None))
    stale = [
        term_id
        for term_id in session.scalars(
            select(TaxonomyTerm.id).where(
                TaxonomyTerm.source == source, TaxonomyTerm.id.not_in(used), TaxonomyTerm.id.not_in(parents)
            )
        )
        if term_id not in loaded
    ]
    for start in range(0, len(stale), BATCH_SIZE):
        session.execute(delete(TaxonomyTerm).where(TaxonomyTerm.id.in_(stale[start : start + BATCH_SIZE])))
    if stale:
        summary.deleted[TaxonomyTerm.__tablename__] = len(stale)


def import_package(
    session: Session,
    path: Path,
    *,
    replace: bool = False,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate then load an HSDS package in one transaction; raises ImportFailed (and changes nothing) on problems.

    Re-imported ids are updated; with `replace`, rows from the same source (default: the folder's name) that are
    not in the package are removed. Commits on success.
    """
    path = Path(path)
    source = source or path.resolve().name
    try:
        parsed, warnings = _validate(session, path, source, replace)
        summary = ImportSummary(source=source, replaced=replace, warnings=warnings)
        if replace:
            _delete_source(session, source, summary)
        _load(session, parsed, source, progress, summary)
        if replace:
            terms = parsed.get("taxonomy_terms.csv")
            _delete_unused_terms(session, source, terms.ids if terms else set(), summary)
        # In the same transaction: search's cache of the directory is dropped exactly when this import commits.
        bump_directory_version(session)
        session.flush()
        session.commit()
        # The rows changed underneath the ORM (Core upserts); objects loaded earlier must not show old values.
        session.expire_all()
    except IntegrityError as error:
        session.rollback()
        raise ImportFailed(
            [
                ImportProblem(
                    "(database)",
                    None,
                    None,
                    "rows already in the database (from another source) still point at rows this import would "
                    f"remove or change: {error.orig}",
                )
            ]
        ) from error
    except BaseException:
        session.rollback()
        raise
    return summary
