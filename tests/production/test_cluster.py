"""More than one machine: two gateways and two Rasa servers behind HAProxy, over PostgreSQL and Redis, each process
started on its own as systemd would start it (tests/production/cluster.py).

The tests share one cluster and run in the order written; the later ones kill a gateway and a Rasa server.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import psycopg
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from bot.answers.rasa_client import RasaClient
from bot.conversation import pseudonym
from bot.peer.support import ACCEPT, ACCEPT_TITLE, ACCEPT_WITH_CHAT, CLAIMED, HANDBACK
from bot.shared.link import Keys
from tests.production.clients import ApiChat, Console, Widget, buttons, texts
from tests.production.cluster import PASSWORD, Cluster, running_cluster
from tests.production.stores import holding, postgres_rows, redis_contents

pytestmark = pytest.mark.production

CHROMIUM = "/usr/bin/chromium"
REPLY_MS = 60_000
ASKS_FOR_A_PERSON = "can i talk to a real person"
QUESTIONS = (
    "whats the difference between baby blues and pnd",
    "what is cbt",
    "how do i refer myself to talking therapies",
    "is it normal to feel anxious after having a baby",
    "what is postpartum psychosis",
)


@pytest.fixture(scope="module")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The whole cluster, once for the module; Sam and Alex are supporters in the shared database."""
    assert trained_model.exists()
    with running_cluster(tmp_path_factory.mktemp("cluster"), (("sam", "Sam"), ("alex", "Alex"))) as running:
        running.texts.extend(QUESTIONS)
        yield running


def tracker_events(cluster: Cluster, sender: str, kind: str = "user") -> int:
    with psycopg.connect(cluster.database_url("tracker", "postgresql")) as tracker:
        row = tracker.execute(
            "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = %s", (sender, kind)
        ).fetchone()
    assert row is not None
    return int(row[0])


# ---- a mother on gateway A, her supporter on gateway B, in real browsers ---------------------------------------------


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's chromium (never a downloaded one); for one test, so Playwright's event loop is gone before the
    asyncio tests run."""
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext], origin: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["notifications"], origin=origin)
    contexts.append(context)
    return context.new_page()


def bot_says(page: Page, text: str) -> Locator:
    return page.locator("nightlight-chat .msg.bot", has_text=text)


def type_message(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")


def test_a_mother_on_gateway_a_and_a_supporter_on_gateway_b_queue_claim_chat_both_ways_and_end(
    cluster: Cluster, browser: Browser, contexts: list[BrowserContext]
) -> None:
    gateway_a, gateway_b = cluster.gateway_urls
    from_sam = "Hello, I'm Sam, on the other gateway. Take your time, I'm listening."
    from_her = "thank you sam, the nights have felt endless this week"
    cluster.texts.extend([from_sam, from_her])

    console = new_page(browser, contexts, gateway_b)
    console.goto(f"{gateway_b}/console/")
    expect(console).to_have_url(re.compile(r"/console/login$"))
    console.get_by_label("Username").fill("sam")
    console.get_by_label("Password").fill(PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator("#status")).to_have_text("Connected.", timeout=30_000)
    console.get_by_role("switch", name="On shift").check()
    expect(console.locator("#shift-state")).to_contain_text("You're on shift")

    mother = new_page(browser, contexts, gateway_a)
    mother.goto(f"{gateway_a}/")
    mother.get_by_role("button", name=re.compile(r"^Chat ")).click()
    expect(mother.locator("nightlight-chat .msg.bot").first).to_be_visible(timeout=REPLY_MS)
    type_message(mother, ASKS_FOR_A_PERSON)
    consent = mother.locator("nightlight-chat").get_by_role("button", name=ACCEPT_TITLE)
    expect(consent).to_be_visible(timeout=REPLY_MS)
    consent.click()
    expect(bot_says(mother, "You're in the queue")).to_be_visible(timeout=REPLY_MS)

    card = console.locator("#queue > li")
    expect(card).to_have_count(1, timeout=30_000)
    expect(card).to_contain_text("Website chat")
    card.get_by_role("button", name="Claim").click()
    expect(bot_says(mother, CLAIMED.format(name="Sam"))).to_be_visible(timeout=30_000)

    reply_box = console.get_by_label("Message to her")
    reply_box.fill(from_sam)
    reply_box.press("Enter")
    expect(mother.locator("nightlight-chat .msg.bot.supporter")).to_contain_text(from_sam, timeout=30_000)
    type_message(mother, from_her)
    expect(console.locator(".pane:visible .log .msg.her")).to_contain_text(from_her, timeout=30_000)

    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="End chat").click()
    expect(console.locator(".pane .closed-note")).to_have_text("This chat has ended.")
    expect(bot_says(mother, HANDBACK.format(name="Sam"))).to_be_visible(timeout=30_000)
    before = mother.locator("nightlight-chat .msg.bot").count()
    type_message(mother, QUESTIONS[0])
    expect(mother.locator("nightlight-chat .msg.bot").nth(before)).to_contain_text("baby blues", timeout=REPLY_MS)


# ---- two consoles on different gateways claim the same handoff at once ------------------------------------------


async def test_two_consoles_on_different_gateways_claim_at_once_and_exactly_one_wins(cluster: Cluster) -> None:
    gateway_a, gateway_b = cluster.gateway_urls
    sam, alex = Console(gateway_a, "sam"), Console(gateway_b, "alex")
    try:
        await sam.open()
        await alex.open()
        seen: set[str] = set()
        winners = []
        for _ in range(3):
            chat = ApiChat(cluster.url, cluster.key)
            offer = await asyncio.to_thread(chat.send, ASKS_FOR_A_PERSON)
            assert ACCEPT in buttons(offer), offer
            queued = await asyncio.to_thread(chat.send, None, ACCEPT)
            assert queued["handoff"] == {"status": "queued"}, queued
            on_a, on_b = await asyncio.gather(sam.queued(seen), alex.queued(seen))
            assert on_a == on_b, "both gateways' consoles show the same handoff"
            seen.add(on_a)
            await asyncio.gather(sam.send(type="claim", handoff_id=on_a), alex.send(type="claim", handoff_id=on_a))
            told = await asyncio.gather(told_about_claim(sam, on_a), told_about_claim(alex, on_a))
            kinds = sorted(kind for kind, _ in told)
            assert kinds == ["chat", "claim_lost"], told
            winner = sam if told[0][0] == "chat" else alex
            lost_message = told[1][1] if winner is sam else told[0][1]
            assert "already claimed" in lost_message
            assert ("Sam" if winner is sam else "Alex") in lost_message, "she is told who has it"
            winners.append(winner.username)
            await winner.send(type="end", handoff_id=on_a)
            await winner.until("chat_closed", lambda f, ended=on_a: f["handoff_id"] == ended)
    finally:
        await sam.close()
        await alex.close()
    assert len(winners) == 3


async def told_about_claim(console: Console, handoff_id: str) -> tuple[str, str]:
    """What a console was told about its claim: ("chat", "") when it won, ("claim_lost", why) when it did not,
    ("error", the frame) for anything else about that handoff."""
    while True:
        frame = await console.until("", lambda f: f["type"] in ("chat", "claim_lost", "error"))
        if frame["type"] == "chat" and frame["chat"]["handoff"]["id"] == handoff_id:
            return "chat", ""
        if frame["type"] == "claim_lost" and frame["handoff_id"] == handoff_id:
            return "claim_lost", str(frame["message"])
        if frame["type"] == "error":
            return "error", str(frame)


# ---- a gateway is killed mid-conversation ---------------------------------------------------------------------------


def serving(cluster: Cluster) -> list[str]:
    """The gateways HAProxy has an open session with (the one socket she has open)."""
    assert cluster.balancer is not None
    return [name for name, row in cluster.balancer.servers().items() if int(row["scur"] or 0) > 0]


@pytest.mark.usefixtures("restarts_gateways")
async def test_a_gateway_killed_mid_conversation_loses_no_message_and_doubles_no_reply(cluster: Cluster) -> None:
    async with aiohttp.ClientSession() as http:
        her = Widget(http, cluster.url)
        welcome = await her.connect()
        assert welcome["resumed"] is False
        first = await her.say("hello")
        assert texts(first)
        [victim] = serving(cluster)
        sent = [await her.send(question) for question in QUESTIONS]
        while not set(sent) <= set(her.acks):
            await her.frame()
        answered_before = {reply["id"] for reply in her.replies}
        cluster.kill_gateway(victim)
        assert len(answered_before) < 1 + len(QUESTIONS), "the kill came while some messages were unanswered"

        # The widget sees its socket drop, and comes back through the balancer with the token it has.
        assert her.ws is not None
        while not her.ws.closed:
            try:
                await her.frame(10)
            except AssertionError:
                break
        welcome = await her.connect()
        assert welcome["resumed"] is True, welcome
        assert serving(cluster) != [victim]
        # Every acknowledged message is answered; anything more that comes within a few seconds is a reply sent twice.
        deadline = time.monotonic() + 90
        with contextlib.suppress(asyncio.TimeoutError):
            while len({reply["id"] for reply in her.replies}) < 1 + len(QUESTIONS):
                await her.frame(max(0.1, deadline - time.monotonic()))
            await her.until("never", seconds=5)
        ids = [reply["id"] for reply in her.replies]
        assert len(set(ids)) == 1 + len(QUESTIONS), (
            f"{1 + len(QUESTIONS)} messages acknowledged, {len(answered_before)} answered before the kill; "
            f"replies (ids) by the end: {ids}"
        )
        answers = [texts(reply) for reply in her.replies]
        assert any("baby blues" in answer for answer in answers)
        assert all(answer.strip() for answer in answers)
        after = await her.say(QUESTIONS[1])
        assert texts(after)
        await her.close()


@pytest.fixture
def restarts_gateways(cluster: Cluster) -> Iterator[None]:
    """Whatever a test did, both gateways are running again afterwards, and HAProxy has them."""
    yield
    assert cluster.balancer is not None
    for name in ("gateway-a", "gateway-b"):
        if not cluster.processes[name].running():
            cluster.restart_gateway(name)
        cluster.balancer.wait_for(name, "UP")


# ---- a Rasa server is killed while conversations go on ----------------------------------------------------------


def test_a_rasa_server_killed_while_conversations_go_on_leaves_them_to_the_other(cluster: Cluster) -> None:
    ranking = RasaClient(None, cluster.rasa_urls, "", 1)  # no session: only to rank the servers as a gateway does
    chats: dict[int, list[ApiChat]] = {0: [], 1: []}
    while min(len(on) for on in chats.values()) < 4:
        chat = ApiChat(cluster.url, cluster.key)
        first = cluster.rasa_urls.index(ranking.servers_for(chat.sender)[0])
        if len(chats[first]) < 4:
            chats[first].append(chat)
    # Three conversations on each server are between turns when the server dies; one more on the killed server
    # keeps sending, so a turn of it is likely to be inside Rasa at that moment.
    busy = chats[0].pop()
    steady = chats[0] + chats[1][:3]
    kinds: dict[str, list[str]] = {chat.id: [] for chat in [*steady, busy]}
    failures: list[str] = []
    halfway = threading.Barrier(len(steady) + 1, timeout=120)
    killed = threading.Event()
    done = threading.Event()

    def converse(chat: ApiChat) -> None:
        try:
            for turn, question in enumerate(QUESTIONS[:4]):
                if turn == 2:
                    halfway.wait()
                    killed.wait(60)
                kinds[chat.id].append(chat.send(question, timeout=90)["messages"][0]["kind"])
        except Exception as error:  # reported below, with the others
            failures.append(f"{chat.id}: {error!r}")

    def keep_sending() -> None:
        try:
            while not done.is_set():
                kinds[busy.id].append(busy.send(QUESTIONS[len(kinds[busy.id]) % 4], timeout=90)["messages"][0]["kind"])
        except Exception as error:
            failures.append(f"{busy.id}: {error!r}")

    threads = [threading.Thread(target=converse, args=(chat,)) for chat in steady]
    threads.append(threading.Thread(target=keep_sending))
    for thread in threads:
        thread.start()
    halfway.wait()
    cluster.kill_rasa(0)
    killed.set()
    for thread in threads[:-1]:
        thread.join(180)
    done.set()
    threads[-1].join(180)
    assert failures == [], failures

    for chat in steady:
        assert kinds[chat.id] == ["answer"] * 4, (chat.id, kinds[chat.id])
    for chat in chats[0]:
        assert tracker_events(cluster, chat.sender) == 4, "the other server carried on with the same tracker"
    # A turn that was inside the dead server gets the kind fallback with the 24/7 lines, never an error.
    assert set(kinds[busy.id]) <= {"answer", "fallback"}, kinds[busy.id]
    health = cluster.health(cluster.url)
    assert health["status"] == "degraded", health
    assert health["rasa_servers"] == {cluster.rasa_urls[0]: False, cluster.rasa_urls[1]: True}


# ---- she deletes her data, and it is in no store and no log ------------------------------------------------------


async def test_deleting_her_data_leaves_it_in_no_store_and_no_log_holds_a_message(cluster: Cluster) -> None:
    hers = (
        "i keep thinking about my nan's marigold garden and i feel so tired",
        "they were orange and smelled of long summer evenings",
    )
    from_alex = "Hi, I'm Alex. Tell me about the marigolds whenever you like."
    cluster.texts.extend([*hers, from_alex])
    alex = Console(cluster.gateway_urls[0], "alex")
    async with aiohttp.ClientSession() as http:
        her = Widget(http, cluster.url)
        try:
            await alex.open()
            await her.connect()
            assert texts(await her.say(hers[0]))
            offer = await her.say(ASKS_FOR_A_PERSON)
            assert ACCEPT_WITH_CHAT in buttons(offer), offer
            await her.say(payload=ACCEPT_WITH_CHAT)
            handoff_id = await alex.queued(set())
            await alex.send(type="claim", handoff_id=handoff_id)
            await alex.until("chat", lambda f: f["chat"]["handoff"]["id"] == handoff_id)
            await alex.send(type="say", handoff_id=handoff_id, text=from_alex, client_id="c1")
            await her.until("reply", lambda f: from_alex in texts(f))
            await her.send(hers[1])
            await alex.until("message", lambda f: f["message"].get("text") == hers[1])

            conversation, session = her.conversation, her.session_id
            # The gateways know her in Redis only by a keyed hash of her conversation's id (bot/shared/link.py).
            hashed = Keys(secret=cluster.secret_key.encode()).hashed(conversation)
            needles = (conversation, *hers, from_alex)
            before = postgres_rows(cluster.database_url("gateway", "postgresql"))
            assert holding(before, needles), "her conversation is in the gateways' database before she deletes it"
            assert tracker_events(cluster, conversation) > 0, "and in Rasa's tracker"
            assert [key for key in redis_contents(cluster.redis()) if hashed in key], "and Redis knows her open widget"

            assert her.ws is not None
            await her.ws.send_json({"type": "forget"})
            await her.until("forgotten")
            await alex.until("deleted", lambda f: f["handoff_id"] == handoff_id)
        finally:
            await her.close()
            await alex.close()

    after = postgres_rows(cluster.database_url("gateway", "postgresql"))
    assert holding(after, needles) == [], "nothing of hers is left in the gateways' database"
    assert tracker_events(cluster, conversation, "user") == 0
    tracker = postgres_rows(cluster.database_url("tracker", "postgresql"))
    assert holding(tracker, (conversation, *hers)) == [], "nor in Rasa's tracker"
    in_redis = redis_contents(cluster.redis())
    for needle in (conversation, session, pseudonym(conversation), hashed, *hers, from_alex):
        assert not [key for key, value in in_redis.items() if needle in key or needle in value], needle

    logs = cluster.logs()
    assert len(logs) >= 6, list(logs)
    for path, text in logs.items():
        for words in cluster.texts:
            assert words not in text, f"{path.name} holds message text: {words!r}"
        assert session not in text, f"{path.name} holds her conversation's id"
