"""The gateway's shared objects, as typed aiohttp app keys (a module of their own so channels can import them)."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.answers.rasa_client import RasaClient
from bot.contacts import Contacts
from bot.conversation import Conversations
from bot.messenger import Messenger
from bot.peer.support import PeerSupport
from bot.settings import Settings
from bot.shared import SharedState
from bot.tenants import Tenants
from nlu.risk import RiskLayer

SETTINGS_KEY = web.AppKey("settings", Settings)
CONTACTS_KEY = web.AppKey("contacts", Contacts)
HTTP_KEY = web.AppKey("http", aiohttp.ClientSession)
RASA_KEY = web.AppKey("rasa", RasaClient)
CONVERSATIONS_KEY = web.AppKey("conversations", Conversations)
TENANTS_KEY = web.AppKey("tenants", Tenants)
MESSENGER_KEY = web.AppKey("messenger", Messenger)
PEER_KEY = web.AppKey("peer", PeerSupport)
RISK_KEY: web.AppKey[RiskLayer | None] = web.AppKey("risk")
RISK_STATUS_KEY = web.AppKey("risk_status", str)
# What this gateway shares with the others through Redis (or keeps in its own memory without it).
SHARED_KEY = web.AppKey("shared", SharedState)
