"""Delete a conversation from Rasa's tracker store: "delete my data" has to reach Rasa's copy too."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import unquote

log = logging.getLogger("nightlight.forget")


def delete_rasa_tracker(tracker_store_url: str, sender_id: str, project_root: Path) -> int:
    """Delete every event Rasa's SQL tracker store holds for a sender; returns how many rows went.

    Rasa 3.6 keeps a conversation as rows of its `events` table keyed by `sender_id`, and has no API to delete one.
    """
    if tracker_store_url.startswith("sqlite:///"):
        path = Path(unquote(tracker_store_url.removeprefix("sqlite:///")))
        if not path.is_absolute():
            path = project_root / path
        if not path.exists():
            return 0
        with sqlite3.connect(path, timeout=10) as db:
            db.execute("PRAGMA secure_delete=ON")  # overwrite her events, rather than leave them in free pages
            if not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'").fetchone():
                return 0
            return db.execute("DELETE FROM events WHERE sender_id = ?", (sender_id,)).rowcount
    import psycopg

    conninfo = tracker_store_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo, connect_timeout=10) as db:
        exists = db.execute("SELECT to_regclass('public.events')").fetchone()
        if not exists or exists[0] is None:
            return 0
        return db.execute("DELETE FROM events WHERE sender_id = %s", (sender_id,)).rowcount
