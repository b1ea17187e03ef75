"""What the gateway remembers about a conversation's safety: her nation and whether a crisis was recent.

Kept in the gateway's database (a SQLite file in the data folder, or the PostgreSQL the gateways share) so that a
restart, or another gateway, does not forget that a mother was in crisis an hour ago. It holds no message text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.answers.nations import NOT_SAID
from bot.db import SQLStore, Where

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


class SafetyStates(SQLStore):
    """A table of SafetyState by conversation, in the gateway's database."""

    def __init__(self, where: Where) -> None:
        super().__init__(where, "gateway")

    def get(self, conversation: str) -> SafetyState:
        """The state of a conversation (the default for one we have not seen)."""
        with self._reading() as db:
            row = db.execute(
                "SELECT nation, elevated_until, rasa_told FROM safety_state WHERE conversation = :conversation",
                {"conversation": conversation},
            ).first()
        return SafetyState(row[0], row[1], bool(row[2])) if row else SafetyState()

    def save(self, conversation: str, state: SafetyState) -> None:
        """Store a conversation's state."""
        self.update(conversation, lambda _: state)

    def update(self, conversation: str, change: Callable[[SafetyState], SafetyState]) -> SafetyState:
        """Read, change and store a conversation's state in one step, so two turns never undo each other."""
        with self._transaction() as db:
            if self.postgresql:  # the row stays locked until the change is stored (SQLite's BEGIN IMMEDIATE does that)
                db.execute(
                    "INSERT INTO safety_state (conversation, nation, elevated_until, rasa_told) "
                    "VALUES (:conversation, '', 0, 0) ON CONFLICT (conversation) DO NOTHING",
                    {"conversation": conversation},
                )
            row = db.execute(
                "SELECT nation, elevated_until, rasa_told FROM safety_state WHERE conversation = :conversation"  # noqa: S608
                + (" FOR UPDATE" if self.postgresql else ""),
                {"conversation": conversation},
            ).first()
            state = change(SafetyState(row[0], row[1], bool(row[2])) if row else SafetyState())
            db.execute(
                "INSERT INTO safety_state (conversation, nation, elevated_until, rasa_told) "
                "VALUES (:conversation, :nation, :until, :told) ON CONFLICT (conversation) DO UPDATE SET "
                "nation = excluded.nation, elevated_until = excluded.elevated_until, rasa_told = excluded.rasa_told",
                {
                    "conversation": conversation,
                    "nation": state.nation,
                    "until": state.elevated_until,
                    "told": int(state.rasa_told),
                },
            )
        return state

    def forget(self, conversation: str) -> None:
        """Delete a conversation's state."""
        with self._transaction() as db:
            db.execute("DELETE FROM safety_state WHERE conversation = :conversation", {"conversation": conversation})
        if self.postgresql:
            self._scrub("safety_state")
