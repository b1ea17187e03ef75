"""Peer support through the gateway: consent, honesty about who is on, the queue, relaying, and back to the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.app_keys import MESSENGER_KEY, PEER_KEY
from bot.contacts import Contacts
from bot.peer.handoff import Status
from bot.peer.support import (
    ACCEPT,
    ACCEPT_WITH_CHAT,
    BACK_TO_BOT,
    DECLINE,
    NO_CLAIM_REMINDER_SECONDS,
    PeerSupport,
    Presence,
    next_on,
    open_until,
    say_next_on,
    say_wait,
    say_when,
)
from bot.settings import PROJECT_ROOT, Settings
from bot.tenants import LONDON, Tenants
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
CRISIS = "i want to kill myself"
ASKS_FOR_A_PERSON = [
    {"recipient_id": "x", "text": "Of course. Our peer supporters are mums who have been through it themselves."},
    {"recipient_id": "x", "custom": {"routes": ["samaritans"], "signal": "handoff"}},
]
ALWAYS = {
    day: ["00:00-24:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def tenants_dir(tmp_path: Path, hours: dict[str, list[str]] | None) -> Path:
    folder = tmp_path / "tenants"
    folder.mkdir()
    data = yaml.safe_load((PROJECT_ROOT / "tenants" / "default.yaml").read_text(encoding="utf-8"))
    data["peer_support_hours"] = hours
    (folder / "default.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.fixture
def fake_rasa() -> FakeRasa:
    fake = FakeRasa([{"recipient_id": "x", "text": "An answer from the bot."}])
    fake.slots = {"search_place": "EX4", "search_when": "tuesday morning"}
    return fake


async def make_client(
    aiohttp_client: Any, fake_rasa: FakeRasa, tmp_path: Path, hours: dict[str, list[str]] | None
) -> AsyncIterator[TestClient[Any, Any]]:
    server = TestServer(fake_rasa.app())
    await server.start_server()
    settings = Settings(
        api_keys=(KEY,),
        rasa_url=str(server.make_url("")).rstrip("/"),
        rasa_timeout=2,
        actions_port=free_port(),
        data_dir=tmp_path,
        tenants_dir=tenants_dir(tmp_path, hours),
        tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}",
    )
    try:
        yield await aiohttp_client(create_app(settings))
    finally:
        await server.close()


@pytest.fixture
async def client(aiohttp_client: Any, fake_rasa: FakeRasa, tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    """Supporter hours every day, all day."""
    async for made in make_client(aiohttp_client, fake_rasa, tmp_path, ALWAYS):
        yield made


@pytest.fixture
async def client_no_hours(
    aiohttp_client: Any, fake_rasa: FakeRasa, tmp_path: Path
) -> AsyncIterator[TestClient[Any, Any]]:
    async for made in make_client(aiohttp_client, fake_rasa, tmp_path, None):
        yield made


async def say(client: TestClient[Any, Any], text: str | None = None, payload: str | None = None) -> dict[str, Any]:
    body = {"text": text} if text is not None else {"payload": payload}
    response = await client.post("/api/v1/conversations/c1/messages", json=body, headers=AUTH)
    assert response.status == 200, await response.text()
    data: dict[str, Any] = await response.json()
    return data


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


def peer(client: TestClient[Any, Any]) -> PeerSupport:
    return client.server.app[PEER_KEY]


async def on_shift(client: TestClient[Any, Any], supporter: str = "sam") -> None:
    await peer(client).presence.connect(supporter, "default")
    await peer(client).presence.set_on_shift(supporter, True)


def pushed(client: TestClient[Any, Any]) -> list[dict[str, Any]]:
    """Messages sent to her without her asking (a REST API client has no push channel, so they wait)."""
    messenger = client.server.app[MESSENGER_KEY]
    return [m for o in messenger.store.undelivered(conversation_of(client)) for m in o.body["messages"]]


def conversation_of(client: TestClient[Any, Any]) -> str:
    with client.server.app[MESSENGER_KEY].store._reading() as db:
        row = db.execute("SELECT conversation FROM conversations").first()
    return str(row[0])


async def test_with_nobody_on_she_is_told_so_with_the_24_7_routes_and_can_leave_a_message(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    offer = await say(client, "can i talk to a real person")
    text = texts(offer)
    assert "Nobody is on right now" in text
    assert contacts["samaritans"].line() in text
    assert [b["payload"] for b in offer["messages"][-1]["buttons"]] == [ACCEPT, ACCEPT_WITH_CHAT, DECLINE]
    assert offer["handoff"] == {"status": "offered"}
    queued = await say(client, payload=ACCEPT)
    assert queued["handoff"] == {"status": "queued"}
    assert "their reply will be waiting here" in texts(queued)
    assert contacts["samaritans"].line() in texts(queued)
    before = len(fake_rasa.received)
    note = await say(client, "i just need someone to talk to about the nights")
    assert "saved that for the peer supporter" in texts(note)
    assert len(fake_rasa.received) == before, "her words for the supporter never go to the bot"
    handoff = peer(client).handoffs.queue("default")[0]
    assert [m.text for m in peer(client).handoffs.messages(handoff.id)] == [
        "i just need someone to talk to about the nights"
    ]


async def test_with_someone_on_she_is_told_roughly_how_long_the_wait_is(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    await on_shift(client)
    fake_rasa.reply = ASKS_FOR_A_PERSON
    offer = await say(client, "is there someone i can speak to")
    assert "someone is on now" in texts(offer)
    queued = await say(client, payload=ACCEPT)
    assert "should be with you in a few minutes" in texts(queued)


async def test_the_summary_holds_only_what_she_agreed_to_share(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    assert handoff.summary["reason"] == "asked for a person"
    assert handoff.summary["area"] == "EX4"
    assert handoff.summary["preferred_times"] == "tuesday morning"
    assert not handoff.share_transcript
    assert peer(client).transcript(handoff) is None


async def test_with_her_agreement_the_supporter_also_sees_the_chat_so_far(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    await say(client, "hello")
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT_WITH_CHAT)
    handoff = peer(client).handoffs.queue("default")[0]
    transcript = peer(client).transcript(handoff)
    assert transcript is not None
    assert [line["text"] for line in transcript if line["who"] == "her"][:2] == ["hello", "can i talk to a real person"]


async def test_she_can_say_no_and_carry_on_with_the_bot(client: TestClient[Any, Any], fake_rasa: FakeRasa) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    declined = await say(client, payload=DECLINE)
    assert "That's fine" in texts(declined)
    assert declined["handoff"] is None
    fake_rasa.reply = [{"recipient_id": "x", "text": "An answer from the bot."}]
    assert texts(await say(client, "what is cbt")) == "An answer from the bot."


async def test_a_crisis_gets_the_crisis_reply_first_and_an_urgent_offer_in_the_same_turn(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    turn = await say(client, CRISIS)
    assert turn["messages"][0]["kind"] == "crisis"
    assert "peer supporters" in turn["messages"][1]["text"]
    assert "not an emergency service" in turn["messages"][1]["text"]
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    assert handoff.urgent and handoff.summary["level"] == "crisis"


async def test_a_claimed_chat_relays_both_ways_and_the_bot_stays_quiet(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    events: list[dict[str, Any]] = []

    async def listen(event: dict[str, Any]) -> None:
        events.append(event)

    peer(client).subscribe(listen)
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    assert await peer(client).claim(handoff.id, "sam", "Sam") is not None
    assert "Sam has joined" in pushed(client)[-1]["text"]
    before = len(fake_rasa.received)
    quiet = await say(client, "hi sam, thank you")
    assert quiet["messages"] == [] and quiet["handoff"] == {"status": "claimed", "supporter_name": "Sam"}
    assert len(fake_rasa.received) == before
    await peer(client).say(handoff.id, "sam", "Hi, I'm here. How are the nights?")
    assert pushed(client)[-1]["text"] == "Sam: Hi, I'm here. How are the nights?"
    assert [e["type"] for e in events] == ["queued", "claimed", "message", "message"]


async def test_a_crisis_during_a_chat_is_urgent_for_the_supporter_and_she_still_gets_the_routes(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    await peer(client).claim(handoff.id, "sam", "Sam")
    before = len(fake_rasa.received)
    turn = await say(client, CRISIS)
    assert turn["messages"][0]["kind"] == "crisis"
    assert contacts["samaritans"].line() in turn["messages"][0]["text"]
    assert len(fake_rasa.received) == before
    last = peer(client).handoffs.messages(handoff.id)[-1]
    assert last.urgent and last.text == CRISIS


async def test_she_can_go_back_to_the_bot_and_the_bot_answers_again(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    await peer(client).claim(handoff.id, "sam", "Sam")
    back = await say(client, "can i go back to the bot please")
    assert "I've let Sam know" in texts(back)
    assert peer(client).handoffs.get(handoff.id).status is Status.ENDED
    fake_rasa.reply = [{"recipient_id": "x", "text": "An answer from the bot."}]
    assert texts(await say(client, "what is cbt")) == "An answer from the bot."


async def test_the_supporter_ends_the_chat_with_a_kind_handback_and_the_bot_resumes(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=BACK_TO_BOT)  # an offer can also be left this way
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    await peer(client).claim(handoff.id, "sam", "Sam")
    await peer(client).end(handoff.id, "sam")
    assert "Sam has ended the chat" in pushed(client)[-1]["text"]
    fake_rasa.reply = [{"recipient_id": "x", "text": "An answer from the bot."}]
    assert texts(await say(client, "what is cbt")) == "An answer from the bot."


async def test_two_supporters_claiming_at_once_have_one_winner_and_she_hears_once(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    import asyncio

    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    results = await asyncio.gather(
        peer(client).claim(handoff.id, "sam", "Sam"), peer(client).claim(handoff.id, "jo", "Jo")
    )
    assert sum(result is not None for result in results) == 1
    assert sum("has joined" in m["text"] for m in pushed(client)) == 1


async def test_no_claim_in_five_minutes_while_someone_is_on_gets_an_honest_message_with_the_routes_once(
    client: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    await on_shift(client)
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    handoff = peer(client).handoffs.queue("default")[0]
    assert handoff.queued_at is not None
    await peer(client).tick(now=handoff.queued_at + NO_CLAIM_REMINDER_SECONDS - 5)
    assert not any("nobody has picked up" in m["text"] for m in pushed(client))
    await peer(client).tick(now=handoff.queued_at + NO_CLAIM_REMINDER_SECONDS + 5)
    await peer(client).tick(now=handoff.queued_at + NO_CLAIM_REMINDER_SECONDS + 60)
    reminders = [m for m in pushed(client) if "nobody has picked up" in m["text"]]
    assert len(reminders) == 1
    assert contacts["samaritans"].line() in reminders[0]["text"]
    assert peer(client).handoffs.get(handoff.id).status is Status.QUEUED, "she stays in the queue"


async def test_a_service_without_supporter_hours_says_nobody_can_reply_and_gives_the_routes(
    client_no_hours: TestClient[Any, Any], fake_rasa: FakeRasa, contacts: Contacts
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    turn = await say(client_no_hours, "can i talk to a real person")
    assert "nobody can reply" in texts(turn)
    assert contacts["samaritans"].line() in texts(turn)
    assert turn["handoff"] is None


async def test_delete_my_data_removes_her_handoffs_too(client: TestClient[Any, Any], fake_rasa: FakeRasa) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    await say(client, "my private words")
    response = await client.delete("/api/v1/conversations/c1", headers=AUTH)
    assert response.status == 200
    assert peer(client).handoffs.queue("default") == []
    assert all("conversation" in e for e in peer(client).handoffs.audit())


async def test_supporters_are_available_only_when_signed_in_on_shift_and_within_hours() -> None:
    tenant = Tenants.load(PROJECT_ROOT / "tenants").default  # weekday hours
    presence_ = Presence()
    tuesday_10am = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    sunday_3am = datetime(2026, 11, 22, 3, 0, tzinfo=LONDON)
    await presence_.set_on_shift("sam", True)
    assert await presence_.available(tenant, tuesday_10am) == [], "not signed in"
    await presence_.connect("sam", "default")
    assert await presence_.available(tenant, tuesday_10am) == [], "signed in but not on shift"
    await presence_.set_on_shift("sam", True)
    assert await presence_.available(tenant, tuesday_10am) == ["sam"]
    assert await presence_.available(tenant, tuesday_10am, ask=False) == ["sam"], "a crisis offer reads memory"
    assert await presence_.available(tenant, sunday_3am) == [], "outside the charity's hours"
    await presence_.disconnect("sam")
    assert await presence_.available(tenant, tuesday_10am) == []


def test_the_next_shift_is_named_the_way_people_say_it() -> None:
    tenant = Tenants.load(PROJECT_ROOT / "tenants").default
    sunday_3am = datetime(2026, 11, 22, 3, 0, tzinfo=LONDON)
    monday_9am = next_on(tenant, sunday_3am)
    assert monday_9am == datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    assert say_when(monday_9am, sunday_3am) == "tomorrow at 9am"
    friday_night = datetime(2026, 11, 27, 22, 0, tzinfo=LONDON)
    assert say_when(next_on(tenant, friday_night), friday_night) == "Monday at 9am"  # type: ignore[arg-type]
    assert say_when(datetime(2026, 11, 22, 19, 30, tzinfo=LONDON), sunday_3am) == "today at 7:30pm"


def test_the_wait_is_rough_and_grows_with_the_queue() -> None:
    assert say_wait(0, 1) == "a few minutes"
    assert say_wait(3, 1) == "about 20 minutes"
    assert say_wait(3, 2) == "about 10 minutes"


async def test_she_can_type_yes_or_no_to_the_offer_instead_of_tapping(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    before = len(fake_rasa.received)
    queued = await say(client, "yes please")
    assert queued["handoff"] == {"status": "queued"}
    assert len(fake_rasa.received) == before
    handoff = peer(client).handoffs.queue("default")[0]
    assert not handoff.share_transcript, "a typed yes shares the summary only"


async def test_a_crisis_typed_while_an_offer_is_open_gets_the_crisis_reply(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    turn = await say(client, CRISIS)
    assert turn["messages"][0]["kind"] == "crisis"


async def test_a_typed_yes_to_something_else_the_bot_asked_later_goes_to_the_bot(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    fake_rasa.reply = [{"recipient_id": "x", "text": "Shall I look for groups near EX4?"}]
    await say(client, "actually are there any groups near me")
    fake_rasa.reply = [{"recipient_id": "x", "text": "Here are some groups."}]
    turn = await say(client, "yes")
    assert texts(turn) == "Here are some groups."
    assert peer(client).handoffs.queue("default") == []


async def test_the_summary_reads_the_whole_conversation_not_only_the_last_replies(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.slots = {"search_place": None, "search_when": None}  # a finished search clears its slots
    fake_rasa.events = [
        {"event": "slot", "name": "search_place", "value": "EX4"},
        {"event": "slot", "name": "search_when", "value": "tuesday morning"},
        {"event": "slot", "name": "search_place", "value": None},
        {"event": "slot", "name": "search_place", "value": "remote"},
        {"event": "slot", "name": "search_when", "value": None},
    ]
    await say(client, "cant stop crying")
    for number in range(12):
        await say(client, f"what is cbt {number}")
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    summary = peer(client).handoffs.queue("default")[0].summary
    assert summary["level"] == "distress", "her first message, thirteen replies back, still counts"
    assert summary["categories"] == ["distress"]
    assert summary["area"] == "EX4", "the place she gave before the search cleared it ('online' is not a place)"
    assert summary["preferred_times"] == "tuesday morning"


async def test_the_queue_card_previews_her_last_message_only_if_she_shared_the_chat(
    client: TestClient[Any, Any], fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = ASKS_FOR_A_PERSON
    await say(client, "can i talk to a real person")
    await say(client, payload=ACCEPT)
    assert peer(client).card(peer(client).handoffs.queue("default")[0])["preview"] is None, "summary only"
    await say(client, payload=BACK_TO_BOT)
    await say(client, "its the nights, " + "again and again " * 10)
    await say(client, payload=ACCEPT_WITH_CHAT)
    card = peer(client).card(peer(client).handoffs.queue("default")[0])
    assert card["preview"].startswith("its the nights, again and again") and card["preview"].endswith("…")
    assert len(card["preview"]) <= 90
    await say(client, "are you there")
    card = peer(client).card(peer(client).handoffs.queue("default")[0])
    assert card["preview"] == "are you there", "what she wrote while waiting is newer"


def test_inside_the_hours_with_nobody_on_she_is_given_the_next_real_start_not_the_time_now() -> None:
    tenants = Tenants.load(PROJECT_ROOT / "tenants")
    weekdays = {day: ["09:00-17:00", "17:00-21:30"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    tenant = replace_hours(tenants.default, weekdays)
    tuesday_928pm = datetime(2026, 11, 24, 21, 28, tzinfo=LONDON)
    assert open_until(tenant, tuesday_928pm) == datetime(2026, 11, 24, 21, 30, tzinfo=LONDON)
    assert next_on(tenant, tuesday_928pm) == datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)
    said = say_next_on(tenant, tuesday_928pm)
    assert said == "tomorrow at 9am, though someone may still come on before 9:30pm"
    tuesday_10am = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    assert open_until(tenant, tuesday_10am) == datetime(2026, 11, 24, 21, 30, tzinfo=LONDON), "windows that meet"
    friday_night = datetime(2026, 11, 27, 22, 0, tzinfo=LONDON)
    assert open_until(tenant, friday_night) is None
    assert say_next_on(tenant, friday_night) == "Monday at 9am"
    always = replace_hours(tenants.default, ALWAYS)
    assert next_on(always, tuesday_928pm) is None
    assert say_next_on(always, tuesday_928pm).startswith("as soon as someone comes on")


def replace_hours(tenant: Any, hours: dict[str, list[str]]) -> Any:
    """The tenant with other peer-support hours, read the way tenant files are."""
    from dataclasses import replace

    from bot.tenants import _hours

    return replace(tenant, peer_support_hours=_hours(hours, "test"))
