"""Widget sessions: the server picks the id and signs it into a short-lived token that only it can mint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

SESSION_ID_BYTES = 16  # 128 bits from the operating system's CSPRNG
TOKEN_TTL_SECONDS = 2 * 3600


def new_session_id() -> str:
    """A fresh session id with 128 bits of randomness."""
    return secrets.token_urlsafe(SESSION_ID_BYTES)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Claims:
    """What a valid token says: whose session, for which tenant, until when."""

    session_id: str
    tenant: str
    expires: float


class TokenSigner:
    """HMAC-SHA256 tokens: `payload.signature`, both base64url. A token from another key or tenant is refused."""

    def __init__(self, secret: bytes, ttl: float = TOKEN_TTL_SECONDS) -> None:
        if len(secret) < 32:
            raise ValueError("the signing secret must be at least 32 bytes")
        self._secret = secret
        self.ttl = ttl

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def issue(self, session_id: str, tenant: str, now: float | None = None) -> str:
        """A token for this session that expires after the TTL."""
        expires = (time.time() if now is None else now) + self.ttl
        payload = _b64(json.dumps({"s": session_id, "t": tenant, "e": int(expires)}, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def read(self, token: object, tenant: str, now: float | None = None, grace: float = 0.0) -> Claims | None:
        """The token's claims if it is ours, for this tenant and unexpired (or expired less than `grace` seconds
        ago); otherwise None."""
        if not isinstance(token, str) or token.count(".") != 1 or len(token) > 512:
            return None
        payload, signature = token.split(".")
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        try:
            data = json.loads(_unb64(payload))
            claims = Claims(str(data["s"]), str(data["t"]), float(data["e"]))
        except (ValueError, KeyError, TypeError):
            return None
        if claims.tenant != tenant or claims.expires + grace < (time.time() if now is None else now):
            return None
        return claims
