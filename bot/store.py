"""The message store: every inbound message is written here before it is acknowledged, every reply before it is sent.

SQLite, in the gateway's data folder. It holds transcripts only for as long as the tenant's retention allows, and
"delete my data" removes a conversation from it completely.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sqlite_file import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    conversation TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT,               -- where replies go (a Telegram chat id); NULL for the widget and the API
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS inbound (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL REFERENCES conversations(conversation) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'payload')),
    body TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    received_at REAL NOT NULL,
    handled_at REAL
);
CREATE INDEX IF NOT EXISTS inbound_pending ON inbound(handled_at) WHERE handled_at IS NULL;
CREATE INDEX IF NOT EXISTS inbound_conversation ON inbound(conversation);
CREATE INDEX IF NOT EXISTS inbound_received ON inbound(received_at);
CREATE TABLE IF NOT EXISTS outbound (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL REFERENCES conversations(conversation) ON DELETE CASCADE,
    inbound_id INTEGER,
    body TEXT NOT NULL,          -- JSON: {"messages": [...], "safety": {...}, "handoff": ...}
    crisis INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    delivered_at REAL
);
CREATE INDEX IF NOT EXISTS outbound_undelivered ON outbound(conversation, delivered_at);
CREATE INDEX IF NOT EXISTS outbound_created ON outbound(created_at);
CREATE TABLE IF NOT EXISTS seen_keys (
    dedupe_key TEXT PRIMARY KEY,  -- kept after the message is purged, so an old Telegram update is never replayed
    seen_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Inbound:
    """A message she sent, as stored."""

    id: int
    conversation: str
    tenant: str
    channel: str
    kind: str
    body: str


@dataclass(frozen=True)
class Outbound:
    """A reply to her, as stored: delivered_at stays empty until her channel has it."""

    id: int
    conversation: str
    channel: str
    address: str | None
    body: dict[str, Any]
    crisis: bool
    created_at: float


class MessageStore(SQLiteFile):
    """Inbound messages, outbound replies and the conversations they belong to. Thread-safe; call it off the loop."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, SCHEMA)

    def record_inbound(
        self,
        conversation: str,
        tenant: str,
        channel: str,
        kind: str,
        body: str,
        *,
        address: str | None = None,
        dedupe_key: str | None = None,
        now: float | None = None,
    ) -> Inbound | None:
        """Store a message she sent; None if a message with the same dedupe key was already stored."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            if dedupe_key is not None:
                if db.execute("SELECT 1 FROM seen_keys WHERE dedupe_key = ?", (dedupe_key,)).fetchone():
                    return None
                db.execute("INSERT INTO seen_keys(dedupe_key, seen_at) VALUES (?, ?)", (dedupe_key, now))
            db.execute(
                "INSERT INTO conversations(conversation, tenant, channel, address, created_at, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(conversation) DO UPDATE SET last_seen = excluded.last_seen, "
                "address = COALESCE(excluded.address, conversations.address)",
                (conversation, tenant, channel, address, now, now),
            )
            cursor = db.execute(
                "INSERT INTO inbound(conversation, kind, body, dedupe_key, received_at) VALUES (?, ?, ?, ?, ?)",
                (conversation, kind, body, dedupe_key, now),
            )
            assert cursor.lastrowid is not None
            return Inbound(cursor.lastrowid, conversation, tenant, channel, kind, body)

    def record_reply(
        self,
        inbound: Inbound | None,
        conversation: str,
        body: dict[str, Any],
        *,
        crisis: bool,
        now: float | None = None,
    ) -> Outbound:
        """Store a reply and mark the message it answers as handled, in one transaction."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            row = db.execute(
                "SELECT channel, address FROM conversations WHERE conversation = ?", (conversation,)
            ).fetchone()
            if row is None:
                raise KeyError("no such conversation")
            cursor = db.execute(
                "INSERT INTO outbound(conversation, inbound_id, body, crisis, created_at) VALUES (?, ?, ?, ?, ?)",
                (conversation, inbound.id if inbound else None, json.dumps(body), int(crisis), now),
            )
            if inbound is not None:
                db.execute("UPDATE inbound SET handled_at = ? WHERE id = ?", (now, inbound.id))
            db.execute("UPDATE conversations SET last_seen = ? WHERE conversation = ?", (now, conversation))
            assert cursor.lastrowid is not None
            return Outbound(cursor.lastrowid, conversation, row[0], row[1], body, crisis, now)

    def pending_inbound(self) -> list[Inbound]:
        """Messages stored but never answered (the gateway stopped in between), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT i.id, i.conversation, c.tenant, c.channel, i.kind, i.body FROM inbound i "
                "JOIN conversations c USING (conversation) WHERE i.handled_at IS NULL ORDER BY i.id"
            ).fetchall()
        return [Inbound(*row) for row in rows]

    def undelivered(self, conversation: str | None = None, channel: str | None = None) -> list[Outbound]:
        """Replies not yet delivered: for one conversation, or every one on a channel; crisis replies first."""
        query = (
            "SELECT o.id, o.conversation, c.channel, c.address, o.body, o.crisis, o.created_at FROM outbound o "
            "JOIN conversations c USING (conversation) WHERE o.delivered_at IS NULL"
        )
        params: list[str] = []
        if conversation is not None:
            query += " AND o.conversation = ?"
            params.append(conversation)
        if channel is not None:
            query += " AND c.channel = ?"
            params.append(channel)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY o.crisis DESC, o.id", params).fetchall()
        return [Outbound(r[0], r[1], r[2], r[3], json.loads(r[4]), bool(r[5]), r[6]) for r in rows]

    def mark_delivered(self, outbound_id: int, now: float | None = None) -> None:
        """Her channel has this reply."""
        with self._transaction() as db:
            db.execute(
                "UPDATE outbound SET delivered_at = ? WHERE id = ?", (time.time() if now is None else now, outbound_id)
            )

    def channel_of(self, conversation: str) -> tuple[str | None, str | None]:
        """The channel and reply address of a conversation, or (None, None) if nothing is stored for it."""
        with self._lock:
            row = self._db.execute(
                "SELECT channel, address FROM conversations WHERE conversation = ?", (conversation,)
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def conversation_tenant(self, conversation: str) -> str | None:
        """The tenant a conversation belongs to, or None if nothing is stored for it."""
        with self._lock:
            row = self._db.execute(
                "SELECT tenant FROM conversations WHERE conversation = ?", (conversation,)
            ).fetchone()
        return row[0] if row else None

    def transcript(self, conversation: str) -> list[tuple[str, str, float]]:
        """What she wrote ("her"), the buttons she chose, by their titles ("her-choice"), and what was answered
        ("nightlight"), in order, as (who, text, when)."""
        with self._lock:
            ins = self._db.execute(
                "SELECT kind, body, received_at FROM inbound WHERE conversation = ?", (conversation,)
            ).fetchall()
            outs = self._db.execute(
                "SELECT body, created_at FROM outbound WHERE conversation = ? ORDER BY id", (conversation,)
            ).fetchall()
        answered = [(json.loads(body).get("messages", []), when) for body, when in outs]
        lines: list[tuple[str, str, float]] = []
        for kind, body, when in ins:
            if kind == "text":
                lines.append(("her", body, when))
            elif (title := _button_title(body, [messages for messages, at in answered if at <= when])) is not None:
                lines.append(("her-choice", f"Chose “{title}”", when))
        for messages, when in answered:
            lines += [("nightlight", str(message.get("text", "")), when) for message in messages]
        return sorted(lines, key=lambda line: line[2])

    def last_written(self, conversation: str) -> float | None:
        """When she last wrote something (typed, not a button), or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(received_at) FROM inbound WHERE conversation = ? AND kind = 'text'", (conversation,)
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def replies(self, conversation: str) -> list[dict[str, Any]]:
        """Every stored reply of a conversation, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM outbound WHERE conversation = ? ORDER BY id", (conversation,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def forget(self, conversation: str) -> int:
        """Delete everything stored about a conversation; returns how many messages went."""
        with self._transaction() as db:
            count = db.execute("SELECT COUNT(*) FROM inbound WHERE conversation = ?", (conversation,)).fetchone()[0]
            count += db.execute("SELECT COUNT(*) FROM outbound WHERE conversation = ?", (conversation,)).fetchone()[0]
            db.execute("DELETE FROM inbound WHERE conversation = ?", (conversation,))
            db.execute("DELETE FROM outbound WHERE conversation = ?", (conversation,))
            db.execute("DELETE FROM conversations WHERE conversation = ?", (conversation,))
        self._checkpoint()  # the write-ahead log still holds the old pages until a checkpoint
        return int(count)

    def expired_conversations(self, tenant: str, older_than: float) -> list[str]:
        """Conversations of a tenant with nothing newer than the cut-off."""
        with self._lock:
            rows = self._db.execute(
                "SELECT conversation FROM conversations WHERE tenant = ? AND last_seen < ?", (tenant, older_than)
            ).fetchall()
        return [row[0] for row in rows]

    def purge_messages(self, tenant: str, older_than: float) -> int:
        """Delete a tenant's messages older than the cut-off, in conversations that are still going."""
        with self._transaction() as db:
            removed = db.execute(
                "DELETE FROM inbound WHERE received_at < ? AND handled_at IS NOT NULL AND conversation IN "
                "(SELECT conversation FROM conversations WHERE tenant = ?)",
                (older_than, tenant),
            ).rowcount
            removed += db.execute(
                "DELETE FROM outbound WHERE created_at < ? AND conversation IN "
                "(SELECT conversation FROM conversations WHERE tenant = ?)",
                (older_than, tenant),
            ).rowcount
            db.execute("DELETE FROM seen_keys WHERE seen_at < ?", (older_than - 7 * 86400,))
            return int(removed)

    def counts(self, conversation: str) -> tuple[int, int]:
        """How many inbound and outbound messages are stored for a conversation (for tests and checks)."""
        with self._lock:
            ins = self._db.execute("SELECT COUNT(*) FROM inbound WHERE conversation = ?", (conversation,)).fetchone()
            outs = self._db.execute("SELECT COUNT(*) FROM outbound WHERE conversation = ?", (conversation,)).fetchone()
        return int(ins[0]), int(outs[0])


def _button_title(payload: str, earlier: list[list[dict[str, Any]]]) -> str | None:
    """The title of the button she pressed: the latest button offered before she pressed it with that payload."""
    for messages in reversed(earlier):
        for message in messages:
            for button in message.get("buttons") or []:
                if isinstance(button, dict) and button.get("payload") == payload:
                    return str(button.get("title", ""))
    return None
