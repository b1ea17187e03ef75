"""Named exceptions raised by the service directory; the CLI, HTTP and actions turn them into words for a person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class NamedPlace(Protocol):
    """What an error needs of a place to name it (geography.Place has it): kept here so errors import nothing."""

    @property
    def name(self) -> str:
        """The place's own name: "Newport"."""
        ...

    @property
    def county(self) -> str:
        """The county it is in, as the place data names it."""
        ...

    @property
    def label(self) -> str:
        """The name to show when asking which one she meant: "Newport, Newport (Wales)"."""
        ...


class DirectoryError(Exception):
    """Base class for every error the directory raises on purpose."""


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an HSDS package: `row` is the spreadsheet row (the header is row 1), None for a file."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


class ImportFailed(DirectoryError):
    """The package was not imported (nothing changed); `problems` lists everything that is wrong."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"import failed, nothing was changed ({count}):\n{shown}{more}")


class UnknownPlace(DirectoryError):
    """A place we cannot find (or do not cover yet, like Northern Ireland); `reason` says which."""

    def __init__(self, query: str, reason: str) -> None:
        self.query = query
        self.reason = reason
        super().__init__(f"{query!r}: {reason}")


class AmbiguousPlace(DirectoryError):
    """A name that fits several places; `candidates` lets the assistant ask which one."""

    def __init__(self, query: str, candidates: Sequence[NamedPlace]) -> None:
        self.query = query
        self.candidates = candidates
        names = ", ".join(f"{place.name} ({place.county})" for place in candidates)
        super().__init__(f"{query!r} could be several places: {names}")


class InvalidPhoneNumber(DirectoryError, ValueError):
    """A phone number we cannot turn into a tel: or sms: link."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"not a phone number: {number!r}")
