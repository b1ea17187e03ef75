"""Asking for a person is recognised, answered honestly, and given the 24/7 routes."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.request_peer_supporter import ActionRequestPeerSupporter
from tests.actions.conftest import load_tracker


async def test_a_request_for_a_person_is_answered_honestly_with_routes_and_remembered() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionRequestPeerSupporter().run(dispatcher, load_tracker("asks_for_a_person"), {})
    assert events == [{"event": "slot", "timestamp": None, "name": "peer_supporter_requested", "value": True}]
    [message] = dispatcher.messages
    assert "peer supporters" in message["text"]
    assert "can't put you through" in message["text"]
    assert message["custom"]["routes"] == ["samaritans", "pandas-text", "shout"]
    assert message["buttons"] == [{"title": "What is peer support?", "payload": "/ask_peer_support"}]
