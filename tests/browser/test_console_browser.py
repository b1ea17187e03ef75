"""The peer supporter console in a real browser (Debian's chromium), with a mother on the widget, against the real
stack: gateway, Rasa and the action server.

The tests share one running stack and run in the order written: the last one restarts the gateway mid-chat.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from bot.peer.support import ACCEPT, ACCEPT_TITLE, ACCEPT_WITH_CHAT_TITLE, CLAIMED, HANDBACK
from bot.settings import PROJECT_ROOT
from bot.tenants import LONDON
from tests.browser.conftest import add_supporter
from tests.integration.stack import Chat, Stack, running_stack

pytestmark = pytest.mark.stack

REPLY_SECONDS = 60
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "a long enough passphrase"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ACCOUNTS = (("sam", "Sam", "supporter"), ("cora", "Cora", "coordinator"))


def tenants_open_all_week(folder: Path) -> Path:
    """The project's tenants, with the default tenant's peer-support hours all day, every day."""
    shutil.copytree(PROJECT_ROOT / "tenants", folder)
    default = folder / "default.yaml"
    data = yaml.safe_load(default.read_text(encoding="utf-8"))
    data["peer_support_hours"] = {day: ["00:00-24:00"] for day in DAYS}
    default.write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def add_supporters(data_dir: Path, tenants: Path) -> None:
    """Sam, a supporter, and Cora, a coordinator."""
    for username, name, role in ACCOUNTS:
        add_supporter(data_dir, tenants, username, name, role, PASSWORD)


@pytest.fixture(scope="module")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real stack, with supporters' accounts and peer-support hours that cover every hour of the week."""
    data_dir = tmp_path_factory.mktemp("console-stack")
    tenants = tenants_open_all_week(data_dir / "tenants")
    add_supporters(data_dir, tenants)
    with running_stack(data_dir, {"NIGHTLIGHT_TENANTS_DIR": str(tenants)}) as running:
        yield running


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Separate browsers' worth of cookies and storage: one for the mother, one for each supporter."""
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext], url: str) -> Page:
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["notifications"], origin=url)
    contexts.append(context)
    return context.new_page()


# ---- the mother, on the widget --------------------------------------------------------------------------------------


def bot_messages(page: Page) -> Locator:
    return page.locator("nightlight-chat .msg.bot")


def textbox(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your message")


def open_chat(page: Page, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_role("button", name=re.compile(r"^Chat ")).click()
    expect(bot_messages(page).first).to_be_visible(timeout=REPLY_SECONDS * 1000)


def type_message(page: Page, text: str) -> None:
    textbox(page).fill(text)
    textbox(page).press("Enter")


def bot_says(page: Page, text: str) -> Locator:
    return page.locator("nightlight-chat .msg.bot", has_text=text)


# ---- the supporter, on the console ----------------------------------------------------------------------------------


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/console/")
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console/$"))
    expect(page.locator("#status")).to_have_text("Connected.", timeout=30_000)


def go_on_shift(page: Page) -> None:
    page.get_by_role("switch", name="On shift").check()
    expect(page.locator("#shift-state")).to_contain_text("You're on shift")


def queue_cards(page: Page) -> Locator:
    return page.locator("#queue > li")


def chat_log(page: Page) -> Locator:
    return page.locator(".pane:visible .log")


def sam_on_shift(browser: Browser, contexts: list[BrowserContext], stack: Stack) -> Page:
    """Sam's console, signed in and on shift."""
    console = new_page(browser, contexts, stack.url)
    sign_in(console, stack.url, "sam")
    go_on_shift(console)
    return console


def she_asks_for_a_person(mother: Page, consent_title: str) -> None:
    """She asks for a person and says yes with the button of that title; she is then in the queue."""
    type_message(mother, "can i talk to a real person")
    consent = mother.locator("nightlight-chat").get_by_role("button", name=consent_title)
    expect(consent).to_be_visible(timeout=REPLY_SECONDS * 1000)
    consent.click()


def claimed_by_sam(console: Page, mother: Page) -> None:
    """Sam claims the one card in the queue, and she is told he has joined."""
    expect(queue_cards(console)).to_have_count(1, timeout=30_000)
    queue_cards(console).get_by_role("button", name="Claim").click()
    expect(bot_says(mother, CLAIMED.format(name="Sam"))).to_be_visible(timeout=30_000)


# ---- the tests -----------------------------------------------------------------------------------------------------


def test_with_a_mother_on_the_widget_a_supporter_signs_in_claims_chats_ends_and_the_bot_resumes(
    browser: Browser, contexts: list[BrowserContext], stack: Stack, artifacts: Path
) -> None:
    console = new_page(browser, contexts, stack.url)
    problems: list[str] = []  # script errors, policy violations and failed requests (the browser's own favicon aside)
    console.on("pageerror", lambda error: problems.append(str(error)))
    console.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load") else None,
    )
    console.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None,
    )
    sign_in(console, stack.url, "sam")
    expect(console.locator("#who")).to_contain_text("Signed in as Sam")
    go_on_shift(console)

    mother = new_page(browser, contexts, stack.url)
    open_chat(mother, stack.url)
    type_message(mother, "can i talk to a real person")
    consent = mother.locator("nightlight-chat").get_by_role("button", name=ACCEPT_TITLE)
    expect(consent).to_be_visible(timeout=REPLY_SECONDS * 1000)
    consent.click()
    expect(bot_says(mother, "You're in the queue")).to_be_visible(timeout=REPLY_SECONDS * 1000)

    card = queue_cards(console)
    expect(card).to_have_count(1, timeout=30_000)
    expect(card).to_contain_text("Asked for a person")
    expect(card).to_contain_text("Website chat")
    expect(card).to_contain_text("Summary only")
    console.screenshot(path=str(artifacts / "console-queue.png"))
    card.get_by_role("button", name="Claim").click()
    expect(queue_cards(console)).to_have_count(0)
    expect(console.get_by_label("Message to her")).to_be_visible()
    expect(bot_says(mother, CLAIMED.format(name="Sam"))).to_be_visible(timeout=30_000)

    console.get_by_label("Message to her").fill("Hello, I'm Sam. I'm here to listen, take your time.")
    console.get_by_label("Message to her").press("Enter")
    from_sam = mother.locator("nightlight-chat .msg.bot.supporter")
    expect(from_sam).to_contain_text("I'm here to listen, take your time.", timeout=30_000)
    expect(chat_log(console).locator(".msg.supporter")).to_contain_text("I'm here to listen")

    type_message(mother, "thank you, it's been a long night")
    expect(chat_log(console).locator(".msg.her")).to_contain_text("it's been a long night", timeout=30_000)
    console.get_by_label("Private note (only supporters see this, never her)").fill("Tired; mentioned the night.")
    console.get_by_role("button", name="Add note").click()
    expect(chat_log(console).locator(".msg.note")).to_contain_text("Tired; mentioned the night.")
    console.screenshot(path=str(artifacts / "console-chat.png"))

    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="End chat").click()
    expect(console.locator(".pane .closed-note")).to_have_text("This chat has ended.")
    expect(bot_says(mother, HANDBACK.format(name="Sam"))).to_be_visible(timeout=30_000)
    mother.screenshot(path=str(artifacts / "widget-after-handback.png"))
    assert not mother.locator("nightlight-chat", has_text="Tired; mentioned the night.").count(), "notes stay private"

    before = bot_messages(mother).count()
    type_message(mother, "whats the difference between baby blues and pnd")
    answer = bot_messages(mother).nth(before)
    expect(answer).to_contain_text("baby blues", timeout=REPLY_SECONDS * 1000)
    assert problems == []


def test_a_coordinator_reads_the_audit_trail_without_any_message_text(
    browser: Browser, contexts: list[BrowserContext], stack: Stack
) -> None:
    page = new_page(browser, contexts, stack.url)
    sign_in(page, stack.url, "cora")
    expect(page.get_by_role("heading", name="For coordinators")).to_be_visible()
    page.get_by_text("Audit trail").click()
    table = page.locator("#audit tbody")
    expect(table).to_contain_text("claimed", timeout=30_000)
    expect(table).to_contain_text("Sam")
    expect(table).to_contain_text("ended by supporter")
    for words in ("here to listen", "long night", "Tired"):
        expect(table).not_to_contain_text(words)


def test_a_coordinators_canned_reply_reaches_a_supporters_console(
    browser: Browser, contexts: list[BrowserContext], stack: Stack
) -> None:
    coordinator = new_page(browser, contexts, stack.url)
    sign_in(coordinator, stack.url, "cora")
    coordinator.get_by_text("Canned replies").click()
    coordinator.get_by_label("Title (only supporters see this)").fill("Welcome")
    coordinator.get_by_label("Text", exact=True).fill("Hello, I'm really glad you got in touch tonight.")
    coordinator.get_by_role("button", name="Add reply").click()
    expect(coordinator.locator("#canned-list")).to_contain_text("Welcome")

    supporter = new_page(browser, contexts, stack.url)
    sign_in(supporter, stack.url, "sam")
    go_on_shift(supporter)
    chat = Chat(stack)
    chat.send("can i talk to a real person")
    chat.send(payload=ACCEPT)
    queue_cards(supporter).get_by_role("button", name="Claim").click()
    supporter.get_by_label("Insert a canned reply").select_option(label="Welcome")
    expect(supporter.get_by_label("Message to her")).to_have_value("Hello, I'm really glad you got in touch tonight.")
    supporter.once("dialog", lambda dialog: dialog.accept())
    supporter.get_by_role("button", name="End chat").click()
    expect(supporter.locator(".pane .closed-note")).to_have_text("This chat has ended.")


def test_the_console_with_someone_waiting_has_no_serious_accessibility_violations(
    browser: Browser, contexts: list[BrowserContext], stack: Stack
) -> None:
    page = new_page(browser, contexts, stack.url)
    sign_in(page, stack.url, "sam")
    chat = Chat(stack)
    chat.send("can i talk to a real person")
    chat.send(payload=ACCEPT)
    expect(queue_cards(page)).to_have_count(1, timeout=30_000)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    go_on_shift(page)
    queue_cards(page).get_by_role("button", name="Claim").click()
    expect(page.get_by_label("Message to her")).to_be_visible()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End chat").click()
    expect(page.locator(".pane .closed-note")).to_have_text("This chat has ended.")


LAPTOP = {"width": 1366, "height": 768}


def in_view(page: Page, locator: Locator) -> bool:
    """Whether the element is wholly inside the window as it is now (without scrolling the page)."""
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_on_a_laptop_the_supporter_sees_her_whole_story_her_choices_and_presence_and_leaves_a_closing_note(
    browser: Browser, contexts: list[BrowserContext], stack: Stack, artifacts: Path
) -> None:
    console = new_page(browser, contexts, stack.url)
    console.set_viewport_size(LAPTOP)
    sign_in(console, stack.url, "sam")
    go_on_shift(console)
    mother = new_page(browser, contexts, stack.url)
    open_chat(mother, stack.url)
    type_message(mother, "cant stop crying")
    expect(bot_messages(mother).nth(1)).to_be_visible(timeout=REPLY_SECONDS * 1000)
    she_asks_for_a_person(mother, ACCEPT_WITH_CHAT_TITLE)

    card = queue_cards(console)
    expect(card).to_have_count(1, timeout=30_000)
    expect(card.locator(".preview")).to_have_text("Her last message: “can i talk to a real person”")
    expect(card).to_contain_text("Struggling (distress)")  # her first message counts, not only the button press
    console.screenshot(path=str(artifacts / "console-queue-preview.png"))
    card.get_by_role("button", name="Claim").click()

    pane = console.locator(".pane:visible")
    reply_box = console.get_by_label("Message to her")
    expect(reply_box).to_be_visible()
    expect(pane.locator(".about")).to_contain_text("Struggling (distress)")
    expect(pane.locator(".presence")).to_contain_text("Her chat window is open")
    expect(pane.locator(".transcript")).to_contain_text(f"Her: Chose “{ACCEPT_WITH_CHAT_TITLE}”")
    expect(bot_says(mother, CLAIMED.format(name="Sam"))).to_be_visible(timeout=30_000)
    textbox(mother).press_sequentially("i dont know wh")
    expect(pane.locator(".presence")).to_contain_text("She's typing", timeout=30_000)
    expect(pane).not_to_contain_text("i dont know wh")  # that she is typing, never what
    for number in range(12):
        reply_box.fill(f"Message {number} from Sam, just to fill the chat.")
        reply_box.press("Enter")
    expect(chat_log(console).locator(".msg.supporter:not(.pending)")).to_have_count(12, timeout=30_000)
    log = chat_log(console)
    assert log.evaluate("node => node.scrollHeight > node.clientHeight"), "the chat scrolls inside its own box"
    assert log.evaluate("node => node.scrollHeight - node.scrollTop - node.clientHeight < 5"), "at the newest"
    console.evaluate("window.scrollTo(0, 0)")
    console.screenshot(path=str(artifacts / "console-chat-laptop.png"))
    assert in_view(console, reply_box), "the reply box stays on screen at 1366x768"
    assert in_view(console, pane.get_by_role("button", name="Send")), "and its Send button"
    assert in_view(console, pane.locator(".about")), "and so does the summary"
    console.screenshot(path=str(artifacts / "console-chat-laptop.png"))

    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="End chat").click()
    note = console.get_by_role("form", name="Closing note for the coordinators")
    note.get_by_label("How it ended").select_option("talked")
    note.get_by_label("There was a safeguarding concern").check()
    note.get_by_role("button", name="Save closing note").click()
    expect(pane).to_contain_text("Closing note saved for the coordinators.")
    console.screenshot(path=str(artifacts / "console-closing-note.png"))


def test_when_she_deletes_her_data_the_open_chat_empties_with_a_note(
    browser: Browser, contexts: list[BrowserContext], stack: Stack, artifacts: Path
) -> None:
    console = sam_on_shift(browser, contexts, stack)
    mother = new_page(browser, contexts, stack.url)
    open_chat(mother, stack.url)
    she_asks_for_a_person(mother, ACCEPT_WITH_CHAT_TITLE)
    claimed_by_sam(console, mother)
    type_message(mother, "my words that must go")
    expect(chat_log(console).locator(".msg.her")).to_contain_text("my words that must go", timeout=30_000)

    mother.get_by_role("button", name="Options").click()
    mother.get_by_role("button", name="Delete my data").click()
    mother.get_by_role("button", name="Yes, delete it").click()
    pane = console.locator(".pane")
    expect(pane).to_contain_text("She deleted this conversation", timeout=30_000)
    expect(console.locator("body")).not_to_contain_text("my words that must go")
    console.screenshot(path=str(artifacts / "console-deleted.png"))
    pane.get_by_role("button", name="Close").click()
    expect(console.locator(".pane")).to_have_count(0)


def test_when_the_charity_changes_its_hours_the_console_banner_and_shift_words_agree_without_a_restart(
    browser: Browser, contexts: list[BrowserContext], stack: Stack, artifacts: Path
) -> None:
    page = new_page(browser, contexts, stack.url)
    sign_in(page, stack.url, "sam")
    go_on_shift(page)
    expect(page.locator("#shift-state")).to_have_text("You're on shift: mothers can be offered a chat")
    default = stack.data_dir / "tenants" / "default.yaml"
    original = default.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    not_today = DAYS[(datetime.now(LONDON).weekday() + 3) % 7]
    data["peer_support_hours"] = {not_today: ["10:00-12:00"]}
    try:
        default.write_text(yaml.safe_dump(data), encoding="utf-8")
        expect(page.locator("#hours")).to_be_visible(timeout=60_000)
        expect(page.locator("#shift-state")).to_contain_text("outside peer-support hours")
        expect(page.locator("#shift-state")).not_to_contain_text("mothers can be offered a chat")
        page.screenshot(path=str(artifacts / "console-outside-hours.png"))
    finally:
        default.write_text(original, encoding="utf-8")
    expect(page.locator("#hours")).to_be_hidden(timeout=60_000)
    expect(page.locator("#shift-state")).to_have_text("You're on shift: mothers can be offered a chat")


# ---- last: the gateway restarts mid-chat ----------------------------------------------------------------------------


def test_restarting_the_gateway_mid_chat_loses_no_message_on_either_side_and_both_reconnect(
    browser: Browser, contexts: list[BrowserContext], stack: Stack
) -> None:
    console = sam_on_shift(browser, contexts, stack)
    mother = new_page(browser, contexts, stack.url)
    open_chat(mother, stack.url)
    she_asks_for_a_person(mother, ACCEPT_TITLE)
    claimed_by_sam(console, mother)

    before = stack.pid("gateway")
    os.killpg(before, signal.SIGKILL)
    expect(console.locator("#status")).to_contain_text("Connection lost", timeout=30_000)
    # Written on both sides while the gateway is down: each is kept and sent once it is back.
    console.get_by_label("Message to her").fill("Sorry, my screen froze. I'm still here.")
    console.get_by_label("Message to her").press("Enter")
    type_message(mother, "are you still there?")
    stack.wait_healthy(180)
    assert stack.pid("gateway") != before

    expect(console.locator("#status")).to_have_text("Connected.", timeout=60_000)
    expect(console.locator("#shift-state")).to_contain_text("You're on shift")
    expect(chat_log(console).locator(".msg.her")).to_contain_text("are you still there?", timeout=60_000)
    expect(mother.locator("nightlight-chat .msg.bot.supporter")).to_contain_text("I'm still here.", timeout=60_000)
    expect(chat_log(console).locator(".msg.pending")).to_have_count(0)
    expect(chat_log(console).locator(".msg.supporter", has_text="I'm still here.")).to_have_count(1)
