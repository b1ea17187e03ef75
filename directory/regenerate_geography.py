"""Rebuild the shipped geography files in directory/data/ from their Open Government Licence sources.

Run `python -m directory.regenerate_geography` to rebuild `outcode_areas.csv` from the two source files shipped
beside it, or `--from FOLDER` with newer releases of those files (Code-Point Open outcode centroids and OS Open
Names places), which are then copied in unchanged (their attribution lines are part of the licence).
`outcode_areas.csv` is derived from them: for each postcode district, the local authority district, region and
country that most of its places lie in.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

OUTCODES_FILE = "outcode_centroids_gb_codepointopen_2025.2.0.csv"
PLACES_FILE = "gb_places_os_open_names.csv"
AREAS_FILE = "outcode_areas.csv"
SHIPPED_FILES = (OUTCODES_FILE, PLACES_FILE, AREAS_FILE)
DATA_DIR = Path(__file__).resolve().parent / "data"

_AREAS_NOTE = (
    f"# Postcode district areas derived from {OUTCODES_FILE} and {PLACES_FILE}: for each outcode, the"
    " district, region and country most of its places lie in (the nearest outcode's when it has no places)."
    " Regenerate with: python -m directory.regenerate_geography"
)


def _comment_lines(path: Path) -> list[str]:
    """The attribution lines at the top of a source file, without their line endings."""
    lines: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            lines.append(line.rstrip("\r\n"))
    return lines


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """The data rows of a source file, skipping its attribution lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; duplicated from geography so this script stands alone."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def derive_areas(source: Path) -> str:
    """The text of outcode_areas.csv, built from the two source files in `source`."""
    centroids = {row["outcode"]: (float(row["lat"]), float(row["lon"])) for row in _rows(source / OUTCODES_FILE)}
    counts: dict[str, Counter[tuple[str, str, str]]] = {}
    for row in _rows(source / PLACES_FILE):
        counts.setdefault(row["outcode"], Counter())[(row["district"], row["region"], row["country"])] += 1

    areas: dict[str, tuple[str, str, str]] = {}
    for outcode in centroids:
        if outcode in counts:
            # Ties are broken by name so the file is the same on every run.
            areas[outcode] = min(counts[outcode].items(), key=lambda item: (-item[1], item[0]))[0]
    # Central business districts (EC1A, W1A...) have postcodes but no named places: borrow the nearest area.
    for outcode, (lat, lon) in centroids.items():
        if outcode not in areas:
            nearest = min(
                (other for other in centroids if other in counts),
                key=lambda other: (_haversine_km(lat, lon, *centroids[other]), other),
            )
            areas[outcode] = areas[nearest]

    out = io.StringIO()
    out.write(_AREAS_NOTE + "\n")
    for line in _comment_lines(source / OUTCODES_FILE) + _comment_lines(source / PLACES_FILE):
        if not line.startswith(("# Postcode district (outward code)", "# Populated places")):
            out.write(line + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["outcode", "district", "region", "country"])
    for outcode in sorted(areas):
        writer.writerow([outcode, *areas[outcode]])
    return out.getvalue()


def regenerate(source: Path, target: Path = DATA_DIR) -> list[Path]:
    """Write the shipped geography files into `target` from the source files in `source`; returns what it wrote."""
    missing = [name for name in (OUTCODES_FILE, PLACES_FILE) if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} is missing {', '.join(missing)}")
    target.mkdir(parents=True, exist_ok=True)
    areas = derive_areas(source)
    for name in (OUTCODES_FILE, PLACES_FILE):
        if (source / name).resolve() != (target / name).resolve():
            shutil.copyfile(source / name, target / name)
    (target / AREAS_FILE).write_text(areas, encoding="utf-8", newline="")
    return [target / name for name in SHIPPED_FILES]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--from", dest="source", type=Path, default=DATA_DIR, help="folder holding the source CSVs (directory/data)"
    )
    parser.add_argument("--to", dest="target", type=Path, default=DATA_DIR, help="where to write (directory/data)")
    args = parser.parse_args(argv)
    for path in regenerate(args.source, args.target):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
