"""SQL the steps of a search share: the taxonomy terms, tag and venue tests, and ids bound as one parameter."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, literal_column, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from directory.models import Attribute, Location, Service, TaxonomyTerm

PERINATAL_TAGS = frozenset(
    {
        "perinatal-mental-health-team",
        "pregnancy",
        "postnatal",
        "specialist-charity",
        "birth-trauma",
        "loss",
        "parent-baby-group",
        "baby-welcome",
    }
)
LINE_TAGS = frozenset({"helpline", "text-line", "crisis"})


@dataclass(frozen=True)
class _Terms:
    """Taxonomy term ids search needs, read per search (a few dozen rows) so a re-import is seen at once."""

    ids: dict[str, str]  # code -> term id
    perinatal: frozenset[str]  # term ids of the perinatal codes
    lines: frozenset[str]  # term ids of every term coded as a line (helpline, text line, crisis)

    @classmethod
    def read(cls, session: Session) -> _Terms:
        """Read the taxonomy terms."""
        rows = session.connection().execute(select(TaxonomyTerm.id, TaxonomyTerm.code)).all()
        ids = {code: term_id for term_id, code in rows if code}
        return cls(
            ids=ids,
            perinatal=frozenset(ids[code] for code in PERINATAL_TAGS if code in ids),
            lines=frozenset(term_id for term_id, code in rows if code in LINE_TAGS),
        )


def _tagged_with_any(codes: Iterable[str], terms: dict[str, str]) -> ColumnElement[bool]:
    """Whether the service carries at least one of `codes` (a correlated EXISTS on the attribute index)."""
    ids = [terms[code] for code in codes if code in terms]
    return exists().where(
        Attribute.link_entity == "service", Attribute.link_id == Service.id, Attribute.taxonomy_term_id.in_(ids)
    )


def _physical() -> ColumnElement[bool]:
    """A location people can go to: it has coordinates and is not virtual."""
    return and_(
        Location.latitude.is_not(None),
        Location.longitude.is_not(None),
        or_(Location.location_type.is_(None), Location.location_type != "virtual"),
    )


def _among(column: InstrumentedAttribute[Any], sqlite: bool) -> ColumnElement[bool]:
    """`column IN :ids`, the ids bound at each run (`_ids`), for statements built once and run many times: their
    building and cache keys cost more than the query. On SQLite the ids are one bound JSON array, since rendering
    thousands of bound ids costs milliseconds."""
    if sqlite:
        return column.in_(select(literal_column("value")).select_from(func.json_each(bindparam("ids"))))
    return column.in_(bindparam("ids", expanding=True))


def _ids(session: Session, ids: Iterable[str]) -> tuple[bool, dict[str, Any]]:
    """Whether the session is on SQLite, and the ids as `_among`'s parameter there (one JSON array) or elsewhere."""
    sqlite = session.connection().dialect.name == "sqlite"
    listed = list(ids)
    return sqlite, {"ids": json.dumps(listed) if sqlite else listed}


def _chunks(ids: Sequence[str], size: int = 5000) -> list[Sequence[str]]:
    """Slices small enough to stay well inside SQLite's limit on bound parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]
