"""Handoffs to peer supporters: the state machine, the queue and the record, in the gateway's database.

A handoff moves through these states, and only along these arrows:

    offered ──accept──▶ accepted ──queue──▶ queued ──claim──▶ claimed ──end──▶ ended
       │                   │                  │                 │ ▲
       ├─decline─▶ declined│                  ├─withdraw─▶ ended └─┘ transfer
       └─expire──▶ expired ◀──────expire──────┘

Claims are decided by the database: `UPDATE ... WHERE status = 'queued'` changes one row for exactly one caller,
however many supporters press "claim" at the same moment, on however many gateways (PostgreSQL makes the later
UPDATE wait for the first and then finds the row no longer queued).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.db import SQLStore, Where
from bot.db.base import Session


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


GOING = "status IN ('offered', 'accepted', 'queued', 'claimed')"


class Handoffs(SQLStore):
    """The handoff database. Thread-safe; every change is one transaction."""

    def __init__(self, where: Where) -> None:
        super().__init__(where, "handoffs")

    def _get(self, db: Session, handoff_id: str, *, lock: bool = False) -> Handoff:
        locking = " FOR UPDATE" if lock and self.postgresql else ""
        row = db.execute(
            f"SELECT {COLUMNS} FROM handoffs WHERE id = :id{locking}",  # noqa: S608 (our own columns)
            {"id": handoff_id},
        ).first()
        if row is None:
            raise HandoffError("There is no such handoff.")
        return _handoff(tuple(row))

    def _move(self, db: Session, handoff: Handoff, to: Status, now: float, **columns: object) -> Handoff:
        if to not in TRANSITIONS[handoff.status]:
            raise HandoffError(f"A handoff that is {handoff.status.value} cannot become {to.value}.")
        sets = ", ".join(["status = :to", *(f"{name} = :{name}" for name in columns)])
        changed = db.execute(
            f"UPDATE handoffs SET {sets} WHERE id = :id AND status = :was",  # noqa: S608 (column names are ours)
            {"to": to.value, **columns, "id": handoff.id, "was": handoff.status.value},
        ).rowcount
        if changed != 1:  # another gateway moved it first
            raise HandoffError("This handoff has just changed. Please look again.")
        return self._get(db, handoff.id)

    def _audit(self, db: Session, event: str, handoff: Handoff, now: float, supporter: str | None = None) -> None:
        seconds = handoff.waiting_seconds(now) if event == "claimed" else None
        if event.startswith("ended") and handoff.claimed_at is not None:
            seconds = now - handoff.claimed_at
        db.execute(
            "INSERT INTO handoff_audit(at, event, handoff, conversation, supporter, seconds, tenant) "
            "VALUES (:at, :event, :handoff, :conversation, :supporter, :seconds, :tenant)",
            {
                "at": now,
                "event": event,
                "handoff": audit_id(handoff.id),
                "conversation": audit_id(handoff.conversation),
                "supporter": supporter,
                "seconds": seconds,
                "tenant": handoff.tenant,
            },
        )

    def get(self, handoff_id: str) -> Handoff:
        """A handoff by id; HandoffError if there is none."""
        with self._reading() as db:
            return self._get(db, handoff_id)

    def _active(self, db: Session, conversation: str) -> Handoff | None:
        row = db.execute(
            f"SELECT {COLUMNS} FROM handoffs WHERE conversation = :conversation AND {GOING}",  # noqa: S608
            {"conversation": conversation},
        ).first()
        return _handoff(tuple(row)) if row else None

    def active(self, conversation: str) -> Handoff | None:
        """The handoff still going for a conversation, if there is one."""
        with self._reading() as db:
            return self._active(db, conversation)

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
            existing = self._active(db, conversation)
            if existing is None:
                handoff_id = secrets.token_urlsafe(12)
                # Two gateways offering at once: the unique index on going handoffs lets one insert through.
                inserted = db.execute(
                    "INSERT INTO handoffs(id, conversation, tenant, channel, status, urgent, reason, created_at) "  # noqa: S608
                    "VALUES (:id, :conversation, :tenant, :channel, :status, :urgent, :reason, :now) "
                    f"ON CONFLICT (conversation) WHERE {GOING} DO NOTHING RETURNING id",
                    {
                        "id": handoff_id,
                        "conversation": conversation,
                        "tenant": tenant,
                        "channel": channel,
                        "status": Status.OFFERED.value,
                        "urgent": int(urgent),
                        "reason": reason,
                        "now": now,
                    },
                ).first()
                if inserted is not None:
                    handoff = self._get(db, handoff_id)
                    self._audit(db, "offered", handoff, now)
                    return handoff
                existing = self._active(db, conversation)
                assert existing is not None
            if urgent and not existing.urgent:
                db.execute("UPDATE handoffs SET urgent = 1 WHERE id = :id", {"id": existing.id})
                existing = self._get(db, existing.id)
            return existing

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
                "UPDATE handoffs SET status = 'claimed', supporter = :supporter, claimed_at = :now "
                "WHERE id = :id AND status = 'queued'",
                {"supporter": supporter, "now": now, "id": handoff_id},
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
            handoff = self._get(db, handoff_id, lock=True)
            if handoff.supporter != from_supporter:
                raise HandoffError("Only the supporter who has this chat can transfer it.")
            handoff = self._move(db, handoff, Status.CLAIMED, now, supporter=to_supporter)
            self._audit(db, f"transferred to {to_supporter}", handoff, now, from_supporter)
            return handoff

    def end(self, handoff_id: str, by: str, now: float | None = None) -> Handoff:
        """End a handoff (the supporter ended the chat, or she went back to the bot or withdrew)."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            handoff = self._move(db, self._get(db, handoff_id, lock=True), Status.ENDED, now, ended_at=now)
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
            handoff = self._get(db, handoff_id, lock=True)
            if handoff.status is not Status.ENDED or handoff.supporter != supporter:
                raise HandoffError("Only the supporter who had this chat can leave a note, once it has ended.")
            already = db.execute(
                "SELECT 1 FROM handoff_audit WHERE handoff = :handoff AND event LIKE 'closing note:%'",
                {"handoff": audit_id(handoff.id)},
            ).first()
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
        # Every gateway runs this: rows another gateway is expiring right now are skipped, not waited for.
        skip = " FOR UPDATE SKIP LOCKED" if self.postgresql else ""
        expired = []
        with self._transaction() as db:
            rows = db.execute(
                f"SELECT {COLUMNS} FROM handoffs WHERE {waiting} "  # noqa: S608 (our own fixed conditions)
                f"AND COALESCE(queued_at, created_at) < :cutoff{skip}",
                {"cutoff": older_than},
            ).all()
            for row in rows:
                handoff = self._move(db, _handoff(tuple(row)), Status.EXPIRED, now, ended_at=now)
                self._audit(db, "expired", handoff, now)
                expired.append(handoff)
        return expired

    def mark_reminded(self, handoff_id: str, now: float | None = None) -> bool:
        """She has been told that nobody has picked her message up yet; False if she already had been (another
        gateway told her first)."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE handoffs SET reminded_at = :now WHERE id = :id AND reminded_at IS NULL",
                {"now": time.time() if now is None else now, "id": handoff_id},
            ).rowcount
        return changed == 1

    def queue(self, tenant: str | None = None) -> list[Handoff]:
        """Handoffs waiting for a supporter: urgent first, then whoever has waited longest."""
        query = f"SELECT {COLUMNS} FROM handoffs WHERE status = 'queued'"  # noqa: S608
        params: dict[str, str] = {}
        if tenant is not None:
            query += " AND tenant = :tenant"
            params["tenant"] = tenant
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY urgent DESC, queued_at, id", params).all()
        return [_handoff(tuple(row)) for row in rows]

    def claimed_by(self, supporter: str) -> list[Handoff]:
        """The chats a supporter has now."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {COLUMNS} FROM handoffs WHERE status = 'claimed' AND supporter = :supporter "  # noqa: S608
                "ORDER BY claimed_at",
                {"supporter": supporter},
            ).all()
        return [_handoff(tuple(row)) for row in rows]

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
            new_id = db.execute(
                "INSERT INTO handoff_messages(handoff, author, supporter, text, urgent, created_at) "
                "VALUES (:handoff, :author, :supporter, :text, :urgent, :now) RETURNING id",
                {
                    "handoff": handoff_id,
                    "author": author,
                    "supporter": supporter,
                    "text": text,
                    "urgent": int(urgent),
                    "now": now,
                },
            ).scalar_one()
            return HandoffMessage(int(new_id), handoff_id, author, supporter, text, urgent, now)

    def messages(self, handoff_id: str, after: int = 0, *, with_notes: bool = True) -> list[HandoffMessage]:
        """A handoff's messages after an id, oldest first; private notes only for the console."""
        query = (
            "SELECT id, handoff, author, supporter, text, urgent, created_at FROM handoff_messages "
            "WHERE handoff = :handoff AND id > :after"
        )
        if not with_notes:
            query += " AND author != 'note'"
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY id", {"handoff": handoff_id, "after": after}).all()
        return [HandoffMessage(int(r[0]), r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]

    def audit(self, tenant: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """The newest audit events (of one tenant, if given): what happened, when, by whom, and how long; never
        message text."""
        query = "SELECT at, event, handoff, conversation, supporter, seconds FROM handoff_audit"
        params: dict[str, object] = {"limit": limit}
        if tenant is not None:
            query += " WHERE tenant = :tenant"
            params["tenant"] = tenant
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY id DESC LIMIT :limit", params).all()
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
                for r in db.execute(
                    "SELECT id, tenant FROM handoffs WHERE conversation = :conversation", {"conversation": conversation}
                ).all()
            ]
            for handoff_id, _ in gone:
                db.execute("DELETE FROM handoff_messages WHERE handoff = :id", {"id": handoff_id})
            db.execute("DELETE FROM handoffs WHERE conversation = :conversation", {"conversation": conversation})
        self._scrub("handoff_messages", "handoffs")
        return gone
