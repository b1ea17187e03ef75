"""Leases: one gateway at a time does a job that must not run twice (polling Telegram), and another takes it over
when the holder stops renewing it (a gateway that was killed), without any coordinator but the database."""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import time

from bot.db.base import SQLStore, Where


def gateway_id() -> str:
    """This gateway process's id in leases and in what it takes over: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Leases(SQLStore):
    """Named leases and Telegram's polling offset, in the gateway's database."""

    def __init__(self, where: Where) -> None:
        super().__init__(where, "gateway")

    def acquire(self, name: str, holder: str, seconds: float, now: float | None = None) -> bool:
        """Take or renew the lease for `seconds`; True if `holder` has it now. One holder wins however many ask."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            row = db.execute(
                "INSERT INTO leases(name, holder, expires_at) VALUES (:name, :holder, :until) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
                "WHERE leases.holder = excluded.holder OR leases.expires_at < :now RETURNING holder",
                {"name": name, "holder": holder, "until": now + seconds, "now": now},
            ).first()
        return row is not None

    def release(self, name: str, holder: str) -> None:
        """Give the lease up at once (a clean stop), so another gateway need not wait for it to run out."""
        with self._transaction() as db:
            db.execute("DELETE FROM leases WHERE name = :name AND holder = :holder", {"name": name, "holder": holder})

    def holder(self, name: str, now: float | None = None) -> str | None:
        """Who holds the lease now, if anyone."""
        with self._reading() as db:
            row = db.execute(
                "SELECT holder FROM leases WHERE name = :name AND expires_at >= :now",
                {"name": name, "now": time.time() if now is None else now},
            ).first()
        return str(row[0]) if row else None

    def offset(self, bot_token: str) -> int | None:
        """The next Telegram update id to ask for, as the last poller left it."""
        with self._reading() as db:
            row = db.execute(
                "SELECT next_update_id FROM telegram_offsets WHERE bot = :bot", {"bot": _bot_key(bot_token)}
            ).first()
        return int(row[0]) if row else None

    def save_offset(self, bot_token: str, next_update_id: int, now: float | None = None) -> None:
        """Remember the next update id to ask for (only ever forward)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO telegram_offsets(bot, next_update_id, updated_at) VALUES (:bot, :next, :now) "
                "ON CONFLICT (bot) DO UPDATE SET next_update_id = excluded.next_update_id, "
                "updated_at = excluded.updated_at WHERE telegram_offsets.next_update_id < excluded.next_update_id",
                {"bot": _bot_key(bot_token), "next": next_update_id, "now": time.time() if now is None else now},
            )


def _bot_key(token: str) -> str:
    """A bot's key in the offsets table: a digest of its token, so the table never holds the token."""
    return hashlib.sha256(b"nightlight-telegram:" + token.encode()).hexdigest()[:24]
