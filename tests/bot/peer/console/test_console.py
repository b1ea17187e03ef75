"""The peer supporter console over real HTTP and WebSockets: sign-in, CSRF, the live queue, claims, chats, and the
coordinator's tools, with the peer-support core that create_app builds and a stand-in Rasa."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer
from argon2 import PasswordHasher

from bot.app import create_app
from bot.app_keys import MESSENGER_KEY
from bot.contacts import Contacts
from bot.conversation import pseudonym
from bot.crisis import crisis_reply
from bot.peer.console.desk import CONSOLE_KEY
from bot.peer.support import ACCEPT, ACCEPT_WITH_CHAT, HANDBACK
from bot.peer.supporters import SIGN_IN_REFUSED, Role, Supporters
from bot.settings import PROJECT_ROOT, Settings
from nlu.screen import screen
from tests.fakes.rasa import FakeRasa
from tests.integration.stack import free_port

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
SECRET = "console-test-secret-0123456789abcdef"
PASSWORD = "correct horse battery"
EVIL = "https://evil.example"
CRISIS = "i want to end my life"
ASKS_FOR_A_PERSON = "can i talk to a real person"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Cheap to check, so the tests are quick; the gateway re-hashes with its own cost at the first sign-in.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def bot_or_person(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Asking for a person gets the handoff signal; anything else an answer."""
    if "real person" in body["message"]:
        return [
            {"recipient_id": body["sender"], "text": "Our peer supporters are mums who've been there."},
            {"recipient_id": body["sender"], "custom": {"signal": "handoff"}},
        ]
    return [{"recipient_id": body["sender"], "text": "An answer from the bot."}]


def tenants_dir(tmp_path: Path) -> Path:
    """The default tenant with peer-support hours all day, every day (so the tests pass at any hour); and another."""
    folder = tmp_path / "tenants"
    folder.mkdir()
    data = yaml.safe_load((PROJECT_ROOT / "tenants" / "default.yaml").read_text(encoding="utf-8"))
    data["peer_support_hours"] = {day: ["00:00-24:00"] for day in DAYS}
    (folder / "default.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    data.update(id="other", name="Another Charity")
    (folder / "other.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def add_accounts(data_dir: Path) -> None:
    accounts = Supporters(data_dir / "console.db", hasher=QUICK_HASHER)
    accounts.add("sam", "Sam", Role.SUPPORTER, PASSWORD)
    accounts.add("alex", "Alex", Role.SUPPORTER, PASSWORD)
    accounts.add("cora", "Cora", Role.COORDINATOR, PASSWORD)
    accounts.add("olly", "Olly", Role.SUPPORTER, PASSWORD, tenant="other")
    accounts.close()


def gateway(settings: Settings) -> web.Application:
    return create_app(settings)


def settings_for(tmp_path: Path, rasa_url: str) -> Settings:
    return Settings(
        api_keys=(KEY,),
        rasa_url=rasa_url,
        rasa_timeout=2,
        actions_port=free_port(),
        data_dir=tmp_path,
        tenants_dir=tenants_dir(tmp_path),
        secret_key=SECRET,
        tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}",
    )


@pytest.fixture
async def rasa_url() -> AsyncIterator[str]:
    fake = FakeRasa(bot_or_person)
    fake.slots = {"search_place": "EX4"}
    server = TestServer(fake.app())
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


@pytest.fixture
async def client(aiohttp_client: Any, rasa_url: str, tmp_path: Path) -> TestClient[Any, Any]:
    add_accounts(tmp_path)
    made: TestClient[Any, Any] = await aiohttp_client(gateway(settings_for(tmp_path, rasa_url)))
    return made


class Frames:
    """One console's socket, as the test drives it."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def send(self, **frame: Any) -> None:
        await self.ws.send_json(frame)

    async def frame(self) -> dict[str, Any]:
        message = await self.ws.receive(timeout=10)
        assert message.type is WSMsgType.TEXT, message
        data: dict[str, Any] = json.loads(message.data)
        return data

    async def until(self, kind: str, where: Callable[[dict[str, Any]], bool] = lambda frame: True) -> dict[str, Any]:
        """The next frame of this type (and matching `where`), skipping others."""
        while True:
            frame = await self.frame()
            if frame["type"] == kind and where(frame):
                return frame

    async def each(self, *kinds: str) -> dict[str, dict[str, Any]]:
        """The next frame of each of these types, in whatever order they come."""
        found: dict[str, dict[str, Any]] = {}
        while len(found) < len(kinds):
            frame = await self.frame()
            if frame["type"] in kinds:
                found.setdefault(frame["type"], frame)
        return found

    async def closed(self) -> bool:
        while True:
            message = await self.ws.receive(timeout=10)
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
                return True


class Person:
    """A supporter with her own browser: her own cookies, her own consoles."""

    def __init__(self, client: TestClient[Any, Any], username: str) -> None:
        self.client = client
        self.username = username
        self.base = str(client.make_url("")).rstrip("/")
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""
        self.id = ""

    def url(self, path: str) -> str:
        return self.base + path

    async def form_token(self) -> str:
        page = await (await self.http.get(self.url("/console/login"))).text()
        match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
        assert match, page
        return match.group(1)

    async def sign_in(self, password: str = PASSWORD, **headers: str) -> aiohttp.ClientResponse:
        token = await self.form_token()
        return await self.http.post(
            self.url("/console/login"),
            data={"csrf": token, "username": self.username, "password": password},
            headers=headers,
            allow_redirects=False,
        )

    async def me(self) -> aiohttp.ClientResponse:
        return await self.http.get(self.url("/console/api/me"))

    async def open(self) -> Frames:
        """Sign in if need be, open a console and say hello with the CSRF token; nothing is read yet."""
        response = await self.me()
        if response.status == 401:
            assert (await self.sign_in()).status == 303
            response = await self.me()
        self.csrf = (await response.json())["csrf"]
        frames = Frames(await self.http.ws_connect(self.url("/console/ws"), origin=self.base))
        await frames.send(type="hello", csrf=self.csrf)
        return frames

    async def console(self, shift: bool = True) -> Frames:
        """An open console, past its welcome, on shift unless told otherwise."""
        frames = await self.open()
        self.id = (await frames.until("welcome"))["supporter"]["id"]
        await frames.until("canned")  # the last frame of the welcome
        if shift:
            await frames.send(type="shift", on=True)
            await frames.until("shift")
        return frames

    async def close(self) -> None:
        await self.http.close()


@pytest.fixture
async def people(client: TestClient[Any, Any]) -> AsyncIterator[Callable[[str], Person]]:
    made: list[Person] = []

    def person(username: str) -> Person:
        made.append(Person(client, username))
        return made[-1]

    yield person
    for one in made:
        await one.close()


class Mother:
    """A mother writing through the REST API."""

    def __init__(self, client: TestClient[Any, Any], name: str = "c1") -> None:
        self.client = client
        self.name = name

    @property
    def conversation(self) -> str:
        return f"api-{pseudonym(KEY)[:8]}-{self.name}"

    async def send(self, text: str | None = None, payload: str | None = None) -> dict[str, Any]:
        body = {"text": text} if text is not None else {"payload": payload}
        response = await self.client.post(f"/api/v1/conversations/{self.name}/messages", json=body, headers=AUTH)
        assert response.status == 200, await response.text()
        data: dict[str, Any] = await response.json()
        return data

    async def asks_for_a_person(self, payload: str = ACCEPT, first: str = ASKS_FOR_A_PERSON) -> dict[str, Any]:
        offer = await self.send(first)
        buttons = {b["payload"]: b["title"] for m in offer["messages"] for b in m["buttons"]}
        assert payload in buttons, offer
        queued = await self.send(payload=payload)
        assert queued["handoff"] == {"status": "queued"}, queued
        return offer

    async def pushed(self) -> list[str]:
        """The texts she has been sent but not yet shown: what supporters said, and the gateway's notices."""
        outbound = await self.client.app[MESSENGER_KEY].undelivered(self.conversation)
        return [m["text"] for o in outbound for m in o.body["messages"]]


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


async def claimed(frames: Frames, handoff_id: str) -> dict[str, Any]:
    frame = await frames.until("chat", lambda f: f["chat"]["handoff"]["id"] == handoff_id)
    chat: dict[str, Any] = frame["chat"]
    return chat


async def queued_id(frames: Frames) -> str:
    frame = await frames.until("queue", lambda f: bool(f["handoffs"]))
    handoff_id: str = frame["handoffs"][0]["id"]
    return handoff_id


# ---- signing in ------------------------------------------------------------------------------------------------


async def test_someone_not_signed_in_is_sent_to_the_sign_in_page(client: TestClient[Any, Any]) -> None:
    response = await client.get("/console/", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/console/login"
    assert (await client.get("/console/api/me")).status == 401
    page = await client.get("/console/login")
    assert page.status == 200
    body = await page.text()
    assert '<form method="post" action="/console/login">' in body
    assert 'type="password"' in body
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    # Under no-referrer a browser sends "Origin: null" on the form's own POST, which the origin check must refuse.
    assert page.headers["Referrer-Policy"] == "same-origin"


async def test_a_console_refusal_has_the_one_error_shape_the_24_7_routes_and_stays_out_of_caches(
    client: TestClient[Any, Any], contacts: Contacts
) -> None:
    refused = await client.get("/console/api/me")
    body = await refused.json()
    assert refused.status == 401
    assert body["error"] == {"code": "signed_out", "message": "Please sign in to the console first."}
    assert contacts["samaritans"].phone in json.dumps(body), "every refusal carries the 24/7 routes"
    assert refused.headers["Cache-Control"] == "no-store"
    assert "WWW-Authenticate" not in refused.headers, "the console signs in with a cookie, not a bearer token"


PUBLIC = "https://chat.example.org"
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "chat.example.org", "X-Forwarded-For": "203.0.113.7"}


async def sign_in_through_the_proxy(client: TestClient[Any, Any]) -> aiohttp.ClientResponse:
    """Sam signs in from a browser at the public https address, through a TLS-terminating proxy."""
    page = await client.get("/console/login", headers=PROXY)
    form_cookie = page.cookies["nightlight_console_signin"]
    assert form_cookie["secure"], "the sign-in form's cookie follows the public scheme"
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', await page.text())
    assert match
    return await client.post(
        "/console/login",
        data={"csrf": match.group(1), "username": "sam", "password": PASSWORD},
        headers={**PROXY, "Origin": PUBLIC, "Cookie": f"nightlight_console_signin={form_cookie.value}"},
        allow_redirects=False,
    )


async def test_behind_a_trusted_tls_proxy_she_signs_in_with_a_secure_cookie_and_the_socket_takes_the_https_origin(
    aiohttp_client: Any, rasa_url: str, tmp_path: Path
) -> None:
    add_accounts(tmp_path)
    settings = replace(settings_for(tmp_path, rasa_url), trusted_proxies=("127.0.0.1/32",))
    client: TestClient[Any, Any] = await aiohttp_client(gateway(settings))
    signed_in = await sign_in_through_the_proxy(client)
    assert signed_in.status == 303
    session = signed_in.cookies["nightlight_console"]
    assert session["secure"], "the session cookie is Secure, as the browser's address is https"
    cookie = {"Cookie": f"nightlight_console={session.value}"}
    csrf = (await (await client.get("/console/api/me", headers={**PROXY, **cookie})).json())["csrf"]
    ws = await client.ws_connect("/console/ws", headers={**PROXY, **cookie, "Origin": PUBLIC})
    await ws.send_json({"type": "hello", "csrf": csrf})
    assert (await ws.receive_json(timeout=10))["type"] == "welcome"
    await ws.close()


async def test_forwarded_headers_from_anyone_but_a_trusted_proxy_are_ignored(
    aiohttp_client: Any, rasa_url: str, tmp_path: Path
) -> None:
    add_accounts(tmp_path)
    settings = replace(settings_for(tmp_path, rasa_url), trusted_proxies=("10.0.0.0/8",))
    client: TestClient[Any, Any] = await aiohttp_client(gateway(settings))
    page = await client.get("/console/login", headers=PROXY)
    assert not page.cookies["nightlight_console_signin"]["secure"]
    refused = await client.post("/console/login", headers={**PROXY, "Origin": PUBLIC}, allow_redirects=False)
    assert refused.status == 403


async def test_a_public_url_setting_makes_the_https_origin_the_consoles_own(
    aiohttp_client: Any, rasa_url: str, tmp_path: Path
) -> None:
    add_accounts(tmp_path)
    settings = replace(settings_for(tmp_path, rasa_url), public_url=PUBLIC)
    client: TestClient[Any, Any] = await aiohttp_client(gateway(settings))
    signed_in = await sign_in_through_the_proxy(client)
    assert signed_in.status == 303
    assert signed_in.cookies["nightlight_console"]["secure"]


async def test_the_console_script_never_parses_markup_and_runs_under_the_policy(
    client: TestClient[Any, Any],
) -> None:
    response = await client.get("/console/console.js")
    assert response.status == 200
    assert response.content_type == "text/javascript"
    script = await response.text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    assert "textContent" in script
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert (await client.get("/console/console.css")).status == 200
    assert (await client.get("/console/demo.html")).status == 404, "only the console's own files are served here"


async def test_signing_in_sets_a_cookie_that_scripts_and_other_sites_cannot_use(
    people: Callable[[str], Person],
) -> None:
    sam = people("sam")
    response = await sam.sign_in()
    assert response.status == 303
    assert response.headers["Location"] == "/console/"
    cookies = [h for h in response.headers.getall("Set-Cookie") if h.startswith("nightlight_console=")]
    assert len(cookies) == 1
    flags = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in flags
    assert "samesite=strict" in flags
    assert "path=/console" in flags
    assert "secure" not in flags, "plain http here: a Secure cookie would never come back"
    me = await (await sam.me()).json()
    assert me["supporter"]["display_name"] == "Sam"
    assert me["supporter"]["role"] == "supporter"
    assert "username" not in me["supporter"]
    page = await sam.http.get(sam.url("/console/"))
    assert page.status == 200
    assert '<script src="/console/console.js" defer></script>' in await page.text()


def self_signed_certificate(folder: Path) -> ssl.SSLContext:
    """A certificate for 127.0.0.1, made with openssl, so the gateway can serve real https."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_over_https_the_session_cookie_is_also_secure(aiohttp_server: Any, rasa_url: str, tmp_path: Path) -> None:
    add_accounts(tmp_path)
    server = await aiohttp_server(gateway(settings_for(tmp_path, rasa_url)), ssl=self_signed_certificate(tmp_path))
    base = str(server.make_url("")).rstrip("/")
    assert base.startswith("https://")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await (await http.get(f"{base}/console/login", ssl=False)).text()
        match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
        assert match
        response = await http.post(
            f"{base}/console/login",
            data={"csrf": match.group(1), "username": "sam", "password": PASSWORD},
            allow_redirects=False,
            ssl=False,
        )
        assert response.status == 303
        cookie = next(h for h in response.headers.getall("Set-Cookie") if h.startswith("nightlight_console="))
        assert "secure" in [part.strip().lower() for part in cookie.split(";")]


async def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
    people: Callable[[str], Person],
) -> None:
    answers = []
    for person, password in ((people("sam"), "not the password"), (people("nobody"), PASSWORD)):
        response = await person.sign_in(password)
        assert response.status == 401
        answers.append(await response.text())
        assert "nightlight_console=" not in "".join(response.headers.getall("Set-Cookie", []))
    problems = [re.findall(r'<p class="problem" role="alert">(.*?)</p>', answer) for answer in answers]
    assert problems[0] == problems[1] == [SIGN_IN_REFUSED.replace("'", "&#x27;")]


async def test_signing_in_without_the_forms_own_token_is_refused(
    people: Callable[[str], Person], client: TestClient[Any, Any]
) -> None:
    sam = people("sam")
    token = await sam.form_token()
    fields = {"username": "sam", "password": PASSWORD}
    no_token = await sam.http.post(sam.url("/console/login"), data=fields, allow_redirects=False)
    assert no_token.status == 403
    from_elsewhere = await sam.http.post(
        sam.url("/console/login"), data={**fields, "csrf": token}, headers={"Origin": EVIL}, allow_redirects=False
    )
    assert from_elsewhere.status == 403
    someone_elses = await people("alex").form_token()
    assert someone_elses != token
    forged = await sam.http.post(
        sam.url("/console/login"), data={**fields, "csrf": someone_elses}, allow_redirects=False
    )
    assert forged.status == 403
    assert (await sam.me()).status == 401


async def test_signing_in_with_json_works_like_the_form(people: Callable[[str], Person]) -> None:
    sam = people("sam")
    token = await sam.form_token()
    refused = await sam.http.post(
        sam.url("/console/login"), json={"username": "sam", "password": "wrong", "csrf": token}
    )
    assert refused.status == 401
    assert (await refused.json())["error"]["message"] == SIGN_IN_REFUSED
    response = await sam.http.post(
        sam.url("/console/login"), json={"username": "sam", "password": PASSWORD}, headers={"X-CSRF-Token": token}
    )
    assert response.status == 200
    body = await response.json()
    assert body["supporter"]["display_name"] == "Sam"
    assert body["csrf"] == (await (await sam.me()).json())["csrf"]


async def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    people: Callable[[str], Person],
) -> None:
    sam = people("sam")
    for attempt in range(5):
        assert (await sam.sign_in(f"wrong guess {attempt}")).status == 401
    locked = await sam.sign_in(PASSWORD)
    assert locked.status == 401
    assert "locked for a few minutes" in await locked.text()
    assert (await people("alex").sign_in()).status == 303, "other accounts are not locked"


async def test_signing_out_needs_the_token_and_ends_the_session_for_good(people: Callable[[str], Person]) -> None:
    sam = people("sam")
    await sam.sign_in()
    csrf = (await (await sam.me()).json())["csrf"]
    cookie = next(c.value for c in sam.http.cookie_jar if c.key == "nightlight_console")
    assert (await sam.http.post(sam.url("/console/logout"))).status == 403
    assert (await sam.me()).status == 200, "a sign-out without the token changes nothing"
    response = await sam.http.post(sam.url("/console/logout"), headers={"X-CSRF-Token": csrf})
    assert response.status == 200
    async with aiohttp.ClientSession() as other:
        again = await other.get(sam.url("/console/api/me"), headers={"Cookie": f"nightlight_console={cookie}"})
        assert again.status == 401, "the old cookie no longer opens anything"


async def test_a_change_without_the_csrf_token_is_refused(people: Callable[[str], Person]) -> None:
    cora = people("cora")
    await cora.sign_in()
    csrf = (await (await cora.me()).json())["csrf"]
    reply = {"title": "Welcome", "text": "Hello, I'm really glad you got in touch."}
    refused = await cora.http.post(cora.url("/console/api/canned"), json=reply)
    assert refused.status == 403
    assert (await refused.json())["error"]["code"] == "csrf_failed"
    wrong = await cora.http.post(cora.url("/console/api/canned"), json=reply, headers={"X-CSRF-Token": "guess"})
    assert wrong.status == 403
    elsewhere = await cora.http.post(
        cora.url("/console/api/canned"), json=reply, headers={"X-CSRF-Token": csrf, "Origin": EVIL}
    )
    assert elsewhere.status == 403
    assert (await (await cora.http.get(cora.url("/console/api/canned"))).json())["replies"] == []
    made = await cora.http.post(cora.url("/console/api/canned"), json=reply, headers={"X-CSRF-Token": csrf})
    assert made.status == 201


# ---- the socket ------------------------------------------------------------------------------------------------


async def test_the_socket_opens_only_for_the_gateways_own_page_and_someone_signed_in(
    people: Callable[[str], Person], client: TestClient[Any, Any]
) -> None:
    sam = people("sam")
    await sam.sign_in()
    with pytest.raises(aiohttp.WSServerHandshakeError) as other_site:
        await sam.http.ws_connect(sam.url("/console/ws"), origin=EVIL)
    assert other_site.value.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError) as stranger:
        await client.ws_connect("/console/ws", origin=sam.base)
    assert stranger.value.status == 401


async def test_the_socket_closes_unless_its_first_frame_carries_the_csrf_token(
    people: Callable[[str], Person],
) -> None:
    sam = people("sam")
    await sam.sign_in()
    for first in ({"type": "hello", "csrf": "a guess"}, {"type": "claim", "handoff_id": "x"}):
        frames = Frames(await sam.http.ws_connect(sam.url("/console/ws"), origin=sam.base))
        await frames.send(**first)
        error = await frames.frame()
        assert error["type"] == "error"
        assert error["code"] in {"csrf_failed", "hello_first"}
        assert await frames.closed()


async def test_the_queue_is_sent_on_connect_urgent_first_then_longest_waiting(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam = await people("sam").console()  # someone on shift, so she is offered a person now
    await Mother(client, "first").asks_for_a_person()
    crisis = await Mother(client, "second").asks_for_a_person(first=CRISIS)
    assert crisis["messages"][0]["kind"] == "crisis", "the crisis reply comes first, from the gateway"
    await Mother(client, "third").asks_for_a_person()
    await sam.until("queue", lambda f: len(f["handoffs"]) == 3)
    frames = await people("cora").open()
    welcome = await frames.until("welcome")
    assert welcome["supporter"]["display_name"] == "Cora"
    cards = (await frames.until("queue"))["handoffs"]
    assert [c["urgent"] for c in cards] == [True, False, False]
    assert [c["reason"] for c in cards] == ["crisis", "asked for a person", "asked for a person"]
    assert cards[1]["queued_at"] <= cards[2]["queued_at"]
    assert cards[0]["summary"]["level"] == "crisis"
    assert cards[1]["summary"]["area"] == "EX4"
    assert cards[1]["channel"] == "api"
    assert all(c["waiting_seconds"] >= 0 for c in cards)
    assert (await frames.until("chats"))["chats"] == []


async def test_two_consoles_show_the_same_queue_after_a_claim(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam, alex = await people("sam").console(), await people("alex").console()
    await Mother(client).asks_for_a_person()
    handoff_id = await queued_id(sam)
    assert await queued_id(alex) == handoff_id
    alert = await alex.until("new_handoff")
    assert alert == {"type": "new_handoff", "handoff_id": handoff_id, "urgent": False}
    await sam.send(type="claim", handoff_id=handoff_id)
    seen = await sam.each("chat", "queue")
    chat = seen["chat"]["chat"]
    assert chat["handoff"]["supporter_name"] == "Sam"
    assert chat["transcript"] is None, "she shared only the summary"
    assert seen["queue"]["handoffs"] == []
    assert (await alex.until("queue"))["handoffs"] == []


async def test_when_two_supporters_claim_at_once_exactly_one_wins(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam, alex = await people("sam").console(), await people("alex").console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await queued_id(alex)
    await asyncio.gather(sam.send(type="claim", handoff_id=handoff_id), alex.send(type="claim", handoff_id=handoff_id))

    results = await asyncio.gather(first_of(sam, "chat", "claim_lost"), first_of(alex, "chat", "claim_lost"))
    kinds = sorted(r["type"] for r in results)
    assert kinds == ["chat", "claim_lost"]
    winner = next(r for r in results if r["type"] == "chat")["chat"]["handoff"]["supporter_name"]
    loser = next(r for r in results if r["type"] == "claim_lost")
    assert loser["message"] == f"{winner} has already claimed this."
    joined = [t for t in await mother.pushed() if "has joined" in t]
    assert joined == [
        f"{winner} has joined. They're a peer supporter, and they've been there too. What you write now goes to them."
    ]


async def first_of(frames: Frames, *kinds: str) -> dict[str, Any]:
    while True:
        frame = await frames.frame()
        if frame["type"] in kinds:
            return frame


async def test_claiming_needs_the_supporter_on_shift(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    await people("sam").console()
    alex = await people("alex").console(shift=False)
    await Mother(client).asks_for_a_person()
    handoff_id = await queued_id(alex)
    await alex.send(type="claim", handoff_id=handoff_id)
    error = await alex.until("error")
    assert error["code"] == "not_on_shift"
    assert "On shift" in error["message"]


async def test_what_she_writes_reaches_the_console_and_the_supporters_words_reach_her_but_notes_never_do(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam = await people("sam").console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)

    await sam.send(type="typing", handoff_id=handoff_id)
    await sam.send(type="say", handoff_id=handoff_id, text="Hello, I'm Sam. How are you doing tonight?", client_id="s1")
    said = await sam.until("message")
    assert said["message"]["author"] == "supporter" and said["message"]["supporter_name"] == "Sam"
    assert await sam.until("ack") == {
        "type": "ack",
        "client_id": "s1",
        "handoff_id": handoff_id,
        "id": said["message"]["id"],
    }
    await sam.send(type="note", handoff_id=handoff_id, text="Sounds exhausted; ask about sleep.", client_id="n1")
    note = await sam.until("message")
    assert note["message"]["author"] == "note"

    reply = await mother.send("so tired, she won't settle")
    assert reply["messages"] == [], "the bot stays quiet while a person is talking with her"
    hers = await sam.until("message")
    assert hers["message"]["author"] == "her"
    assert hers["message"]["text"] == "so tired, she won't settle"
    assert hers["message"]["urgent"] is False
    assert "routes" not in hers["message"]

    pushed = await mother.pushed()
    assert "Sam: Hello, I'm Sam. How are you doing tonight?" in pushed
    assert not any("ask about sleep" in text for text in pushed), "a private note never reaches her"

    await sam.send(type="end", handoff_id=handoff_id)
    closed = await sam.until("chat_closed")
    assert closed["handoff_id"] == handoff_id and closed["reason"] == "ended"
    assert HANDBACK.format(name="Sam") in await mother.pushed()
    after = await mother.send("what is a health visitor")
    assert texts(after) == "An answer from the bot.", "the bot answers her again"


async def test_a_crisis_from_her_shows_as_urgent_with_the_routes_she_was_given(
    client: TestClient[Any, Any], people: Callable[[str], Person], contacts: Contacts
) -> None:
    sam = await people("sam").console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)
    turn = await mother.send(CRISIS)
    assert turn["messages"][0]["kind"] == "crisis", "she gets the crisis reply at once, even with a person"
    urgent = (await sam.until("message"))["message"]
    assert urgent["urgent"] is True
    given = crisis_reply(screen(CRISIS), contacts)
    assert urgent["routes"] == contacts.lines(given.routes)
    assert contacts["samaritans"].line() in urgent["routes"]
    for line in urgent["routes"]:
        assert line in turn["messages"][0]["text"]


async def test_the_earlier_chat_is_shown_only_when_she_agreed_to_share_it(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam = await people("sam").console()
    mother = Mother(client)
    await mother.send("hello there")
    await mother.asks_for_a_person(payload=ACCEPT_WITH_CHAT)
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    chat = await claimed(sam, handoff_id)
    assert chat["handoff"]["share_transcript"] is True
    assert chat["transcript"] is not None
    assert "hello there" in [line["text"] for line in chat["transcript"]]


async def test_a_chat_can_be_handed_to_another_signed_in_supporter(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    alex_person = people("alex")
    sam, alex = await people("sam").console(), await alex_person.console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)
    await sam.send(type="note", handoff_id=handoff_id, text="Prefers text to calls.")
    await sam.until("message")
    await sam.send(type="transfer", handoff_id=handoff_id, to="not-a-supporter")
    assert (await sam.until("error"))["code"] == "cannot_transfer"
    await sam.send(type="transfer", handoff_id=handoff_id, to=alex_person.id)
    chat = await claimed(alex, handoff_id)
    assert chat["handoff"]["supporter_name"] == "Alex"
    assert [m["text"] for m in chat["messages"] if m["author"] == "note"] == ["Prefers text to calls."]
    closed = await sam.until("chat_closed")
    assert closed["reason"] == "transferred" and "Alex" in closed["message"]
    assert "Sam is handing you over to Alex, who will carry on from here." in await mother.pushed()
    await sam.send(type="say", handoff_id=handoff_id, text="Still here?")
    assert (await sam.until("error"))["code"] == "not_your_chat"


async def test_a_supporter_sees_only_her_own_charitys_queue(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam = await people("sam").console()
    olly = await people("olly").console()
    await Mother(client).asks_for_a_person()
    handoff_id = await queued_id(sam)
    await olly.send(type="claim", handoff_id=handoff_id)
    error = await olly.until("error")
    assert error["code"] == "no_such_chat"
    await olly.send(type="canned", action="list")
    await olly.until("canned")
    assert client.app[CONSOLE_KEY].of_tenant("other")[0].supporter.display_name == "Olly"


# ---- coordinators ----------------------------------------------------------------------------------------------


async def test_only_coordinators_read_the_audit_trail_and_change_canned_replies(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam_person = people("sam")
    sam = await sam_person.console()
    assert (await sam_person.http.get(sam_person.url("/console/api/audit"))).status == 403
    change = await sam_person.http.post(
        sam_person.url("/console/api/canned"),
        json={"title": "Hi", "text": "Hello there."},
        headers={"X-CSRF-Token": sam_person.csrf},
    )
    assert change.status == 403
    assert (await change.json())["error"]["code"] == "coordinators_only"
    assert (await sam_person.http.get(sam_person.url("/console/api/canned"))).status == 200
    await sam.send(type="audit")
    assert (await sam.until("error"))["code"] == "coordinators_only"
    await sam.send(type="canned", action="add", title="Hi", text="Hello there.")
    assert (await sam.until("error"))["code"] == "coordinators_only"

    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)
    await sam.send(type="say", handoff_id=handoff_id, text="A secret only she should read.")
    await sam.until("ack")
    await mother.send("something only sam should read")
    await sam.send(type="end", handoff_id=handoff_id)
    await sam.until("chat_closed")

    cora_person = people("cora")
    cora = await cora_person.console(shift=False)
    response = await cora_person.http.get(cora_person.url("/console/api/audit"))
    assert response.status == 200
    body = await response.text()
    assert "secret" not in body and "something only" not in body and mother.conversation not in body
    events = {e["event"]: e for e in (await response.json())["events"]}
    assert {"offered", "queued", "claimed", "ended by supporter"} <= set(events)
    assert events["claimed"]["supporter"] == "Sam"
    assert events["claimed"]["seconds"] >= 0
    assert events["ended by supporter"]["seconds"] >= 0
    await cora.send(type="audit")
    assert (await cora.until("audit"))["events"][0]["event"] == "ended by supporter"


async def test_a_coordinator_keeps_canned_replies_and_every_console_gets_them(
    people: Callable[[str], Person],
) -> None:
    sam = await people("sam").console()
    cora_person = people("cora")
    cora = await cora_person.console(shift=False)
    await cora.send(type="canned", action="add", title="Welcome", text="Hello, I'm really glad you got in touch.")
    replies = (await sam.until("canned", lambda f: bool(f["replies"])))["replies"]
    assert [(r["title"], r["text"]) for r in replies] == [("Welcome", "Hello, I'm really glad you got in touch.")]
    await cora.send(
        type="canned", action="edit", id=replies[0]["id"], title="Welcome", text="Hello. I'm glad you wrote."
    )
    edited = (await sam.until("canned", lambda f: f["replies"][0]["text"] != replies[0]["text"]))["replies"]
    assert edited[0]["text"] == "Hello. I'm glad you wrote."
    await cora.send(type="canned", action="add", title="", text="No title")
    assert (await cora.until("error"))["code"] == "canned_refused"
    deleted = await cora_person.http.delete(
        cora_person.url(f"/console/api/canned/{replies[0]['id']}"), headers={"X-CSRF-Token": cora_person.csrf}
    )
    assert deleted.status == 200
    assert (await sam.until("canned"))["replies"] == []


# ---- sessions that end -----------------------------------------------------------------------------------------


async def test_a_disabled_supporter_is_signed_out_of_her_open_console(
    client: TestClient[Any, Any], people: Callable[[str], Person], tmp_path: Path
) -> None:
    sam_person = people("sam")
    sam = await sam_person.console()
    accounts = Supporters(tmp_path / "console.db", hasher=QUICK_HASHER)
    accounts.disable("sam")
    accounts.close()
    await sam.send(type="shift", on=False)
    assert (await sam.until("signed_out"))["message"]
    assert await sam.closed()
    assert (await sam_person.me()).status == 401


async def test_signing_out_closes_her_open_consoles(people: Callable[[str], Person]) -> None:
    sam_person = people("sam")
    sam = await sam_person.console()
    response = await sam_person.http.post(sam_person.url("/console/logout"), headers={"X-CSRF-Token": sam_person.csrf})
    assert response.status == 200
    assert (await sam.until("signed_out"))["message"] == "You have signed out."
    assert await sam.closed()


async def test_no_message_text_or_token_reaches_the_logs(
    client: TestClient[Any, Any], people: Callable[[str], Person], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sam_person = people("sam")
    sam = await sam_person.console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)
    await sam.send(type="say", handoff_id=handoff_id, text="Zebra crossing words.")
    await sam.until("ack")
    await sam.send(type="note", handoff_id=handoff_id, text="Aubergine note words.")
    await sam.until("ack")
    await mother.send("Marmalade sandwich words")
    await sam.until("message", lambda f: f["message"]["author"] == "her")
    await sam.send(type="end", handoff_id=handoff_id)
    await sam.until("chat_closed")
    cookie = next(c.value for c in sam_person.http.cookie_jar if c.key == "nightlight_console")
    logged = caplog.text
    assert "console sign-in" in logged and "console claim" in logged
    for secret in ("Zebra", "Aubergine", "Marmalade", PASSWORD, cookie, sam_person.csrf):
        assert secret not in logged


async def test_every_console_knows_who_is_signed_in_and_on_shift(people: Callable[[str], Person]) -> None:
    sam = await people("sam").console()
    alex = await people("alex").console(shift=False)
    team = await sam.until("team", lambda f: len(f["supporters"]) == 2)
    assert [(s["display_name"], s["on_shift"]) for s in team["supporters"]] == [("Alex", False), ("Sam", True)]
    assert team["open"] is True
    await alex.ws.close()
    team = await sam.until("team", lambda f: len(f["supporters"]) == 1)
    assert team["supporters"][0]["display_name"] == "Sam"


async def test_a_console_that_reconnects_gets_her_chats_and_every_message_again(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam_person = people("sam")
    sam = await sam_person.console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)
    await sam.send(type="say", handoff_id=handoff_id, text="I'm here with you.")
    await sam.until("ack")
    await sam.ws.close()
    await mother.send("are you still there?")
    again = await sam_person.open()
    welcome = await again.until("welcome")
    assert welcome["on_shift"] is False, "a closed console is off shift until she says otherwise"
    chats = (await again.until("chats"))["chats"]
    assert [c["handoff"]["id"] for c in chats] == [handoff_id]
    assert [(m["author"], m["text"]) for m in chats[0]["messages"]] == [
        ("supporter", "I'm here with you."),
        ("her", "are you still there?"),
    ]


async def test_a_gateway_restart_mid_chat_loses_nothing_on_either_side(
    aiohttp_client: Any, rasa_url: str, tmp_path: Path
) -> None:
    add_accounts(tmp_path)
    settings = settings_for(tmp_path, rasa_url)
    first: TestClient[Any, Any] = await aiohttp_client(gateway(settings))
    sam_person = Person(first, "sam")
    try:
        sam = await sam_person.console()
        mother = Mother(first)
        await mother.asks_for_a_person()
        handoff_id = await queued_id(sam)
        await sam.send(type="claim", handoff_id=handoff_id)
        await claimed(sam, handoff_id)
        await first.close()
        assert await sam.closed()
    finally:
        await sam_person.close()

    second: TestClient[Any, Any] = await aiohttp_client(gateway(settings))
    sam_person = Person(second, "sam")
    try:
        sam = await sam_person.open()
        chats = (await sam.until("chats"))["chats"]
        assert [c["handoff"]["id"] for c in chats] == [handoff_id], "her chat is still hers after the restart"
        mother = Mother(second)
        await mother.send("hello? did you go?")
        message = await sam.until("message")
        assert message["message"]["text"] == "hello? did you go?"
        await sam.send(type="say", handoff_id=handoff_id, text="Still here, sorry.")
        await sam.until("ack")
        # Her supporter is still named after the restart: the console told the new gateway who Sam is.
        assert any(
            text.endswith(": Still here, sorry.") and not text.startswith("Your peer") for text in await mother.pushed()
        )
    finally:
        await sam_person.close()


async def test_when_she_deletes_her_data_her_card_and_open_chat_go_from_every_console(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam, alex = await people("sam").console(), await people("alex").console()
    first, second = Mother(client, "c1"), Mother(client, "c2")
    await first.asks_for_a_person()
    await second.asks_for_a_person()
    await alex.until("queue", lambda f: len(f["handoffs"]) == 2)
    handoffs = client.app[MESSENGER_KEY].peer.handoffs
    claim_id, second_id = (handoffs.active(mother.conversation).id for mother in (first, second))
    await sam.send(type="claim", handoff_id=claim_id)
    await claimed(sam, claim_id)
    response = await client.delete(f"/api/v1/conversations/{first.name}", headers=AUTH)
    assert response.status in (200, 204)
    for frames in (sam, alex):
        gone = await frames.until("deleted")
        assert gone["handoff_id"] == claim_id
        assert gone["message"].startswith("She deleted this conversation")
    left = await alex.until("queue")
    assert [h["id"] for h in left["handoffs"]] == [second_id], "the other mother still waits"


async def test_the_supporter_sees_whether_her_widget_is_open_when_she_types_and_when_she_last_wrote(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam = await people("sam").console()
    base = str(client.make_url("")).rstrip("/")
    her = await client.ws_connect("/widget/ws?tenant=default", headers={"Origin": base})
    await her.send_json({"type": "hello", "token": None})
    await her.send_json({"type": "message", "client_id": "m1", "text": ASKS_FOR_A_PERSON})
    await her.send_json({"type": "button", "client_id": "m2", "payload": ACCEPT})
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    card = (await claimed(sam, handoff_id))["handoff"]
    assert card["connected"] is True
    assert card["last_wrote_at"] is not None, "her first message counts"

    await her.send_json({"type": "typing"})
    typing = await sam.until("presence")
    assert typing == {
        "type": "presence",
        "handoff_id": handoff_id,
        "connected": True,
        "typing": True,
        "last_wrote_at": card["last_wrote_at"],
    }
    await her.close()
    gone = await sam.until("presence")
    assert gone["connected"] is False and gone["typing"] is False


async def test_on_telegram_or_the_api_the_console_does_not_pretend_to_know_whether_she_is_there(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam = await people("sam").console()
    await Mother(client).asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    assert (await claimed(sam, handoff_id))["handoff"]["connected"] is None


async def test_after_ending_a_chat_the_supporter_leaves_a_closing_note_that_holds_no_words(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    sam, cora = await people("sam").console(), await people("cora").console()
    mother = Mother(client)
    await mother.asks_for_a_person()
    handoff_id = await queued_id(sam)
    await sam.send(type="claim", handoff_id=handoff_id)
    await claimed(sam, handoff_id)
    await sam.send(type="closing_note", handoff_id=handoff_id, outcome="talked", safeguarding=False)
    refused = await sam.until("error")
    assert refused["code"] == "handoff_refused", "not before the chat has ended"
    await mother.send("my partner scares me sometimes")
    await sam.send(type="end", handoff_id=handoff_id)
    await sam.until("chat_closed")
    await cora.send(type="closing_note", handoff_id=handoff_id, outcome="talked", safeguarding=False)
    assert (await cora.until("error"))["code"] == "handoff_refused", "only the supporter who had the chat"
    await sam.send(type="closing_note", handoff_id=handoff_id, outcome="made up", safeguarding=True)
    assert (await sam.until("error"))["code"] == "handoff_refused"
    await sam.send(type="closing_note", handoff_id=handoff_id, outcome="signposted", safeguarding=True)
    assert await sam.until("noted") == {"type": "noted", "handoff_id": handoff_id}
    await sam.send(type="closing_note", handoff_id=handoff_id, outcome="other", safeguarding=False)
    assert (await sam.until("error"))["code"] == "handoff_refused", "one closing note per chat"

    await cora.send(type="audit")
    events = (await cora.until("audit"))["events"]
    notes = [event for event in events if event["event"].startswith("closing note")]
    assert [note["event"] for note in notes] == ["closing note: pointed her to services; safeguarding concern: yes"]
    assert notes[0]["supporter"] == "Sam"
    assert not any("partner" in json.dumps(event) for event in events), "never her words"


async def test_when_the_hours_end_every_console_is_told_so_its_banner_and_shift_words_agree(
    client: TestClient[Any, Any], people: Callable[[str], Person]
) -> None:
    from dataclasses import replace
    from datetime import datetime

    from bot.app_keys import TENANTS_KEY
    from bot.peer.console.desk import DESK_KEY
    from bot.tenants import LONDON, _hours

    sam = await people("sam").console()
    tenants = client.app[TENANTS_KEY]
    tenants.by_id["default"] = replace(tenants.default, peer_support_hours=_hours({"tuesday": ["09:00-17:00"]}, "t"))
    moments = iter(
        [datetime(2026, 11, 24, 16, 59, tzinfo=LONDON)] + [datetime(2026, 11, 24, 17, 1, tzinfo=LONDON)] * 50
    )
    follower = asyncio.create_task(client.app[DESK_KEY].follow_the_hours(0.01, lambda: next(moments)))
    try:
        team = await sam.until("team", lambda frame: frame["open"] is False)
        assert [s["display_name"] for s in team["supporters"]] == ["Sam"]
    finally:
        follower.cancel()
