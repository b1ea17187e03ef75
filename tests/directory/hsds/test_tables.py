"""The package's tables name every column of the models they load into, so nothing is lost on the way out or in."""

from __future__ import annotations

from directory.hsds import TABLES


def test_every_model_column_is_written_to_the_package() -> None:
    for spec in TABLES:
        model_columns = {column.name for column in spec.table.columns} - {"source"}
        assert {column.name for column in spec.columns} == model_columns, spec.file
