"""What the gateway remembers about a conversation's safety: her nation and whether a crisis was recent.

Kept in a small SQLite file in the data folder so that a restart of the gateway does not forget that a mother
was in crisis an hour ago. It holds no message text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answers.nations import NOT_SAID
from bot.sqlite_file import connect_private

ELEVATED_SECONDS = 24 * 3600


@dataclass(frozen=True)
class SafetyState:
    """One conversation's safety state."""

    # "" until she says where she is: routes are then England's, and answers add a line for the other nations.
    nation: str = NOT_SAID
    elevated_until: float = 0.0
    rasa_told: bool = False

    def elevated(self, now: float | None = None) -> bool:
        """True for a day after a crisis."""
        return (time.time() if now is None else now) < self.elevated_until

    def after_crisis(self, now: float | None = None) -> SafetyState:
        """The state once a crisis has been answered: elevated for the next 24 hours."""
        return replace(self, elevated_until=(time.time() if now is None else now) + ELEVATED_SECONDS)


class SafetyStates:
    """A table of SafetyState by conversation, in SQLite."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = connect_private(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS safety_state ("
            " conversation TEXT PRIMARY KEY, nation TEXT NOT NULL, elevated_until REAL NOT NULL,"
            " rasa_told INTEGER NOT NULL)"
        )

    def get(self, conversation: str) -> SafetyState:
        """The state of a conversation (the default for one we have not seen)."""
        with self._lock:
            row = self._db.execute(
                "SELECT nation, elevated_until, rasa_told FROM safety_state WHERE conversation = ?", (conversation,)
            ).fetchone()
        return SafetyState(row[0], row[1], bool(row[2])) if row else SafetyState()

    def save(self, conversation: str, state: SafetyState) -> None:
        """Store a conversation's state."""
        self.update(conversation, lambda _: state)

    def update(self, conversation: str, change: Callable[[SafetyState], SafetyState]) -> SafetyState:
        """Read, change and store a conversation's state in one step, so two turns never undo each other."""
        with self._lock:
            row = self._db.execute(
                "SELECT nation, elevated_until, rasa_told FROM safety_state WHERE conversation = ?", (conversation,)
            ).fetchone()
            state = change(SafetyState(row[0], row[1], bool(row[2])) if row else SafetyState())
            self._db.execute(
                "INSERT INTO safety_state (conversation, nation, elevated_until, rasa_told) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(conversation) DO UPDATE SET nation = excluded.nation,"
                " elevated_until = excluded.elevated_until, rasa_told = excluded.rasa_told",
                (conversation, state.nation, state.elevated_until, int(state.rasa_told)),
            )
        return state

    def forget(self, conversation: str) -> None:
        """Delete a conversation's state."""
        with self._lock:
            self._db.execute("DELETE FROM safety_state WHERE conversation = ?", (conversation,))

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
