"""Loading the assistant's training data and domain for the content tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import PROJECT_ROOT


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yml"))


def _examples(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


@dataclass
class Assistant:
    """The domain, NLU examples and rules, merged across topic files."""

    intents: list[str] = field(default_factory=list)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    training: dict[str, list[str]] = field(default_factory=dict)
    held_out: dict[str, list[str]] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)


def _nlu(folder: Path) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for path in _yaml_files(folder):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                examples.setdefault(item["intent"], []).extend(_examples(item["examples"]))
    return examples


@cache
def assistant(root: Path = PROJECT_ROOT) -> Assistant:
    """Everything the model is trained from, plus the held-out NLU test set."""
    merged = Assistant()
    for path in _yaml_files(root / "domain"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged.intents.extend(i if isinstance(i, str) else next(iter(i)) for i in data.get("intents", []))
        merged.responses.update(data.get("responses", {}))
        merged.actions.extend(data.get("actions", []))
    merged.training = _nlu(root / "nlu")
    merged.held_out = _nlu(root / "tests" / "rasa" / "nlu")
    for intent, examples in _nlu(root / "tests" / "rasa" / "held_out").items():
        merged.held_out.setdefault(intent, []).extend(examples)
    for path in _yaml_files(root / "stories"):
        merged.rules.extend((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []))
    return merged
