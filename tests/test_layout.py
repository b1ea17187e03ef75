"""The layout stays readable: no import cycles, no folder of more than 15 modules, no module over 800 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

PACKAGES = ("bot", "actions", "nlu", "directory")
MAX_MODULES = 15
MAX_LINES = 800
# Long by nature: the screen's rule catalogues are lists of patterns, and migrations are written once and kept.
LONG_BY_NATURE = ("nlu/screen/_rules/", "/migrations/")
# Run by hand in their own PyTorch environment, never imported by the service (nlu/risk/training/README.md).
NOT_SERVICE_CODE = ("nlu/risk/training/",)


def modules() -> dict[str, Path]:
    """Every module of the service's code, by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if relative.startswith(NOT_SERVICE_CODE):
                continue
            name = relative[: -len(".py")].replace("/", ".").removesuffix(".__init__")
            found[name] = path
    return found


def imported_at_load(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The project's modules that loading this one imports: module-level imports, not those inside functions or
    under TYPE_CHECKING. Importing a.b.c loads the packages a.b and a first, unless they hold this module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    loaded = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            # A module's own packages are already loading when it loads: Python does not import them again.
            if prefix in known and prefix != name and not name.startswith(prefix + "."):
                loaded.add(prefix)
    return loaded


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for following in sorted(graph[node]):
            if state.get(following) == 1:
                return [*path[path.index(following) :], following]
            if following not in state and (found := visit(following)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_through_others() -> None:
    known = modules()
    graph = {name: imported_at_load(path, name, known) for name, path in known.items()}
    assert cycle_in(graph) is None, " -> ".join(cycle_in(graph) or [])


def test_the_cycle_finder_finds_a_cycle_and_passes_a_chain() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_loading_a_module_loads_the_packages_above_what_it_imports_but_not_its_own(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("from pkg.other.thing import x\nfrom . import sibling\n\ndef later():\n    import pkg.late\n")
    known = {name: Path() for name in ("pkg", "pkg.sub", "pkg.sub.sibling", "pkg.other", "pkg.other.thing", "pkg.late")}
    loaded = imported_at_load(source, "pkg.sub.mod", known)
    assert loaded == {"pkg.other", "pkg.other.thing", "pkg.sub.sibling"}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_folder_holds_more_than_15_modules(package: str) -> None:
    crowded = {}
    for folder in [PROJECT_ROOT / package, *(p for p in (PROJECT_ROOT / package).rglob("*") if p.is_dir())]:
        relative = folder.relative_to(PROJECT_ROOT).as_posix() + "/"
        if relative.startswith(NOT_SERVICE_CODE) or "/migrations/" in relative:
            continue
        count = len(list(folder.glob("*.py")))
        if count > MAX_MODULES:
            crowded[relative] = count
    assert not crowded, f"split these folders into sub-packages: {crowded}"


def test_no_module_is_over_800_lines_except_rule_catalogues_and_migrations() -> None:
    long = {}
    for path in modules().values():
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and not any(mark in "/" + relative for mark in LONG_BY_NATURE):
            long[relative] = lines
    assert not long, f"split these modules along what they do: {long}"
