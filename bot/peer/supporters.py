"""Peer supporters' accounts, console sessions and canned replies, in the gateway's database
(`console.db` in the data folder, or the PostgreSQL the gateways share).

Passwords are kept only as argon2id hashes. Session tokens are kept only as their SHA-256, so a copy of the
database cannot be used to sign in. Five wrong passwords in a row lock an account for fifteen minutes; the
sign-in page says the same thing whatever went wrong, so it never tells anyone which usernames exist.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from bot.db import SQLStore, Where

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_SECONDS = 15 * 60
SESSION_SECONDS = 12 * 3600
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
# A first name, as mothers will see it: letters, with a hyphen, apostrophe or single space inside.
DISPLAY_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[-' ](?=[^\W\d_])){0,29}$")
TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_CANNED_TITLE_CHARS = 60
MAX_CANNED_TEXT_CHARS = 1000

SIGN_IN_REFUSED = (
    "That username and password didn't match, or the account is locked for a few minutes after too many tries."
)


class Role(str, Enum):
    """What a supporter may do: coordinators also keep the canned replies and read the audit trail."""

    SUPPORTER = "supporter"
    COORDINATOR = "coordinator"


class SupporterError(ValueError):
    """An account change we refuse, with a sentence that says what to do instead."""


@dataclass(frozen=True)
class Supporter:
    """A peer supporter's account, without its password hash."""

    id: str
    username: str
    display_name: str
    role: Role
    tenant: str
    disabled: bool
    locked_until: float | None
    created_at: float

    @property
    def is_coordinator(self) -> bool:
        """Whether the account is a coordinator's."""
        return self.role is Role.COORDINATOR

    def public(self) -> dict[str, Any]:
        """What other consoles may know about her: never the username or anything about the password."""
        return {"id": self.id, "display_name": self.display_name, "role": self.role.value}


@dataclass(frozen=True)
class Session:
    """A signed-in console: whose it is, the token every change must carry, and when it ends."""

    supporter: Supporter
    csrf: str
    expires_at: float


@dataclass(frozen=True)
class CannedReply:
    """A reply the coordinator keeps ready for supporters to send or adapt."""

    id: int
    tenant: str
    title: str
    text: str
    updated_by: str | None
    updated_at: float

    def as_dict(self) -> dict[str, Any]:
        """The reply as the console is sent it: id, title, text and when it last changed."""
        return {"id": self.id, "title": self.title, "text": self.text, "updated_at": self.updated_at}


def token_hash(token: str) -> str:
    """What is stored for a session token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str) -> None:
    """Refuse a password that is too short (or absurdly long)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise SupporterError(f"A password must be at least {MIN_PASSWORD_CHARS} characters long.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise SupporterError(f"A password can be at most {MAX_PASSWORD_CHARS} characters long.")


def check_display_name(name: str) -> str:
    """The name trimmed; SupporterError unless it is 1 to 30 letters, with only a hyphen, apostrophe or space inside."""
    name = name.strip()
    if not DISPLAY_NAME.match(name):
        raise SupporterError(
            "The name is shown to mothers, so use a first name only, like Sam: letters, up to 30 of them."
        )
    return name


def check_canned(title: str, text: str) -> tuple[str, str]:
    """The title and text trimmed; SupporterError if either is empty or too long."""
    title, text = title.strip(), text.strip()
    if not title or len(title) > MAX_CANNED_TITLE_CHARS:
        raise SupporterError(f"Give the reply a short title (up to {MAX_CANNED_TITLE_CHARS} characters).")
    if not text or len(text) > MAX_CANNED_TEXT_CHARS:
        raise SupporterError(f"A canned reply needs some text, up to {MAX_CANNED_TEXT_CHARS} characters.")
    return title, text


SUPPORTER_COLUMNS = "id, username, display_name, role, tenant, disabled, locked_until, created_at"


def _supporter(row: tuple[Any, ...]) -> Supporter:
    return Supporter(row[0], row[1], row[2], Role(row[3]), row[4], bool(row[5]), row[6], row[7])


class Supporters(SQLStore):
    """The console's database. Thread-safe; the gateway calls it from worker threads (hashing is slow on purpose)."""

    def __init__(self, where: Where, hasher: PasswordHasher | None = None) -> None:
        super().__init__(where, "console")
        self._hasher = hasher or PasswordHasher()  # argon2id, with argon2-cffi's recommended cost
        # Verified against when the username is unknown, so a wrong name takes as long as a wrong password.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    # ---- accounts ---------------------------------------------------------------------------------------------

    def add(
        self,
        username: str,
        display_name: str,
        role: Role | str,
        password: str,
        tenant: str = "default",
        now: float | None = None,
    ) -> Supporter:
        """Create an account; SupporterError if the username is taken or a field is not usable."""
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise SupporterError(
                "A username is 3 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."
            )
        if not TENANT_ID.match(tenant):
            raise SupporterError("A tenant is an id like 'default': lower-case letters, digits and '-'.")
        try:
            role = Role(role)
        except ValueError:
            raise SupporterError("A role is 'supporter' or 'coordinator'.") from None
        name = check_display_name(display_name)
        check_password(password)
        password_hash = self._hasher.hash(password)
        supporter_id = secrets.token_hex(8)
        try:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO supporters(id, username, display_name, role, tenant, password_hash, created_at) "
                    "VALUES (:id, :username, :name, :role, :tenant, :hash, :now)",
                    {
                        "id": supporter_id,
                        "username": username,
                        "name": name,
                        "role": role.value,
                        "tenant": tenant,
                        "hash": password_hash,
                        "now": time.time() if now is None else now,
                    },
                )
        except IntegrityError:
            raise SupporterError(f"There is already an account called {username}.") from None
        found = self.get(supporter_id)
        assert found is not None
        return found

    def get(self, supporter_id: str) -> Supporter | None:
        """The account with this id, or None."""
        with self._reading() as db:
            row = db.execute(
                f"SELECT {SUPPORTER_COLUMNS} FROM supporters WHERE id = :id",  # noqa: S608
                {"id": supporter_id},
            ).first()
        return _supporter(tuple(row)) if row else None

    def by_username(self, username: str) -> Supporter | None:
        """The account with this username (any case, spaces around it ignored), or None."""
        with self._reading() as db:
            row = db.execute(
                f"SELECT {SUPPORTER_COLUMNS} FROM supporters WHERE username = :username",  # noqa: S608
                {"username": username.strip().lower()},
            ).first()
        return _supporter(tuple(row)) if row else None

    def _named(self, username: str) -> Supporter:
        supporter = self.by_username(username)
        if supporter is None:
            raise SupporterError(f"There is no account called {username}.")
        return supporter

    def all(self, tenant: str | None = None) -> list[Supporter]:
        """Every account (of one tenant, if given), by username."""
        query = f"SELECT {SUPPORTER_COLUMNS} FROM supporters"  # noqa: S608
        params: dict[str, str] = {}
        if tenant is not None:
            query += " WHERE tenant = :tenant"
            params["tenant"] = tenant
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY username", params).all()
        return [_supporter(tuple(row)) for row in rows]

    def disable(self, username: str) -> Supporter:
        """Stop an account signing in, and end every session it has."""
        supporter = self._named(username)
        with self._transaction() as db:
            db.execute("UPDATE supporters SET disabled = 1 WHERE id = :id", {"id": supporter.id})
            db.execute("DELETE FROM sessions WHERE supporter = :id", {"id": supporter.id})
        found = self.get(supporter.id)
        assert found is not None
        return found

    def reset_password(self, username: str, password: str) -> Supporter:
        """Set a new password, lift any lockout, and end the old sessions."""
        supporter = self._named(username)
        check_password(password)
        password_hash = self._hasher.hash(password)
        with self._transaction() as db:
            db.execute(
                "UPDATE supporters SET password_hash = :hash, failed_attempts = 0, locked_until = NULL WHERE id = :id",
                {"hash": password_hash, "id": supporter.id},
            )
            db.execute("DELETE FROM sessions WHERE supporter = :id", {"id": supporter.id})
        found = self.get(supporter.id)
        assert found is not None
        return found

    def password_hash(self, username: str) -> str:
        """The stored hash (for checks that it is argon2id; it is never shown or logged)."""
        with self._reading() as db:
            row = db.execute(
                "SELECT password_hash FROM supporters WHERE username = :username",
                {"username": username.strip().lower()},
            ).first()
        if row is None:
            raise SupporterError(f"There is no account called {username}.")
        return str(row[0])

    # ---- signing in -------------------------------------------------------------------------------------------

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def authenticate(self, username: str, password: str, now: float | None = None) -> Supporter | None:
        """The account if the password is right and it is neither disabled nor locked; None otherwise.

        A hash is verified on every path, so how long this takes says nothing about which check failed.
        """
        now = time.time() if now is None else now
        with self._reading() as db:
            row = db.execute(
                "SELECT id, password_hash, disabled, locked_until FROM supporters WHERE username = :username",
                {"username": username.strip().lower()},
            ).first()
        if row is None or len(password) > MAX_PASSWORD_CHARS:
            self._verify(self._dummy_hash, password[:MAX_PASSWORD_CHARS])
            return None
        supporter_id, password_hash, disabled, locked_until = row
        right = self._verify(password_hash, password)
        if disabled:
            return None
        if locked_until is not None and locked_until > now:
            return None  # even the right password waits until the lock ends
        with self._transaction() as db:
            if not right:
                failed = db.execute(
                    "UPDATE supporters SET failed_attempts = failed_attempts + 1, locked_until = NULL "
                    "WHERE id = :id RETURNING failed_attempts",
                    {"id": supporter_id},
                ).scalar_one()
                if failed >= MAX_FAILED_ATTEMPTS:
                    db.execute(
                        "UPDATE supporters SET failed_attempts = 0, locked_until = :until WHERE id = :id",
                        {"until": now + LOCKOUT_SECONDS, "id": supporter_id},
                    )
                return None
            db.execute(
                "UPDATE supporters SET failed_attempts = 0, locked_until = NULL WHERE id = :id", {"id": supporter_id}
            )
            if self._hasher.check_needs_rehash(password_hash):
                db.execute(
                    "UPDATE supporters SET password_hash = :hash WHERE id = :id",
                    {"hash": self._hasher.hash(password), "id": supporter_id},
                )
        return self.get(supporter_id)

    def start_session(self, supporter: Supporter, now: float | None = None) -> tuple[str, Session]:
        """A new session: the token for her cookie (only its hash is kept) and the session it opens."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = now + SESSION_SECONDS
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE expires_at <= :now", {"now": now})
            db.execute(
                "INSERT INTO sessions(token_hash, supporter, csrf, created_at, expires_at, last_seen) "
                "VALUES (:digest, :supporter, :csrf, :now, :expires, :now)",
                {"digest": token_hash(token), "supporter": supporter.id, "csrf": csrf, "now": now, "expires": expires},
            )
        return token, Session(supporter, csrf, expires)

    def session(self, token: str | None, now: float | None = None) -> Session | None:
        """The session a cookie's token opens, if it is unexpired and its account is not disabled."""
        if not token or len(token) > 200:
            return None
        now = time.time() if now is None else now
        digest = token_hash(token)
        with self._reading() as db:
            row = db.execute(
                "SELECT supporter, csrf, expires_at, last_seen FROM sessions WHERE token_hash = :digest",
                {"digest": digest},
            ).first()
        if row is None or row[2] <= now:
            return None
        supporter = self.get(row[0])
        if supporter is None or supporter.disabled:
            return None
        if now - row[3] > 60:  # last_seen to the minute is enough, and spares a write on every frame
            with self._transaction() as db:
                db.execute(
                    "UPDATE sessions SET last_seen = :now WHERE token_hash = :digest", {"now": now, "digest": digest}
                )
        return Session(supporter, row[1], row[2])

    def end_session(self, token: str | None) -> None:
        """End the session this token opens, if there is one; no token does nothing."""
        if token:
            with self._transaction() as db:
                db.execute("DELETE FROM sessions WHERE token_hash = :digest", {"digest": token_hash(token)})

    # ---- canned replies ---------------------------------------------------------------------------------------

    def canned(self, tenant: str) -> list[CannedReply]:
        """A tenant's canned replies, by title."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT id, tenant, title, text, updated_by, updated_at FROM canned_replies WHERE tenant = :tenant "
                "ORDER BY lower(title), id",
                {"tenant": tenant},
            ).all()
        return [CannedReply(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def add_canned(self, tenant: str, title: str, text: str, by: str, now: float | None = None) -> CannedReply:
        """Add a canned reply for the tenant; SupporterError if the title or text is empty or too long."""
        title, text = check_canned(title, text)
        now = time.time() if now is None else now
        with self._transaction() as db:
            new_id = db.execute(
                "INSERT INTO canned_replies(tenant, title, text, updated_by, updated_at) "
                "VALUES (:tenant, :title, :text, :by, :now) RETURNING id",
                {"tenant": tenant, "title": title, "text": text, "by": by, "now": now},
            ).scalar_one()
            return CannedReply(int(new_id), tenant, title, text, by, now)

    def edit_canned(
        self, reply_id: int, tenant: str, title: str, text: str, by: str, now: float | None = None
    ) -> CannedReply:
        """Change one of the tenant's canned replies; SupporterError if it no longer exists or a field will not do."""
        title, text = check_canned(title, text)
        now = time.time() if now is None else now
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE canned_replies SET title = :title, text = :text, updated_by = :by, updated_at = :now "
                "WHERE id = :id AND tenant = :tenant",
                {"title": title, "text": text, "by": by, "now": now, "id": reply_id, "tenant": tenant},
            ).rowcount
        if changed != 1:
            raise SupporterError("That canned reply no longer exists.")
        return CannedReply(reply_id, tenant, title, text, by, now)

    def delete_canned(self, reply_id: int, tenant: str) -> None:
        """Delete one of the tenant's canned replies; SupporterError if it no longer exists."""
        with self._transaction() as db:
            changed = db.execute(
                "DELETE FROM canned_replies WHERE id = :id AND tenant = :tenant", {"id": reply_id, "tenant": tenant}
            ).rowcount
        if changed != 1:
            raise SupporterError("That canned reply no longer exists.")
