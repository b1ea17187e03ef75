"""The hazard log in docs/safety/hazard-log.md is complete, consistent and names only tests that exist."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "safety" / "hazard-log.md"
INTENDED_PURPOSE = ROOT / "docs" / "safety" / "intended-purpose.md"

LIKELIHOODS = ("Very low", "Low", "Medium", "High", "Very high")
CONSEQUENCES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
# The standard DCB0129 matrix: MATRIX[likelihood][consequence index] is the risk, 1 to 5.
MATRIX = {
    "Very high": (3, 4, 4, 5, 5),
    "High": (2, 3, 3, 4, 5),
    "Medium": (2, 2, 3, 3, 4),
    "Low": (1, 2, 2, 3, 4),
    "Very low": (1, 1, 2, 2, 3),
}
FIELDS = (
    "Hazard",
    "Causes",
    "Effect",
    "Initial likelihood",
    "Initial consequence",
    "Initial risk",
    "Residual likelihood",
    "Residual consequence",
    "Residual risk",
)
STATUSES = ("verified", "in place, not yet tested", "planned")
# Each required hazard must have a title containing this phrase (case-insensitive).
REQUIRED_HAZARDS = (
    "missed crisis disclosure",
    "wrong or outdated crisis number",
    "unavailable at night",
    "handoff not picked up",
    "harmful detail given",
    "wrong or closed service suggested",
    "psychosis signs treated as baby blues",
    "intrusive thoughts met with alarm",
    "conversation exposed to another person",
    "reply delivered to the wrong chat",
    "crisis reply lost or split",
)

HEADING = re.compile(r"^## (H\d{2}): (.+)$", re.MULTILINE)
FIELD = re.compile(r"^- \*\*(.+?):\*\* (.+(?:\n  \S.*)*)", re.MULTILINE)
CONTROL = re.compile(r"^\d+\. ", re.MULTILINE)
STATUS = re.compile(r"^\s+- Status: (.+)$", re.MULTILINE)
NODE_ID = re.compile(r"`(tests/[\w/]+\.py::\w+)`")


@dataclass
class Control:
    text: str
    status: str
    tests: list[str]


@dataclass
class Hazard:
    id: str
    title: str
    fields: dict[str, str]
    controls: list[Control] = field(default_factory=list)


def parse(text: str) -> list[Hazard]:
    """Every `## Hnn: title` section with its fields and its numbered controls."""
    headings = list(HEADING.finditer(text))
    hazards = []
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        body = text[heading.end() : end]
        fields = {m.group(1): " ".join(m.group(2).split()) for m in FIELD.finditer(body)}
        hazard = Hazard(heading.group(1), heading.group(2).strip(), fields)
        if "### Controls" in body:
            controls_text = body.split("### Controls", 1)[1]
            # Controls end where the residual fields begin.
            controls_text = re.split(r"^- \*\*", controls_text, maxsplit=1, flags=re.MULTILINE)[0]
            starts = [m.start() for m in CONTROL.finditer(controls_text)]
            for j, start in enumerate(starts):
                chunk = controls_text[start : starts[j + 1] if j + 1 < len(starts) else len(controls_text)]
                status = STATUS.search(chunk)
                hazard.controls.append(
                    Control(
                        text=chunk.splitlines()[0],
                        status=status.group(1).strip() if status else "",
                        tests=NODE_ID.findall(chunk),
                    )
                )
        hazards.append(hazard)
    return hazards


@cache
def hazards() -> list[Hazard]:
    return parse(HAZARD_LOG.read_text(encoding="utf-8"))


@cache
def defined_tests(path: str) -> frozenset[str]:
    """Names of the test functions a test file defines, read with ast (pytest is not run)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
    )


def hazard_ids() -> list[str]:
    return [h.id for h in hazards()]


def by_id(hazard_id: str) -> Hazard:
    return next(h for h in hazards() if h.id == hazard_id)


def test_the_safety_file_exists() -> None:
    assert HAZARD_LOG.is_file()
    assert INTENDED_PURPOSE.is_file()


def test_hazards_are_numbered_in_order_without_gaps() -> None:
    ids = hazard_ids()
    assert ids, "no `## Hnn: title` sections found"
    assert ids == [f"H{n:02d}" for n in range(1, len(ids) + 1)]


def test_every_required_hazard_is_logged() -> None:
    titles = [h.title.lower() for h in hazards()]
    missing = [phrase for phrase in REQUIRED_HAZARDS if not any(phrase in title for title in titles)]
    assert not missing, f"hazards missing from the log: {missing}"


@pytest.mark.parametrize("hazard_id", hazard_ids())
def test_every_hazard_has_every_field(hazard_id: str) -> None:
    hazard = by_id(hazard_id)
    missing = [name for name in FIELDS if not hazard.fields.get(name)]
    assert not missing, f"{hazard_id} lacks {missing}"
    assert hazard.controls, f"{hazard_id} has no controls"


@pytest.mark.parametrize("hazard_id", hazard_ids())
def test_every_risk_matches_the_matrix(hazard_id: str) -> None:
    fields = by_id(hazard_id).fields
    risks = {}
    for stage in ("Initial", "Residual"):
        likelihood = fields[f"{stage} likelihood"]
        consequence = fields[f"{stage} consequence"]
        assert likelihood in LIKELIHOODS, f"{hazard_id}: unknown likelihood {likelihood!r}"
        assert consequence in CONSEQUENCES, f"{hazard_id}: unknown consequence {consequence!r}"
        expected = MATRIX[likelihood][CONSEQUENCES.index(consequence)]
        assert fields[f"{stage} risk"] == str(expected), f"{hazard_id}: {stage} risk should be {expected}"
        risks[stage] = expected
    assert risks["Residual"] <= risks["Initial"], f"{hazard_id}: residual risk is above the initial risk"


@pytest.mark.parametrize("hazard_id", hazard_ids())
def test_every_control_has_a_status_and_only_verified_controls_name_tests(hazard_id: str) -> None:
    for control in by_id(hazard_id).controls:
        assert control.status in STATUSES, f"{hazard_id}: {control.text!r} has status {control.status!r}"
        if control.status == "verified":
            assert control.tests, f"{hazard_id}: verified control {control.text!r} names no test"
        else:
            assert not control.tests, f"{hazard_id}: {control.status} control {control.text!r} names tests"


@pytest.mark.parametrize("hazard_id", hazard_ids())
def test_every_hazard_has_at_least_one_verified_control(hazard_id: str) -> None:
    assert any(c.status == "verified" and c.tests for c in by_id(hazard_id).controls), hazard_id


@pytest.mark.parametrize("hazard_id", hazard_ids())
def test_every_named_test_exists(hazard_id: str) -> None:
    for control in by_id(hazard_id).controls:
        for node_id in control.tests:
            path, name = node_id.split("::")
            assert (ROOT / path).is_file(), f"{hazard_id}: no file {path}"
            assert name in defined_tests(path), f"{hazard_id}: {path} defines no {name}"


def test_the_summary_table_matches_the_sections() -> None:
    text = HAZARD_LOG.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (H\d{2}) \| (.+?) \| (\d) \| (\d) \|$", text, flags=re.MULTILINE)
    assert [row[0] for row in rows] == hazard_ids()
    for hazard_id, title, initial, residual in rows:
        hazard = by_id(hazard_id)
        assert title == hazard.title, hazard_id
        assert (initial, residual) == (hazard.fields["Initial risk"], hazard.fields["Residual risk"]), hazard_id


def test_the_parser_sees_a_missing_field_and_an_unknown_test() -> None:
    broken = (
        "## H01: Example\n\n- **Hazard:** x\n\n### Controls\n\n1. A control.\n   - Status: verified\n"
        "   - Tests:\n     - `tests/bot/api/test_routes.py::test_no_such_test`\n\n- **Residual risk:** 1\n"
    )
    [hazard] = parse(broken)
    assert "Causes" not in hazard.fields
    assert hazard.controls[0].tests == ["tests/bot/api/test_routes.py::test_no_such_test"]
    assert "test_no_such_test" not in defined_tests("tests/bot/api/test_routes.py")
