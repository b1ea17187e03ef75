"""Answers that differ by UK nation: how to get talking therapy, refer yourself, get urgent help and reach specialist
perinatal teams in Scotland, Wales and Northern Ireland, from `nation_routes.yaml` beside the contacts file.

A response in the domain says which topic it is about and how its England text relates to the nation's:
`custom: {nation: {topic: self-referral, mode: replace}}`. Once she has said she is in Scotland, Wales or Northern
Ireland, a `replace` answer becomes that nation's text (and its England-only link goes), and an `add` answer gets
the nation's text after its own. When her nation is not known, the answer gets one line for the other nations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answers.nations import ENGLAND

NATION_ROUTES_FILE = "nation_routes.yaml"
NATIONS_WITH_OWN_ROUTES = ("scotland", "wales", "northern-ireland")
TOPICS = ("talking-therapy", "self-referral", "urgent-help", "specialist-perinatal")
MODES = ("replace", "add")
# Numbers live only in the contacts file: a run of five digits in an answer is a mistake.
_DIGITS = re.compile(r"\d[\d ]{3,}\d")


class NationAnswersError(ValueError):
    """The nation routes file is missing, malformed, gives a number, or names a route the contacts lack."""


@dataclass(frozen=True)
class NationAnswer:
    """One nation's answer to one topic."""

    text: str
    routes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Adapted:
    """An answer made right for her nation: its text, the routes to add, and whether its own link still fits."""

    text: str
    routes: tuple[str, ...] = ()
    keeps_link: bool = True


@dataclass(frozen=True)
class NationAnswers:
    """Every topic's answer for each nation with its own routes, and the line for when her nation is not known."""

    answers: dict[tuple[str, str], NationAnswer]
    elsewhere: dict[str, str]

    @classmethod
    def load(cls, path: Path, route_ids: frozenset[str]) -> NationAnswers:
        """Read and check the file: every topic for every nation, sources given, no numbers, known routes only."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise NationAnswersError(f"cannot read {path}: {error.strerror}") from error
        except yaml.YAMLError as error:
            raise NationAnswersError(f"{path} is not valid YAML: {error}") from error
        topics = data.get("topics") if isinstance(data, dict) else None
        if not isinstance(topics, dict):
            raise NationAnswersError(f"{path.name}: expected a 'topics' mapping")
        answers: dict[tuple[str, str], NationAnswer] = {}
        elsewhere: dict[str, str] = {}
        for topic in TOPICS:
            entry = topics.get(topic)
            if not isinstance(entry, dict):
                raise NationAnswersError(f"{path.name}: the topic {topic!r} is missing")
            elsewhere[topic] = _checked_text(entry.get("elsewhere"), f"{path.name} {topic}.elsewhere")
            for nation in NATIONS_WITH_OWN_ROUTES:
                answers[(topic, nation)] = _answer(entry.get(nation), f"{path.name} {topic}.{nation}", route_ids)
        return cls(answers=answers, elsewhere=elsewhere)

    def adapt(self, text: str, nation_said: dict[str, Any], nation: str) -> Adapted:
        """The answer for her nation ("" when she has not said) from the response's `nation` instruction."""
        topic, mode = str(nation_said.get("topic", "")), str(nation_said.get("mode", "add"))
        if topic not in TOPICS or mode not in MODES or nation == ENGLAND:
            return Adapted(text)
        answer = self.answers.get((topic, nation))
        if answer is None:  # not said: one line, so a mother in Scotland, Wales or Northern Ireland is not misled
            return Adapted(f"{text}\n\n{self.elsewhere[topic]}")
        if mode == "replace":
            return Adapted(answer.text, answer.routes, keeps_link=False)
        return Adapted(f"{text}\n\n{answer.text}", answer.routes)


def _checked_text(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise NationAnswersError(f"{where}: expected some text")
    if _DIGITS.search(raw):
        raise NationAnswersError(f"{where}: numbers belong in the contacts file, not in an answer")
    return raw.strip()


def _answer(raw: object, where: str, route_ids: frozenset[str]) -> NationAnswer:
    if not isinstance(raw, dict):
        raise NationAnswersError(f"{where}: missing")
    sources = tuple(str(url) for url in raw.get("sources") or ())
    if not sources or not all(re.match(r"^https?://\S+$", url) for url in sources):
        raise NationAnswersError(f"{where}: every answer needs the web pages it was checked against")
    routes = tuple(str(route) for route in raw.get("routes") or ())
    unknown = [route for route in routes if route not in route_ids]
    if unknown:
        raise NationAnswersError(f"{where}: routes not in the contacts file: {', '.join(unknown)}")
    return NationAnswer(text=_checked_text(raw.get("text"), where), routes=routes, sources=sources)
