"""The Telegram channel: long polling by default, a webhook with a secret token for production.

Every message she types and every button she presses is stored through the Messenger before Telegram is told we
have it (the polling offset moves on, or the webhook answers 200), then answered in a task while she sees "typing".
Replies leave through one sending queue where crisis replies go first, and a reply counts as delivered only when
all its parts have been sent. /start, /help, /about and /forget are the gateway's own and never reach Rasa.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import json
import logging
import time
import warnings
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from aiohttp import web
from telegram import Bot, CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.app_keys import CONTACTS_KEY, MESSENGER_KEY, SETTINGS_KEY
from bot.contacts import Contacts
from bot.conversation import pseudonym
from bot.crisis import refusal
from bot.db import Leases
from bot.http import Refused
from bot.messenger import Messenger
from bot.settings import Settings
from bot.store import Inbound, Outbound
from bot.telegram.render import (
    CAPTION_READ,
    EDITED,
    EXPIRED_BUTTON,
    FORGET_ASK,
    FORGET_FAILED,
    FORGET_KEPT,
    FORGET_NO,
    FORGET_YES,
    NOT_TEXT,
    VOICE_NOTE,
    ButtonKeys,
    Part,
    about_text,
    forget_done_text,
    forget_keyboard,
    help_text,
    one_to_one_text,
    render,
    start_text,
)
from bot.tenants import Tenant
from nlu.screen import screen

log = logging.getLogger("nightlight.telegram")

CHANNEL = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name, not a secret)
ALLOWED_UPDATES = ["message", "callback_query"]
COMMANDS = frozenset({"start", "help", "about", "forget"})
POLL_TIMEOUT_SECONDS = 30
# One gateway polls at a time: it renews its lease before every poll; another takes over once it lapses.
POLLING_LEASE = "telegram-polling"
POLLING_LEASE_SECONDS = POLL_TIMEOUT_SECONDS + 15
LEASE_RETRY_SECONDS = 5.0
# With other gateways, a reply left unsent this long is taken over by a gateway that starts.
UNSENT_SECONDS = 60.0
TYPING_EVERY_SECONDS = 4.0
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
TRIES_PER_UPDATE = 5
SEEN_UPDATES = 10_000
MAX_WEBHOOK_BYTES = 1024 * 1024  # an update can be larger than the REST API's limit; only Telegram gets this far
CRISIS_FIRST, IN_ORDER = 0, 1
# PTB's own debug lines hold message text, and httpx logs every URL, which carries the token.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram")

T = TypeVar("T")


def conversation_id(chat_id: int) -> str:
    """The Messenger's id for a Telegram chat."""
    return f"tg-{chat_id}"


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB is moving this from an int to a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(seconds, 0.0)


class Redactor(logging.Filter):
    """Replaces the bot token and the webhook secret in any log record, wherever it came from."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        found = {s for s in secrets if s} | {quote(s, safe="") for s in secrets if s}
        self._secrets = sorted(found, key=len, reverse=True)
        self._attached: list[logging.Filterer] = []

    def redact(self, text: str) -> str:
        """The text with each secret, and its URL-quoted form, replaced by "[redacted]"."""
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the secrets from a record's message and traceback; the record is always kept."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

    def attach(self) -> None:
        """Filter the root logger's handlers, and the loggers that see URLs at their source."""
        root = logging.getLogger()
        self._attached = [*root.handlers, root, *(logging.getLogger(name) for name in (*QUIET_LOGGERS, "aiohttp"))]
        for target in self._attached:
            target.addFilter(self)

    def detach(self) -> None:
        """Remove the filter from everything `attach` added it to."""
        for target in self._attached:
            target.removeFilter(self)
        self._attached = []


@dataclass(eq=False)
class Job:
    """A reply on its way to one chat: its parts, how many have gone, and the stored reply it belongs to."""

    chat_id: int
    parts: list[Part]
    outbound_id: int | None = None
    crisis: bool = False
    sent: int = 0
    failures: int = 0


def parse_command(text: str) -> tuple[str | None, str]:
    """("help", "the rest") for "/help@NightlightBot the rest"; (None, "") when it is not one of our commands."""
    words = text.strip().split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return None, ""
    name = words[0][1:].split("@", 1)[0].lower()
    return (name, words[1].strip() if len(words) > 1 else "") if name in COMMANDS else (None, "")


class TelegramChannel:
    """Receives updates (polling or webhook), hands them to the Messenger, and sends the replies."""

    def __init__(self, bot: Bot, messenger: Messenger, tenant: Tenant, contacts: Contacts, settings: Settings) -> None:
        self.bot = bot
        self.messenger = messenger
        self.tenant = tenant
        self.contacts = contacts
        self.settings = settings
        self.keys = ButtonKeys()
        self._queue: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()
        self._order = itertools.count()
        self._connected = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._workers: list[asyncio.Task[None]] = []
        self._seen: OrderedDict[int, None] = OrderedDict()
        # Which gateway polls, and where polling stopped: shared by every gateway on the same database.
        self.leases = Leases(settings.store("gateway"))
        self.polling = False  # whether this gateway holds the polling lease now

    @property
    def secret(self) -> str:
        """The webhook's secret token (NIGHTLIGHT_TELEGRAM_SECRET), which Telegram sends back with each update."""
        return self.settings.telegram_secret

    def waiting(self) -> int:
        """How many replies are queued for sending (not counting one being sent)."""
        return self._queue.qsize()

    # Starting and stopping

    async def start(self) -> None:
        """Queue replies left unsent by an earlier run, then connect and start receiving and sending."""
        self.messenger.on_channel(CHANNEL, self.deliver, self.show_typing)
        # With other gateways, a reply is left to its own gateway's sender for a while before anyone takes it over.
        before = time.time() - (UNSENT_SECONDS if self.settings.gateway_database_url else 0)
        unsent = await asyncio.to_thread(self.messenger.store.take_undelivered, CHANNEL, self.messenger.gateway, before)
        for outbound in unsent:
            self.enqueue(outbound)
        if unsent:
            log.info("telegram replies left unsent before a restart queued count=%d", len(unsent))
        self._workers = [
            asyncio.create_task(self._connect_and_receive(), name="telegram-receive"),
            asyncio.create_task(self._send_forever(), name="telegram-send"),
        ]

    async def stop(self) -> None:
        """Cancel everything in flight (stored messages are answered after the next start) and close the bot."""
        running = [*self._workers, *self._tasks]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        if self.polling:  # another gateway may poll at once rather than when the lease runs out
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.leases.release, POLLING_LEASE, self.messenger.gateway)
        self.leases.close()
        with contextlib.suppress(Exception):
            await self.bot.shutdown()

    async def _retry(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """Call until it works, waiting longer each time (and as long as Telegram asks)."""
        delay = FIRST_BACKOFF_SECONDS
        while True:
            try:
                return await call()
            except RetryAfter as error:
                await asyncio.sleep(retry_seconds(error))
            except Exception as error:  # a network failure, an API error or a bug: none may stop the channel
                log.warning("telegram %s failed error=%s; trying again in %.0f s", what, type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)

    async def _connect_and_receive(self) -> None:
        await self._retry("start", self.bot.initialize)
        self._connected.set()
        if self.settings.telegram_mode == "webhook":
            await self._retry(
                "set webhook",
                lambda: self.bot.set_webhook(
                    self.settings.telegram_webhook_url,
                    secret_token=self.secret,
                    allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                ),
            )
            log.info("telegram webhook set")
            return
        # A webhook left from an earlier run would make polling fail; its pending updates are kept.
        await self._retry("delete webhook", lambda: self.bot.delete_webhook(drop_pending_updates=False))
        await self._poll_while_leased()

    async def _lease(self) -> bool:
        """Take or renew the polling lease; False (and polling stops) if another gateway holds it or the database
        cannot be reached."""
        try:
            held = await asyncio.to_thread(
                self.leases.acquire, POLLING_LEASE, self.messenger.gateway, POLLING_LEASE_SECONDS
            )
        except Exception as error:
            log.warning("telegram polling lease not renewed error=%s", type(error).__name__)
            held = False
        if held != self.polling:
            log.info("telegram polling %s on this gateway", "started" if held else "stopped")
        self.polling = held
        return held

    async def _poll_while_leased(self) -> None:
        """Poll while this gateway holds the lease (one poller among all gateways); otherwise wait for it."""
        while True:
            if await self._lease():
                await self._poll_forever()
            await asyncio.sleep(LEASE_RETRY_SECONDS)

    async def _poll_forever(self) -> None:
        offset = await asyncio.to_thread(self.leases.offset, self.settings.telegram_token)
        delay = FIRST_BACKOFF_SECONDS
        tries = 0
        while await self._lease():
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES
                )
            except RetryAfter as error:
                await asyncio.sleep(retry_seconds(error))
                continue
            except Exception as error:  # network, 5xx, a conflicting webhook: wait and ask again
                log.warning("telegram poll failed error=%s; trying again in %.0f s", type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
                continue
            delay = FIRST_BACKOFF_SECONDS
            for update in updates:
                try:
                    await self.receive(update)
                except Exception as error:
                    tries += 1
                    if tries < TRIES_PER_UPDATE:
                        # Not stored, so the offset stays put and Telegram sends it again with the next poll.
                        log.error("telegram update not stored error=%s; fetching it again", type(error).__name__)
                        await asyncio.sleep(delay)
                        break
                    log.error("telegram update skipped after %d failures error=%s", tries, type(error).__name__)
                tries = 0
                offset = update.update_id + 1
            if updates and offset is not None:
                await asyncio.to_thread(self.leases.save_offset, self.settings.telegram_token, offset)

    # Receiving

    def _first_sight(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        while len(self._seen) > SEEN_UPDATES:
            self._seen.popitem(last=False)
        return True

    async def receive(self, update: Update) -> None:
        """Store what needs storing and start answering; returns once Telegram may be told we have the update."""
        if not self._first_sight(update.update_id):
            return
        try:
            if update.callback_query is not None:
                await self._on_button(update.update_id, update.callback_query)
            elif update.message is not None:
                await self._on_message(update.update_id, update.message)
            elif update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
                self.say(update.effective_chat.id, EDITED if update.edited_message else NOT_TEXT)
        except BaseException:
            self._seen.pop(update.update_id, None)  # so the retry of this update is not taken for a duplicate
            raise

    async def _on_message(self, update_id: int, message: Message) -> None:
        chat_id = message.chat.id
        sent_something = message.text is not None or message.caption is not None or message.effective_attachment
        if not sent_something:
            return  # a service message (a timer set, a pin): nothing she needs an answer to
        if message.chat.type != ChatType.PRIVATE:
            self.say(chat_id, one_to_one_text(self.contacts))
            return
        if message.text is not None:
            command, rest = parse_command(message.text)
            if command is None:
                await self._accept(update_id, chat_id, text=message.text)
                return
            log.info("telegram command=%s conversation=%s", command, pseudonym(conversation_id(chat_id)))
            self._command(chat_id, command)
            # Words typed after a command are still screened: a crisis is answered wherever she writes it.
            if rest and screen(rest).level != "none":
                await self._accept(update_id, chat_id, text=rest)
            return
        if message.caption:
            # What she typed under a photo or a voice note is still her words: screened and answered like any message.
            self.say(chat_id, CAPTION_READ)
            await self._accept(update_id, chat_id, text=message.caption)
            return
        self.say(chat_id, VOICE_NOTE if message.voice or message.audio or message.video_note else NOT_TEXT)

    def _command(self, chat_id: int, command: str) -> None:
        if command == "start":
            self.say(chat_id, start_text(self.tenant, self.contacts))
        elif command == "help":
            self.say(chat_id, help_text(self.contacts))
        elif command == "about":
            self.say(chat_id, about_text(self.tenant))
        else:
            self.say(chat_id, FORGET_ASK, forget_keyboard())

    async def _on_button(self, update_id: int, query: CallbackQuery) -> None:
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        if message is not None and message.chat.type != ChatType.PRIVATE:
            self._spawn(self._answer_query(query.id))
            return
        data = query.data or ""
        if data in (FORGET_YES, FORGET_NO):
            self._spawn(self._forget(query, chat_id, confirmed=data == FORGET_YES))
            return
        self._spawn(self._answer_query(query.id))
        payload = self.keys.payload_for(data)
        if payload is None:
            self.say(chat_id, EXPIRED_BUTTON)
            return
        await self._accept(update_id, chat_id, payload=payload)

    async def _accept(
        self, update_id: int, chat_id: int, *, text: str | None = None, payload: str | None = None
    ) -> None:
        try:
            inbound = await self.messenger.accept(
                conversation_id(chat_id),
                self.tenant,
                CHANNEL,
                text=text,
                payload=payload,
                address=str(chat_id),
                dedupe_key=f"telegram:{update_id}",
            )
        except Refused as rejected:
            if rejected.status == 503:  # not stored: she is answered now, and Telegram sends the update again
                self.say(chat_id, refusal(self.contacts, text)["messages"][0]["text"])
                raise
            self.say(chat_id, EXPIRED_BUTTON if payload is not None else rejected.message)
            return
        if inbound is not None:
            self._spawn(self._answer(inbound, chat_id))

    async def _answer(self, inbound: Inbound, chat_id: int) -> None:
        typing = asyncio.create_task(self._keep_typing(chat_id))
        try:
            delivery = await self.messenger.answer(inbound, self.tenant)
        finally:
            typing.cancel()
        self.enqueue(delivery.outbound)

    async def show_typing(self, conversation: str, address: str | None) -> None:
        """A peer supporter is typing: show it once (Telegram keeps it up for about five seconds)."""
        if address is None:
            return
        try:
            await self.bot.send_chat_action(int(address), ChatAction.TYPING)
        except Exception as error:  # only a nicety
            log.debug("telegram typing indicator failed error=%s", type(error).__name__)

    async def _keep_typing(self, chat_id: int) -> None:
        """Show "typing..." until cancelled; Telegram shows it for about five seconds each time."""
        while True:
            try:
                await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except Exception as error:  # only a nicety: never worth more than a debug line
                log.debug("telegram typing indicator failed error=%s", type(error).__name__)
            await asyncio.sleep(TYPING_EVERY_SECONDS)

    async def _answer_query(self, query_id: str) -> None:
        """Stop the spinner on the button she pressed."""
        try:
            await self.bot.answer_callback_query(query_id)
        except Exception as error:
            log.info("telegram button answer failed error=%s", type(error).__name__)

    async def _forget(self, query: CallbackQuery, chat_id: int, *, confirmed: bool) -> None:
        await self._answer_query(query.id)
        if query.message is not None:
            with contextlib.suppress(Exception):  # the question's buttons go; if that fails, no harm done
                await self.bot.edit_message_reply_markup(chat_id, query.message.message_id, reply_markup=None)
        if not confirmed:
            self.say(chat_id, FORGET_KEPT)
            return
        try:
            await self.messenger.forget(conversation_id(chat_id))
        except Exception as error:
            log.error(
                "telegram forget failed conversation=%s error=%s",
                pseudonym(conversation_id(chat_id)),
                type(error).__name__,
            )
            self.say(chat_id, FORGET_FAILED)
            return
        self.say(chat_id, forget_done_text())

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("telegram task failed error=%s", type(task.exception()).__name__)

    # Sending

    async def deliver(self, outbound: Outbound) -> None:
        """The Messenger's deliverer for Telegram: replies left from before a restart, and a supporter's words."""
        self.enqueue(outbound)

    def enqueue(self, outbound: Outbound) -> None:
        """Queue a stored reply; crisis replies go ahead of everything else."""
        if outbound.address is None:
            log.error("telegram reply without a chat id outbound=%d", outbound.id)
            return
        job = Job(int(outbound.address), render(outbound.body, self.keys), outbound.id, outbound.crisis)
        self._put(job)

    def say(self, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
        """Queue one of the gateway's own messages (commands and notices; nothing stored)."""
        self._put(Job(chat_id, [Part(text, keyboard)]))

    def _put(self, job: Job) -> None:
        self._queue.put_nowait((CRISIS_FIRST if job.crisis else IN_ORDER, next(self._order), job))

    async def _send_forever(self) -> None:
        await self._connected.wait()
        while True:
            priority, order, job = await self._queue.get()
            try:
                done = await self._send(job)
            except RetryAfter as error:
                # Back in the queue in its place, so a crisis reply that came in meanwhile goes first.
                self._queue.put_nowait((priority, order, job))
                await asyncio.sleep(retry_seconds(error))
                continue
            except Forbidden:
                log.warning("telegram chat refused our reply (bot blocked?) conversation=%s", _who(job))
                done = True
            except TelegramError as error:  # network or server trouble: try again, waiting longer each time
                job.failures += 1
                delay = min(FIRST_BACKOFF_SECONDS * 2 ** (job.failures - 1), MAX_BACKOFF_SECONDS)
                log.warning("telegram send failed error=%s; trying again in %.0f s", type(error).__name__, delay)
                self._queue.put_nowait((priority, order, job))
                await asyncio.sleep(delay)
                continue
            except Exception as error:  # our bug: keep sending to others; a stored reply is retried after restart
                log.error("telegram send failed error=%s conversation=%s", type(error).__name__, _who(job))
                continue
            if done and job.outbound_id is not None:
                await self.messenger.mark_delivered(job.outbound_id)

    async def _send(self, job: Job) -> bool:
        """Send the parts not yet sent, in order; True once all have gone."""
        while job.sent < len(job.parts):
            part = job.parts[job.sent]
            try:
                await self._send_part(job.chat_id, part.text, part.keyboard)
            except BadRequest as error:
                if part.keyboard is None:
                    log.error("telegram refused a message error=%s conversation=%s", type(error).__name__, _who(job))
                else:  # a keyboard Telegram will not take must not cost her the words
                    log.error("telegram refused a keyboard conversation=%s; sending the text alone", _who(job))
                    await self._send_part(job.chat_id, part.text, None)
            job.sent += 1
            job.failures = 0
        return True

    async def _send_part(self, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
        await self.bot.send_message(chat_id, text, parse_mode=None, reply_markup=keyboard)


def _who(job: Job) -> str:
    return pseudonym(conversation_id(job.chat_id))


TELEGRAM_KEY = web.AppKey("telegram", TelegramChannel)


def _has_a_chat(update: Update) -> bool:
    """Every update we act on names its chat (a button press names its sender at least)."""
    if update.callback_query is not None:
        return update.callback_query.from_user is not None
    message = update.message or update.edited_message
    if message is not None:
        return isinstance(getattr(message, "chat", None), Chat)
    return True


async def webhook(request: web.Request) -> web.Response:
    """POST /telegram/webhook: only Telegram knows the secret; the update is stored before we answer 200."""
    channel = request.app[TELEGRAM_KEY]
    given = request.headers.get(SECRET_HEADER, "")
    if not channel.secret or not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), channel.secret.encode()):
        log.warning("telegram webhook refused a request without the secret")
        raise web.HTTPForbidden()
    try:
        data = await request.clone(client_max_size=MAX_WEBHOOK_BYTES).json()
        # A lone surrogate is not text anyone typed, and no store could keep it.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        update = Update.de_json(data, channel.bot)
    except Exception as error:
        log.warning("telegram webhook got an unreadable update error=%s", type(error).__name__)
        raise web.HTTPBadRequest() from None
    if update is None or not _has_a_chat(update):
        log.warning("telegram webhook got an update without a chat")
        raise web.HTTPBadRequest()
    await channel.receive(update)
    return web.json_response({"ok": True})


def setup_telegram(app: web.Application) -> None:
    """Add the Telegram channel to the gateway when a bot token is configured."""
    settings = app[SETTINGS_KEY]
    if not settings.telegram_token:
        return

    async def telegram_channel(app: web.Application) -> AsyncIterator[None]:
        redactor = Redactor(settings.telegram_token, settings.telegram_secret)
        redactor.attach()
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
        messenger = app[MESSENGER_KEY]
        tenant = messenger.tenants.get(settings.telegram_tenant) or messenger.tenants.default
        bot = Bot(settings.telegram_token, base_url=settings.telegram_api_url)
        channel = TelegramChannel(bot, messenger, tenant, app[CONTACTS_KEY], settings)
        app[TELEGRAM_KEY] = channel
        await channel.start()
        try:
            yield
        finally:
            await channel.stop()
            redactor.detach()

    app.cleanup_ctx.append(telegram_channel)
    if settings.telegram_mode == "webhook":
        app.router.add_post(WEBHOOK_PATH, webhook)
