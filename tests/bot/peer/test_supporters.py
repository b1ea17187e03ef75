"""Peer supporters' accounts: argon2id hashes, lockout, disabling, new passwords, and the `supporters` command."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from click.testing import CliRunner

from bot.peer.supporters import (
    LOCKOUT_SECONDS,
    MAX_FAILED_ATTEMPTS,
    SESSION_SECONDS,
    Role,
    SupporterError,
    Supporters,
    token_hash,
)
from bot.peer.supporters_cli import supporters as supporters_command
from tests.conftest import StoreAt

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def accounts(store_at: StoreAt) -> Supporters:
    made = Supporters(store_at("console"))
    made.add("sam", "Sam", Role.SUPPORTER, PASSWORD)
    return made


def test_a_password_is_kept_only_as_an_argon2id_hash(accounts: Supporters) -> None:
    stored = accounts.password_hash("sam")
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher(type=Type.ID).verify(stored, PASSWORD)
    with accounts._reading() as db:
        dump = "\n".join(str(tuple(row)) for row in db.execute("SELECT * FROM supporters").all())
    assert "$argon2id$" in dump and PASSWORD not in dump


def test_the_right_password_signs_her_in_and_a_wrong_one_does_not(accounts: Supporters) -> None:
    supporter = accounts.authenticate("sam", PASSWORD)
    assert supporter is not None
    assert (supporter.username, supporter.display_name, supporter.role) == ("sam", "Sam", Role.SUPPORTER)
    assert accounts.authenticate("sam", "not the password at all") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


def test_usernames_are_not_case_sensitive(accounts: Supporters) -> None:
    assert accounts.authenticate("SAM", PASSWORD) is not None


def test_five_wrong_passwords_lock_the_account_until_the_lock_ends(accounts: Supporters) -> None:
    start = 1_900_000_000.0
    for attempt in range(MAX_FAILED_ATTEMPTS):
        assert accounts.authenticate("sam", f"wrong guess {attempt}", now=start + attempt) is None
    locked = accounts.by_username("sam")
    assert locked is not None and locked.locked_until == pytest.approx(
        start + MAX_FAILED_ATTEMPTS - 1 + LOCKOUT_SECONDS
    )
    assert accounts.authenticate("sam", PASSWORD, now=start + 60) is None, "locked even with the right password"
    assert accounts.authenticate("sam", PASSWORD, now=start + LOCKOUT_SECONDS - 1) is None
    assert accounts.authenticate("sam", PASSWORD, now=start + MAX_FAILED_ATTEMPTS + LOCKOUT_SECONDS) is not None


def test_four_wrong_passwords_then_the_right_one_starts_the_count_again(accounts: Supporters) -> None:
    for attempt in range(MAX_FAILED_ATTEMPTS - 1):
        assert accounts.authenticate("sam", f"wrong guess {attempt}") is None
    assert accounts.authenticate("sam", PASSWORD) is not None
    for attempt in range(MAX_FAILED_ATTEMPTS - 1):
        assert accounts.authenticate("sam", f"wrong again {attempt}") is None
    assert accounts.authenticate("sam", PASSWORD) is not None, "the earlier failures were forgotten"


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher, counting the hashes it verifies."""

    verified: list[str]

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(str(hash))
        return super().verify(hash, password)


def test_an_unknown_username_costs_a_hash_check_like_a_wrong_password(tmp_path: Path) -> None:
    hasher = CountingHasher()
    hasher.verified = []
    accounts = Supporters(tmp_path / "console.db", hasher=hasher)
    accounts.add("sam", "Sam", Role.SUPPORTER, PASSWORD)
    assert accounts.authenticate("nobody-here", PASSWORD) is None
    assert accounts.authenticate("sam", "not the password at all") is None
    assert len(hasher.verified) == 2
    assert all(stored.startswith("$argon2id$") for stored in hasher.verified)


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(accounts: Supporters) -> None:
    supporter = accounts.authenticate("sam", PASSWORD)
    assert supporter is not None
    token, _ = accounts.start_session(supporter)
    assert accounts.session(token) is not None
    accounts.disable("sam")
    assert accounts.session(token) is None
    assert accounts.authenticate("sam", PASSWORD) is None


def test_a_session_is_stored_as_a_hash_and_ends_after_twelve_hours(accounts: Supporters) -> None:
    supporter = accounts.authenticate("sam", PASSWORD)
    assert supporter is not None
    now = time.time()
    token, session = accounts.start_session(supporter, now=now)
    with accounts._reading() as db:
        stored = [row[0] for row in db.execute("SELECT token_hash FROM sessions").all()]
    assert stored == [token_hash(token)] and token not in stored
    assert session.csrf and session.csrf != token
    found = accounts.session(token, now=now + SESSION_SECONDS - 1)
    assert found is not None and found.csrf == session.csrf
    assert accounts.session(token, now=now + SESSION_SECONDS + 1) is None
    accounts.end_session(token)
    assert accounts.session(token, now=now) is None


def test_a_new_password_replaces_the_old_one_lifts_the_lock_and_ends_sessions(accounts: Supporters) -> None:
    supporter = accounts.authenticate("sam", PASSWORD)
    assert supporter is not None
    token, _ = accounts.start_session(supporter)
    for attempt in range(MAX_FAILED_ATTEMPTS):
        accounts.authenticate("sam", f"wrong guess {attempt}")
    accounts.reset_password("sam", NEW_PASSWORD)
    assert accounts.session(token) is None
    assert accounts.authenticate("sam", PASSWORD) is None
    assert accounts.authenticate("sam", NEW_PASSWORD) is not None


@pytest.mark.parametrize(
    ("username", "name", "role", "password", "problem"),
    [
        ("jo", "Jo", "supporter", PASSWORD, "username"),
        ("jo-smith", "Jo Smith 2", "supporter", PASSWORD, "first name"),
        ("jo-smith", "jo@example.org", "supporter", PASSWORD, "first name"),
        ("jo-smith", "Jo", "boss", PASSWORD, "role"),
        ("jo-smith", "Jo", "supporter", "too short", "12 characters"),
        ("sam", "Sam", "supporter", PASSWORD, "already"),
    ],
)
def test_an_account_that_cannot_be_used_is_refused_with_the_reason(
    accounts: Supporters, username: str, name: str, role: str, password: str, problem: str
) -> None:
    with pytest.raises(SupporterError, match=problem):
        accounts.add(username, name, role, password)


def test_canned_replies_belong_to_their_tenant(accounts: Supporters) -> None:
    reply = accounts.add_canned("default", "Welcome", "Hello, I'm glad you reached out.", by="coordinator-id")
    accounts.add_canned("other", "Theirs", "Not for the default tenant.", by="someone")
    assert [r.title for r in accounts.canned("default")] == ["Welcome"]
    accounts.edit_canned(reply.id, "default", "Welcome", "Hello. I'm really glad you got in touch.", by="c")
    assert accounts.canned("default")[0].text == "Hello. I'm really glad you got in touch."
    with pytest.raises(SupporterError):
        accounts.delete_canned(reply.id, "other")
    accounts.delete_canned(reply.id, "default")
    assert accounts.canned("default") == []


# ---- the command ---------------------------------------------------------------------------------------------


def run(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(supporters_command, [*args, "--data-dir", str(data_dir)], input=stdin)
    return result.exit_code, result.output


def test_the_command_adds_a_supporter_with_a_password_typed_twice(tmp_path: Path) -> None:
    code, output = run(
        tmp_path, "add", "alex", "--name", "Alex", "--role", "coordinator", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert code == 0, output
    assert "Added alex (Alex, coordinator, default)" in output
    assert PASSWORD not in output, "the password is never shown"
    accounts = Supporters(tmp_path / "console.db")
    supporter = accounts.authenticate("alex", PASSWORD)
    assert supporter is not None and supporter.role is Role.COORDINATOR


def test_the_command_refuses_two_passwords_that_differ(tmp_path: Path) -> None:
    code, output = run(
        tmp_path, "add", "alex", "--name", "Alex", stdin=f"{PASSWORD}\nsomething else!!\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert code == 0, output
    assert "do not match" in output.lower() or "don't match" in output.lower()


def test_the_command_refuses_a_short_password(tmp_path: Path) -> None:
    code, output = run(tmp_path, "add", "alex", "--name", "Alex", "--password-stdin", stdin="short\n")
    assert code != 0
    assert "at least 12 characters" in output
    assert Supporters(tmp_path / "console.db").by_username("alex") is None


def test_the_command_lists_accounts_without_any_hash(tmp_path: Path) -> None:
    run(tmp_path, "add", "alex", "--name", "Alex", "--password-stdin", stdin=f"{PASSWORD}\n")
    run(tmp_path, "add", "sam", "--name", "Sam", "--password-stdin", stdin=f"{PASSWORD}\n")
    code, output = run(tmp_path, "list")
    assert code == 0
    assert "alex" in output and "Sam" in output and "active" in output
    assert "argon2" not in output and "$" not in output


def test_the_command_disables_an_account(tmp_path: Path) -> None:
    run(tmp_path, "add", "alex", "--name", "Alex", "--password-stdin", stdin=f"{PASSWORD}\n")
    code, output = run(tmp_path, "disable", "alex")
    assert code == 0, output
    assert "disabled" in run(tmp_path, "list")[1]
    assert Supporters(tmp_path / "console.db").authenticate("alex", PASSWORD) is None
    code, output = run(tmp_path, "disable", "nobody")
    assert code != 0 and "no account called nobody" in output


def test_the_command_sets_a_new_password(tmp_path: Path) -> None:
    run(tmp_path, "add", "alex", "--name", "Alex", "--password-stdin", stdin=f"{PASSWORD}\n")
    code, output = run(tmp_path, "reset-password", "alex", stdin=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert code == 0, output
    accounts = Supporters(tmp_path / "console.db")
    assert accounts.authenticate("alex", PASSWORD) is None
    assert accounts.authenticate("alex", NEW_PASSWORD) is not None
    code, output = run(tmp_path, "reset-password", "alex", "--password-stdin", stdin="short\n")
    assert code != 0 and "at least 12 characters" in output


def test_the_command_refuses_a_tenant_the_deployment_does_not_have(tmp_path: Path) -> None:
    code, output = run(
        tmp_path, "add", "alex", "--name", "Alex", "--tenant", "nowhere", "--password-stdin", stdin=f"{PASSWORD}\n"
    )
    assert code != 0
    assert "There is no tenant 'nowhere'" in output
