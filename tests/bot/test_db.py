"""The gateway's databases shared by several gateways: leases with one holder, Telegram's offset, and work a
stopped gateway left (unanswered messages, unsent replies) taken over exactly once."""

from __future__ import annotations

import threading

from bot.db import Leases
from bot.store import TAKE_SECONDS, MessageStore
from tests.conftest import StoreAt

REPLY = {"messages": [{"text": "Hello.", "buttons": [], "kind": "answer"}], "safety": {"level": "none"}}


def test_a_lease_has_one_holder_until_it_lapses_or_is_released(store_at: StoreAt) -> None:
    where = store_at("gateway")
    first, second = Leases(where), Leases(where)
    assert first.acquire("telegram-polling", "gateway-a", 45, now=100)
    assert not second.acquire("telegram-polling", "gateway-b", 45, now=120)
    assert first.acquire("telegram-polling", "gateway-a", 45, now=130)  # renewed until 175
    assert not second.acquire("telegram-polling", "gateway-b", 45, now=170)
    assert second.acquire("telegram-polling", "gateway-b", 45, now=176)  # gateway-a stopped renewing
    assert first.holder("telegram-polling", now=177) == "gateway-b"
    second.release("telegram-polling", "gateway-b")
    assert first.holder("telegram-polling", now=178) is None
    assert first.acquire("telegram-polling", "gateway-a", 45, now=178)


def test_many_gateways_asking_at_once_give_the_lease_to_exactly_one(store_at: StoreAt) -> None:
    where = store_at("gateway")
    gateways = [Leases(where) for _ in range(3)]
    won: list[str] = []
    start = threading.Barrier(6)

    def ask(name: str, leases: Leases) -> None:
        start.wait()
        if leases.acquire("telegram-polling", name, 45, now=1000):
            won.append(name)

    threads = [threading.Thread(target=ask, args=(f"gateway-{n}", gateways[n % 3])) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1


def test_the_telegram_offset_is_kept_by_a_digest_and_only_moves_forward(store_at: StoreAt) -> None:
    leases = Leases(store_at("gateway"))
    assert leases.offset("123:secret-token") is None
    leases.save_offset("123:secret-token", 50)
    leases.save_offset("123:secret-token", 40)  # a slower gateway finishing late does not move it back
    assert leases.offset("123:secret-token") == 50
    assert leases.offset("456:another-bot") is None
    with leases._reading() as db:
        assert "secret-token" not in str(db.execute("SELECT * FROM telegram_offsets").all())


def test_a_message_a_stopped_gateway_left_unanswered_is_taken_by_one_gateway(store_at: StoreAt) -> None:
    where = store_at("messages")
    a, b = MessageStore(where), MessageStore(where)
    left = a.record_inbound("web-a", "default", "widget", "text", "hello?", now=100)
    fresh = a.record_inbound("web-b", "default", "widget", "text", "still being answered", now=200)
    assert left is not None and fresh is not None
    taken_by_a = a.take_pending("gateway-a", received_before=150, now=210)
    assert [i.id for i in taken_by_a] == [left.id]
    assert b.take_pending("gateway-b", received_before=150, now=211) == []
    # Taken but never answered (that gateway died too): offered again once TAKE_SECONDS pass.
    assert [i.id for i in b.take_pending("gateway-b", received_before=150, now=211 + TAKE_SECONDS)] == [left.id]
    b.record_reply(left, "web-a", REPLY, crisis=False)
    assert b.take_pending("gateway-c", received_before=150, now=20_000) == []  # answered, so nothing is left


def test_two_gateways_sweeping_at_once_answer_each_message_once(store_at: StoreAt) -> None:
    where = store_at("messages")
    stores = [MessageStore(where), MessageStore(where)]
    ids = []
    for n in range(20):
        inbound = stores[0].record_inbound(f"web-{n}", "default", "widget", "text", "hello", now=100)
        assert inbound is not None
        ids.append(inbound.id)
    taken: list[int] = []
    start = threading.Barrier(4)

    def sweep(name: str, store: MessageStore) -> None:
        start.wait()
        taken.extend(i.id for i in store.take_pending(name, received_before=150, now=200))

    threads = [threading.Thread(target=sweep, args=(f"gateway-{n}", stores[n % 2])) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(ids)


def test_an_unsent_telegram_reply_is_taken_once_and_a_delivery_is_marked_once(store_at: StoreAt) -> None:
    where = store_at("messages")
    a, b = MessageStore(where), MessageStore(where)
    inbound = a.record_inbound("tg-1", "default", "telegram", "text", "hi", address="42", now=100)
    reply = a.record_reply(inbound, "tg-1", REPLY, crisis=True, now=101)
    assert [o.id for o in b.take_undelivered("telegram", "gateway-b", created_before=150, now=160)] == [reply.id]
    assert a.take_undelivered("telegram", "gateway-a", created_before=150, now=161) == []
    assert b.take_undelivered("widget", "gateway-b", created_before=150, now=160) == []
    assert b.mark_delivered(reply.id)
    assert not a.mark_delivered(reply.id)
