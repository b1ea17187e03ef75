"""Fixtures for the gateway's own tests.

These tests are about routing, storage and channels, so the gateway runs on the safety screen's rules alone here:
what the learned risk model hears is measured by tests/nlu/test_risk.py and `make safety-report`, and the real
stack (tests/integration, tests/browser) runs with it. A test that needs the model's layer sets its own.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.app.load_risk_layer", lambda: (None, "not loaded in the gateway's unit tests"))
