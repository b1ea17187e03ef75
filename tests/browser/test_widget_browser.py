"""The widget in a real browser (Debian's chromium), against the real stack: gateway, Rasa and the action server.

The tests share one running stack and run in the order written: the last one restarts the gateway.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, WebSocketRoute, expect

from bot.contacts import Contacts, format_uk_number
from bot.peer.support import ACCEPT_TITLE, LEAVE_TITLE
from bot.settings import PROJECT_ROOT
from bot.tenants import Tenants
from tests.browser.conftest import INJECTED, PROBE_PLACE, PROBE_SERVICE, CharitySite, add_supporter, serve
from tests.integration.stack import Stack, free_port

pytestmark = pytest.mark.stack

DEFAULT_TENANT = Tenants.load(PROJECT_ROOT / "tenants").default
REPLY_SECONDS = 60
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TALL_PHONE = {"width": 390, "height": 844}
ROUTE_IDS = ("emergency", "samaritans", "shout")
SUPPORTER_PASSWORD = "a long enough passphrase"
WITH_THE_BOT = f"You're talking with {DEFAULT_TENANT.bot_name}, an automated guide"
WITH_SAM = "You're talking with Sam, a peer supporter"
NOTIFY = "Tell me when they reply"


# ---- helpers ------------------------------------------------------------------------------------------------------


def launcher(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Chat "))


def textbox(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your message")


def bot_messages(page: Page) -> Locator:
    return page.locator("nightlight-chat .msg.bot")


def offline_panel(page: Page) -> Locator:
    return page.locator("nightlight-chat .offline")


def open_chat(page: Page, url: str) -> None:
    """Open the demo page and the chat, and wait for the greeting."""
    page.goto(f"{url}/")
    launcher(page).click()
    expect(bot_messages(page).first).to_be_visible(timeout=REPLY_SECONDS * 1000)


def say(page: Page, text: str) -> Locator:
    """Type a message, send it with Enter, and return the first message of the reply."""
    before = bot_messages(page).count()
    textbox(page).fill(text)
    textbox(page).press("Enter")
    reply = bot_messages(page).nth(before)
    expect(reply).to_be_visible(timeout=REPLY_SECONDS * 1000)
    return reply


def who(page: Page) -> Locator:
    """The header's line saying who she is talking with."""
    return page.locator("nightlight-chat #who")


def footnote(page: Page) -> Locator:
    return page.locator("nightlight-chat .footnote")


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def phone(browser: Browser) -> BrowserContext:
    """A 390x844 phone, as the reviewer used at night."""
    made = browser.new_context(viewport=TALL_PHONE, is_mobile=True, has_touch=True)
    made.route(f"{NEUTRAL_SITE}**", lambda route: route.fulfill(body="<p>Weather</p>", content_type="text/html"))
    return made


@dataclass
class MistypedSite(CharitySite):
    """A charity site whose script tag has a typo in data-tenant."""

    def page(self) -> bytes:
        return super().page().replace(b'data-tenant="default"', b'data-tenant="defualt"')


@pytest.fixture(scope="module")
def mistyped_site(stack: Stack) -> Iterator[CharitySite]:
    site = MistypedSite(f"http://127.0.0.1:{free_port()}", f"{stack.url}/widget.js")
    server = serve(site)
    yield site
    server.shutdown()
    server.server_close()


def shadow_focus(page: Page) -> str:
    """What has focus inside the widget, as tag.class#id."""
    return str(
        page.evaluate(
            """() => {
              const active = document.activeElement;
              const inner = active && active.shadowRoot ? active.shadowRoot.activeElement : null;
              return inner ? `${inner.tagName.toLowerCase()}.${inner.className}#${inner.id}` : "";
            }"""
        )
    )


def stored(page: Page) -> dict[str, Any]:
    """What the widget keeps in each of the page's storages."""
    return dict(
        page.evaluate(
            """() => {
              const mine = (store) => Object.keys(store).filter((key) => key.startsWith("nightlight"));
              return {session: mine(sessionStorage), local: mine(localStorage),
                      data: sessionStorage.getItem("nightlight:default") || localStorage.getItem("nightlight:default")};
            }"""
        )
    )


def conversation_of(page: Page) -> str:
    token = json.loads(stored(page)["data"])["token"]
    payload = token.split(".")[0]
    return "web-" + json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["s"]


def stored_messages(stack: Stack, conversation: str) -> int:
    with sqlite3.connect(stack.data_dir / "messages.db") as db:
        row = db.execute("SELECT COUNT(*) FROM inbound WHERE conversation = ?", (conversation,)).fetchone()
    return int(row[0])


def no_horizontal_scroll(page: Page) -> None:
    overflowing = page.evaluate(
        """() => {
          const root = document.querySelector("nightlight-chat").shadowRoot;
          return Array.from(root.querySelectorAll(".panel, .panel *:not(.visually-hidden)"))
            .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible")
            .map((el) => el.className || el.tagName);
        }"""
    )
    assert overflowing == [], overflowing
    width = page.viewport_size["width"] if page.viewport_size else 0
    for control in page.locator("nightlight-chat .panel button:visible, nightlight-chat textarea").all():
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, control


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport=DESKTOP)
    # Quick exit goes to a real news site; the test answers for it instead of leaving the machine.
    made.route(f"{NEUTRAL_SITE}**", lambda route: route.fulfill(body="<p>Weather</p>", content_type="text/html"))
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="module")
def searched(browser: Browser, stack: Stack) -> Iterator[Page]:
    """One conversation that found the probe entry, shared by the tests that look at a full panel."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_chat(page, stack.url)
    # Her first message already says the kind of help (a baby group), so the form asks where, when and needs.
    for answer in ("is there a baby group near me", PROBE_PLACE, "any time", "no"):
        say(page, answer)
    expect(page.locator("nightlight-chat .card")).to_be_visible(timeout=REPLY_SECONDS * 1000)
    yield page
    context.close()


# ---- the page and the panel ---------------------------------------------------------------------------------------


def test_she_opens_the_chat_asks_a_question_and_gets_the_assistants_answer(page: Page, stack: Stack) -> None:
    open_chat(page, stack.url)
    expect(page.get_by_role("dialog", name=DEFAULT_TENANT.bot_name)).to_be_visible()
    reply = say(page, "whats the difference between baby blues and pnd")
    expect(reply).to_contain_text("baby blues")
    expect(reply.get_by_role("link", name=re.compile("^Read more"))).to_have_attribute("href", re.compile("^https://"))
    expect(page.locator("nightlight-chat .msg.her")).to_have_text(["whats the difference between baby blues and pnd"])


def test_tapping_a_button_sends_its_choice_and_shows_it_as_her_message(page: Page, stack: Stack) -> None:
    open_chat(page, stack.url)
    greeting = bot_messages(page).first
    choice = greeting.get_by_role("button").first
    title = choice.inner_text()
    choice.click()
    expect(page.locator("nightlight-chat .msg.her").last).to_contain_text(title)
    expect(bot_messages(page).nth(1)).to_be_visible(timeout=REPLY_SECONDS * 1000)


def test_a_crisis_reply_is_announced_as_an_alert_and_other_replies_politely(
    page: Page, stack: Stack, contacts: Contacts
) -> None:
    open_chat(page, stack.url)
    expect(page.get_by_role("log", name="Conversation")).to_have_attribute("aria-live", "polite")
    reply = say(page, "i want to end my life")
    expect(reply).to_have_attribute("role", "alert")
    expect(reply).to_contain_text(contacts["samaritans"].line())
    expect(reply).to_contain_text(contacts["emergency"].line())


def test_the_keyboard_alone_opens_the_chat_sends_a_message_and_closes_it(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.url}/")
    expect(launcher(page)).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if shadow_focus(page).startswith("button.launcher"):
            break
    assert shadow_focus(page).startswith("button.launcher"), "Tab reaches the launcher"
    outline = launcher(page).evaluate("el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]")
    assert outline == ["solid", "3px"], "the focus is visible"
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert shadow_focus(page) == "textarea.#message", "opening the panel focuses the input"
    expect(bot_messages(page).first).to_be_visible(timeout=REPLY_SECONDS * 1000)
    page.keyboard.type("how do i refer myself for talking therapy")
    page.keyboard.press("Enter")
    expect(page.locator("nightlight-chat .msg.her")).to_have_text(["how do i refer myself for talking therapy"])
    expect(bot_messages(page).nth(1)).to_be_visible(timeout=REPLY_SECONDS * 1000)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert shadow_focus(page).startswith("button.launcher"), "Escape returns focus to the launcher"


def test_injected_markup_in_her_message_and_in_a_directory_entry_shows_as_text_and_never_runs(
    searched: Page, stack: Stack
) -> None:
    page = searched
    say(page, f"{INJECTED} hello")
    expect(page.locator("nightlight-chat .msg.her").last).to_have_text(f"{INJECTED} hello")
    card = page.locator("nightlight-chat .card")
    expect(card.locator(".name")).to_have_text(PROBE_SERVICE)
    expect(card).to_contain_text("(sample)")
    expect(card).to_contain_text("Details checked on 1 November 2026")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("nightlight-chat img:not(.logo)").count() == 0, "no element was made from the text"
    for href in card.get_by_role("link").evaluate_all("links => links.map((a) => a.href)"):
        assert href.startswith(("tel:", "sms:", "https://"))


def test_the_open_panel_with_messages_and_a_card_has_no_serious_accessibility_violations(searched: Page) -> None:
    results = Axe().run(searched)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    assert searched.locator("nightlight-chat .card").count() >= 1, "the check covered a card"


def test_screenshots_of_the_panel_at_phone_and_desktop_widths_are_kept(searched: Page, artifacts: Path) -> None:
    shots = {"widget-phone-360.png": PHONE, "widget-phone-320.png": {"width": 320, "height": 640}}
    shots["widget-desktop-1280.png"] = DESKTOP
    for name, size in shots.items():
        searched.set_viewport_size(size)
        searched.locator("nightlight-chat .card").scroll_into_view_if_needed()
        searched.screenshot(path=str(artifacts / name))
    searched.set_viewport_size(DESKTOP)
    for name in shots:
        assert (artifacts / name).stat().st_size > 1000, name


@pytest.mark.parametrize(
    ("viewport", "scale"),
    [({"width": 320, "height": 640}, 1), ({"width": 640, "height": 360}, 2)],  # a phone, and 1280x720 at 200% zoom
    ids=["320px", "200-percent-zoom"],
)
def test_the_panel_fits_without_sideways_scrolling(
    browser: Browser, stack: Stack, viewport: dict[str, int], scale: int
) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    try:
        open_chat(page, stack.url)
        say(page, "a" * 300)  # one long unbroken word
        no_horizontal_scroll(page)
        expect(page.get_by_role("button", name="Quick exit")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Send")).to_be_in_viewport()
    finally:
        context.close()


def test_the_host_pages_css_does_not_reach_inside_the_widget(browser: Browser, stack: Stack) -> None:
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # only so the test can add hostile CSS
    page = context.new_page()
    try:
        page.goto(f"{stack.url}/")
        expect(launcher(page)).to_be_visible()
        assert page.evaluate("document.styleSheets.length") == 1, "the widget adds no styles to the page"
        page.add_style_tag(
            content="* { font: 30px serif !important; color: rgb(255, 0, 0) !important; } "
            "button, textarea { background: rgb(0, 255, 0) !important; transform: scale(0.5) !important; }"
        )
        launcher(page).click()
        expect(bot_messages(page).first).to_be_visible(timeout=REPLY_SECONDS * 1000)
        text = bot_messages(page).first.locator("p").first
        assert text.evaluate("el => getComputedStyle(el).fontSize") == "16px"
        assert text.evaluate("el => getComputedStyle(el).color") != "rgb(255, 0, 0)"
        assert "system-ui" in text.evaluate("el => getComputedStyle(el).fontFamily")
        send = page.get_by_role("button", name="Send")
        assert send.evaluate("el => getComputedStyle(el).backgroundColor") != "rgb(0, 255, 0)"
        assert send.evaluate("el => getComputedStyle(el).transform") == "none"
        assert launcher(page).evaluate("el => getComputedStyle(el).color") != "rgb(255, 0, 0)"
    finally:
        context.close()


def test_the_header_shows_the_charitys_name_as_the_demo_page_does_and_says_who_she_is_talking_with(
    page: Page, stack: Stack
) -> None:
    open_chat(page, stack.url)
    assert page.locator(".site-name").inner_text() == DEFAULT_TENANT.name, "the demo page and the tenant agree"
    expect(page.locator("nightlight-chat #title")).to_have_text(DEFAULT_TENANT.name)
    expect(who(page)).to_have_text(WITH_THE_BOT)
    expect(footnote(page)).to_contain_text(f"{DEFAULT_TENANT.bot_name} is an automated guide, not a person")


def test_on_a_390_by_844_phone_each_service_card_is_a_third_of_the_screen_at_most_and_old_buttons_switch_off(
    browser: Browser, stack: Stack, artifacts: Path
) -> None:
    context = phone(browser)
    page = context.new_page()
    try:
        open_chat(page, stack.url)
        greeting = bot_messages(page).first
        expect(greeting.get_by_role("button").first).to_be_enabled()
        for answer in ("is there a baby group near me", PROBE_PLACE, "any time", "no"):
            say(page, answer)
        cards = page.locator("nightlight-chat .msg.service")
        expect(cards.first).to_be_visible(timeout=REPLY_SECONDS * 1000)
        for button in greeting.get_by_role("button").all():
            expect(button).to_be_disabled()  # she has moved on: the greeting's choices are out of date

        probe = cards.filter(has_text=PROBE_SERVICE).first
        expect(probe.locator(".when")).to_have_text(re.compile(r"^Opens? "))
        expect(probe.locator(".where")).to_have_text("Probe Street, Penzance")  # the street and town, no number
        expect(probe).not_to_contain_text(PROBE_PLACE)
        expect(probe.get_by_role("link", name="Open their website")).to_be_visible()
        for title in ("More like this", "What happens there?", "This is wrong or has closed"):
            expect(probe.get_by_role("button", name=title)).to_be_enabled()
        expect(probe.locator(".checked")).to_have_text("Details checked on 1 November 2026")
        probe.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "widget-phone-390-card.png"))

        before = bot_messages(page).count()
        probe.get_by_role("button", name="More like this").click()
        expect(page.locator("nightlight-chat .msg.her").last).to_have_text(re.compile("^More like this"))
        for button in probe.get_by_role("button").all():
            expect(button).to_be_disabled()  # pressed a later button: this card's choices are done with
        expect(bot_messages(page).nth(before)).to_be_visible(timeout=REPLY_SECONDS * 1000)
        page.wait_for_timeout(300)  # let the layout settle

        third = TALL_PHONE["height"] / 3
        heights = [card.bounding_box()["height"] for card in cards.all()]  # type: ignore[index]
        assert heights and all(height <= third for height in heights), (heights, third)
        no_horizontal_scroll(page)
    finally:
        context.close()


def test_on_a_phone_tab_goes_round_inside_the_open_panel_and_quick_exit_comes_first(
    browser: Browser, stack: Stack
) -> None:
    context = phone(browser)
    page = context.new_page()
    try:
        open_chat(page, stack.url)
        expect(page.get_by_role("dialog")).to_have_attribute("aria-modal", "true")
        page.get_by_role("button", name="Send").focus()
        page.keyboard.press("Tab")
        assert shadow_focus(page).startswith("button.exit"), "Tab from the last control goes to Quick exit"
        page.keyboard.press("Shift+Tab")
        assert shadow_focus(page).startswith("button.send"), "Shift+Tab from Quick exit goes to the last control"
        seen = set()
        for _ in range(30):
            page.keyboard.press("Tab")
            assert shadow_focus(page), "the focus never leaves the panel for the page behind it"
            seen.add(shadow_focus(page).split("#")[0])
        assert {"button.exit", "textarea.", "button.send"} <= seen
    finally:
        context.close()


def test_on_a_charitys_page_with_its_own_header_the_widget_adds_no_banner_and_no_serious_accessibility_problems(
    page: Page, stack: Stack, listed_site: CharitySite
) -> None:
    for url in (f"{listed_site.origin}/", f"{stack.url}/"):
        page.goto(url)
        if url.startswith(listed_site.origin):  # a plain page: give it a <header> of its own, as most sites have
            page.evaluate("""() => document.body.prepend(Object.assign(document.createElement("header"), {
              textContent: "A charity"}))""")
        launcher(page).click()
        expect(bot_messages(page).first).to_be_visible(timeout=REPLY_SECONDS * 1000)
        expect(page.get_by_role("banner")).to_have_count(1)  # the page's own header only
        results = Axe().run(page)
        found = {violation["id"] for violation in results.response["violations"]}
        assert not found & {"landmark-no-duplicate-banner", "landmark-unique"}, results.generate_report()
        assert serious_violations(page) == [], results.generate_report()


# ---- privacy on a shared phone -------------------------------------------------------------------------------------


def test_the_conversation_lives_in_session_storage_unless_she_chooses_to_keep_it(
    context: BrowserContext, page: Page, stack: Stack
) -> None:
    open_chat(page, stack.url)
    say(page, "hello")
    assert stored(page)["session"] == ["nightlight:default"] and stored(page)["local"] == []
    page.get_by_role("button", name="Options").click()
    page.get_by_role("checkbox", name="Keep this chat on this device").check()
    assert stored(page)["session"] == [] and stored(page)["local"] == ["nightlight:default"]
    later = context.new_page()  # a new tab: only what she chose to keep is there
    later.goto(f"{stack.url}/")
    launcher(later).click()
    expect(later.locator("nightlight-chat .msg.her")).to_have_text(["hello"])


def test_quick_exit_clears_the_chat_from_both_storages_and_leaves_for_a_neutral_site(page: Page, stack: Stack) -> None:
    open_chat(page, stack.url)
    say(page, "hello")
    page.get_by_role("button", name="Options").click()
    page.get_by_role("checkbox", name="Keep this chat on this device").check()
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url(NEUTRAL_SITE)
    page.goto(f"{stack.url}/")
    expect(launcher(page)).to_be_visible()
    assert stored(page) == {"session": [], "local": [], "data": None}
    assert page.locator("nightlight-chat .msg").count() == 0


def test_delete_my_data_removes_the_conversation_from_the_gateway_and_the_device(page: Page, stack: Stack) -> None:
    open_chat(page, stack.url)
    say(page, "hello")
    conversation = conversation_of(page)
    assert stored_messages(stack, conversation) >= 1
    page.get_by_role("button", name="Options").click()
    page.get_by_role("button", name="Delete my data").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("nightlight-chat .note")).to_have_text(
        "Your conversation has been deleted from Nightlight and from this device."
    )
    assert stored_messages(stack, conversation) == 0
    # The greeting comes back below that line, so she can see she can start again; nothing of hers is left.
    expect(bot_messages(page)).to_have_count(1, timeout=REPLY_SECONDS * 1000)
    expect(bot_messages(page).first.get_by_role("button").first).to_be_enabled()
    expect(page.locator("nightlight-chat .msg.her")).to_have_count(0)
    say(page, "hello again")
    assert conversation_of(page) != conversation


# ---- where it may run, and when the server cannot be reached -------------------------------------------------------


def test_on_a_charitys_own_site_that_the_tenant_lists_the_widget_works_across_origins(
    page: Page, stack: Stack, listed_site: CharitySite
) -> None:
    page.goto(f"{listed_site.origin}/")
    launcher(page).click()
    expect(bot_messages(page).first).to_be_visible(timeout=REPLY_SECONDS * 1000)
    assert page.evaluate("location.origin") == listed_site.origin


def test_on_a_site_the_tenant_does_not_list_a_small_notice_tells_the_sites_staff_to_ask_for_it_to_be_added(
    page: Page, stack: Stack, unlisted_site: CharitySite, artifacts: Path
) -> None:
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(f"{unlisted_site.origin}/")
    notice = page.locator("nightlight-notice")
    site = unlisted_site.origin
    reason = f"This site ({site}) is not in the tenant's allowed_origins. Ask Nightlight's operator to add it."
    expect(notice).to_contain_text("The Nightlight chat can't start on this page.")
    expect(notice).to_contain_text(reason)
    expect(notice).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "widget-refused-origin.png"))
    assert page.locator("nightlight-chat").count() == 0, "no chat panel"
    assert [w for w in warnings if "Nightlight" in w] == [f"Nightlight: the chat is not shown. {reason}"]
    assert serious_violations(page) == []
    page.get_by_role("button", name="Hide this notice").click()
    expect(notice).to_have_count(0)


def test_with_a_typo_in_data_tenant_the_notice_names_the_tenant_to_check_not_the_site(
    page: Page, mistyped_site: CharitySite, artifacts: Path
) -> None:
    page.goto(f"{mistyped_site.origin}/")
    notice = page.locator("nightlight-notice")
    expect(notice).to_contain_text("No tenant called 'defualt'. Check data-tenant in the script tag.")
    expect(notice).not_to_contain_text("allowed_origins")
    page.screenshot(path=str(artifacts / "widget-refused-tenant.png"))
    assert page.locator("nightlight-chat").count() == 0


def assert_crisis_panel(page: Page, contacts: Contacts) -> None:
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible(timeout=15_000)
    for route_id in ROUTE_IDS:
        expect(alert).to_contain_text(contacts[route_id].line())
    for nation_route in ("nhs-111-mental-health", "nhs-111-wales", "nhs-24-scotland", "lifeline-ni"):
        expect(alert).to_contain_text(contacts[nation_route].line())
    expect(alert.locator(f'a[href="tel:{contacts["samaritans"].phone}"]')).to_have_count(1)
    shout = contacts["shout"]
    expect(alert.locator(f'a[href="sms:{shout.sms}?body={shout.sms_body}"]')).to_have_count(1)
    emergency = contacts["emergency"]
    expect(alert.get_by_role("link", name=f"Call {format_uk_number(emergency.phone)}")).to_be_in_viewport()


def test_when_the_server_cannot_be_reached_the_panel_shows_the_24_7_routes_bundled_in_the_script(
    page: Page, stack: Stack, contacts: Contacts
) -> None:
    page.route("**/widget/config*", lambda route: route.abort())
    page.goto(f"{stack.url}/")
    launcher(page).click()
    assert_crisis_panel(page, contacts)


def test_when_the_socket_never_answers_the_crisis_routes_appear(page: Page, stack: Stack, contacts: Contacts) -> None:
    def swallow(socket: WebSocketRoute) -> None:
        """Accept the socket but never answer, as a server that has hung would."""

    page.route_web_socket(re.compile(r".*/widget/ws.*"), swallow)
    page.goto(f"{stack.url}/")
    launcher(page).click()
    assert_crisis_panel(page, contacts)
    # She can still type; the message waits until the gateway answers.
    textbox(page).fill("hello")
    textbox(page).press("Enter")
    expect(page.locator("nightlight-chat .msg.her .state")).to_have_text("Sending…")


# ---- with a peer supporter -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def supporter(stack: Stack) -> str:
    """Sam's account on this stack, made the way an operator makes one."""
    add_supporter(stack.data_dir, stack.data_dir / "tenants", "sam", "Sam", "supporter", SUPPORTER_PASSWORD)
    return "sam"


def sign_in_on_shift(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/console/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(SUPPORTER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#status")).to_have_text("Connected.", timeout=30_000)
    page.get_by_role("switch", name="On shift").check()
    expect(page.locator("#shift-state")).to_contain_text("You're on shift")


def ask_for_a_person_and_get_claimed(mother: Page, console: Page) -> None:
    """She asks for a person and says yes (or leaves a message, out of hours); the supporter claims her."""
    say(mother, "can i talk to a real person")
    consent = re.compile(f"^({re.escape(ACCEPT_TITLE)}|{re.escape(LEAVE_TITLE)})$")
    mother.locator("nightlight-chat").get_by_role("button", name=consent).last.click()
    expect(mother.get_by_role("button", name=NOTIFY)).to_have_count(1, timeout=REPLY_SECONDS * 1000)
    expect(who(mother)).to_have_text(WITH_THE_BOT)  # waiting is not yet talking with a person
    claim = console.locator("#queue > li").get_by_role("button", name="Claim")
    expect(claim).to_have_count(1, timeout=30_000)
    claim.click()


def test_while_a_peer_supporter_is_with_her_the_header_and_footnote_name_them_until_she_is_back_with_the_bot(
    browser: Browser, stack: Stack, supporter: str, artifacts: Path
) -> None:
    desk = browser.new_context(viewport=DESKTOP)
    her_phone = phone(browser)
    try:
        console = desk.new_page()
        sign_in_on_shift(console, stack.url, supporter)
        mother = her_phone.new_page()
        open_chat(mother, stack.url)
        notify = mother.get_by_role("button", name=NOTIFY)
        expect(notify).to_have_count(0)

        ask_for_a_person_and_get_claimed(mother, console)
        expect(who(mother)).to_have_text(WITH_SAM, timeout=30_000)
        expect(footnote(mother)).to_contain_text(f"{WITH_SAM}. They're not an emergency service.")
        expect(footnote(mother)).not_to_contain_text("automated guide")
        expect(mother.get_by_role("dialog")).to_have_accessible_name(re.compile(WITH_SAM))
        expect(notify).to_have_count(1)  # offered once while she waits, not once per message
        mother.screenshot(path=str(artifacts / "widget-phone-390-with-a-supporter.png"))

        console.once("dialog", lambda dialog: dialog.accept())
        console.get_by_role("button", name="End chat").click()
        expect(who(mother)).to_have_text(WITH_THE_BOT, timeout=30_000)
        expect(footnote(mother)).to_contain_text("is an automated guide, not a person")
        expect(notify).to_have_count(0)  # the chat has ended: nothing to wait for
        mother.reload()
        launcher(mother).click()
        expect(who(mother)).to_have_text(WITH_THE_BOT)
        expect(notify).to_have_count(0)

        # She asks again, and this time goes back to the bot herself.
        mother.locator("nightlight-chat").get_by_role("button", name="Talk to a peer supporter again").click()
        ask_for_a_person_and_get_claimed(mother, console)
        expect(who(mother)).to_have_text(WITH_SAM, timeout=30_000)
        notify.click()
        expect(notify).to_have_count(0)  # asked once, whatever she answers: never offered again in this chat
        say(mother, "back to the bot please")
        expect(who(mother)).to_have_text(WITH_THE_BOT)
        expect(notify).to_have_count(0)
    finally:
        her_phone.close()
        desk.close()


# ---- last: the gateway restarts under her ------------------------------------------------------------------------


def test_after_the_gateway_restarts_the_widget_reconnects_resumes_and_sends_what_she_typed_meanwhile(
    page: Page, stack: Stack
) -> None:
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    open_chat(page, stack.url)
    say(page, "hello")
    conversation = conversation_of(page)
    before = stack.pid("gateway")
    os.killpg(before, signal.SIGKILL)
    # Typed while the gateway is down: kept, and sent once it is back.
    textbox(page).fill("whats the difference between baby blues and pnd")
    textbox(page).press("Enter")
    expect(page.locator("nightlight-chat .msg.her .state").last).to_have_text("Sending…")
    stack.wait_healthy(180)
    assert stack.pid("gateway") != before
    reply = bot_messages(page).last
    expect(reply).to_contain_text("baby blues", timeout=REPLY_SECONDS * 1000)
    expect(page.locator("nightlight-chat .msg.her .state").last).to_be_hidden()
    assert conversation_of(page) == conversation, "the same session resumed"
    expect(page.locator("nightlight-chat .note")).to_have_count(0)
    expect(offline_panel(page)).to_be_hidden()
    assert csp_errors == []


def test_on_a_phone_the_crisis_reply_opens_at_its_top_with_every_number_a_tap_away(
    browser: Browser, stack: Stack, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_chat(page, stack.url)
        for question in ("what is cbt", "how do i refer myself to talking therapies"):
            say(page, question)  # earlier replies, so the chat has something to scroll past
        reply = say(page, "i want to end my life")
        expect(reply).to_have_attribute("role", "alert")
        page.wait_for_timeout(300)  # let the scroll settle
        body = page.locator("nightlight-chat .body").bounding_box()
        top = reply.bounding_box()
        assert body is not None and top is not None
        assert body["y"] - 1 <= top["y"] <= body["y"] + 24, "the crisis reply's first line is at the top of the chat"
        for href in ("tel:999", "tel:111", "tel:116123", "sms:85258?body=SHOUT"):
            link = reply.locator(f'a[href="{href}"]')
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box is not None
            assert body["y"] <= box["y"] and box["y"] + box["height"] <= body["y"] + body["height"], (
                f"{href} can be tapped without scrolling"
            )
            assert box["height"] >= 44, f"{href} is big enough to tap"
        page.screenshot(path=str(artifacts / "widget-phone-390-crisis.png"))
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], results.generate_report()
    finally:
        context.close()
