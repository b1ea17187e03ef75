"""How well the request reader finds place, time, kind and need in search requests from independent authors.

    .venv/bin/python tests/actions/request_report.py [--errors]

Each file in tests/actions/requests/ is one author's requests, labelled by that author with what they meant. A place
counts as right when it is the same place as the author's (or one we would ask "which one?" about); a time when we
understand it at all; a kind or need when it is the author's. Prints a line per author and the worst author.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from actions.search_request import read_request  # noqa: E402
from directory.errors import AmbiguousPlace, UnknownPlace  # noqa: E402
from directory.geography import resolve_place  # noqa: E402
from directory.schedules import LONDON  # noqa: E402

REQUESTS = Path(__file__).parent / "requests"
# A Tuesday evening: "tonight", "tomorrow" and weekday names all mean something then.
NOW = datetime(2026, 12, 1, 21, 0, tzinfo=LONDON)


@dataclass
class Tally:
    """Counts for one author."""

    author: str
    both_named: int = 0
    both_found: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("place", "when", "kind", "need"), 0))
    wrong: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("place", "when", "kind", "need"), 0))
    missed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("place", "when", "kind", "need"), 0))
    errors: list[str] = field(default_factory=list)

    @property
    def both_rate(self) -> float:
        return self.both_found / self.both_named if self.both_named else 1.0

    def wrong_rate(self, what: str) -> float:
        said = self.right[what] + self.wrong[what]
        return self.wrong[what] / said if said else 0.0


def same_place(labelled: str, found: str) -> bool:
    """Whether what we found is the place the author meant (or a name we would ask about)."""
    try:
        found_place = resolve_place(found)
    except AmbiguousPlace:
        return True
    except UnknownPlace:
        return False
    for query in (labelled, *labelled.replace(" or ", ",").split(",")):
        try:
            meant = resolve_place(query.strip().removeprefix("near ").strip())
        except (AmbiguousPlace, UnknownPlace):
            continue
        if meant.name == found_place.name or meant.outcode == found_place.outcode:
            return True
    # The author gave "Glasgow, G12": the district and the city are both her place.
    return found.lower() in labelled.lower()


def agrees(what: str, meant: str, got: str, needs: list[str]) -> bool:
    """Whether what the reader found is what the author meant (any time we understand counts)."""
    if what == "place":
        return same_place(meant, got)
    if what == "need":
        return got in needs
    return what == "when" or meant == got


def tally(path: Path) -> Tally:
    """Read one author's file and count."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    counts = Tally(str(data["author"]))
    for item in data["items"]:
        request = read_request(item["text"], NOW)
        needs = item.get("needs") or []
        checks = {
            "place": (item["place"], request.place),
            "when": (item["when"], request.when),
            "kind": (item["kind"], request.kind),
            "need": (needs[0] if needs else None, request.need),
        }
        for what, (meant, got) in checks.items():
            if got is None:
                counts.missed[what] += bool(meant)
                if meant and what in ("place", "when"):
                    counts.errors.append(f"  missed {what} {meant!r}: {item['text']}")
            elif meant and agrees(what, meant, got, needs):
                counts.right[what] += 1
            else:
                counts.wrong[what] += 1
                counts.errors.append(f"  wrong {what} {got!r} (meant {meant!r}): {item['text']}")
        if item["place"] and item["when"]:
            counts.both_named += 1
            counts.both_found += bool(request.place and request.when)
    return counts


def all_tallies() -> list[Tally]:
    """One tally per author file."""
    return [tally(path) for path in sorted(REQUESTS.glob("*.yml"))]


def main() -> None:
    """Print the figures, author by author."""
    show_errors = "--errors" in sys.argv
    tallies = all_tallies()
    print("author  place+time found  place wrong  time wrong  kind wrong  need wrong")
    for counts in tallies:
        print(
            f"{counts.author:7} {counts.both_found:3}/{counts.both_named:<3} {counts.both_rate:6.1%}"
            f"    {counts.wrong['place']:3}          {counts.wrong['when']:3}         {counts.wrong['kind']:3}"
            f"         {counts.wrong['need']:3}"
        )
        if show_errors:
            print("\n".join(counts.errors))
    worst = min(tallies, key=lambda counts: counts.both_rate)
    found = sum(c.both_found for c in tallies)
    named = sum(c.both_named for c in tallies)
    print(f"all     {found}/{named} {found / named:.1%}; worst author {worst.author} {worst.both_rate:.1%}")


if __name__ == "__main__":
    main()
