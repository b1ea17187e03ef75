"""The message store: every inbound message is written here before it is acknowledged, every reply before it is sent.

A SQLite file in the gateway's data folder, or the PostgreSQL database the gateways share. It holds transcripts
only for as long as the tenant's retention allows, and "delete my data" removes a conversation from it completely.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from bot.db import SQLStore, Where

# A message or reply taken over from a gateway that stopped is offered to another one after this long unanswered.
TAKE_SECONDS = 120.0


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


class MessageStore(SQLStore):
    """Inbound messages, outbound replies and the conversations they belong to. Thread-safe; call it off the loop."""

    def __init__(self, where: Where) -> None:
        super().__init__(where, "messages")

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
                # One winner when two gateways store the same Telegram update: the other inserts nothing.
                first = db.execute(
                    "INSERT INTO seen_keys(dedupe_key, seen_at) VALUES (:key, :now) "
                    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key",
                    {"key": dedupe_key, "now": now},
                ).first()
                if first is None:
                    return None
            db.execute(
                "INSERT INTO conversations(conversation, tenant, channel, address, created_at, last_seen) "
                "VALUES (:conversation, :tenant, :channel, :address, :now, :now) "
                "ON CONFLICT (conversation) DO UPDATE SET last_seen = excluded.last_seen, "
                "address = COALESCE(excluded.address, conversations.address)",
                {"conversation": conversation, "tenant": tenant, "channel": channel, "address": address, "now": now},
            )
            new_id = db.execute(
                "INSERT INTO inbound(conversation, kind, body, dedupe_key, received_at) "
                "VALUES (:conversation, :kind, :body, :key, :now) RETURNING id",
                {"conversation": conversation, "kind": kind, "body": body, "key": dedupe_key, "now": now},
            ).scalar_one()
            return Inbound(int(new_id), conversation, tenant, channel, kind, body)

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
                "SELECT channel, address FROM conversations WHERE conversation = :conversation",
                {"conversation": conversation},
            ).first()
            if row is None:
                raise KeyError("no such conversation")
            new_id = db.execute(
                "INSERT INTO outbound(conversation, inbound_id, body, crisis, created_at) "
                "VALUES (:conversation, :inbound, :body, :crisis, :now) RETURNING id",
                {
                    "conversation": conversation,
                    "inbound": inbound.id if inbound else None,
                    "body": json.dumps(body),
                    "crisis": int(crisis),
                    "now": now,
                },
            ).scalar_one()
            if inbound is not None:
                db.execute("UPDATE inbound SET handled_at = :now WHERE id = :id", {"now": now, "id": inbound.id})
            db.execute(
                "UPDATE conversations SET last_seen = :now WHERE conversation = :conversation",
                {"now": now, "conversation": conversation},
            )
            return Outbound(int(new_id), conversation, row[0], row[1], body, crisis, now)

    def pending_inbound(self) -> list[Inbound]:
        """Messages stored but never answered (the gateway stopped in between), oldest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT i.id, i.conversation, c.tenant, c.channel, i.kind, i.body FROM inbound i "
                "JOIN conversations c USING (conversation) WHERE i.handled_at IS NULL ORDER BY i.id"
            ).all()
        return [Inbound(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def take_pending(self, taker: str, received_before: float, now: float | None = None) -> list[Inbound]:
        """Messages still unanswered that were received before the cut-off: a gateway that stopped left them. Each is
        taken by one gateway (again only once TAKE_SECONDS pass without an answer), so none is answered twice."""
        now = time.time() if now is None else now
        skip = " FOR UPDATE OF i SKIP LOCKED" if self.postgresql else ""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT i.id, i.conversation, c.tenant, c.channel, i.kind, i.body FROM inbound i "  # noqa: S608
                "JOIN conversations c USING (conversation) WHERE i.handled_at IS NULL AND i.received_at < :before "
                f"AND (i.taken_at IS NULL OR i.taken_at < :retake) ORDER BY i.id{skip}",
                {"before": received_before, "retake": now - TAKE_SECONDS},
            ).all()
            for row in rows:
                db.execute(
                    "UPDATE inbound SET taken_at = :now, taken_by = :taker WHERE id = :id",
                    {"now": now, "taker": taker, "id": row[0]},
                )
        return [Inbound(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def take_undelivered(
        self, channel: str, taker: str, created_before: float, now: float | None = None
    ) -> list[Outbound]:
        """Replies on a channel any gateway can send on (Telegram) left unsent before the cut-off; each is taken by
        one gateway, crisis replies first."""
        now = time.time() if now is None else now
        skip = " FOR UPDATE OF o SKIP LOCKED" if self.postgresql else ""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT o.id, o.conversation, c.channel, c.address, o.body, o.crisis, o.created_at FROM outbound o "  # noqa: S608
                "JOIN conversations c USING (conversation) WHERE o.delivered_at IS NULL AND c.channel = :channel "
                "AND o.created_at < :before AND (o.taken_at IS NULL OR o.taken_at < :retake) "
                f"ORDER BY o.crisis DESC, o.id{skip}",
                {"channel": channel, "before": created_before, "retake": now - TAKE_SECONDS},
            ).all()
            for row in rows:
                db.execute(
                    "UPDATE outbound SET taken_at = :now, taken_by = :taker WHERE id = :id",
                    {"now": now, "taker": taker, "id": row[0]},
                )
        return [Outbound(int(r[0]), r[1], r[2], r[3], json.loads(r[4]), bool(r[5]), r[6]) for r in rows]

    def undelivered(self, conversation: str | None = None, channel: str | None = None) -> list[Outbound]:
        """Replies not yet delivered: for one conversation, or every one on a channel; crisis replies first."""
        query = (
            "SELECT o.id, o.conversation, c.channel, c.address, o.body, o.crisis, o.created_at FROM outbound o "
            "JOIN conversations c USING (conversation) WHERE o.delivered_at IS NULL"
        )
        params: dict[str, str] = {}
        if conversation is not None:
            query += " AND o.conversation = :conversation"
            params["conversation"] = conversation
        if channel is not None:
            query += " AND c.channel = :channel"
            params["channel"] = channel
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY o.crisis DESC, o.id", params).all()
        return [Outbound(int(r[0]), r[1], r[2], r[3], json.loads(r[4]), bool(r[5]), r[6]) for r in rows]

    def mark_delivered(self, outbound_id: int, now: float | None = None) -> bool:
        """Her channel has this reply; False if it was already marked (another gateway delivered it first)."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE outbound SET delivered_at = :now WHERE id = :id AND delivered_at IS NULL",
                {"now": time.time() if now is None else now, "id": outbound_id},
            ).rowcount
        return changed == 1

    def channel_of(self, conversation: str) -> tuple[str | None, str | None]:
        """The channel and reply address of a conversation, or (None, None) if nothing is stored for it."""
        with self._reading() as db:
            row = db.execute(
                "SELECT channel, address FROM conversations WHERE conversation = :conversation",
                {"conversation": conversation},
            ).first()
        return (row[0], row[1]) if row else (None, None)

    def conversation_tenant(self, conversation: str) -> str | None:
        """The tenant a conversation belongs to, or None if nothing is stored for it."""
        with self._reading() as db:
            row = db.execute(
                "SELECT tenant FROM conversations WHERE conversation = :conversation", {"conversation": conversation}
            ).first()
        return row[0] if row else None

    def transcript(self, conversation: str) -> list[tuple[str, str, float]]:
        """What she wrote ("her"), the buttons she chose, by their titles ("her-choice"), and what was answered
        ("nightlight"), in order, as (who, text, when)."""
        with self._reading() as db:
            ins = db.execute(
                "SELECT kind, body, received_at FROM inbound WHERE conversation = :conversation ORDER BY id",
                {"conversation": conversation},
            ).all()
            outs = db.execute(
                "SELECT body, created_at FROM outbound WHERE conversation = :conversation ORDER BY id",
                {"conversation": conversation},
            ).all()
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
        with self._reading() as db:
            row = db.execute(
                "SELECT MAX(received_at) FROM inbound WHERE conversation = :conversation AND kind = 'text'",
                {"conversation": conversation},
            ).first()
        return float(row[0]) if row and row[0] is not None else None

    def replies(self, conversation: str) -> list[dict[str, Any]]:
        """Every stored reply of a conversation, oldest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT body FROM outbound WHERE conversation = :conversation ORDER BY id",
                {"conversation": conversation},
            ).all()
        return [json.loads(row[0]) for row in rows]

    def forget(self, conversation: str) -> int:
        """Delete everything stored about a conversation; returns how many messages went."""
        where = {"conversation": conversation}
        with self._transaction() as db:
            count = db.execute("DELETE FROM inbound WHERE conversation = :conversation", where).rowcount
            count += db.execute("DELETE FROM outbound WHERE conversation = :conversation", where).rowcount
            db.execute("DELETE FROM conversations WHERE conversation = :conversation", where)
        self._scrub("inbound", "outbound", "conversations")
        return int(count)

    def expired_conversations(self, tenant: str, older_than: float) -> list[str]:
        """Conversations of a tenant with nothing newer than the cut-off."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT conversation FROM conversations WHERE tenant = :tenant AND last_seen < :cutoff",
                {"tenant": tenant, "cutoff": older_than},
            ).all()
        return [row[0] for row in rows]

    def purge_messages(self, tenant: str, older_than: float) -> int:
        """Delete a tenant's messages older than the cut-off, in conversations that are still going."""
        where = {"tenant": tenant, "cutoff": older_than}
        with self._transaction() as db:
            removed = db.execute(
                "DELETE FROM inbound WHERE received_at < :cutoff AND handled_at IS NOT NULL AND conversation IN "
                "(SELECT conversation FROM conversations WHERE tenant = :tenant)",
                where,
            ).rowcount
            removed += db.execute(
                "DELETE FROM outbound WHERE created_at < :cutoff AND conversation IN "
                "(SELECT conversation FROM conversations WHERE tenant = :tenant)",
                where,
            ).rowcount
            db.execute("DELETE FROM seen_keys WHERE seen_at < :cutoff", {"cutoff": older_than - 7 * 86400})
        if removed and self.postgresql:
            self._scrub("inbound", "outbound")
        return int(removed)

    def counts(self, conversation: str) -> tuple[int, int]:
        """How many inbound and outbound messages are stored for a conversation (for tests and checks)."""
        where = {"conversation": conversation}
        with self._reading() as db:
            ins = db.execute("SELECT COUNT(*) FROM inbound WHERE conversation = :conversation", where).scalar_one()
            outs = db.execute("SELECT COUNT(*) FROM outbound WHERE conversation = :conversation", where).scalar_one()
        return int(ins), int(outs)


def _button_title(payload: str, earlier: list[list[dict[str, Any]]]) -> str | None:
    """The title of the button she pressed: the latest button offered before she pressed it with that payload."""
    for messages in reversed(earlier):
        for message in messages:
            for button in message.get("buttons") or []:
                if isinstance(button, dict) and button.get("payload") == payload:
                    return str(button.get("title", ""))
    return None
