"""The sample directory, imported into SQLite and PostgreSQL, for the directory's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from directory.db import PROJECT_ROOT, migrate, session_factory
from directory.hsds import import_package
from directory.search import SearchResult
from tests.directory.test_db import DATABASE_KINDS, scratch_engine

SAMPLE = PROJECT_ROOT / "directory" / "sample"
BUMPS_AND_BABIES = "Bumps and Babies Peer Group, Exeter (sample)"


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """A session on the real sample package, imported once per database kind (PostgreSQL down fails, not skips)."""
    with scratch_engine(request.param, tmp_path_factory.mktemp(request.param)) as engine:
        migrate(engine)
        with session_factory(engine)() as session:
            import_package(session, SAMPLE)
            yield session


def by_name(results: list[SearchResult]) -> dict[str, SearchResult]:
    """Results by the service's name."""
    return {result.name: result for result in results}
