"""The handoff state machine and its database: every allowed move, every refused one, and one winner per claim."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from bot.peer.handoff import TRANSITIONS, HandoffError, Handoffs, Status, audit_id
from tests.conftest import StoreAt

SUMMARY = {"reason": "asked for a person", "level": "distress", "area": "EX4"}


@pytest.fixture
def handoffs(store_at: StoreAt) -> Handoffs:
    return Handoffs(store_at("handoff"))


def queued(handoffs: Handoffs, conversation: str = "web-a", *, urgent: bool = False, now: float = 100.0) -> str:
    offer = handoffs.offer(conversation, "default", "widget", "asked for a person", urgent=urgent, now=now)
    return handoffs.accept(offer.id, SUMMARY, share_transcript=False, now=now).id


def test_an_offer_she_accepts_is_queued_with_what_she_agreed_to_share(handoffs: Handoffs) -> None:
    offer = handoffs.offer("web-a", "default", "widget", "asked for a person", now=10)
    assert offer.status is Status.OFFERED
    handoff = handoffs.accept(offer.id, SUMMARY, share_transcript=True, now=12)
    assert handoff.status is Status.QUEUED
    assert handoff.summary == SUMMARY and handoff.share_transcript
    assert handoff.queued_at == 12
    events = [e["event"] for e in reversed(handoffs.audit())]
    assert events == ["offered", "accepted", "queued"]


def test_an_offer_she_declines_ends_and_the_next_offer_is_new(handoffs: Handoffs) -> None:
    offer = handoffs.offer("web-a", "default", "widget", "distress")
    assert handoffs.decline(offer.id).status is Status.DECLINED
    assert handoffs.active("web-a") is None
    assert handoffs.offer("web-a", "default", "widget", "distress").id != offer.id


def test_a_conversation_has_one_handoff_at_a_time_and_a_crisis_makes_it_urgent(handoffs: Handoffs) -> None:
    first = handoffs.offer("web-a", "default", "widget", "asked for a person")
    again = handoffs.offer("web-a", "default", "widget", "crisis", urgent=True)
    assert again.id == first.id and again.urgent
    with pytest.raises(IntegrityError), handoffs._transaction() as db:
        db.execute(
            "INSERT INTO handoffs(id, conversation, tenant, channel, status, reason, created_at) "
            "VALUES ('x', 'web-a', 'default', 'widget', 'queued', 'r', 0)"
        )


def test_the_queue_is_urgent_first_then_longest_waiting(handoffs: Handoffs) -> None:
    calm_early = queued(handoffs, "web-1", now=1)
    calm_late = queued(handoffs, "web-2", now=5)
    urgent_late = queued(handoffs, "web-3", urgent=True, now=9)
    assert [h.id for h in handoffs.queue("default")] == [urgent_late, calm_early, calm_late]
    assert handoffs.queue("another-charity") == []


def test_claimed_then_ended_records_how_long_she_waited_and_talked(handoffs: Handoffs) -> None:
    handoff_id = queued(handoffs, now=100)
    claimed = handoffs.claim(handoff_id, "sam", now=160)
    assert claimed is not None and claimed.status is Status.CLAIMED and claimed.supporter == "sam"
    assert claimed.waiting_seconds() == 60
    ended = handoffs.end(handoff_id, by="supporter", now=400)
    assert ended.status is Status.ENDED
    audit = {e["event"]: e for e in handoffs.audit()}
    assert audit["claimed"]["seconds"] == 60 and audit["claimed"]["supporter"] == "sam"
    assert audit["ended by supporter"]["seconds"] == 240


def test_a_supporter_can_transfer_a_chat_only_if_it_is_theirs(handoffs: Handoffs) -> None:
    handoff_id = queued(handoffs)
    handoffs.claim(handoff_id, "sam")
    with pytest.raises(HandoffError, match="Only the supporter"):
        handoffs.transfer(handoff_id, "alex", "jo")
    assert handoffs.transfer(handoff_id, "sam", "jo").supporter == "jo"
    assert [h.id for h in handoffs.claimed_by("jo")] == [handoff_id]


def test_she_can_leave_the_queue_before_anyone_claims_her(handoffs: Handoffs) -> None:
    handoff_id = queued(handoffs)
    assert handoffs.end(handoff_id, by="her").status is Status.ENDED
    assert handoffs.claim(handoff_id, "sam") is None


def test_old_offers_and_queued_handoffs_expire_but_claimed_ones_do_not(handoffs: Handoffs) -> None:
    old_offer = handoffs.offer("web-1", "default", "widget", "distress", now=10)
    old_queued = queued(handoffs, "web-2", now=10)
    claimed = queued(handoffs, "web-3", now=10)
    handoffs.claim(claimed, "sam", now=11)
    fresh = queued(handoffs, "web-4", now=500)
    expired = {h.id for h in handoffs.expire(older_than=100, now=600)}
    assert expired == {old_offer.id, old_queued}
    assert handoffs.get(claimed).status is Status.CLAIMED
    assert handoffs.get(fresh).status is Status.QUEUED


@pytest.mark.parametrize("start", list(Status))
def test_every_move_the_state_machine_does_not_allow_is_refused(handoffs: Handoffs, start: Status) -> None:
    handoff = handoffs.offer("web-a", "default", "widget", "r")
    with handoffs._transaction() as db:
        db.execute(
            "UPDATE handoffs SET status = :s, supporter = 'sam' WHERE id = :id", {"s": start.value, "id": handoff.id}
        )
    moves = {
        Status.DECLINED: lambda: handoffs.decline(handoff.id),
        Status.ENDED: lambda: handoffs.end(handoff.id, by="test"),
    }
    for target, move in moves.items():
        if target in TRANSITIONS[start]:
            continue
        with pytest.raises(HandoffError, match="cannot become"):
            move()
    if start is not Status.QUEUED:
        assert handoffs.claim(handoff.id, "alex") is None


def test_two_supporters_claiming_at_once_from_two_gateways_have_exactly_one_winner(store_at: StoreAt) -> None:
    path = store_at("handoff")
    setup = Handoffs(path)
    ids = [queued(setup, f"web-{n}") for n in range(30)]
    # Two connections, as two gateway processes would have, and several threads on each.
    stores = [Handoffs(path), Handoffs(path)]
    winners: dict[str, list[str]] = {handoff_id: [] for handoff_id in ids}
    start = threading.Barrier(6)

    def supporter(name: str, store: Handoffs) -> None:
        start.wait()
        for handoff_id in ids:
            if store.claim(handoff_id, name) is not None:
                winners[handoff_id].append(name)

    threads = [threading.Thread(target=supporter, args=(f"supporter-{n}", stores[n % 2])) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(len(names) == 1 for names in winners.values()), winners
    for handoff_id, names in winners.items():
        assert setup.get(handoff_id).supporter == names[0]


def test_messages_keep_her_order_and_private_notes_stay_in_the_console(handoffs: Handoffs) -> None:
    handoff_id = queued(handoffs)
    handoffs.add_message(handoff_id, "her", "hello is anyone there")
    note = handoffs.add_message(handoff_id, "note", "sounds exhausted", supporter="sam")
    handoffs.add_message(handoff_id, "supporter", "Hi, I'm Sam.", supporter="sam")
    assert [m.author for m in handoffs.messages(handoff_id)] == ["her", "note", "supporter"]
    assert [m.author for m in handoffs.messages(handoff_id, with_notes=False)] == ["her", "supporter"]
    assert [m.author for m in handoffs.messages(handoff_id, after=note.id)] == ["supporter"]


def test_forget_deletes_her_handoffs_and_messages_and_the_audit_keeps_only_pseudonyms(
    handoffs: Handoffs, tmp_path: Path
) -> None:
    # On SQLite the file itself is read back; on PostgreSQL the rows are gone and VACUUM has run (see the README).
    handoff_id = queued(handoffs)
    handoffs.add_message(handoff_id, "her", "my private words")
    handoffs.claim(handoff_id, "sam")
    other = queued(handoffs, "web-b")
    assert handoffs.forget("web-a") == 1
    assert handoffs.active("web-a") is None
    with pytest.raises(HandoffError):
        handoffs.get(handoff_id)
    assert handoffs.get(other).status is Status.QUEUED
    audit = handoffs.audit()
    assert all("web-a" not in str(event.values()) for event in audit)
    assert any(event["conversation"] == audit_id("web-a") for event in audit)
    for path in tmp_path.glob("handoff.db*"):  # the database and its write-ahead log
        assert b"my private words" not in path.read_bytes()


def test_the_audit_trail_is_kept_per_tenant(handoffs: Handoffs) -> None:
    queued(handoffs, "web-a")
    offer = handoffs.offer("web-b", "bloom", "widget", "asked for a person")
    handoffs.decline(offer.id)
    assert {e["event"] for e in handoffs.audit("bloom")} == {"offered", "declined"}
    assert {e["event"] for e in handoffs.audit("default")} == {"offered", "accepted", "queued"}
    assert len(handoffs.audit()) == 5


def test_an_audit_trail_made_before_it_knew_its_tenant_is_brought_up_to_date(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "old.db") as db:
        db.execute(
            "CREATE TABLE handoff_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, event TEXT NOT NULL, "
            "handoff TEXT NOT NULL, conversation TEXT NOT NULL, supporter TEXT, seconds REAL)"
        )
    handoffs = Handoffs(tmp_path / "old.db")
    queued(handoffs)
    assert len(handoffs.audit("default")) == 3


def test_expiring_offers_only_leaves_the_queue_alone(handoffs: Handoffs) -> None:
    old_offer = handoffs.offer("web-1", "default", "widget", "distress", now=10)
    old_queued = queued(handoffs, "web-2", now=10)
    assert [h.id for h in handoffs.expire(older_than=100, now=600, offers_only=True)] == [old_offer.id]
    assert handoffs.get(old_queued).status is Status.QUEUED
