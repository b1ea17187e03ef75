"""Widget session tokens: only the server can mint them, and only for one tenant, for a short time."""

from __future__ import annotations

import pytest

from bot.widget.sessions import TokenSigner, new_session_id

SECRET = b"k" * 40


def test_session_ids_carry_at_least_128_bits_and_do_not_repeat() -> None:
    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) >= 22 for i in ids)  # 22 base64url characters hold 128 bits


def test_a_token_reads_back_to_its_session_and_tenant() -> None:
    signer = TokenSigner(SECRET)
    claims = signer.read(signer.issue("abc", "default"), "default")
    assert claims is not None and claims.session_id == "abc" and claims.tenant == "default"


def test_a_token_for_another_tenant_is_refused() -> None:
    signer = TokenSigner(SECRET)
    assert signer.read(signer.issue("abc", "bloom"), "default") is None


def test_an_expired_token_is_refused() -> None:
    signer = TokenSigner(SECRET, ttl=60)
    token = signer.issue("abc", "default", now=1000)
    assert signer.read(token, "default", now=1059) is not None
    assert signer.read(token, "default", now=1061) is None


def test_a_token_from_another_key_or_edited_is_refused() -> None:
    token = TokenSigner(SECRET).issue("abc", "default")
    assert TokenSigner(b"x" * 40).read(token, "default") is None
    _, signature = token.split(".")
    forged = TokenSigner(SECRET).issue("someone-else", "default").split(".")[0] + "." + signature
    assert TokenSigner(SECRET).read(forged, "default") is None
    for junk in ["", "a.b", "no-dot", None, 42, "x" * 600]:
        assert TokenSigner(SECRET).read(junk, "default") is None


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TokenSigner(b"short")
