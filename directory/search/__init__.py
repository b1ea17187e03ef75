"""Search the directory: near a place, open at a time, with the tags she asked for, ranked the way a person would.

How a search runs (`_search.py`), in a few queries for each batch of services ranking reaches, whatever the size of
the directory:

1. Local venues on the map (`_venues.py`): candidates nearest first, from a map of every venue, tag and opening hour
   read once per directory version (`_Map`, in `_Snapshot`): the box around the place is searched as rings growing
   band by band (2, 5, 10, 20... km), each only when ranking needs it; first for services carrying every asked-for
   tag that could be open at that moment (a schedule row on that weekday at that hour), then, only if the results
   still need filling, the rest, which are closed. The exact haversine distance drops the box's corners.
2. Could-be-open hours and opening times (`_hours.py`): the hours of the week each row could be open in, on the
   map; only the services ranking reaches have their full rules loaded and checked exactly with
   `schedules.open_at`.
3. Remote services (`_remote.py`): phone, text, online and national services, capped, filtered by the area they
   serve.
4. Results and reasons (`_results.py`): everything is ranked in Python (`_ranking.py`); only the results returned get
   their details, tags, contacts, next opening and a one-line reason.

Ranking: open at the time asked > perinatal-specific > nearer > the tenant's own organisations; remote services
come after local ones in the same class. At night (22:00-07:00) lines that are open (helpline, text line, crisis)
come first, round-the-clock ones before the rest, because then a voice or a text is what can help.

`_queries.py` holds the SQL the steps share. Only the names below are public.
"""

from directory.search._results import SearchResult
from directory.search._search import search, widen

__all__ = ["SearchResult", "search", "widen"]
