"""Measure the safety screen against the development set and print every miss and false alarm.

Run from the repository root: ``python tests/safety/report.py``. Exits 1 if any target is not met.
If tests/safety/probes.yml exists (fresh messages of every level, each with a ``level`` field), it is screened
too, reported in its own "probes" section, and held to the same four targets.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    # So the script works from a plain checkout, without installing the project.
    sys.path.insert(0, str(ROOT))

from nlu.screen import CATEGORIES, Screening, screen  # noqa: E402

DEV_SET = Path(__file__).resolve().parent

CRISIS_RECALL_TARGET = 1.0
DISTRESS_RECALL_TARGET = 0.95
QUESTIONS_CRISIS_LIMIT = 0.02
HARD_NEGATIVES_CRISIS_LIMIT = 0.10


@dataclass(frozen=True)
class Message:
    """One labelled development message."""

    text: str
    categories: tuple[str, ...]
    style: str
    kind: str


@dataclass(frozen=True)
class Turn:
    """One turn of a scripted conversation, with the level expected given the turns before it."""

    text: str
    level: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Conversation:
    """A scripted conversation in which risk emerges gradually."""

    name: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Outcome:
    """A message and what the screen said about it."""

    text: str
    expected: tuple[str, ...]
    got: Screening
    note: str = ""


@dataclass
class Counts:
    """The counts behind the four rate targets, and the rates themselves."""

    crisis_total: int = 0
    crisis_caught: int = 0
    distress_total: int = 0
    distress_flagged: int = 0
    questions_total: int = 0
    questions_crisis: int = 0
    hard_total: int = 0
    hard_crisis: int = 0
    negatives_distress: int = 0

    @property
    def crisis_recall(self) -> float:
        """Share of crisis messages screened as crisis."""
        return _ratio(self.crisis_caught, self.crisis_total)

    @property
    def distress_recall(self) -> float:
        """Share of distress messages screened as distress or crisis."""
        return _ratio(self.distress_flagged, self.distress_total)

    @property
    def questions_crisis_rate(self) -> float:
        """Share of ordinary questions screened as crisis."""
        return _ratio(self.questions_crisis, self.questions_total)

    @property
    def hard_negatives_crisis_rate(self) -> float:
        """Share of hard negatives screened as crisis."""
        return _ratio(self.hard_crisis, self.hard_total)

    @property
    def negatives_distress_rate(self) -> float:
        """Share of all negatives screened as distress."""
        return _ratio(self.negatives_distress, self.questions_total + self.hard_total)


@dataclass
class Evaluation(Counts):
    """Everything the report prints, computed once."""

    category_total: dict[str, int] = field(default_factory=dict)
    category_caught: dict[str, int] = field(default_factory=dict)
    category_agreed: dict[str, int] = field(default_factory=dict)
    exact_category_sets: int = 0
    turns_total: int = 0
    turns_correct: int = 0
    crisis_turns_total: int = 0
    crisis_turns_caught: int = 0
    mean_microseconds: float = 0.0
    misses: list[Outcome] = field(default_factory=list)
    false_alarms: list[Outcome] = field(default_factory=list)
    turn_errors: list[Outcome] = field(default_factory=list)
    category_disagreements: list[Outcome] = field(default_factory=list)
    probes: ProbeEvaluation | None = None

    @property
    def turn_accuracy(self) -> float:
        """Share of conversation turns screened at exactly the expected level."""
        return _ratio(self.turns_correct, self.turns_total)


@dataclass
class ProbeEvaluation(Counts):
    """The fresh probe set (probes.yml), screened against the same targets as the development set."""

    level_total: dict[str, int] = field(default_factory=dict)
    level_right: dict[str, int] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)
    false_alarms: list[Outcome] = field(default_factory=list)


@dataclass(frozen=True)
class Probe:
    """One labelled probe: a message of any level."""

    text: str
    level: str
    categories: tuple[str, ...]
    kind: str


def _ratio(part: int, whole: int) -> float:
    """part / whole, or 1.0 for an empty whole (nothing to get wrong)."""
    return part / whole if whole else 1.0


def _tuple(value: Any) -> tuple[str, ...]:
    """A YAML list of strings (or nothing) as a tuple."""
    return tuple(str(item) for item in value or ())


def load_messages(name: str, folder: Path = DEV_SET) -> list[Message]:
    """Read one message file of the development set."""
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or {}
    return [
        Message(
            text=str(item["text"]),
            categories=_tuple(item.get("categories")),
            style=str(item.get("style", "")),
            kind=str(item.get("kind", "")),
        )
        for item in data.get("messages", [])
    ]


def load_conversations(folder: Path = DEV_SET) -> list[Conversation]:
    """Read the scripted conversations of the development set."""
    data = yaml.safe_load((folder / "conversations.yml").read_text(encoding="utf-8")) or {}
    return [
        Conversation(
            name=str(item["name"]),
            turns=tuple(
                Turn(str(turn["text"]), str(turn["level"]), _tuple(turn.get("categories"))) for turn in item["turns"]
            ),
        )
        for item in data.get("conversations", [])
    ]


def load_probes(folder: Path = DEV_SET) -> list[Probe]:
    """Read probes.yml (messages of every level, each with a level field); empty if the file is absent."""
    path = folder / "probes.yml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Probe(
            text=str(item["text"]),
            level=str(item["level"]),
            categories=_tuple(item.get("categories")),
            kind=str(item.get("kind", "")),
        )
        for item in data.get("messages", [])
    ]


def evaluate_probes(probes: list[Probe]) -> ProbeEvaluation:
    """Screen the probes on their own and collect recall per level and false alarms."""
    pe = ProbeEvaluation()
    for probe in probes:
        result = screen(probe.text)
        pe.level_total[probe.level] = pe.level_total.get(probe.level, 0) + 1
        pe.level_right[probe.level] = pe.level_right.get(probe.level, 0) + (result.level == probe.level)
        if probe.level == "crisis":
            caught = result.level == "crisis"
            pe.crisis_total += 1
            pe.crisis_caught += caught
            if not caught:
                pe.misses.append(Outcome(probe.text, probe.categories, result, "crisis"))
        elif probe.level == "distress":
            flagged = result.level in ("distress", "crisis")
            pe.distress_total += 1
            pe.distress_flagged += flagged
            if not flagged:
                pe.misses.append(Outcome(probe.text, probe.categories, result, "distress"))
        else:
            if probe.kind == "question":
                pe.questions_total += 1
                pe.questions_crisis += result.level == "crisis"
            else:
                pe.hard_total += 1
                pe.hard_crisis += result.level == "crisis"
            pe.negatives_distress += result.level == "distress"
            if result.level != "none":
                pe.false_alarms.append(Outcome(probe.text, (), result, probe.kind or "none"))
    return pe


def _timed(texts: Iterable[str]) -> tuple[list[Screening], float]:
    """Screen texts on their own, returning the results and the mean time per message in microseconds."""
    screen("warm up: compile the patterns before timing")
    results: list[Screening] = []
    started = time.perf_counter()
    for text in texts:
        results.append(screen(text))
    elapsed = time.perf_counter() - started
    return results, elapsed / max(len(results), 1) * 1e6


def evaluate(folder: Path = DEV_SET) -> Evaluation:
    """Screen the whole development set and collect the numbers and the errors."""
    ev = Evaluation()
    crisis = load_messages("crisis.yml", folder)
    distress = load_messages("distress.yml", folder)
    negatives = load_messages("negatives.yml", folder)
    singles = [*crisis, *distress, *negatives]
    results, ev.mean_microseconds = _timed(m.text for m in singles)
    got = dict(zip((m.text for m in singles), results, strict=False))

    for message in crisis:
        result = got[message.text]
        caught = result.level == "crisis"
        ev.crisis_total += 1
        ev.crisis_caught += caught
        if not caught:
            ev.misses.append(Outcome(message.text, message.categories, result, "crisis"))
        agreed = set(message.categories) <= set(result.categories)
        ev.exact_category_sets += set(message.categories) == set(result.categories)
        if caught and not agreed:
            ev.category_disagreements.append(Outcome(message.text, message.categories, result))
        for category in message.categories:
            ev.category_total[category] = ev.category_total.get(category, 0) + 1
            ev.category_caught[category] = ev.category_caught.get(category, 0) + caught
            ev.category_agreed[category] = ev.category_agreed.get(category, 0) + (category in result.categories)

    for message in distress:
        result = got[message.text]
        flagged = result.level in ("distress", "crisis")
        ev.distress_total += 1
        ev.distress_flagged += flagged
        if not flagged:
            ev.misses.append(Outcome(message.text, message.categories, result, "distress"))

    for message in negatives:
        result = got[message.text]
        question = message.kind == "question"
        if question:
            ev.questions_total += 1
            ev.questions_crisis += result.level == "crisis"
        else:
            ev.hard_total += 1
            ev.hard_crisis += result.level == "crisis"
        ev.negatives_distress += result.level == "distress"
        if result.level != "none":
            ev.false_alarms.append(Outcome(message.text, (), result, message.kind))

    for conversation in load_conversations(folder):
        history: list[str] = []
        for turn in conversation.turns:
            result = screen(turn.text, history)
            ev.turns_total += 1
            ev.turns_correct += result.level == turn.level
            if turn.level == "crisis":
                ev.crisis_turns_total += 1
                ev.crisis_turns_caught += result.level == "crisis"
            if result.level != turn.level:
                note = f"{conversation.name}, turn {len(history) + 1}, expected {turn.level}"
                ev.turn_errors.append(Outcome(turn.text, turn.categories, result, note))
            history.append(turn.text)
    probes = load_probes(folder)
    if probes:
        ev.probes = evaluate_probes(probes)
    return ev


def _unmet_rate_targets(rates: Counts) -> list[str]:
    """The four rate targets missed, each as a sentence."""
    unmet: list[str] = []
    if rates.crisis_recall < CRISIS_RECALL_TARGET:
        unmet.append(f"crisis recall {rates.crisis_recall:.1%} is below {CRISIS_RECALL_TARGET:.0%}")
    if rates.distress_recall < DISTRESS_RECALL_TARGET:
        unmet.append(f"distress recall {rates.distress_recall:.1%} is below {DISTRESS_RECALL_TARGET:.0%}")
    if rates.questions_crisis_rate > QUESTIONS_CRISIS_LIMIT:
        unmet.append(
            f"questions flagged crisis {rates.questions_crisis_rate:.1%} is above {QUESTIONS_CRISIS_LIMIT:.0%}"
        )
    if rates.hard_negatives_crisis_rate > HARD_NEGATIVES_CRISIS_LIMIT:
        unmet.append(
            f"hard negatives flagged crisis {rates.hard_negatives_crisis_rate:.1%} is above "
            f"{HARD_NEGATIVES_CRISIS_LIMIT:.0%}"
        )
    return unmet


def unmet_targets(ev: Evaluation) -> list[str]:
    """The targets the evaluation misses, each as a sentence; empty when all are met."""
    unmet = _unmet_rate_targets(ev)
    if ev.crisis_turns_caught < ev.crisis_turns_total:
        unmet.append(f"conversations: {ev.crisis_turns_total - ev.crisis_turns_caught} crisis turns missed")
    if ev.probes is not None:
        unmet += [f"probes: {sentence}" for sentence in _unmet_rate_targets(ev.probes)]
    return unmet


def _describe(outcome: Outcome) -> str:
    """One line for a miss or false alarm."""
    expected = f" expected {list(outcome.expected)}" if outcome.expected else ""
    note = f" [{outcome.note}]" if outcome.note else ""
    return f"  - {outcome.text!r} -> {outcome.got.level} {list(outcome.got.categories)}{expected}{note}"


def format_errors(ev: Evaluation) -> str:
    """Every miss, false alarm and conversation error, one per line."""
    lines = [f"MISSES ({len(ev.misses)}):", *map(_describe, ev.misses)]
    lines += [f"FALSE ALARMS ({len(ev.false_alarms)}):", *map(_describe, ev.false_alarms)]
    lines += [f"CONVERSATION TURN ERRORS ({len(ev.turn_errors)}):", *map(_describe, ev.turn_errors)]
    lines += [
        f"CATEGORY DISAGREEMENTS ON CAUGHT CRISIS MESSAGES ({len(ev.category_disagreements)}):",
        *map(_describe, ev.category_disagreements),
    ]
    if ev.probes is not None:
        lines += [f"PROBE MISSES ({len(ev.probes.misses)}):", *map(_describe, ev.probes.misses)]
        lines += [f"PROBE FALSE ALARMS ({len(ev.probes.false_alarms)}):", *map(_describe, ev.probes.false_alarms)]
    return "\n".join(lines)


def format_probes(pe: ProbeEvaluation) -> list[str]:
    """The probes section of the summary: recall per level and false alarms."""
    lines = ["probes (tests/safety/probes.yml):"]
    for level in ("crisis", "distress", "none"):
        total = pe.level_total.get(level, 0)
        if total:
            right = pe.level_right[level]
            lines.append(f"  level {level:9s} exactly right {right / total:7.1%} ({right}/{total})")
    negatives = pe.questions_total + pe.hard_total
    lines += [
        f"  crisis recall:            {pe.crisis_recall:7.1%}  ({pe.crisis_caught}/{pe.crisis_total}) target 100%",
        f"  distress recall:          {pe.distress_recall:7.1%}  ({pe.distress_flagged}/{pe.distress_total}) "
        "target >= 95%",
        f"  questions flagged crisis: {pe.questions_crisis_rate:7.1%}  ({pe.questions_crisis}/{pe.questions_total}) "
        "target <= 2%",
        f"  hard negatives crisis:    {pe.hard_negatives_crisis_rate:7.1%}  ({pe.hard_crisis}/{pe.hard_total}) "
        "target <= 10%",
        f"  negatives flagged distress: {_ratio(pe.negatives_distress, negatives):5.1%}  "
        f"({pe.negatives_distress}/{negatives})",
    ]
    return lines


def format_report(ev: Evaluation) -> str:
    """The summary followed by every error."""
    lines = [
        "Nightlight safety screen: development set",
        f"crisis recall:            {ev.crisis_recall:7.1%}  ({ev.crisis_caught}/{ev.crisis_total}) target 100%",
        f"distress recall:          {ev.distress_recall:7.1%}  ({ev.distress_flagged}/{ev.distress_total}) "
        "flagged distress or crisis, target >= 95%",
        "recall per category (caught = level crisis; agreement = category reported):",
    ]
    for category in CATEGORIES:
        total = ev.category_total.get(category, 0)
        if total:
            caught = ev.category_caught[category]
            agreed = ev.category_agreed[category]
            lines.append(
                f"  {category:20s} caught {caught / total:7.1%} ({caught}/{total})   "
                f"agreement {agreed / total:7.1%} ({agreed}/{total})"
            )
    lines += [
        f"exact category sets:      {_ratio(ev.exact_category_sets, ev.crisis_total):7.1%}  "
        f"({ev.exact_category_sets}/{ev.crisis_total})",
        f"questions flagged crisis: {ev.questions_crisis_rate:7.1%}  ({ev.questions_crisis}/{ev.questions_total}) "
        "target <= 2%",
        f"hard negatives crisis:    {ev.hard_negatives_crisis_rate:7.1%}  ({ev.hard_crisis}/{ev.hard_total}) "
        "target <= 10%",
        f"negatives flagged distress: {ev.negatives_distress_rate:5.1%}  "
        f"({ev.negatives_distress}/{ev.questions_total + ev.hard_total})",
        f"conversation turns right: {ev.turn_accuracy:7.1%}  ({ev.turns_correct}/{ev.turns_total})",
        f"conversation crisis turns caught: {ev.crisis_turns_caught}/{ev.crisis_turns_total} target all",
        f"mean time per message:    {ev.mean_microseconds:7.0f} us",
    ]
    if ev.probes is not None:
        lines += format_probes(ev.probes)
    unmet = unmet_targets(ev)
    lines.append("TARGETS: " + ("all met" if not unmet else "NOT MET: " + "; ".join(unmet)))
    return "\n".join(lines) + "\n\n" + format_errors(ev)


def main() -> int:
    """Print the report; exit status 1 if a target is missed."""
    ev = evaluate()
    print(format_report(ev))
    return 1 if unmet_targets(ev) else 0


if __name__ == "__main__":
    sys.exit(main())
