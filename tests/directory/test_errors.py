"""directory/errors.py is a leaf: every other module can raise its errors without an import cycle."""

from __future__ import annotations

import ast

from directory.db import PROJECT_ROOT

PROJECT_PACKAGES = {"actions", "bot", "directory", "nlu", "tests"}


def test_the_errors_import_nothing_from_the_project() -> None:
    tree = ast.parse((PROJECT_ROOT / "directory" / "errors.py").read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import ("from . import x") is the project's by definition.
            imported.append("directory" if node.level else node.module or "")
    assert not [name for name in imported if name.split(".")[0] in PROJECT_PACKAGES]
