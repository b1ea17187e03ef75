"""Handoffs to peer supporters: the state machine, the queue and the record, in one SQLite database.

A handoff moves through these states, and only along these arrows:

    offered ──accept──▶ accepted ──queue──▶ queued ──claim──▶ claimed ──end──▶ ended
       │                   │                  │                 │ ▲
       ├─decline─▶ declined│                  ├─withdraw─▶ ended └─┘ transfer
       └─expire──▶ expired ◀──────expire──────┘

Claims are decided by the database: `UPDATE ... WHERE status = 'queued'` changes one row for exactly one caller,
however many supporters press "claim" at the same moment.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from bot.sqlite_file import SQLiteFile


class Status(str, Enum):
    """Where a handoff is."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    QUEUED = "queued"
    CLAIMED = "claimed"
    ENDED = "ended"
    DECLINED = "declined"
    EXPIRED = "expired"


# What a supporter can say about how a chat ended, in her closing note for the coordinators (never free text).
OUTCOMES = {
    "talked": "talked it through",
    "signposted": "pointed her to services",
    "urgent-help": "helped her reach urgent or crisis help",
    "left": "she left before we could talk",
    "other": "other",
}
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OFFERED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.EXPIRED}),
    Status.ACCEPTED: frozenset({Status.QUEUED, Status.EXPIRED}),
    Status.QUEUED: frozenset({Status.CLAIMED, Status.ENDED, Status.EXPIRED}),
    Status.CLAIMED: frozenset({Status.CLAIMED, Status.ENDED}),
    Status.ENDED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.EXPIRED: frozenset(),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS handoffs (
    id TEXT PRIMARY KEY,
    conversation TEXT NOT NULL,
    tenant TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '{}',
    share_transcript INTEGER NOT NULL DEFAULT 0,
    supporter TEXT,
    created_at REAL NOT NULL,
    queued_at REAL,
    claimed_at REAL,
    ended_at REAL,
    reminded_at REAL
);
-- At most one handoff that is still going per conversation.
CREATE UNIQUE INDEX IF NOT EXISTS one_active_handoff ON handoffs(conversation)
    WHERE status IN ('offered', 'accepted', 'queued', 'claimed');
CREATE INDEX IF NOT EXISTS handoff_queue ON handoffs(tenant, status, urgent, queued_at);
CREATE TABLE IF NOT EXISTS handoff_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff TEXT NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,
    author TEXT NOT NULL CHECK (author IN ('her', 'supporter', 'note')),
    supporter TEXT,
    text TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    delivered_at REAL
);
CREATE INDEX IF NOT EXISTS handoff_messages_by_handoff ON handoff_messages(handoff, id);
-- Who did what and when, for coordinators: pseudonymous ids and times only, never message text.
CREATE TABLE IF NOT EXISTS handoff_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    event TEXT NOT NULL,
    handoff TEXT NOT NULL,
    conversation TEXT NOT NULL,
    supporter TEXT,
    seconds REAL,
    tenant TEXT
);
"""


class HandoffError(ValueError):
    """A move the state machine does not allow, or a handoff that does not exist."""


def audit_id(text: str) -> str:
    """A pseudonymous id for the audit trail: the same conversation gives the same id, and it cannot be reversed."""
    return hashlib.sha256(b"nightlight-audit:" + text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Handoff:
    """One request for a peer supporter."""

    id: str
    conversation: str
    tenant: str
    channel: str
    status: Status
    urgent: bool
    reason: str
    summary: dict[str, Any]
    share_transcript: bool
    supporter: str | None
    created_at: float
    queued_at: float | None
    claimed_at: float | None
    ended_at: float | None
    reminded_at: float | None

    def waiting_seconds(self, now: float | None = None) -> float:
        """How long she has waited in the queue."""
        if self.queued_at is None:
            return 0.0
        until = self.claimed_at or self.ended_at or (time.time() if now is None else now)
        return max(0.0, until - self.queued_at)

    def as_dict(self) -> dict[str, Any]:
        """The handoff as the console sees it (the summary, never the transcript)."""
        return {
            "id": self.id,
            "status": self.status.value,
            "urgent": self.urgent,
            "reason": self.reason,
            "channel": self.channel,
            "summary": self.summary,
            "share_transcript": self.share_transcript,
            "supporter": self.supporter,
            "queued_at": self.queued_at,
            "claimed_at": self.claimed_at,
        }


@dataclass(frozen=True)
class HandoffMessage:
    """A message inside a handoff: hers, a supporter's, or a supporter's private note."""

    id: int
    handoff: str
    author: str
    supporter: str | None
    text: str
    urgent: bool
    created_at: float


COLUMNS = (
    "id, conversation, tenant, channel, status, urgent, reason, summary, share_transcript, supporter, "
    "created_at, queued_at, claimed_at, ended_at, reminded_at"
)


def _handoff(row: tuple[Any, ...]) -> Handoff:
    return Handoff(
        id=row[0],
        conversation=row[1],
        tenant=row[2],
        channel=row[3],
        status=Status(row[4]),
        urgent=bool(row[5]),
        reason=row[6],
        summary=json.loads(row[7]),
        share_transcript=bool(row[8]),
        supporter=row[9],
        created_at=row[10],
        queued_at=row[11],
        claimed_at=row[12],
        ended_at=row[13],
        reminded_at=row[14],
    )


class Handoffs(SQLiteFile):
    """The handoff database. Thread-safe; every change is one transaction."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, SCHEMA)
        audit_columns = {row[1] for row in self._db.execute("PRAGMA table_info(handoff_audit)")}
        if "tenant" not in audit_columns:  # a database made before the audit trail knew its tenant
            self._db.execute("ALTER TABLE handoff_audit ADD COLUMN tenant TEXT")

    def _get(self, db: sqlite3.Connection, handoff_id: str) -> Handoff:
        row = db.execute(f"SELECT {COLUMNS} FROM handoffs WHERE id = ?", (handoff_id,)).fetchone()  # noqa: S608
        if row is None:
            raise HandoffError("There is no such handoff.")
        return _handoff(row)

    def _move(self, db: sqlite3.Connection, handoff: Handoff, to: Status, now: float, **columns: object) -> Handoff:
        if to not in TRANSITIONS[handoff.status]:
            raise HandoffError(f"A handoff that is {handoff.status.value} cannot become {to.value}.")
        sets = ", ".join(["status = ?", *(f"{name} = ?" for name in columns)])
        db.execute(
            f"UPDATE handoffs SET {sets} WHERE id = ? AND status = ?",  # noqa: S608 (column names are ours)
            (to.value, *columns.values(), handoff.id, handoff.status.value),
        )
        return self._get(db, handoff.id)

    def _audit(
        self, db: sqlite3.Connection, event: str, handoff: Handoff, now: float, supporter: str | None = None
    ) -> None:
        seconds = handoff.waiting_seconds(now) if event == "claimed" else None
        if event.startswith("ended") and handoff.claimed_at is not None:
            seconds = now - handoff.claimed_at
        db.execute(
            "INSERT INTO handoff_audit(at, event, handoff, conversation, supporter, seconds, tenant) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, event, audit_id(handoff.id), audit_id(handoff.conversation), supporter, seconds, handoff.tenant),
        )

    def get(self, handoff_id: str) -> Handoff:
        """A handoff by id; HandoffError if there is none."""
        with self._lock:
            return self._get(self._db, handoff_id)

    def active(self, conversation: str) -> Handoff | None:
        """The handoff still going for a conversation, if there is one."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM handoffs WHERE conversation = ? "  # noqa: S608
                "AND status IN ('offered', 'accepted', 'queued', 'claimed')",
                (conversation,),
            ).fetchone()
        return _handoff(row) if row else None

    def offer(
        self,
        conversation: str,
        tenant: str,
        channel: str,
        reason: str,
        *,
        urgent: bool = False,
        now: float | None = None,
    ) -> Handoff:
        """Offer her a peer supporter; one already going is returned as it is (made urgent if need be)."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {COLUMNS} FROM handoffs WHERE conversation = ? "  # noqa: S608
                "AND status IN ('offered', 'accepted', 'queued', 'claimed')",
                (conversation,),
            ).fetchone()
            if row is not None:
                existing = _handoff(row)
                if urgent and not existing.urgent:
                    db.execute("UPDATE handoffs SET urgent = 1 WHERE id = ?", (existing.id,))
                    existing = self._get(db, existing.id)
                return existing
            handoff_id = secrets.token_urlsafe(12)
            db.execute(
                "INSERT INTO handoffs(id, conversation, tenant, channel, status, urgent, reason, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (handoff_id, conversation, tenant, channel, Status.OFFERED.value, int(urgent), reason, now),
            )
            handoff = self._get(db, handoff_id)
            self._audit(db, "offered", handoff, now)
            return handoff

    def accept(
        self, handoff_id: str, summary: dict[str, Any], *, share_transcript: bool, now: float | None = None
    ) -> Handoff:
        """She said yes: record what she agreed the supporter may see, and put her in the queue."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            handoff = self._move(
                db,
                self._get(db, handoff_id),
                Status.ACCEPTED,
                now,
                summary=json.dumps(summary),
                share_transcript=int(share_transcript),
            )
            self._audit(db, "accepted", handoff, now)
            handoff = self._move(db, handoff, Status.QUEUED, now, queued_at=now)
            self._audit(db, "queued", handoff, now)
            return handoff

    def decline(self, handoff_id: str, now: float | None = None) -> Handoff:
        """She said no thanks; the bot carries on."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            handoff = self._move(db, self._get(db, handoff_id), Status.DECLINED, now, ended_at=now)
            self._audit(db, "declined", handoff, now)
            return handoff

    def claim(self, handoff_id: str, supporter: str, now: float | None = None) -> Handoff | None:
        """Claim a queued handoff; exactly one supporter wins, the others get None."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE handoffs SET status = 'claimed', supporter = ?, claimed_at = ? "
                "WHERE id = ? AND status = 'queued'",
                (supporter, now, handoff_id),
            ).rowcount
            if changed != 1:
                return None
            handoff = self._get(db, handoff_id)
            self._audit(db, "claimed", handoff, now, supporter)
            return handoff

    def transfer(self, handoff_id: str, from_supporter: str, to_supporter: str, now: float | None = None) -> Handoff:
        """Pass a claimed handoff from one supporter to another."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            handoff = self._get(db, handoff_id)
            if handoff.supporter != from_supporter:
                raise HandoffError("Only the supporter who has this chat can transfer it.")
            handoff = self._move(db, handoff, Status.CLAIMED, now, supporter=to_supporter)
            self._audit(db, f"transferred to {to_supporter}", handoff, now, from_supporter)
            return handoff

    def end(self, handoff_id: str, by: str, now: float | None = None) -> Handoff:
        """End a handoff (the supporter ended the chat, or she went back to the bot or withdrew)."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            handoff = self._move(db, self._get(db, handoff_id), Status.ENDED, now, ended_at=now)
            self._audit(db, f"ended by {by}", handoff, now, handoff.supporter)
            return handoff

    def closing_note(
        self, handoff_id: str, supporter: str, outcome: str, safeguarding: bool, now: float | None = None
    ) -> None:
        """The supporter's closing note on a chat that has ended: an outcome from a fixed list and whether there was a
        safeguarding concern, for the coordinators. It goes in the audit trail and never holds anyone's words."""
        if outcome not in OUTCOMES:
            raise HandoffError(f"The outcome must be one of: {', '.join(OUTCOMES)}.")
        now = time.time() if now is None else now
        with self._transaction() as db:
            handoff = self._get(db, handoff_id)
            if handoff.status is not Status.ENDED or handoff.supporter != supporter:
                raise HandoffError("Only the supporter who had this chat can leave a note, once it has ended.")
            already = db.execute(
                "SELECT 1 FROM handoff_audit WHERE handoff = ? AND event LIKE 'closing note:%'",
                (audit_id(handoff.id),),
            ).fetchone()
            if already:
                raise HandoffError("This chat already has a closing note.")
            concern = "yes" if safeguarding else "no"
            self._audit(
                db, f"closing note: {OUTCOMES[outcome]}; safeguarding concern: {concern}", handoff, now, supporter
            )

    def expire(self, older_than: float, now: float | None = None, *, offers_only: bool = False) -> list[Handoff]:
        """Offers nobody answered and queued handoffs left too long become expired (only offers, if asked)."""
        now = time.time() if now is None else now
        waiting = "status = 'offered'" if offers_only else "status IN ('offered', 'accepted', 'queued')"
        expired = []
        with self._transaction() as db:
            rows = db.execute(
                f"SELECT {COLUMNS} FROM handoffs WHERE {waiting} "  # noqa: S608 (our own fixed conditions)
                "AND COALESCE(queued_at, created_at) < ?",
                (older_than,),
            ).fetchall()
            for row in rows:
                handoff = self._move(db, _handoff(row), Status.EXPIRED, now, ended_at=now)
                self._audit(db, "expired", handoff, now)
                expired.append(handoff)
        return expired

    def mark_reminded(self, handoff_id: str, now: float | None = None) -> None:
        """She has been told that nobody has picked her message up yet."""
        with self._transaction() as db:
            db.execute(
                "UPDATE handoffs SET reminded_at = ? WHERE id = ?", (time.time() if now is None else now, handoff_id)
            )

    def queue(self, tenant: str | None = None) -> list[Handoff]:
        """Handoffs waiting for a supporter: urgent first, then whoever has waited longest."""
        query = f"SELECT {COLUMNS} FROM handoffs WHERE status = 'queued'"  # noqa: S608
        params: tuple[str, ...] = ()
        if tenant is not None:
            query += " AND tenant = ?"
            params = (tenant,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY urgent DESC, queued_at, id", params).fetchall()
        return [_handoff(row) for row in rows]

    def claimed_by(self, supporter: str) -> list[Handoff]:
        """The chats a supporter has now."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM handoffs WHERE status = 'claimed' AND supporter = ? "  # noqa: S608
                "ORDER BY claimed_at",
                (supporter,),
            ).fetchall()
        return [_handoff(row) for row in rows]

    def add_message(
        self,
        handoff_id: str,
        author: str,
        text: str,
        *,
        supporter: str | None = None,
        urgent: bool = False,
        now: float | None = None,
    ) -> HandoffMessage:
        """Store a message in a handoff (before anyone is told it arrived)."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            self._get(db, handoff_id)
            cursor = db.execute(
                "INSERT INTO handoff_messages(handoff, author, supporter, text, urgent, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (handoff_id, author, supporter, text, int(urgent), now),
            )
            assert cursor.lastrowid is not None
            return HandoffMessage(cursor.lastrowid, handoff_id, author, supporter, text, urgent, now)

    def messages(self, handoff_id: str, after: int = 0, *, with_notes: bool = True) -> list[HandoffMessage]:
        """A handoff's messages after an id, oldest first; private notes only for the console."""
        query = (
            "SELECT id, handoff, author, supporter, text, urgent, created_at FROM handoff_messages "
            "WHERE handoff = ? AND id > ?"
        )
        if not with_notes:
            query += " AND author != 'note'"
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", (handoff_id, after)).fetchall()
        return [HandoffMessage(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]

    def audit(self, tenant: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """The newest audit events (of one tenant, if given): what happened, when, by whom, and how long; never
        message text."""
        query = "SELECT at, event, handoff, conversation, supporter, seconds FROM handoff_audit"
        params: tuple[object, ...] = (limit,)
        if tenant is not None:
            query += " WHERE tenant = ?"
            params = (tenant, limit)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id DESC LIMIT ?", params).fetchall()
        keys = ("at", "event", "handoff", "conversation", "supporter", "seconds")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def forget(self, conversation: str) -> int:
        """Delete her handoffs and their messages; the audit trail keeps only its pseudonymous ids."""
        return len(self.forget_listing(conversation))

    def forget_listing(self, conversation: str) -> list[tuple[str, str]]:
        """`forget`, returning the (id, tenant) of each handoff deleted, so the consoles can be told."""
        with self._transaction() as db:
            gone = [
                (str(r[0]), str(r[1]))
                for r in db.execute("SELECT id, tenant FROM handoffs WHERE conversation = ?", (conversation,))
            ]
            ids = [handoff_id for handoff_id, _ in gone]
            for handoff_id in ids:
                db.execute("DELETE FROM handoff_messages WHERE handoff = ?", (handoff_id,))
            db.execute("DELETE FROM handoffs WHERE conversation = ?", (conversation,))
        self._checkpoint()  # the write-ahead log still holds the old pages until a checkpoint
        return gone
