"""Search the directory: near a place, open at a time, with the tags she asked for, ranked the way a person would.

How a search runs, in a few queries for each batch of services ranking reaches, whatever the size of the directory:

1. Local candidates, nearest first, from a map of every venue, tag and opening hour read once per directory version
   (`_Map`, in `_Snapshot`): the box around the place is searched as rings growing band by band (2, 5, 10, 20...
   km), each only when ranking needs it; first for services carrying every asked-for tag that could be open at that
   moment (a schedule row on that weekday at that hour), then, only if the results still need filling, the rest,
   which are closed. The exact haversine distance drops the box's corners.
2. Opening times: only the services ranking reaches have their full rules loaded and checked exactly with
   `schedules.open_at`.
3. Remote candidates (phone, text, online and national services), capped, filtered by the area they serve.
4. Everything is ranked in Python; only the results returned get their details, tags, contacts and next opening.

Ranking: open at the time asked > perinatal-specific > nearer > the tenant's own organisations; remote services
come after local ones in the same class. At night (22:00-07:00) lines that are open (helpline, text line, crisis)
come first, round-the-clock ones before the rest, because then a voice or a text is what can help.
"""

from directory.search._search import SearchResult, search, widen

__all__ = ["SearchResult", "search", "widen"]
